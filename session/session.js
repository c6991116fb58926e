'use strict'

var debug = require('debug')('express-session')
var defineMethod = require('../lib/define-method')
var savedData = require('../lib/saved-data')
var assignData = require('../lib/assign-data')
var settleWith = require('../lib/lazy-result').settleWith
var sessionMergers = require('../lib/session-mergers')
var destroyedSessions = require('../lib/destroyed-sessions')

var hasOwn = Object.prototype.hasOwnProperty

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

// Each method takes a callback and returns the session, as in
// express-session; called without one it returns a LazyResult instead.

defineMethod(Session.prototype, 'save', function save (fn) {
  debug('saving %s', this.id)
  savedData.record(this)
  var store = this.req.sessionStore
  var sess = this
  var merger = sessionMergers.mergerOf(this)
  return settleWith(fn, this, function (done) {
    if (merger) merger.saveMerged(sess, done)
    else store.set(sess.id, sess, done)
  })
})

// Replaces req.session with the stored copy; an error when it is gone.
defineMethod(Session.prototype, 'reload', function reload (fn) {
  var req = this.req
  var store = this.req.sessionStore
  var previous = this

  return settleWith(fn, this, function (done) {
    store.get(previous.id, function (err, sess) {
      if (err) return done(err)
      if (!sess) return done(new Error('failed to load session'))
      store.createSession(req, sess)
      savedData.carry(previous, req.session)
      sessionMergers.carry(previous, req.session)
      done()
    })
  })
})

defineMethod(Session.prototype, 'destroy', function destroy (fn) {
  var store = this.req.sessionStore
  var id = this.id
  destroyedSessions.record(this.req)
  delete this.req.session
  return settleWith(fn, this, function (done) {
    store.destroy(id, done)
  })
})

// A new session under a new ID, the old one destroyed in the store; with
// `{ copy: true }` the new session keeps this one's data.
defineMethod(Session.prototype, 'regenerate', function regenerate (options, fn) {
  var opts = typeof options === 'object' && options !== null ? options : null
  var callback = opts ? fn : options
  var req = this.req
  var data = opts && opts.copy ? userData(this) : null
  return settleWith(callback, this, function (done) {
    req.sessionStore.regenerate(req, function (err) {
      if (data && req.session) assignData(req.session, data)
      done(err)
    })
  })
})

// The session's own data: every own enumerable key but its cookie.
function userData (sess) {
  var data = {}
  for (var key in sess) {
    if (key !== 'cookie' && hasOwn.call(sess, key)) data[key] = sess[key]
  }
  return data
}
