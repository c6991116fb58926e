'use strict'

var debug = require('debug')('express-session')
var defineMethod = require('../lib/define-method')
var savedData = require('../lib/saved-data')
var assignData = require('../lib/assign-data')

module.exports = Session

/**
 * A request's session: the user's data plus `cookie`, with non-enumerable,
 * read-only `id` and `req`. Stored keys that would shadow a method (or
 * anything else the object already has) are not copied.
 */
function Session (req, data) {
  Object.defineProperty(this, 'req', { value: req })
  Object.defineProperty(this, 'id', { value: req.sessionID })

  if (typeof data === 'object' && data !== null) assignData(this, data)
}

defineMethod(Session.prototype, 'touch', function touch () {
  return this.resetMaxAge()
})

defineMethod(Session.prototype, 'resetMaxAge', function resetMaxAge () {
  this.cookie.maxAge = this.cookie.originalMaxAge
  return this
})

defineMethod(Session.prototype, 'save', function save (fn) {
  debug('saving %s', this.id)
  savedData.record(this)
  this.req.sessionStore.set(this.id, this, fn || function () {})
  return this
})

// Replaces req.session with the stored copy; an error when it is gone.
defineMethod(Session.prototype, 'reload', function reload (fn) {
  var req = this.req
  var store = this.req.sessionStore
  var previous = this

  store.get(this.id, function (err, sess) {
    if (err) return fn(err)
    if (!sess) return fn(new Error('failed to load session'))
    store.createSession(req, sess)
    savedData.carry(previous, req.session)
    fn()
  })
  return this
})

defineMethod(Session.prototype, 'destroy', function destroy (fn) {
  delete this.req.session
  this.req.sessionStore.destroy(this.id, fn)
  return this
})

defineMethod(Session.prototype, 'regenerate', function regenerate (fn) {
  this.req.sessionStore.regenerate(this.req, fn)
  return this
})
