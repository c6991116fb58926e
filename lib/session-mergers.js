'use strict'

// With concurrency: 'merge', the request that loaded a session saves it by
// merging (see merge-save.js), explicit save() calls included: each such
// session is mapped here to its request's state, beside the session rather
// than on it, so nothing appears in its keys or its JSON.
var mergers = new WeakMap()

/** Makes `merger.saveMerged(sess, done)` the way `sess` is saved. */
function register (sess, merger) {
  mergers.set(sess, merger)
}

/** What saves `sess` by merging, or undefined. */
function mergerOf (sess) {
  return mergers.get(sess)
}

/** Lets `to` (a reloaded copy) be saved the way `from` is. */
function carry (from, to) {
  var merger = mergers.get(from)
  if (merger !== undefined) mergers.set(to, merger)
}

module.exports.carry = carry
module.exports.mergerOf = mergerOf
module.exports.register = register
