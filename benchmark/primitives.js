'use strict'

// Primitives: what express-session does with cookie-signature, uid-safe and
// cookie, against the Rust core doing the same.

var cookie = require('cookie')
var signature = require('cookie-signature')
var uid = require('uid-safe')
var Cookie = require('../session/cookie')
var CookieAttributes = require('../lib/cookie-attributes')
var SessionCookie = require('../lib/native/session-cookie')
var generateSessionId = require('../lib/native/session-ids')
var measure = require('./measure')

var SECRET = 'keyboard cat'
var NAME = 'connect.sid'

function run (options) {
  var sessionCookie = new SessionCookie(NAME, [SECRET])
  var id = uid.sync(24)
  var signed = signature.sign(id, SECRET)
  var forged = signed.slice(0, -1) + (signed.slice(-1) === 'A' ? 'B' : 'A')
  var header = '_ga=GA1.2.1234567890.1234567890; theme=dark; ' + NAME + '=' +
    encodeURIComponent('s:' + signed) + '; lang=en-US'
  var cookieObject = new Cookie({ maxAge: 86400000, sameSite: 'lax' })
  var data = cookieObject.data

  // What express-session does to find the ID in a Cookie header.
  function jsReadId () {
    var raw = cookie.parse(header)[NAME]
    var value = raw && raw.slice(0, 2) === 's:' ? signature.unsign(raw.slice(2), SECRET) : false
    return value === false ? undefined : value
  }

  var ratios = {}
  measure.header('Primitives (per call)', 'express-session deps', 'express-session-rs')
  ratios.sign = measure.compareSync('sign', function () { return signature.sign(id, SECRET) },
    function () { return sessionCookie.sign(id) }, options)
  ratios.verifyValid = measure.compareSync('verify, valid signature', function () { return signature.unsign(signed, SECRET) },
    function () { return sessionCookie.unsign(signed) }, options)
  ratios.verifyInvalid = measure.compareSync('verify, invalid signature', function () { return signature.unsign(forged, SECRET) },
    function () { return sessionCookie.unsign(forged) }, options)
  ratios.id = measure.compareSync('session ID', function () { return uid.sync(24) },
    generateSessionId, options)
  ratios.lookup = measure.compareSync('read ID from Cookie header (parse+unsign)', jsReadId,
    function () { return sessionCookie.readId(header) }, options)
  ratios.setCookie = measure.compareSync('Set-Cookie (sign+serialize)', function () {
    return cookie.serialize(NAME, 's:' + signature.sign(id, SECRET), data)
  }, function () {
    return sessionCookie.render(id, new CookieAttributes(cookieObject))
  }, options)
  return ratios
}

module.exports = run

if (require.main === module) run({ rounds: 7, iterations: 20000 })
