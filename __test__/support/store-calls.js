'use strict'

// Calling this package's callback stores from tests.

var assert = require('assert')
var Cookie = require('../../session/cookie')

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

/**
 * Asserts that get() of the stored session `id` gives back `cookie` (as
 * JSON), and that `load`, a synchronous core's (see lib/direct-store.js),
 * makes from it the very session the store's createSession makes from
 * get()'s: same keys in the same order, same values, a Cookie, and the
 * data JSON as stored. Resolves to what load() returned.
 */
async function assertLoadsAsCreated (store, load, id, cookie) {
  var plain = await call(store, 'get', id)
  assert.strictEqual(JSON.stringify(plain.cookie), JSON.stringify(cookie))
  var viaGet = { sessionID: id, sessionStore: store }
  store.createSession(viaGet, plain)
  var viaLoad = { sessionID: id, sessionStore: store }
  var loaded = load(store, viaLoad)
  assert.deepStrictEqual(viaLoad.session, viaGet.session)
  assert.deepStrictEqual(Object.keys(viaLoad.session), Object.keys(viaGet.session))
  assert.deepStrictEqual(Object.keys(viaLoad.session.cookie), Object.keys(viaGet.session.cookie))
  assert.strictEqual(Object.getPrototypeOf(viaLoad.session.cookie), Cookie.prototype)
  assert.strictEqual(JSON.stringify(viaLoad.session), JSON.stringify(viaGet.session))
  // The data JSON as stored; a shadowing key makes it be recomputed.
  assert.strictEqual(loaded.data, JSON.stringify(Object.assign({}, viaGet.session, { cookie: undefined })))
  return loaded
}

module.exports.assertLoadsAsCreated = assertLoadsAsCreated
module.exports.call = call
module.exports.sessionExpiringIn = sessionExpiringIn
