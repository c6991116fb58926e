'use strict'

// The synchronous core of the SqliteStore (see direct-store.js): its
// public methods call these, and the middleware calls load(), write(),
// touch() and transact() directly while the store's get/set/touch and
// createSession are the classes' own. These throw instead of calling back.
//
// Rows keep a cookie's JSON with its date cut out (src/cookie_date.rs),
// which is the text of a cookie template (cookie-template.js): a session's
// cookie is built from the template and the row's expiry without parsing
// its JSON, and written back as the template's text, not rendered, while
// it still renders to that template.

var cookieJson = require('./cookie-json')
var storedSession = require('./stored-session')

var checkId = storedSession.checkId
var expiryOf = storedSession.expiryOf

/**
 * get() and createSession() in one step: makes req.session from the
 * stored session req.sessionID. Returns null when there is none, else what
 * the middleware compares and touches with: the session's dataJson() as
 * stored, and the template of its cookie (null when it has none usable).
 */
function load (store, req) {
  checkId(req.sessionID)
  var row = store._database.get(req.sessionID)
  if (row === null) return null
  return storedSession.createFromTemplate(store, req, store._templates.byText(row[0], row[2]), row[3], row[1])
}

/**
 * Stores a session whose dataJson() is already known. `template` is the
 * cookie template the session was loaded with, if any; failing that the
 * template of the last cookie written is tried, which fits new sessions of
 * one middleware.
 */
function write (store, sessionId, session, data, template) {
  checkId(sessionId)
  var templates = store._templates
  var fit = template || templates.last
  var expires = fit ? fit.expiryOf(session.cookie, store.ttl) : NaN
  if (!Number.isNaN(expires)) {
    store._database.set(sessionId, fit.text, fit.split, data, expires)
    return
  }
  var cookie = cookieJson(session.cookie)
  var stored = store._database.set(sessionId, cookie, -1, data, expiryOf(store, session))
  templates.last = stored === null ? templates.byText(cookie, -1) : templates.byText(stored[0], stored[1])
}

/**
 * Replaces a stored session's cookie and expiry; false when the store does
 * not have it (nothing is written then). `template` as for write().
 */
function touch (store, sessionId, session, template) {
  checkId(sessionId)
  var fit = template || store._templates.last
  var expires = fit ? fit.expiryOf(session.cookie, store.ttl) : NaN
  if (!Number.isNaN(expires)) return store._database.touch(sessionId, fit.text, fit.split, expires)
  return store._database.touch(sessionId, cookieJson(session.cookie), -1, expiryOf(store, session))
}

/**
 * Replaces the stored data JSON of `sessionId` by changes.applyTo(that
 * JSON) (session-changes.js), with `session`'s cookie, in one write
 * transaction: no other process writes between the read and the write.
 * False, writing nothing, when the store does not have the session.
 */
function transact (store, sessionId, changes, session, template) {
  checkId(sessionId)
  var database = store._database
  database.begin()
  var written = false
  try {
    var row = database.get(sessionId)
    if (row !== null) {
      write(store, sessionId, session, changes.applyTo(row[1]), template)
      written = true
    }
  } catch (err) {
    database.end(false)
    throw err
  }
  database.end(written)
  return written
}

module.exports.load = load
module.exports.touch = touch
module.exports.transact = transact
module.exports.write = write
