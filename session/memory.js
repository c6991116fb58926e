'use strict'

var util = require('util')
var native = require('../binding')
var scratch = require('./scratch')
var Store = require('./store')
var cookieJson = require('./cookie-json')
var CookieShape = require('./cookie-shape')
var dataJson = require('./data-json')
var Session = require('./session')
var assignData = require('./session-data')

module.exports = MemoryStore

var DAY = 24 * 60 * 60 * 1000
var MINUTE = 60 * 1000
var MAX_ENTRIES = 0xffffffff
// Cookie shapes kept per store before the cache starts over.
var MAX_SHAPES = 256

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
 * - checkPeriod: ms between sweeps of expired sessions (one minute; 0: none)
 * - max: most sessions kept; the least recently used go first (no bound)
 * - maxBytes: most bytes of IDs and JSON kept, likewise (no bound)
 */
function MemoryStore (options) {
  Store.call(this)
  var opts = options || {}

  this.ttl = positive(opts.ttl, 'ttl', DAY)
  var checkPeriod = positive(opts.checkPeriod, 'checkPeriod', MINUTE)
  this._storage = native.createMemoryStorage(
    Math.min(positive(opts.max, 'max', 0), MAX_ENTRIES),
    positive(opts.maxBytes, 'maxBytes', 0)
  )
  this._shapes = new Map()
  this._lastShape = null
  this._sweeper = null
  if (checkPeriod > 0) {
    this._sweeper = setInterval(sweep, checkPeriod, this._storage)
    this._sweeper.unref()
    sweepers.register(this, this._sweeper, this)
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
  native.storageSweep(storage)
}

// Callbacks are optional and always called on a later tick.
function reply (callback, err, value) {
  if (callback) setImmediate(callback, err, value)
}

function checkId (sessionId) {
  if (typeof sessionId !== 'string') throw new TypeError('session ID must be a string')
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
  var flat = native.storageAll(this._storage)
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
  var flat = native.storageAll(this._storage)
  var list = []
  for (var i = 0; i < flat.length; i += 2) list.push(flat[i])
  reply(callback, null, list)
}

MemoryStore.prototype.clear = function clear (callback) {
  native.storageClear(this._storage)
  reply(callback)
}

MemoryStore.prototype.destroy = function destroy (sessionId, callback) {
  var err = null
  try {
    checkId(sessionId)
    scratch.put(0, scratch.HEADER_BYTES, sessionId)
    native.storageDestroy(this._storage)
  } catch (e) {
    err = e
  }
  reply(callback, err)
}

MemoryStore.prototype.get = function get (sessionId, callback) {
  var session
  try {
    checkId(sessionId)
    scratch.put(0, scratch.HEADER_BYTES, sessionId)
    var json = native.storageGet(this._storage)
    if (json !== null) session = JSON.parse(json)
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
  reply(callback, null, native.storageCount(this._storage))
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
// directly (no extra event-loop turn) while get/set/touch/createSession are
// the classes' own; they throw instead of calling back.

/**
 * get() and createSession() in one step: makes req.session from the stored
 * session req.sessionID. Returns null when there is none, else what the
 * middleware compares and touches with: the session's dataJson() as stored,
 * and the shape of its cookie (null when it has none usable).
 *
 * A cookie stored as a template is built from its shape and expiry, without
 * parsing its JSON; the result is the Cookie createSession() would make.
 */
MemoryStore.prototype.loadSync = function loadSync (req) {
  checkId(req.sessionID)
  scratch.put(0, scratch.HEADER_BYTES, req.sessionID)
  var json = native.storageLoad(this._storage)
  if (json === null) return null

  var templateId = scratch.result(1)
  if (templateId < 0) {
    return createSession(this, req, JSON.parse(json), '{' + json.slice(scratch.result(0)), null)
  }
  var expires = scratch.result(0)
  var shape = shapeOf(this, templateId)
  if (!shape.usable) {
    return createSession(this, req, JSON.parse(withCookie(shape.json(expires), json)), json, null)
  }
  var session = new Session(req)
  session.cookie = shape.build(expires)
  var complete = assignData(session, JSON.parse(json))
  req.session = session
  return new Loaded(complete ? json : dataJson(session), shape)
}

function Loaded (data, shape) {
  this.data = data
  this.shape = shape
}

function createSession (store, req, stored, data, shape) {
  var keys = Object.keys(stored).length
  store.createSession(req, stored)
  // Session leaves out stored keys that would shadow its methods.
  var complete = Object.keys(req.session).length === keys
  return new Loaded(complete ? data : dataJson(req.session), shape)
}

// The session JSON of a cookie JSON and a data JSON, cookie first.
function withCookie (cookie, data) {
  return '{"cookie":' + cookie + (data === '{}' ? '}' : ',' + data.slice(1))
}

// What the store knows of cookie template `id`, learned once.
function shapeOf (store, id) {
  var shape = store._shapes.get(id)
  if (shape) return shape
  var text = native.storageTemplate(store._storage, id)
  if (text === null) throw new Error('MemoryStore lost a cookie template it was reading')
  if (store._shapes.size >= MAX_SHAPES) store._shapes.clear()
  shape = new CookieShape(id, text, scratch.result(0))
  store._shapes.set(id, shape)
  return shape
}

/**
 * Stores a session whose dataJson() is already known. `shape` is the cookie
 * shape the session was loaded with, if any; failing that the shape of the
 * last cookie written is tried, which fits new sessions of one middleware.
 * While one fits, the cookie is stored by template without being rendered.
 */
MemoryStore.prototype.writeSync = function writeSync (sessionId, session, data, shape) {
  checkId(sessionId)
  var fit = shape || this._lastShape
  var expires = fit ? fit.expiryOf(session.cookie) : NaN
  if (expires === expires) {
    scratch.put(1, scratch.put(0, scratch.HEADER_BYTES, sessionId), data)
    scratch.number(2, fit.id)
    scratch.number(3, expires)
    if (native.storageSetTemplate(this._storage)) return
  }
  var cookie = cookieJson(session.cookie)
  expires = expiryOf(this, session)
  var offset = scratch.put(0, scratch.HEADER_BYTES, sessionId)
  offset = scratch.put(1, offset, cookie)
  scratch.put(2, offset, data)
  scratch.number(3, expires)
  native.storageSet(this._storage)
  var templateId = scratch.result(0)
  if (templateId >= 0) this._lastShape = shapeOf(this, templateId)
}

/** Replaces a stored session's cookie and expiry; `shape` as for writeSync. */
MemoryStore.prototype.touchSync = function touchSync (sessionId, session, shape) {
  checkId(sessionId)
  var fit = shape || this._lastShape
  var expires = fit ? fit.expiryOf(session.cookie) : NaN
  if (expires === expires) {
    scratch.put(0, scratch.HEADER_BYTES, sessionId)
    scratch.number(1, fit.id)
    scratch.number(2, expires)
    if (native.storageTouchTemplate(this._storage) !== null) return
  }
  var cookie = cookieJson(session.cookie)
  expires = expiryOf(this, session)
  scratch.put(1, scratch.put(0, scratch.HEADER_BYTES, sessionId), cookie)
  scratch.number(2, expires)
  native.storageTouch(this._storage)
}

/**
 * What the store holds right now, without sweeping or reading anything:
 * { sessions, bytes } (bytes of IDs and JSON; expired sessions count until
 * the next sweep).
 */
MemoryStore.prototype.usage = function usage () {
  var usage = native.storageUsage(this._storage)
  return { sessions: usage[0], bytes: usage[1] }
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
