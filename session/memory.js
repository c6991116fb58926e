'use strict'

var util = require('util')
var native = require('../binding')
var Store = require('./store')
var dataJson = require('./data-json')

module.exports = MemoryStore

var DAY = 24 * 60 * 60 * 1000
var MINUTE = 60 * 1000

/**
 * An in-process store whose storage lives in Rust. Unlike express-session's
 * MemoryStore it reclaims expired sessions on its own (a timer that never
 * keeps the process alive) and can be bounded.
 *
 * Options (memorystore's names where they mean the same):
 * - ttl: lifetime in ms of sessions whose cookie has no expiry (one day)
 * - checkPeriod: ms between sweeps of expired sessions (one minute; 0: none)
 * - max: most sessions kept; the least recently used go first (no bound)
 * - maxBytes: most bytes of IDs and JSON kept, likewise (no bound)
 */
function MemoryStore (options) {
  Store.call(this)
  var opts = options || {}

  this.ttl = positive(opts.ttl, 'ttl', DAY)
  var checkPeriod = positive(opts.checkPeriod, 'checkPeriod', MINUTE)
  this._storage = new native.MemoryStorage(
    positive(opts.max, 'max', 0),
    positive(opts.maxBytes, 'maxBytes', 0)
  )
  this._sweeper = null
  if (checkPeriod > 0) {
    this._sweeper = setInterval(sweep, checkPeriod, this._storage)
    this._sweeper.unref()
  }
}

util.inherits(MemoryStore, Store)

function positive (value, name, fallback) {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new TypeError('MemoryStore option ' + name + ' must be a non-negative number')
  }
  return value
}

function sweep (storage) {
  storage.sweep()
}

// Callbacks are optional and always called on a later tick.
function reply (callback, err, value) {
  if (callback) setImmediate(callback, err, value)
}

function checkId (sessionId) {
  if (typeof sessionId !== 'string') throw new TypeError('session ID must be a string')
}

function cookieJson (session) {
  var json = JSON.stringify(session.cookie)
  return json === undefined ? '' : json
}

// When a session expires: its cookie's expiry, or the store's ttl from now.
function expiryOf (store, session) {
  var expires = session && session.cookie && session.cookie.expires
  var time = expires ? new Date(expires).valueOf() : NaN
  return time === time ? time : Date.now() + store.ttl
}

/**
 * Every unexpired session, as { sessionId: session }.
 */
MemoryStore.prototype.all = function all (callback) {
  var flat = this._storage.all()
  var sessions = Object.create(null)
  try {
    for (var i = 0; i < flat.length; i += 2) {
      sessions[flat[i]] = JSON.parse(flat[i + 1])
    }
  } catch (err) {
    return reply(callback, err)
  }
  reply(callback, null, sessions)
}

/**
 * The IDs of every unexpired session.
 */
MemoryStore.prototype.ids = function ids (callback) {
  var flat = this._storage.all()
  var list = []
  for (var i = 0; i < flat.length; i += 2) list.push(flat[i])
  reply(callback, null, list)
}

MemoryStore.prototype.clear = function clear (callback) {
  this._storage.clear()
  reply(callback)
}

MemoryStore.prototype.destroy = function destroy (sessionId, callback) {
  var err = null
  try {
    checkId(sessionId)
    this._storage.destroy(sessionId)
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

MemoryStore.prototype.get = function get (sessionId, callback) {
  var session
  try {
    session = this.readSync(sessionId)
  } catch (err) {
    return reply(callback, err)
  }
  reply(callback, null, session)
}

MemoryStore.prototype.set = function set (sessionId, session, callback) {
  var err = null
  try {
    this.writeSync(sessionId, session, dataJson(session))
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

MemoryStore.prototype.length = function length (callback) {
  reply(callback, null, this._storage.count())
}

/**
 * Refreshes a stored session's cookie and expiry, leaving its data alone.
 */
MemoryStore.prototype.touch = function touch (sessionId, session, callback) {
  var err = null
  try {
    this.touchSync(sessionId, session)
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

// The synchronous core of get, set and touch. The middleware calls these
// directly (no extra event-loop turn) while get/set/touch are this class's
// own; they throw instead of calling back.

/** The stored session, parsed, or undefined. */
MemoryStore.prototype.readSync = function readSync (sessionId) {
  checkId(sessionId)
  var json = this._storage.get(sessionId)
  return json === null ? undefined : JSON.parse(json)
}

/** Stores a session whose dataJson() is already known. */
MemoryStore.prototype.writeSync = function writeSync (sessionId, session, data) {
  checkId(sessionId)
  this._storage.set(sessionId, cookieJson(session), data, expiryOf(this, session))
}

/** Replaces a stored session's cookie and expiry. */
MemoryStore.prototype.touchSync = function touchSync (sessionId, session) {
  checkId(sessionId)
  this._storage.touch(sessionId, cookieJson(session), expiryOf(this, session))
}

/**
 * Stops the sweep timer (it never keeps the process alive anyway).
 */
MemoryStore.prototype.close = function close () {
  if (this._sweeper) clearInterval(this._sweeper)
  this._sweeper = null
}

MemoryStore.prototype.stop = MemoryStore.prototype.close
