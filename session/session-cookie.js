'use strict'

var native = require('../binding')
var scratch = require('./scratch')
var secretKeys = require('./secret')
var setCookie = require('./set-cookie')

module.exports = SessionCookie

/**
 * The session cookie of one session() middleware: its name and secrets live
 * in a native object built once. The first secret signs; all verify.
 */
function SessionCookie (name, secrets) {
  this.handle = native.createSessionCookie(name, secretKeys(secrets))
}

/**
 * The verified session ID in a raw Cookie header, or null.
 */
SessionCookie.prototype.readId = function readId (header) {
  scratch.put(0, scratch.HEADER_BYTES, header)
  return native.readSessionId(this.handle)
}

/**
 * The value inside `value.signature` when one of the secrets signed it, or null.
 */
SessionCookie.prototype.unsign = function unsign (signed) {
  scratch.put(0, scratch.HEADER_BYTES, signed)
  return native.unsignValue(this.handle)
}

/**
 * `value.signature`, signed with the first secret.
 */
SessionCookie.prototype.sign = function sign (value) {
  scratch.put(0, scratch.HEADER_BYTES, value)
  return native.signValue(this.handle)
}

/**
 * The Set-Cookie value for session `id` with the attributes of `cookie`.
 */
SessionCookie.prototype.render = function render (id, cookie) {
  var offset = scratch.put(0, scratch.HEADER_BYTES, setCookie.checkWellFormed(id))
  setCookie.putAttributes(cookie, 1, offset)
  return setCookie.render(native.renderSessionCookie, this.handle)
}
