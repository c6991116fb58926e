'use strict'

// concurrency: 'merge'. A loaded session is not written back whole: the
// top-level keys this request added, changed (by the JSON of that key, so
// in-place changes of nested objects count) or deleted are applied to the
// store's current version of the session, and that is saved. Two requests
// changing one key: the last one wins for that key (never a deep merge).
// A session the store no longer has (destroyed, regenerated) is not
// written back.

var dataJson = require('./data-json')
var ownStore = require('./own-memory-store')
var storeCall = require('./store-call')

var hasOwn = Object.prototype.hasOwnProperty

/**
 * Saves `sess`, loaded as `loadedJson` (its dataJson() then), by merging.
 * Calls `done(err, written)`; `written` is false when the store no longer
 * has the session. With this package's own MemoryStore the read, the merge
 * and the write happen in one synchronous step (nothing can interleave) and
 * `done` is called before this returns; with any other store it is a get,
 * then a set, queued behind other merges of the session in this process.
 * Throws what JSON.stringify throws.
 */
function mergeSave (settings, sess, loadedJson, template, done) {
  var changes = changedKeys(loadedJson, sess)
  var store = settings.store
  if (settings.isOwnMemoryStore()) {
    var written = false
    try {
      var json = ownStore.read(store, sess.id)
      if (json !== null) {
        var merged = applyChanges(JSON.parse(json), sess, changes)
        ownStore.write(store, sess.id, merged, dataJson(merged), template)
        written = true
      }
    } catch (err) {
      done(err, false)
      return
    }
    done(null, written)
    return
  }
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
        merged = applyChanges(current, sess, changes)
      } catch (e) {
        return finish(e, false)
      }
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

// The top-level keys (but `cookie`) whose JSON differs between what was
// loaded and `sess` now, deleted keys included.
function changedKeys (loadedJson, sess) {
  var loaded = JSON.parse(loadedJson)
  var changes = []
  var key
  for (key in sess) {
    if (key !== 'cookie' && hasOwn.call(sess, key) &&
      JSON.stringify(sess[key]) !== JSON.stringify(hasOwn.call(loaded, key) ? loaded[key] : undefined)) {
      changes.push(key)
    }
  }
  for (key in loaded) {
    if (hasOwn.call(loaded, key) && !hasOwn.call(sess, key)) changes.push(key)
  }
  return changes
}

// The store's version `current` with this request's changes and cookie.
function applyChanges (current, sess, changes) {
  for (var i = 0; i < changes.length; i++) {
    var key = changes[i]
    if (hasOwn.call(sess, key)) {
      // defineProperty: a key named __proto__ stays a key.
      Object.defineProperty(current, key, { value: sess[key], enumerable: true, writable: true, configurable: true })
    } else {
      delete current[key]
    }
  }
  current.cookie = sess.cookie
  return current
}

module.exports = mergeSave
