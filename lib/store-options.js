'use strict'

// What this package's callback stores share: their numeric options, and
// callbacks that are optional and always called on a later tick.

/**
 * Option `name` of store `storeName`: a non-negative number, or `fallback`
 * when undefined or null; a TypeError otherwise.
 */
function nonNegative (storeName, options, name, fallback) {
  var value = options[name]
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new TypeError(storeName + ' option ' + name + ' must be a non-negative number')
  }
  return value
}

function reply (callback, err, value) {
  if (callback) setImmediate(callback, err, value)
}

module.exports.nonNegative = nonNegative
module.exports.reply = reply
