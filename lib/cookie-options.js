'use strict'

var isDate = require('util').types.isDate
var Cookie = require('../session/cookie')
var requestCookie = require('./request-cookie')

module.exports.checkName = checkName
module.exports.checkOptions = checkOptions
module.exports.checkedCookie = checkedCookie

// A request with nothing secure about it: 'auto' values resolve as on
// plain HTTP.
var INSECURE_REQUEST = { headers: {} }

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
 * Throws a TypeError when cookie `options` make a cookie that a response
 * could not send under `name`: what express-session 1.19 only trips over at
 * request time (a crash, a hung request, or a cookie silently never sent)
 * is an error up front.
 */
function checkOptions (options, name) {
  checkedCookie(options, INSECURE_REQUEST, false, name)
}

/**
 * requestCookie(options, req, trustProxy), rendered once under `name` as
 * the response will render it (its expiry reset from maxAge first, as the
 * response's touch does); a TypeError naming the option when that fails.
 */
function checkedCookie (options, req, trustProxy, name) {
  try {
    var cookie = requestCookie(options, req, trustProxy)
    cookie.maxAge = cookie.originalMaxAge
    cookie.serialize(name, 'probe')
    return cookie
  } catch (err) {
    // A non-Date expires fails as the maxAge it becomes when touched.
    var expires = options && options.expires
    var reason = expires && !isDate(expires) ? 'expires must be a Date' : err.message
    throw new TypeError('cookie option is invalid: ' + reason)
  }
}
