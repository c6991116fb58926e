'use strict'

// With concurrency: 'merge', the request that loaded a session saves it by
// merging (see merge-save.js), explicit save() calls included. The request's
// state hangs on the session under a symbol, non-enumerable: it stays out of
// the session's keys, its JSON and copies of it (a WeakMap would cost every
// request far more, in the collector's ephemeron work).
var MERGER = Symbol('express-session-rs merger')

/** Makes `merger.saveMerged(sess, done)` the way `sess` is saved. */
function register (sess, merger) {
  Object.defineProperty(sess, MERGER, { value: merger, configurable: true })
}

/** What saves `sess` by merging, or undefined. */
function mergerOf (sess) {
  return sess[MERGER]
}

/** Lets `to` (a reloaded copy) be saved the way `from` is. */
function carry (from, to) {
  var merger = from[MERGER]
  if (merger !== undefined) register(to, merger)
}

module.exports.carry = carry
module.exports.mergerOf = mergerOf
module.exports.register = register
