'use strict'

var isDate = require('util').types.isDate

module.exports = CookieAttributes
module.exports.checkWellFormed = checkWellFormed

/**
 * The Set-Cookie attributes of `cookie` (any object with the Cookie
 * properties, including one made by another copy of express-session), read
 * and converted at once: getters, toString and Proxy traps all run here,
 * before anything is written for the native renderer.
 *
 * path, domain, priority and sameSite are strings, empty when absent;
 * expires is in ms when hasExpires (NaN for anything but a valid Date,
 * which the cookie package rejects).
 */
function CookieAttributes (cookie) {
  var expires = cookie.expires
  var sameSite = cookie.sameSite
  var path = cookie.path
  var domain = cookie.domain
  var priority = cookie.priority
  this.httpOnly = !!cookie.httpOnly
  this.secure = !!cookie.secure
  this.partitioned = !!cookie.partitioned
  this.hasExpires = !!expires
  this.path = path ? String(path) : ''
  this.domain = domain ? String(domain) : ''
  this.priority = priority ? String(priority) : ''
  this.sameSite = sameSite === true ? 'strict' : sameSite ? String(sameSite) : ''
  this.expires = expires ? (isDate(expires) ? expires.valueOf() : NaN) : 0
}

/**
 * encodeURIComponent throws on lone surrogates; so does rendering.
 */
function checkWellFormed (value) {
  if (!value.isWellFormed()) throw new URIError('URI malformed')
  return value
}
