'use strict'

// concurrency: 'merge'. A loaded session is not written back whole: the
// top-level keys this request added, changed or deleted (session-changes.js)
// are applied to the store's current version of the session, and that is
// saved. Two requests changing one key: the last one wins for that key
// (never a deep merge). A session the store no longer has (destroyed,
// regenerated) is not written back.

var directStore = require('./direct-store')
var SessionChanges = require('./session-changes')
var storeCall = require('./store-call')

/**
 * Saves `sess`, loaded as `loadedJson` and now `nowJson` (its dataJson()
 * then and now), by merging. Calls `done(err, written)`; `written` is
 * false when the store no longer has the session. A store that offers an
 * atomic merge (direct-store.js: this package's MemoryStore, SqliteStore
 * and RedisStore) reads, merges and writes in one atomic step, across
 * processes for the SqliteStore and the RedisStore. With any other store it
 * is a get, then a set, queued behind other merges of the session in this
 * process.
 */
function mergeSave (settings, sess, loadedJson, nowJson, template, done) {
  var store = settings.store
  var changes = new SessionChanges(loadedJson, nowJson)
  var atomicMerge = directStore.mergeOf(store)
  if (atomicMerge) {
    atomicMerge(store, sess.id, changes, sess, template, done)
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
        merged = changes.applyToObject(current)
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

module.exports = mergeSave
