'use strict'

var native = require('../../binding')
var scratch = require('./scratch')
var sessionKey = require('./session-key')

var keyOf = sessionKey.keyOf
var sessionIdOf = sessionKey.sessionIdOf

module.exports = Storage

/**
 * A MemoryStore's native storage (see src/memory_store/): sessions by ID as
 * cookie JSON and data JSON, with expiry, bounds and cookie templates. One
 * method per native call. Sessions are kept under session-key.js's keys.
 */
function Storage (maxEntries, maxBytes) {
  this.handle = native.createMemoryStorage(maxEntries, maxBytes)
}

/**
 * The stored session's JSON ({"cookie":…, …data}), or null when absent or
 * expired.
 */
Storage.prototype.get = function get (sessionId) {
  scratch.begin()
  scratch.string(0, keyOf(sessionId))
  var result = native.storageGet(this.handle, scratch.input())
  scratch.end()
  return result
}

/**
 * The stored session as the middleware loads it, or null. With a templated
 * cookie: { json: the data JSON, templateId, expires (ms) }. With a cookie
 * kept whole: { json: the session's JSON, templateId: -1, dataOffset: where
 * its data members start, so that '{' + json.slice(dataOffset) is the data
 * JSON }.
 */
Storage.prototype.load = function load (sessionId) {
  scratch.begin()
  scratch.string(0, keyOf(sessionId))
  var json = native.storageLoad(this.handle, scratch.input())
  scratch.end()
  return json === null ? null : new Loaded(json, scratch.result(1), scratch.result(0))
}

function Loaded (json, templateId, number) {
  this.json = json
  this.templateId = templateId
  this.expires = templateId >= 0 ? number : NaN
  this.dataOffset = templateId >= 0 ? NaN : number
}

/** The session's data JSON: its JSON without the cookie. */
Loaded.prototype.dataJson = function dataJson () {
  return this.templateId >= 0 ? this.json : '{' + this.json.slice(this.dataOffset)
}

/**
 * Cookie template `templateId` as { text, split } (the cookie JSON without
 * its date, and the UTF-16 offset where the date goes, -1 for a cookie
 * without a date), or null when no session uses it any more.
 */
Storage.prototype.template = function template (templateId) {
  var parts = native.storageTemplate(this.handle, templateId)
  return parts === null ? null : { text: parts[0], split: parts[1] }
}

/**
 * Stores a session; `cookieJson` may be '' (no cookie), `expires` is in ms.
 * Throws when it alone exceeds the byte bound. Returns the id of the
 * cookie's template, or -1 when it has none.
 */
Storage.prototype.set = function set (sessionId, cookieJson, dataJson, expires) {
  scratch.begin()
  scratch.string(0, keyOf(sessionId))
  scratch.string(1, cookieJson)
  scratch.string(2, dataJson)
  scratch.number(3, expires)
  native.storageSet(this.handle, scratch.input())
  scratch.end()
  return scratch.result(0)
}

/**
 * Like set() with the cookie of template `templateId`; false, storing
 * nothing, when that template cannot be used.
 */
Storage.prototype.setByTemplate = function setByTemplate (sessionId, dataJson, templateId, expires) {
  scratch.begin()
  scratch.string(0, keyOf(sessionId))
  scratch.string(1, dataJson)
  scratch.number(2, templateId)
  scratch.number(3, expires)
  var result = native.storageSetTemplate(this.handle, scratch.input())
  scratch.end()
  return result
}

/**
 * Replaces a stored session's cookie and expiry; false when there is none.
 */
Storage.prototype.touch = function touch (sessionId, cookieJson, expires) {
  scratch.begin()
  scratch.string(0, keyOf(sessionId))
  scratch.string(1, cookieJson)
  scratch.number(2, expires)
  var result = native.storageTouch(this.handle, scratch.input())
  scratch.end()
  return result
}

/**
 * Gives a stored session the cookie of template `templateId` expiring at
 * `expires`: true when done, false when there is no such session, null
 * when that template cannot be used.
 */
Storage.prototype.touchByTemplate = function touchByTemplate (sessionId, templateId, expires) {
  scratch.begin()
  scratch.string(0, keyOf(sessionId))
  scratch.number(1, templateId)
  scratch.number(2, expires)
  var result = native.storageTouchTemplate(this.handle, scratch.input())
  scratch.end()
  return result
}

/** Removes a session; false when there was none. */
Storage.prototype.destroy = function destroy (sessionId) {
  return native.storageDestroy(this.handle, keyOf(sessionId))
}

/**
 * Removes expired sessions, and compacts what that emptied, for about
 * `budgetMs` at most; true when all is done, false when more is left.
 */
Storage.prototype.sweep = function sweep (budgetMs) {
  return native.storageSweep(this.handle, budgetMs)
}

/** Removes every session. */
Storage.prototype.clear = function clear () {
  native.storageClear(this.handle)
}

/** Number of unexpired sessions. */
Storage.prototype.count = function count () {
  return native.storageCount(this.handle)
}

/** { sessions, bytes } held now, expired sessions included until swept. */
Storage.prototype.usage = function usage () {
  var usage = native.storageUsage(this.handle)
  return { sessions: usage[0], bytes: usage[1] }
}

/**
 * Calls `visit(sessionId, json)` for every unexpired session.
 */
Storage.prototype.forEach = function forEach (visit) {
  var flat = native.storageAll(this.handle)
  for (var i = 0; i < flat.length; i += 2) visit(sessionIdOf(flat[i]), flat[i + 1])
}
