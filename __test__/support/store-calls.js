'use strict'

// Calling this package's callback stores from tests.

/**
 * store[method](...args, callback) as a promise; rejects when the store
 * calls back synchronously (our stores always answer on a later tick).
 */
function call (store, method) {
  var args = Array.prototype.slice.call(arguments, 2)
  return new Promise(function (resolve, reject) {
    var sync = true
    store[method].apply(store, args.concat(function (err, value) {
      if (sync) return reject(new Error(method + ' called back synchronously'))
      return err ? reject(err) : resolve(value)
    }))
    sync = false
  })
}

/**
 * A stored session whose cookie expires `ms` from now, with `data`.
 */
function sessionExpiringIn (ms, data) {
  return Object.assign({ cookie: { originalMaxAge: ms, expires: new Date(Date.now() + ms), httpOnly: true, path: '/' } }, data)
}

module.exports.call = call
module.exports.sessionExpiringIn = sessionExpiringIn
