'use strict'

// concurrency: 'merge'. A loaded session is not written back whole: the
// top-level keys this request added, changed (by the JSON of that key, so
// in-place changes of nested objects count) or deleted are applied to the
// store's current version of the session, and that is saved. Two requests
// changing one key: the last one wins for that key (never a deep merge).
// A session the store no longer has (destroyed, regenerated) is not
// written back.

var storeCall = require('./store-call')

var hasOwn = Object.prototype.hasOwnProperty

/**
 * Saves `sess`, loaded as `loadedJson` and now `nowJson` (its dataJson()
 * then and now), by merging. Calls `done(err, written)`; `written` is
 * false when the store no longer has the session. With a store this
 * package writes synchronously (direct-store.js: its MemoryStore, its
 * SqliteStore) the read, the merge and the write are one atomic step (for
 * the SqliteStore, one write transaction: atomic across processes too),
 * `done` is called before this returns, and when nobody changed the session
 * meanwhile, `nowJson` is stored as it is. With any other store it is a
 * get, then a set, queued behind other merges of the session in this
 * process.
 */
function mergeSave (settings, sess, loadedJson, nowJson, template, done) {
  var store = settings.store
  var core = settings.directCore()
  if (core) {
    var written
    try {
      written = core.transact(store, sess.id, function (stored) {
        return stored === loadedJson ? nowJson : JSON.stringify(merge(JSON.parse(stored), loadedJson, nowJson))
      }, sess, template)
    } catch (err) {
      done(err, false)
      return
    }
    done(null, written)
    return
  }
  var cookie = sess.cookie
  inTurn(store, sess.id, function (next) {
    function finish (err, written) {
      next()
      done(err, written)
    }
    storeCall.invoke(store.get, store, [sess.id], settings.storeTimeout, function (err, current) {
      if (err && err.code !== 'ENOENT') return finish(err, false)
      if (err || !current) return finish(null, false)
      var merged
      try {
        merged = merge(current, loadedJson, nowJson)
      } catch (e) {
        return finish(e, false)
      }
      merged.cookie = cookie
      storeCall.invoke(store.set, store, [sess.id, merged], settings.storeTimeout, function (err) {
        finish(err, !err)
      })
    })
  })
}

// Merges of one session through one store run one after another, so that
// within this process no get-then-set interleaves with another for the
// same session; other processes sharing the store still can, for the time
// of one round trip. An entry lives only while merges for it are queued.
var queues = new WeakMap()

function inTurn (store, id, job) {
  var byId = queues.get(store)
  if (!byId) {
    byId = new Map()
    queues.set(store, byId)
  }
  var queue = byId.get(id)
  if (queue) {
    queue.push(job)
    return
  }
  queue = [job]
  byId.set(id, queue)
  run()

  function run () {
    queue[0](function next () {
      queue.shift()
      if (queue.length) run()
      else byId.delete(id)
    })
  }
}

// The store's version `current` with the top-level keys that differ
// between the data JSON loaded and now (by the JSON of each key) set to
// their value now, or deleted.
function merge (current, loadedJson, nowJson) {
  var loaded = JSON.parse(loadedJson)
  var now = JSON.parse(nowJson)
  var key
  for (key in now) {
    if (hasOwn.call(now, key) && JSON.stringify(now[key]) !== JSON.stringify(hasOwn.call(loaded, key) ? loaded[key] : undefined)) {
      // defineProperty: a key named __proto__ stays a key.
      Object.defineProperty(current, key, { value: now[key], enumerable: true, writable: true, configurable: true })
    }
  }
  for (key in loaded) {
    if (hasOwn.call(loaded, key) && !hasOwn.call(now, key)) delete current[key]
  }
  return current
}

module.exports = mergeSave
