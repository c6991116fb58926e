'use strict'

var debug = require('debug')('express-session')
var util = require('util')
var Store = require('../session/store')
var cookieJson = require('../lib/cookie-json')
var directStore = require('../lib/direct-store')
var RecentExpiries = require('../lib/recent-expiries')
var RedisClient = require('../lib/redis-client')
var runSave = require('../lib/redis-save-script')
var storedSession = require('../lib/stored-session')
var storeOptions = require('../lib/store-options')

var nonNegative = storeOptions.nonNegative
var pairs = RedisClient.pairs

var hasOwn = Object.prototype.hasOwnProperty

module.exports = RedisStore

var DAY_SECONDS = 24 * 60 * 60
// The IDs of sessions this process loaded from connect-redis's layout, kept
// to delete that key once the session is saved as a hash; past this many,
// the set starts over (the old key then lives on, unread, until its TTL).
var LEGACY_IDS = 10000
// A touch that would move a key's expiry by less than this many ms is not
// sent (connect-redis's TTLs are whole seconds).
var TOUCH_PRECISION = 1000
// A merge that finds connect-redis's key converts it, unless another
// process converts it first; then it merges again, this many times at most.
var MERGE_ATTEMPTS = 3

/**
 * A store whose sessions live in Redis, shared by every process and server
 * using it, with the app's own client: node-redis v4 to v6 (createClient()
 * or createCluster()) or ioredis v5 or v6 (Redis or Cluster).
 *
 * Each session is a hash at `<prefix>{<id>}` (the braces keep it on one
 * slot of a cluster): one field per top-level key holding that key's JSON,
 * and a `cookie` field. A save is one Lua script, so concurrency: 'merge'
 * is atomic across processes, and a destroyed session is never written
 * back. Sessions connect-redis wrote under the same prefix are read, and
 * become hashes when next saved.
 *
 * Options, named as connect-redis names them:
 * - client: the connected client (required)
 * - prefix: the start of every key ('sess:')
 * - ttl: seconds to keep sessions whose cookie has no expiry, or a
 *   function(session) giving them (one day); a session's key never
 *   outlives its cookie
 * - scanCount: the COUNT of the SCANs of all(), ids(), length() and clear()
 *   (100)
 * - disableTouch: touch() does nothing (false)
 * And:
 * - timeout: ms to wait for each reply before failing with an error (2000;
 *   0: forever), so requests get an error through next(err) while Redis is
 *   down, never a hang
 */
function RedisStore (options) {
  Store.call(this)
  var opts = options || {}
  if (opts.disableTTL) {
    throw new TypeError('RedisStore gives every session a TTL: option disableTTL is not supported')
  }
  if (opts.serializer) {
    throw new TypeError('RedisStore stores each key as JSON: option serializer is not supported')
  }
  var ttl = opts.ttl === undefined || opts.ttl === null ? DAY_SECONDS : opts.ttl
  if (typeof ttl !== 'function') ttl = nonNegative('RedisStore', { ttl: ttl }, 'ttl', DAY_SECONDS)
  var timeout = nonNegative('RedisStore', opts, 'timeout', 2000)
  this.client = opts.client
  this.prefix = opts.prefix === undefined || opts.prefix === null ? 'sess:' : String(opts.prefix)
  this.ttl = ttl
  this.scanCount = nonNegative('RedisStore', opts, 'scanCount', 100) || 100
  this.disableTouch = Boolean(opts.disableTouch)
  this._redis = new RedisClient(opts.client, timeout)
  this._legacyIds = new Set()
  // The expiries this process set lately (see touched()).
  this._expiries = new RecentExpiries(TOUCH_PRECISION)
}

util.inherits(RedisStore, Store)
directStore.offerAsync(RedisStore, merge, touched)

RedisStore.prototype.get = function get (sessionId, callback) {
  load(this, sessionId, function (err, session) {
    answer(callback, err, session)
  })
}

RedisStore.prototype.set = function set (sessionId, session, callback) {
  var store = this
  var fields
  var ttl
  try {
    checkId(sessionId)
    fields = sessionFields(session)
    ttl = ttlOf(this, session)
  } catch (err) {
    answer(callback, err)
    return
  }
  var expiry = Date.now() + ttl
  runSave(this._redis, keyOf(this, sessionId), 'replace', ttl, fields, [], function (err) {
    if (err) return answer(callback, err)
    store._expiries.record(sessionId, expiry)
    dropLegacy(store, sessionId, callback)
  })
}

/**
 * Renews a stored session's TTL from its cookie (PEXPIRE), leaving its
 * fields alone; not sent when this process set an expiry less than a
 * second from the new one within the last second or so.
 */
RedisStore.prototype.touch = function touch (sessionId, session, callback) {
  if (this.disableTouch) {
    answer(callback, null)
    return
  }
  var store = this
  var ttl
  try {
    checkId(sessionId)
    ttl = ttlOf(this, session)
  } catch (err) {
    answer(callback, err)
    return
  }
  var expiry = Date.now() + ttl
  if (this._expiries.holds(sessionId, expiry)) {
    answer(callback, null)
    return
  }
  var key = keyOf(this, sessionId)
  this._redis.command(key, ['PEXPIRE', key, String(ttl)], function (err, touched) {
    if (err) return answer(callback, err)
    store._expiries.record(sessionId, expiry)
    if (Number(touched) === 1) return answer(callback, null)
    // A session connect-redis wrote, not saved here yet.
    var legacyKey = store.prefix + sessionId
    store._redis.command(legacyKey, ['PEXPIRE', legacyKey, String(ttl)], function (err) {
      answer(callback, err)
    })
  })
}

RedisStore.prototype.destroy = function destroy (sessionId, callback) {
  try {
    checkId(sessionId)
  } catch (err) {
    answer(callback, err)
    return
  }
  this._legacyIds.delete(sessionId)
  this._expiries.forget(sessionId)
  // Two keys, two commands: in a cluster they live on different slots.
  var key = keyOf(this, sessionId)
  var legacyKey = this.prefix + sessionId
  Promise.all([ask(this._redis, key, ['UNLINK', key]), ask(this._redis, legacyKey, ['UNLINK', legacyKey])]).then(function () {
    answer(callback, null)
  }, function (err) {
    answer(callback, err)
  })
}

/**
 * Every session, as { sessionId: session }.
 */
RedisStore.prototype.all = function all (callback) {
  var store = this
  var sessions = Object.create(null)
  sessionIds(this).then(function (ids) {
    return Promise.all(ids.map(function (sessionId) {
      return new Promise(function (resolve, reject) {
        load(store, sessionId, function (err, session) {
          if (err) return reject(err)
          if (session) sessions[sessionId] = session
          resolve()
        })
      })
    }))
  }).then(function () {
    answer(callback, null, sessions)
  }, function (err) {
    answer(callback, err)
  })
}

/**
 * The IDs of every session.
 */
RedisStore.prototype.ids = function ids (callback) {
  sessionIds(this).then(function (list) {
    answer(callback, null, list)
  }, function (err) {
    answer(callback, err)
  })
}

RedisStore.prototype.length = function length (callback) {
  sessionIds(this).then(function (list) {
    answer(callback, null, list.length)
  }, function (err) {
    answer(callback, err)
  })
}

/**
 * Deletes every session under the prefix, one key at a time.
 */
RedisStore.prototype.clear = function clear (callback) {
  var redis = this._redis
  var deletions = []
  this._legacyIds.clear()
  this._expiries.clear()
  scanKeys(this, function (key) {
    deletions.push(ask(redis, key, ['UNLINK', key]))
  }).then(function () {
    return Promise.all(deletions)
  }).then(function () {
    answer(callback, null)
  }, function (err) {
    answer(callback, err)
  })
}

// Callbacks are called on the next tick, outside any promise reaction: what
// they throw is thrown, not a rejection.
function answer (callback, err, value) {
  if (callback) process.nextTick(callback, err, value)
}

// A command as a promise, for the store's rarer operations.
function ask (redis, key, args) {
  return new Promise(function (resolve, reject) {
    redis.command(key, args, function (err, reply) {
      if (err) reject(err)
      else resolve(reply)
    })
  })
}

// Redis keys are bytes: an ID UTF-8 cannot carry (a lone surrogate) would
// share its key with other IDs.
function checkId (sessionId) {
  storedSession.checkId(sessionId)
  if (!sessionId.isWellFormed()) throw new TypeError('RedisStore: a session ID must be well-formed Unicode')
}

function keyOf (store, sessionId) {
  return store.prefix + '{' + sessionId + '}'
}

/**
 * The key's TTL in ms: until the cookie expires, or the store's ttl for a
 * cookie without an expiry.
 */
function ttlOf (store, session) {
  var expires = session && session.cookie && session.cookie.expires
  var time = expires ? new Date(expires).valueOf() : NaN
  if (!Number.isNaN(time)) return Math.ceil(time - Date.now())
  var seconds = typeof store.ttl === 'function' ? store.ttl(session) : store.ttl
  if (typeof seconds !== 'number' || !(seconds >= 0)) {
    throw new TypeError('RedisStore option ttl must give a non-negative number of seconds')
  }
  return Math.ceil(seconds * 1000)
}

/**
 * A session as a flat list of hash fields and values: the cookie's JSON,
 * then each other own enumerable key with its JSON (keys whose value JSON
 * skips are left out, as in the session's JSON).
 */
function sessionFields (session) {
  var fields = []
  var cookie = cookieJson(session.cookie)
  if (cookie !== '') fields.push('cookie', cookie)
  for (var key in session) {
    if (key === 'cookie' || !hasOwn.call(session, key)) continue
    var json = JSON.stringify(session[key])
    if (json !== undefined) fields.push(key, json)
  }
  return fields
}

/**
 * The session a hash holds (its field and value list), cookie first.
 */
function sessionOf (list) {
  var session = {}
  var i
  for (i = 0; i < list.length; i += 2) {
    if (String(list[i]) === 'cookie') session.cookie = parseField('cookie', list[i + 1])
  }
  for (i = 0; i < list.length; i += 2) {
    var field = String(list[i])
    if (field === 'cookie') continue
    // defineProperty: a key named __proto__ stays a key.
    if (field === '__proto__') Object.defineProperty(session, field, { value: parseField(field, list[i + 1]), enumerable: true, writable: true, configurable: true })
    else session[field] = parseField(field, list[i + 1])
  }
  return session
}

function parseField (field, value) {
  try {
    return JSON.parse(value)
  } catch (err) {
    throw new Error('RedisStore: the stored session field ' + JSON.stringify(field) + ' is not JSON')
  }
}

// The stored session, from its hash or else from connect-redis's key, to
// `done(err, session)`; undefined when there is neither.
function load (store, sessionId, done) {
  try {
    checkId(sessionId)
  } catch (err) {
    done(err)
    return
  }
  var key = keyOf(store, sessionId)
  store._redis.command(key, ['HGETALL', key], function (err, hash) {
    if (err) return done(err)
    var session
    try {
      var list = pairs(hash)
      if (list.length) session = sessionOf(list)
    } catch (e) {
      return done(e)
    }
    if (session) return done(null, session)
    loadLegacy(store, sessionId, function (err, legacy) {
      if (legacy) rememberLegacy(store, sessionId)
      done(err, legacy)
    })
  })
}

// What connect-redis stored for `sessionId` (a JSON string), or undefined.
function loadLegacy (store, sessionId, done) {
  var legacyKey = store.prefix + sessionId
  store._redis.command(legacyKey, ['GET', legacyKey], function (err, raw) {
    if (err || raw === null || raw === undefined) return done(err)
    var session
    try {
      session = JSON.parse(raw)
    } catch (e) {
      return done(new Error('RedisStore: the session stored under the prefix in connect-redis\'s layout is not JSON'))
    }
    done(null, session)
  })
}

function rememberLegacy (store, sessionId) {
  debug('session %s is in connect-redis\'s layout', sessionId)
  if (store._legacyIds.size >= LEGACY_IDS) store._legacyIds.clear()
  store._legacyIds.add(sessionId)
}

// Once a session loaded from connect-redis's key is saved as a hash, that
// key goes; then `callback`.
function dropLegacy (store, sessionId, callback) {
  if (!store._legacyIds.delete(sessionId)) return answer(callback, null)
  unlinkLegacy(store, sessionId, function (err) {
    answer(callback, err)
  })
}

function unlinkLegacy (store, sessionId, done) {
  var legacyKey = store.prefix + sessionId
  store._redis.command(legacyKey, ['UNLINK', legacyKey], done)
}

function scanKeys (store, onKey) {
  var pattern = store.prefix.replace(/[*?[\]\\]/g, '\\$&') + '*'
  var count = String(store.scanCount)
  return new Promise(function (resolve, reject) {
    store._redis.masters(function (err, masters) {
      if (err) reject(err)
      else resolve(masters)
    })
  }).then(function (masters) {
    return Promise.all(masters.map(function (command) {
      function page (cursor) {
        return new Promise(function (resolve, reject) {
          command(['SCAN', cursor, 'MATCH', pattern, 'COUNT', count], function (err, result) {
            if (err) return reject(err)
            if (!Array.isArray(result) || !Array.isArray(result[1])) return reject(new Error('RedisStore: unreadable SCAN reply from Redis'))
            result[1].forEach(function (key) { onKey(String(key)) })
            var next = String(result[0])
            resolve(next === '0' ? undefined : page(next))
          })
        })
      }
      return page('0')
    }))
  })
}

// The IDs of every session under the prefix, in either layout, once each.
function sessionIds (store) {
  var ids = new Set()
  var prefix = store.prefix
  return scanKeys(store, function (key) {
    var rest = key.slice(prefix.length)
    ids.add(rest.charAt(0) === '{' && rest.charAt(rest.length - 1) === '}' ? rest.slice(1, -1) : rest)
  }).then(function () {
    return Array.from(ids)
  })
}

/**
 * Whether a touch of `session` would send nothing (see touch()); the
 * middleware then ends the response at once (lib/direct-store.js).
 */
function touched (store, sessionId, session) {
  if (store.disableTouch) return true
  var expiry
  try {
    expiry = Date.now() + ttlOf(store, session)
  } catch (err) {
    return false
  }
  return store._expiries.holds(sessionId, expiry)
}

/**
 * The atomic merge (see lib/direct-store.js): the keys `changes` sets and
 * deletes, and the cookie, written in one script that first checks the
 * session's hash still exists.
 */
function merge (store, sessionId, changes, session, template, done) {
  try {
    checkId(sessionId)
    mergeFields(store, sessionId, changes, session, MERGE_ATTEMPTS, done)
  } catch (err) {
    done(err, false)
  }
}

function mergeFields (store, sessionId, changes, session, attempts, done) {
  var fields = changes.fields()
  var set = fields.set
  var cookie = cookieJson(session.cookie)
  if (cookie !== '') set.unshift('cookie', cookie)
  var ttl = ttlOf(store, session)
  var expiry = Date.now() + ttl
  runSave(store._redis, keyOf(store, sessionId), 'merge', ttl, set, fields.deleted, function (err, written) {
    if (written) store._expiries.record(sessionId, expiry)
    if (err || written) return done(err, written)
    convertLegacy(store, sessionId, changes, session, ttl, attempts, done)
  })
}

// A merge that found no hash: if connect-redis's key holds the session, it
// is merged there and written as the hash, unless another process wrote the
// hash meanwhile (then the merge goes to that).
function convertLegacy (store, sessionId, changes, session, ttl, attempts, done) {
  loadLegacy(store, sessionId, function (err, legacy) {
    if (err || !legacy) return done(err, false)
    var fields
    try {
      var merged = changes.applyToObject(legacy)
      merged.cookie = session.cookie
      fields = sessionFields(merged)
    } catch (e) {
      return done(e, false)
    }
    runSave(store._redis, keyOf(store, sessionId), 'create', ttl, fields, [], function (err, created) {
      if (err) return done(err, false)
      if (created) {
        store._legacyIds.delete(sessionId)
        return unlinkLegacy(store, sessionId, function (err) { done(err, !err) })
      }
      if (attempts <= 1) return done(new Error('RedisStore: the session kept changing while being converted from connect-redis\'s layout'), false)
      try {
        mergeFields(store, sessionId, changes, session, attempts - 1, done)
      } catch (e) {
        done(e, false)
      }
    })
  })
}
