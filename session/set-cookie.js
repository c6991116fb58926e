'use strict'

// Rendering Set-Cookie values natively: the attributes of a cookie go into
// the scratch buffer, and native errors become the cookie package's TypeErrors.

var isDate = require('util').types.isDate
var scratch = require('./scratch')

// Flags understood by the native renderers.
var HTTP_ONLY = 1
var SECURE = 2
var PARTITIONED = 4
var HAS_EXPIRES = 8

/**
 * encodeURIComponent throws on lone surrogates; so does rendering.
 */
function checkWellFormed (value) {
  if (!value.isWellFormed()) throw new URIError('URI malformed')
  return value
}

/**
 * Writes the attributes of `cookie` (any object with the Cookie properties,
 * including one made by another copy of express-session) into the scratch
 * buffer: path, domain, priority and sameSite as strings in slots
 * `first`..`first + 3` from byte `offset` (empty when absent), then the
 * expiry (ms) and the flags in the next two slots.
 */
function putAttributes (cookie, first, offset) {
  var expires = cookie.expires
  var sameSite = cookie.sameSite
  var flags = (cookie.httpOnly ? HTTP_ONLY : 0) |
    (cookie.secure ? SECURE : 0) |
    (cookie.partitioned ? PARTITIONED : 0) |
    (expires ? HAS_EXPIRES : 0)
  offset = scratch.put(first, offset, cookie.path ? String(cookie.path) : '')
  offset = scratch.put(first + 1, offset, cookie.domain ? String(cookie.domain) : '')
  offset = scratch.put(first + 2, offset, cookie.priority ? String(cookie.priority) : '')
  scratch.put(first + 3, offset, sameSite === true ? 'strict' : sameSite ? String(sameSite) : '')
  // The cookie package takes only valid Dates; anything else is invalid.
  scratch.number(first + 4, expires ? (isDate(expires) ? expires.valueOf() : NaN) : 0)
  scratch.number(first + 5, flags)
}

/**
 * Calls a native renderer, turning its errors into the TypeErrors the
 * cookie package throws.
 */
function render (renderer, handle) {
  try {
    return renderer(handle)
  } catch (err) {
    throw new TypeError(err.message)
  }
}

module.exports.checkWellFormed = checkWellFormed
module.exports.putAttributes = putAttributes
module.exports.render = render
