'use strict'

// Stores this package reads and writes synchronously from the middleware:
// no extra turn of the event loop per request, and the response in one
// write. A store class offers its synchronous core once, on its prototype;
// the middleware uses it only while an instance's get/set/touch and
// createSession are still the classes' own (users and tests replace them
// on the instance, and must then be called).
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
// - transact(store, id, change, session, template): one atomic step that
//   reads the stored data JSON of `id` and writes change(thatJson) instead;
//   false, writing nothing, when the store does not have it.

var Store = require('../session/store')

var CORE = Symbol('express-session-rs synchronous store core')

/**
 * Offers `core` as the synchronous core of the instances of `Class`.
 */
function offer (Class, core) {
  Object.defineProperty(Class.prototype, CORE, { value: { proto: Class.prototype, core: core } })
}

/**
 * The synchronous core of `store`, or null.
 */
function coreOf (store) {
  var offered = store[CORE]
  if (!offered) return null
  var proto = offered.proto
  return store.get === proto.get && store.set === proto.set && store.touch === proto.touch &&
    store.createSession === Store.prototype.createSession
    ? offered.core
    : null
}

module.exports.coreOf = coreOf
module.exports.offer = offer
