'use strict'

var dataJson = require('./data-json')

// What each session held at its last explicit save(), as dataJson() gives
// it, so the middleware does not save an unchanged session a second time.
// Kept beside the session rather than on it or on the request: nothing
// appears in its keys, its JSON or copies of it.
var saved = new WeakMap()

/**
 * Records that `sess` is being saved as it is now. A session that cannot be
 * serialized is not recorded; the store reports the error.
 */
function record (sess) {
  try {
    saved.set(sess, dataJson(sess))
  } catch (err) {
    saved.delete(sess)
  }
}

/**
 * The dataJson() of `sess` at its last recorded save, or undefined.
 */
function lookup (sess) {
  return saved.get(sess)
}

/**
 * Lets `to` (a reloaded copy) count as saved the way `from` was.
 */
function carry (from, to) {
  var json = saved.get(from)
  if (json !== undefined) saved.set(to, json)
}

module.exports.carry = carry
module.exports.lookup = lookup
module.exports.record = record
