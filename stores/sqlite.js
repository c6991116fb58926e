'use strict'

var crypto = require('crypto')
var path = require('path')
var util = require('util')
var Store = require('../session/store')
var CookieTemplates = require('../lib/cookie-template')
var dataJson = require('../lib/data-json')
var directStore = require('../lib/direct-store')
var sqliteCore = require('../lib/sqlite-core')
var storedSession = require('../lib/stored-session')
var storeOptions = require('../lib/store-options')
var SqliteDatabase = require('../lib/native/sqlite-database')

var nonNegative = storeOptions.nonNegative
var reply = storeOptions.reply

module.exports = SqliteStore

var DAY = 24 * 60 * 60 * 1000
var MINUTE = 60 * 1000
// How long one slice of a sweep may take; the rest waits for a later turn
// of the event loop.
var SLICE_MS = 1

// A store dropped without close() stops its sweep timer when collected.
var sweepers = new FinalizationRegistry(function (timer) {
  clearInterval(timer)
})

/**
 * A store whose sessions live in one SQLite file (src/sqlite_store/), which
 * every process on the machine can open at once: node:cluster workers, PM2,
 * plain processes. Sessions survive restarts and crashes. Like the
 * MemoryStore, the middleware reads and writes it synchronously.
 *
 * Options:
 * - path: the database file (required); created readable by its owner only
 * - ttl: lifetime in ms of sessions whose cookie has no expiry (one day)
 * - checkPeriod: ms between sweeps of expired sessions (one minute; 0:
 *   none); one process at a time sweeps, in slices of about a millisecond
 * - durability: 'normal' (a commit does not wait for the disk: a crashed
 *   process loses nothing, a power loss may lose the last moments) or
 *   'full' (every commit is on the disk first)
 * - busyTimeout: ms a statement waits for another process's write lock
 *   before failing with an error (100)
 * - maxBytes: the most bytes the file may hold, in whole pages (no bound);
 *   a save past it fails with an error
 */
function SqliteStore (options) {
  Store.call(this)
  var opts = options || {}
  if (typeof opts.path !== 'string' || opts.path === '') {
    throw new TypeError('SqliteStore option path must be the path of the database file')
  }
  var durability = opts.durability === undefined ? 'normal' : opts.durability
  if (durability !== 'normal' && durability !== 'full') {
    throw new TypeError('SqliteStore option durability must be "normal" or "full"')
  }
  this.ttl = nonNegative('SqliteStore', opts, 'ttl', DAY)
  var checkPeriod = nonNegative('SqliteStore', opts, 'checkPeriod', MINUTE)
  var busyTimeout = Math.min(nonNegative('SqliteStore', opts, 'busyTimeout', 100), 0xffffffff)
  var maxBytes = nonNegative('SqliteStore', opts, 'maxBytes', 0)
  this.path = path.resolve(opts.path)
  this._database = new SqliteDatabase(this.path, durability === 'full', busyTimeout, maxBytes)
  this._templates = new CookieTemplates(null)
  this._sweeper = null
  if (checkPeriod > 0) {
    // The lease outlives a few periods, so a sweeper that died is replaced.
    var sweep = new Sweep(this._database, crypto.randomUUID(), checkPeriod * 3, this)
    this._sweeper = setInterval(sweepSlices, checkPeriod, sweep)
    this._sweeper.unref()
    sweepers.register(this, this._sweeper, this)
  }
}

util.inherits(SqliteStore, Store)
directStore.offer(SqliteStore, sqliteCore)

function Sweep (database, holder, leaseMs, store) {
  this.database = database
  this.holder = holder
  this.leaseMs = leaseMs
  // Held weakly: a sweep must not keep a dropped store alive.
  this.store = new WeakRef(store)
}

// The next slice comes in the next turn of the event loop. A sweep that
// fails (the file went away, the disk is full) is reported as the store's
// 'error' event when someone listens for it, and tried again next period.
function sweepSlices (sweep) {
  var done
  try {
    done = sweep.database.sweep(sweep.holder, sweep.leaseMs, SLICE_MS)
  } catch (err) {
    var store = sweep.store.deref()
    if (store && store.listenerCount('error') > 0) store.emit('error', err)
    return
  }
  if (!done) setImmediate(sweepSlices, sweep)
}

SqliteStore.prototype.get = function get (sessionId, callback) {
  var session
  try {
    storedSession.checkId(sessionId)
    var row = this._database.get(sessionId)
    if (row !== null) {
      var cookie = this._templates.byText(row[0], row[2]).json(row[3])
      session = JSON.parse(storedSession.withCookie(cookie, row[1]))
    }
  } catch (err) {
    return reply(callback, err)
  }
  reply(callback, null, session)
}

SqliteStore.prototype.set = function set (sessionId, session, callback) {
  var err = null
  try {
    sqliteCore.write(this, sessionId, session, dataJson(session), null)
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

/**
 * Refreshes a stored session's cookie and expiry, leaving its data alone.
 */
SqliteStore.prototype.touch = function touch (sessionId, session, callback) {
  var err = null
  try {
    sqliteCore.touch(this, sessionId, session, null)
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

SqliteStore.prototype.destroy = function destroy (sessionId, callback) {
  var err = null
  try {
    storedSession.checkId(sessionId)
    this._database.destroy(sessionId)
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

/**
 * Every unexpired session, as { sessionId: session }.
 */
SqliteStore.prototype.all = function all (callback) {
  var sessions = Object.create(null)
  try {
    this._database.forEach(function (sessionId, cookie, data) {
      sessions[sessionId] = JSON.parse(storedSession.withCookie(cookie, data))
    })
  } catch (err) {
    return reply(callback, err)
  }
  reply(callback, null, sessions)
}

/**
 * The IDs of every unexpired session.
 */
SqliteStore.prototype.ids = function ids (callback) {
  var list = []
  try {
    this._database.forEach(function (sessionId) { list.push(sessionId) })
  } catch (err) {
    return reply(callback, err)
  }
  reply(callback, null, list)
}

SqliteStore.prototype.length = function length (callback) {
  var count
  try {
    count = this._database.count()
  } catch (err) {
    return reply(callback, err)
  }
  reply(callback, null, count)
}

SqliteStore.prototype.clear = function clear (callback) {
  var err = null
  try {
    this._database.clear()
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

/**
 * Stops sweeping and closes the database; later calls are errors.
 */
SqliteStore.prototype.close = function close () {
  if (this._sweeper) {
    clearInterval(this._sweeper)
    sweepers.unregister(this)
  }
  this._sweeper = null
  this._database.close()
}
