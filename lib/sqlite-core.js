'use strict'

// The synchronous core of the SqliteStore (see direct-store.js): its
// public methods call these, and the middleware calls load(), write(),
// touch() and transact() directly while the store's get/set/touch and
// createSession are the classes' own. These throw instead of calling back.

var cookieJson = require('./cookie-json')
var storedSession = require('./stored-session')

var checkId = storedSession.checkId
var expiryOf = storedSession.expiryOf

/**
 * get() and createSession() in one step: makes req.session from the
 * stored session req.sessionID; null when there is none.
 */
function load (store, req) {
  checkId(req.sessionID)
  var row = store._database.get(req.sessionID)
  if (row === null) return null
  return storedSession.createSession(store, req, JSON.parse(storedSession.withCookie(row[0], row[1])), row[1], null)
}

/**
 * Stores a session whose dataJson() is already known.
 */
function write (store, sessionId, session, data) {
  checkId(sessionId)
  store._database.set(sessionId, cookieJson(session.cookie), data, expiryOf(store, session))
}

/**
 * Replaces a stored session's cookie and expiry; false when the store does
 * not have it (nothing is written then).
 */
function touch (store, sessionId, session) {
  checkId(sessionId)
  return store._database.touch(sessionId, cookieJson(session.cookie), expiryOf(store, session))
}

/**
 * Replaces the stored data JSON of `sessionId` by changes.applyTo(that
 * JSON) (session-changes.js), with `session`'s cookie, in one write
 * transaction: no other process writes between the read and the write.
 * False, writing nothing, when the store does not have the session.
 */
function transact (store, sessionId, changes, session) {
  checkId(sessionId)
  var database = store._database
  database.begin()
  var written = false
  try {
    var row = database.get(sessionId)
    if (row !== null) {
      write(store, sessionId, session, changes.applyTo(row[1]))
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
