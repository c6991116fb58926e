'use strict'

// The synchronous core of this package's MemoryStore (see direct-store.js):
// its public set and touch call write() and touch() here, and the
// middleware calls load(), write(), touch() and transact() directly (no
// extra event-loop turn) while the store's get/set/touch/createSession are
// the classes' own. These throw instead of calling back.
//
// A cookie stored by template (see cookie-template.js) is built from the
// template and its expiry without parsing its JSON, and written back as
// just an expiry while it still renders to that template.

var cookieJson = require('./cookie-json')
var storedSession = require('./stored-session')

var checkId = storedSession.checkId
var createFromTemplate = storedSession.createFromTemplate
var createSession = storedSession.createSession
var expiryOf = storedSession.expiryOf

/**
 * get() and createSession() in one step: makes req.session from the stored
 * session req.sessionID. Returns null when there is none, else what the
 * middleware compares and touches with: the session's dataJson() as stored,
 * and the template of its cookie (null when it has none usable).
 */
function load (store, req) {
  checkId(req.sessionID)
  var loaded = store._storage.load(req.sessionID)
  if (loaded === null) return null

  if (loaded.templateId < 0) {
    return createSession(store, req, JSON.parse(loaded.json), loaded.dataJson(), null)
  }
  return createFromTemplate(store, req, store._templates.get(loaded.templateId), loaded.expires, loaded.json)
}

/**
 * Stores a session whose dataJson() is already known. `template` is the
 * cookie template the session was loaded with, if any; failing that the
 * template of the last cookie written is tried, which fits new sessions of
 * one middleware. While one fits, the cookie is stored by template without
 * being rendered.
 */
function write (store, sessionId, session, data, template) {
  checkId(sessionId)
  var storage = store._storage
  var templates = store._templates
  var fit = template || templates.last
  var expires = fit ? fit.expiryOf(session.cookie, store.ttl) : NaN
  if (!Number.isNaN(expires) && storage.setByTemplate(sessionId, data, fit.id, expires)) return

  var cookie = cookieJson(session.cookie)
  var templateId = storage.set(sessionId, cookie, data, expiryOf(store, session))
  if (templateId >= 0) templates.last = templates.get(templateId)
}

/**
 * Replaces a stored session's cookie and expiry; `template` as for write().
 * Returns whether the store had the session.
 */
function touch (store, sessionId, session, template) {
  checkId(sessionId)
  var storage = store._storage
  var fit = template || store._templates.last
  var expires = fit ? fit.expiryOf(session.cookie, store.ttl) : NaN
  if (!Number.isNaN(expires)) {
    var touched = storage.touchByTemplate(sessionId, fit.id, expires)
    if (touched !== null) return touched
  }
  var cookie = cookieJson(session.cookie)
  return storage.touch(sessionId, cookie, expiryOf(store, session))
}

/**
 * Replaces the stored data JSON of `sessionId` by changes.applyTo(that
 * JSON) (session-changes.js) and stores `session`'s cookie with it, in one
 * synchronous step (nothing can interleave); false, writing nothing, when
 * the store does not have it.
 */
function transact (store, sessionId, changes, session, template) {
  checkId(sessionId)
  var loaded = store._storage.load(sessionId)
  if (loaded === null) return false
  write(store, sessionId, session, changes.applyTo(loaded.dataJson()), template)
  return true
}

module.exports.load = load
module.exports.touch = touch
module.exports.transact = transact
module.exports.write = write
