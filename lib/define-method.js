'use strict'

module.exports = defineMethod

/**
 * Defines a method the way express-session's are: writable and configurable
 * but not enumerable, so it stays out of for-in, Object.keys and JSON.
 */
function defineMethod (obj, name, fn) {
  Object.defineProperty(obj, name, {
    configurable: true,
    enumerable: false,
    value: fn,
    writable: true
  })
}
