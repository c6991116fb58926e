'use strict'

// What this package's stores offer the middleware beyond the Store API,
// once per class on its prototype. The middleware uses it only while an
// instance's get/set/touch and createSession are still the classes' own
// (users and tests replace them on the instance, and must then be called).
//
// - A synchronous core (the MemoryStore, the SqliteStore): the middleware
//   reads and writes the store with no extra turn of the event loop per
//   request, and the response goes out in one write.
// - An atomic merge (every store here; for a store with a synchronous core,
//   its transact()): how concurrency: 'merge' saves (merge-save.js).
// - For an asynchronous store, whether a touch would change anything.
//
// A core has:
// - load(store, req): makes req.session from the stored session
//   req.sessionID and returns { data, template } (its dataJson() as
//   stored; template: whatever the core's write and touch take back, or
//   null), or null when there is none.
// - write(store, id, session, data, template): stores a session whose
//   dataJson() is `data`.
// - touch(store, id, session, template): stores its cookie and expiry;
//   false when the store does not have it.
// - transact(store, id, changes, session, template): one atomic step that
//   reads the stored data JSON of `id` and writes change.applyTo(thatJson)
//   instead (session-changes.js); false, writing nothing, when the store
//   does not have it.
//
// An atomic merge is merge(store, id, changes, session, template, done): it
// applies `changes` (session-changes.js) and `session`'s cookie to the
// stored session `id` in one atomic step, then calls done(err, written);
// written is false, and nothing written, when the store does not have it.
//
// A store without a synchronous core may also offer touched(store, id,
// session): true when the store already holds the expiry a touch of
// `session` would set (within its precision), so the middleware skips the
// touch and the response goes out at once, in one write.

var Store = require('../session/store')

var OFFERED = Symbol('express-session-rs store offer')

/**
 * Offers `core` as the synchronous core of the instances of `Class`, and
 * its transact() as their atomic merge.
 */
function offer (Class, core) {
  define(Class, core, function merge (store, id, changes, session, template, done) {
    var written
    try {
      written = core.transact(store, id, changes, session, template)
    } catch (err) {
      done(err, false)
      return
    }
    done(null, written)
  }, null)
}

/**
 * Offers what an asynchronous store class has: `merge`, its atomic merge,
 * and `touched` (or null).
 */
function offerAsync (Class, merge, touched) {
  define(Class, null, merge, touched)
}

function define (Class, core, merge, touched) {
  Object.defineProperty(Class.prototype, OFFERED, {
    value: { proto: Class.prototype, core: core, merge: merge, touched: touched }
  })
}

// What `store` offers while its methods are its class's, or null.
function offeredBy (store) {
  var offered = store[OFFERED]
  if (!offered) return null
  var proto = offered.proto
  return store.get === proto.get && store.set === proto.set && store.touch === proto.touch &&
    store.createSession === Store.prototype.createSession
    ? offered
    : null
}

/**
 * The synchronous core of `store`, or null.
 */
function coreOf (store) {
  var offered = offeredBy(store)
  return offered && offered.core
}

/**
 * The atomic merge of `store`, or null.
 */
function mergeOf (store) {
  var offered = offeredBy(store)
  return offered && offered.merge
}

/**
 * What tells whether `store` already holds a touch's expiry, or null.
 */
function touchedOf (store) {
  var offered = offeredBy(store)
  return offered && offered.touched
}

module.exports.coreOf = coreOf
module.exports.mergeOf = mergeOf
module.exports.offer = offer
module.exports.offerAsync = offerAsync
module.exports.touchedOf = touchedOf
