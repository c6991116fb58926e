'use strict'

var native = require('../../binding')
var secretKeys = require('../secret-keys')
var scratch = require('./scratch')

var HTTP_ONLY = native.COOKIE_HTTP_ONLY
var SECURE = native.COOKIE_SECURE
var PARTITIONED = native.COOKIE_PARTITIONED
var HAS_EXPIRES = native.COOKIE_HAS_EXPIRES

module.exports = SessionCookie
module.exports.renderCookie = renderCookie

/**
 * The session cookie of one session() middleware: its name and secrets
 * (the first signs, all verify) live in a native object built once.
 */
function SessionCookie (name, secrets) {
  this.handle = native.createSessionCookie(name, secretKeys(secrets))
  this.name = name
}

/**
 * The verified session ID in a raw Cookie `header`, or null.
 */
SessionCookie.prototype.readId = function readId (header) {
  // Names are matched as they are, trimmed: a header that does not contain
  // the name cannot hold the cookie (a new visitor's), and needs no native call.
  if (header.indexOf(this.name) === -1) return null
  scratch.begin()
  scratch.string(0, header)
  var result = native.readSessionId(this.handle, scratch.input())
  scratch.end()
  return result
}

/**
 * The value inside `signed` (value.signature) when one of the secrets
 * signed it, or null.
 */
SessionCookie.prototype.unsign = function unsign (signed) {
  scratch.begin()
  scratch.string(0, signed)
  var result = native.unsignValue(this.handle, scratch.input())
  scratch.end()
  return result
}

/**
 * `value.signature`, signed with the first secret.
 */
SessionCookie.prototype.sign = function sign (value) {
  scratch.begin()
  scratch.string(0, value)
  var result = native.signValue(this.handle, scratch.input())
  scratch.end()
  return result
}

/**
 * The Set-Cookie value for session `id` (a well-formed string) with
 * `attributes` (a CookieAttributes).
 */
SessionCookie.prototype.render = function render (id, attributes) {
  scratch.begin()
  scratch.string(0, id)
  scratch.string(1, attributes.path)
  scratch.string(2, attributes.domain)
  scratch.string(3, attributes.priority)
  scratch.string(4, attributes.sameSite)
  scratch.number(5, attributes.expires)
  scratch.number(6, flags(attributes))
  var value
  try {
    value = native.renderSessionCookie(this.handle, scratch.input())
  } catch (err) {
    throw new TypeError(err.message)
  }
  scratch.end()
  return value
}

/**
 * A Set-Cookie value for cookie `name` holding a plain `value` (URI-encoded
 * natively) with `attributes`, as the cookie package's serialize renders it.
 */
function renderCookie (name, value, attributes) {
  try {
    return native.renderCookie(name, value, attributes.path, attributes.domain,
      attributes.priority, attributes.sameSite, attributes.expires, flags(attributes))
  } catch (err) {
    // Native renderer errors become the TypeErrors the cookie package throws.
    throw new TypeError(err.message)
  }
}

// The native renderers' bits for the boolean attributes.
function flags (attributes) {
  return (attributes.httpOnly ? HTTP_ONLY : 0) |
    (attributes.secure ? SECURE : 0) |
    (attributes.partitioned ? PARTITIONED : 0) |
    (attributes.hasExpires ? HAS_EXPIRES : 0)
}
