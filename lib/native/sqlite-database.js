'use strict'

var native = require('../../binding')
var sessionKey = require('./session-key')

var keyOf = sessionKey.keyOf
var sessionIdOf = sessionKey.sessionIdOf

module.exports = SqliteDatabase

/**
 * A SqliteStore's connection to its database file (see src/sqlite_store/):
 * sessions by ID as cookie, data JSON and expiry. A cookie is its JSON with
 * the date cut out at a UTF-16 offset, `split` (see src/cookie_date.rs), or
 * its whole JSON (split -1). One method per native call; every fault
 * throws an Error whose message names the file. Sessions are kept under
 * session-key.js's keys.
 */
function SqliteDatabase (path, full, busyTimeoutMs, maxBytes) {
  this.handle = native.sqliteOpen(path, full, busyTimeoutMs, maxBytes)
}

/** The unexpired session as [cookie, data JSON, split, expires (ms)], or null. */
SqliteDatabase.prototype.get = function get (sessionId) {
  return native.sqliteGet(this.handle, keyOf(sessionId))
}

/**
 * Stores a session (expires: ms), replacing what was there. A whole cookie
 * JSON whose date is the expiry is stored cut: then [cookie, split] as
 * stored is returned, else null.
 */
SqliteDatabase.prototype.set = function set (sessionId, cookie, split, dataJson, expires) {
  return native.sqliteSet(this.handle, keyOf(sessionId), cookie, split, dataJson, expires)
}

/** Replaces an unexpired session's cookie and expiry; false when there is none. */
SqliteDatabase.prototype.touch = function touch (sessionId, cookie, split, expires) {
  return native.sqliteTouch(this.handle, keyOf(sessionId), cookie, split, expires)
}

/** Removes a session; false when there was none. */
SqliteDatabase.prototype.destroy = function destroy (sessionId) {
  return native.sqliteDestroy(this.handle, keyOf(sessionId))
}

SqliteDatabase.prototype.clear = function clear () {
  native.sqliteClear(this.handle)
}

/** Number of unexpired sessions. */
SqliteDatabase.prototype.count = function count () {
  return native.sqliteCount(this.handle)
}

/** Calls `visit(sessionId, cookieJson, dataJson)` for every unexpired session. */
SqliteDatabase.prototype.forEach = function forEach (visit) {
  var flat = native.sqliteAll(this.handle)
  for (var i = 0; i < flat.length; i += 3) visit(sessionIdOf(flat[i]), flat[i + 1], flat[i + 2])
}

/** Takes the database's write lock (across processes) until end(). */
SqliteDatabase.prototype.begin = function begin () {
  native.sqliteBegin(this.handle)
}

/** Commits what was written since begin(), or rolls it back. */
SqliteDatabase.prototype.end = function end (commit) {
  native.sqliteEnd(this.handle, commit)
}

/**
 * Removes expired sessions for about `budgetMs`, if `holder` holds the
 * sweep lease (taken for `leaseMs`); true when done or another process
 * sweeps, false when more is left.
 */
SqliteDatabase.prototype.sweep = function sweep (holder, leaseMs, budgetMs) {
  return native.sqliteSweep(this.handle, holder, leaseMs, budgetMs)
}

SqliteDatabase.prototype.close = function close () {
  native.sqliteClose(this.handle)
}
