'use strict'

var util = require('util')
var Store = require('./store')
var CookieTemplates = require('../lib/cookie-template')
var dataJson = require('../lib/data-json')
var Storage = require('../lib/native/storage')
var directStore = require('../lib/direct-store')
var ownStore = require('../lib/own-memory-store')
var storedSession = require('../lib/stored-session')
var storeOptions = require('../lib/store-options')

var nonNegative = storeOptions.nonNegative
var reply = storeOptions.reply

module.exports = MemoryStore

var DAY = 24 * 60 * 60 * 1000
var SECOND = 1000
// How long one slice of a sweep may take; the rest waits for a later turn
// of the event loop.
var SLICE_MS = 1
var MAX_ENTRIES = 0xffffffff

// A store dropped without close() stops its sweep timer when collected, so
// the timer does not keep its storage alive.
var sweepers = new FinalizationRegistry(function (timer) {
  clearInterval(timer)
})

/**
 * An in-process store whose storage lives in Rust. Unlike express-session's
 * MemoryStore it reclaims expired sessions on its own (a timer that never
 * keeps the process alive) and can be bounded.
 *
 * Options (memorystore's names where they mean the same):
 * - ttl: lifetime in ms of sessions whose cookie has no expiry (one day)
 * - checkPeriod: ms between sweeps of expired sessions (one second; 0:
 *   none). A sweep that finds nothing costs one look at the expiry order;
 *   one that finds much works in slices of about a millisecond.
 * - max: most sessions kept; the least recently used go first (no bound)
 * - maxBytes: most bytes of IDs and JSON kept, likewise (no bound)
 */
function MemoryStore (options) {
  Store.call(this)
  var opts = options || {}

  this.ttl = nonNegative('MemoryStore', opts, 'ttl', DAY)
  var checkPeriod = nonNegative('MemoryStore', opts, 'checkPeriod', SECOND)
  this._storage = new Storage(
    Math.min(nonNegative('MemoryStore', opts, 'max', 0), MAX_ENTRIES),
    nonNegative('MemoryStore', opts, 'maxBytes', 0)
  )
  this._templates = new CookieTemplates(this._storage)
  this._sweeper = null
  if (checkPeriod > 0) {
    this._sweeper = setInterval(sweep, checkPeriod, this._storage)
    this._sweeper.unref()
    sweepers.register(this, this._sweeper, this)
  }
}

util.inherits(MemoryStore, Store)
directStore.offer(MemoryStore, ownStore)

// The next slice comes in the next turn of the event loop (an unref'd
// immediate would wait for other work to wake the loop; this one keeps the
// process alive only until the sweep is done).
function sweep (storage) {
  if (!storage.sweep(SLICE_MS)) setImmediate(sweep, storage)
}

/**
 * Every unexpired session, as { sessionId: session }.
 */
MemoryStore.prototype.all = function all (callback) {
  var sessions = Object.create(null)
  try {
    this._storage.forEach(function (sessionId, json) {
      sessions[sessionId] = JSON.parse(json)
    })
  } catch (err) {
    return reply(callback, err)
  }
  reply(callback, null, sessions)
}

/**
 * The IDs of every unexpired session.
 */
MemoryStore.prototype.ids = function ids (callback) {
  var list = []
  this._storage.forEach(function (sessionId) { list.push(sessionId) })
  reply(callback, null, list)
}

MemoryStore.prototype.clear = function clear (callback) {
  this._storage.clear()
  reply(callback)
}

MemoryStore.prototype.destroy = function destroy (sessionId, callback) {
  var err = null
  try {
    storedSession.checkId(sessionId)
    this._storage.destroy(sessionId)
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

MemoryStore.prototype.get = function get (sessionId, callback) {
  var session
  try {
    storedSession.checkId(sessionId)
    var json = this._storage.get(sessionId)
    if (json !== null) session = JSON.parse(json)
  } catch (err) {
    return reply(callback, err)
  }
  reply(callback, null, session)
}

MemoryStore.prototype.set = function set (sessionId, session, callback) {
  var err = null
  try {
    ownStore.write(this, sessionId, session, dataJson(session), null)
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
    ownStore.touch(this, sessionId, session, null)
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

/**
 * What the store holds right now, without sweeping or reading anything:
 * { sessions, bytes } (bytes of IDs and JSON; expired sessions count until
 * the next sweep).
 */
MemoryStore.prototype.usage = function usage () {
  return this._storage.usage()
}

/**
 * Stops the sweep timer (it never keeps the process alive anyway).
 */
MemoryStore.prototype.close = function close () {
  if (this._sweeper) {
    clearInterval(this._sweeper)
    sweepers.unregister(this)
  }
  this._sweeper = null
}

MemoryStore.prototype.stop = MemoryStore.prototype.close
