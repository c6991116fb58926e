'use strict'

module.exports = assignData

/**
 * Copies the keys of stored `data` onto session `sess`, except those that
 * would shadow what it already has (its methods, `req`, `id`); returns
 * whether every key was copied.
 */
function assignData (sess, data) {
  var complete = true
  for (var prop in data) {
    if (prop in sess) complete = false
    else sess[prop] = data[prop]
  }
  return complete
}
