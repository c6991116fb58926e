'use strict'

// What the synchronous cores of this package's stores (direct-store.js)
// share: turning a stored cookie JSON and data JSON into req.session, and
// when a session expires.

var assignData = require('./assign-data')
var dataJson = require('./data-json')
var Session = require('../session/session')

/**
 * What a core's load() returns: the session's dataJson() as stored, and
 * what its write() and touch() take back (null when nothing).
 */
function Loaded (data, template) {
  this.data = data
  this.template = template
}

/**
 * Makes req.session from the parsed session `stored` (with the store's
 * createSession), whose data JSON is `data`.
 */
function createSession (store, req, stored, data, template) {
  var keys = Object.keys(stored).length
  store.createSession(req, stored)
  // Session leaves out stored keys that would shadow its methods.
  var complete = Object.keys(req.session).length === keys
  return new Loaded(complete ? data : dataJson(req.session), template)
}

/**
 * Makes req.session from a stored session whose cookie is `template` with
 * expiry `expires` (ms) and whose data JSON is `data`: the cookie built
 * from the template, without parsing its JSON, when the template can.
 */
function createFromTemplate (store, req, template, expires, data) {
  if (!template.usable) {
    return createSession(store, req, JSON.parse(withCookie(template.json(expires), data)), data, null)
  }
  var session = new Session(req)
  session.cookie = template.build(expires)
  var complete = assignData(session, JSON.parse(data))
  req.session = session
  return new Loaded(complete ? data : dataJson(session), template)
}

/**
 * The session JSON of a cookie JSON and a data JSON, cookie first.
 */
function withCookie (cookie, data) {
  return '{"cookie":' + cookie + (data === '{}' ? '}' : ',' + data.slice(1))
}

function checkId (sessionId) {
  if (typeof sessionId !== 'string') throw new TypeError('session ID must be a string')
}

/**
 * When a session expires (ms): its cookie's expiry, or the store's ttl from now.
 */
function expiryOf (store, session) {
  var expires = session && session.cookie && session.cookie.expires
  var time = expires ? new Date(expires).valueOf() : NaN
  return Number.isNaN(time) ? Date.now() + store.ttl : time
}

module.exports.Loaded = Loaded
module.exports.checkId = checkId
module.exports.createFromTemplate = createFromTemplate
module.exports.createSession = createSession
module.exports.expiryOf = expiryOf
module.exports.withCookie = withCookie
