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
  return typeof sessionId === 'string'
    ? null
    : new TypeError('session ID must be a string')
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
  var err = checkId(sessionId)
  if (!err) this._storage.destroy(sessionId)
  reply(callback, err)
}

MemoryStore.prototype.get = function get (sessionId, callback) {
  var err = checkId(sessionId)
  if (err) return reply(callback, err)
  var json = this._storage.get(sessionId)
  if (json === null) return reply(callback)
  var session
  try {
    session = JSON.parse(json)
  } catch (e) {
    return reply(callback, e)
  }
  reply(callback, null, session)
}

MemoryStore.prototype.set = function set (sessionId, session, callback) {
  var err = checkId(sessionId)
  if (!err) {
    try {
      var cookie = JSON.stringify(session.cookie)
      this._storage.set(sessionId, cookie === undefined ? '' : cookie,
        dataJson(session), expiryOf(this, session))
    } catch (e) {
      err = e
    }
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
  var err = checkId(sessionId)
  if (!err) {
    try {
      var cookie = JSON.stringify(session.cookie)
      this._storage.touch(sessionId, cookie === undefined ? '' : cookie, expiryOf(this, session))
    } catch (e) {
      err = e
    }
  }
  reply(callback, err)
}

/**
 * Stops the sweep timer (it never keeps the process alive anyway).
 */
MemoryStore.prototype.close = function close () {
  if (this._sweeper) clearInterval(this._sweeper)
  this._sweeper = null
}

MemoryStore.prototype.stop = MemoryStore.prototype.close
