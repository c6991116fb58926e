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
  this.httpOnly = Boolean(cookie.httpOnly)
  this.secure = Boolean(cookie.secure)
  this.partitioned = Boolean(cookie.partitioned)
  this.hasExpires = Boolean(expires)
  this.path = text(cookie.path)
  this.domain = text(cookie.domain)
  this.priority = text(cookie.priority)
  this.sameSite = sameSite === true ? 'strict' : text(sameSite)
  this.expires = expires ? (isDate(expires) ? expires.valueOf() : NaN) : 0
}

function text (value) {
  return value ? String(value) : ''
}

/**
 * encodeURIComponent throws on lone surrogates; so does rendering.
 */
function checkWellFormed (value) {
  if (!value.isWellFormed()) throw new URIError('URI malformed')
  return value
}
