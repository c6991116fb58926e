'use strict'

var Cookie = require('../session/cookie')
var isSecure = require('./is-secure')

module.exports = requestCookie

/**
 * A Cookie made from cookie `options` for `req`: secure 'auto' is the
 * request's security, sameSite 'auto' is 'none' on a secure request and
 * 'lax' otherwise (whether the options came from an object or a function).
 */
function requestCookie (options, req, trustProxy) {
  var cookie = new Cookie(options)
  if (options.secure === 'auto') {
    cookie.secure = isSecure(req, trustProxy)
  }
  if (options.sameSite === 'auto') {
    cookie.sameSite = isSecure(req, trustProxy) ? 'none' : 'lax'
  }
  return cookie
}
