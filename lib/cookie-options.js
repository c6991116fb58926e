'use strict'

var isDate = require('util').types.isDate
var Cookie = require('../session/cookie')

module.exports.checkName = checkName
module.exports.checkOptions = checkOptions

/**
 * Throws a TypeError unless `name` can name a cookie.
 */
function checkName (name) {
  try {
    new Cookie().serialize(name, 'probe')
  } catch (err) {
    throw new TypeError('name option is not a valid cookie name: ' + JSON.stringify(name))
  }
}

/**
 * Makes the cookie a new session would get from cookie `options` and
 * renders it under `name` as the response would: its expiry reset from
 * maxAge, 'auto' values as on an insecure request. A TypeError when that
 * fails, so that a value express-session 1.19 only trips over at request
 * time (a crash, a hung request, or a cookie silently never sent) is an
 * error up front.
 */
function checkOptions (options, name) {
  try {
    var cookie = new Cookie(options)
    if (cookie.secure === 'auto') cookie.secure = false
    if (cookie.sameSite === 'auto') cookie.sameSite = 'lax'
    cookie.maxAge = cookie.originalMaxAge
    cookie.serialize(name, 'probe')
  } catch (err) {
    // A non-Date expires fails as the maxAge it becomes when touched.
    var expires = options && options.expires
    var reason = expires && !isDate(expires) ? 'expires must be a Date' : err.message
    throw new TypeError('cookie option is invalid: ' + reason)
  }
}
