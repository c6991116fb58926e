'use strict'

var EventEmitter = require('events').EventEmitter
var util = require('util')
var Cookie = require('./cookie')
var Session = require('./session')
var settleWith = require('../lib/lazy-result').settleWith

module.exports = Store

/**
 * Base class of session stores: an EventEmitter. Stores implement
 * get/set/destroy (and ideally touch); session() assigns `generate`.
 * A plain constructor, so both `Store.call(this)` and `extends Store` work.
 */
function Store () {
  EventEmitter.call(this)
}

util.inherits(Store, EventEmitter)

// Without a callback, these return a LazyResult (see lib/lazy-result.js).

// Destroys req's session and gives req a new one (an asynchronous genid is
// waited for).
Store.prototype.regenerate = function regenerate (req, fn) {
  var self = this
  return settleWith(fn, undefined, function (done) {
    self.destroy(req.sessionID, function (err) {
      var generated
      try {
        generated = self.generate(req)
      } catch (e) {
        return done(e)
      }
      if (!generated) return done(err)
      // The callback runs outside the promise, so what it throws is thrown.
      generated.then(function () { process.nextTick(done, err) }, function (e) { process.nextTick(done, e) })
    })
  })
}

// Loads a session by ID into a Session bound to a minimal request.
Store.prototype.load = function load (sid, fn) {
  var self = this
  return settleWith(fn, undefined, function (done) {
    self.get(sid, function (err, sess) {
      if (err) return done(err)
      if (!sess) return done()
      var req = { sessionID: sid, sessionStore: self }
      done(null, self.createSession(req, sess))
    })
  })
}

// Turns stored data into req.session: a Session with a Cookie.
Store.prototype.createSession = function createSession (req, sess) {
  var expires = sess.cookie.expires
  var originalMaxAge = sess.cookie.originalMaxAge
  var created = sess.cookie.created

  sess.cookie = new Cookie(sess.cookie)
  // Not enumerable, so not copied from a Cookie object a store hands back.
  if (created !== undefined) sess.cookie.created = created
  if (typeof expires === 'string') {
    sess.cookie.expires = new Date(expires)
  }
  // Setting expires recomputes originalMaxAge; keep the stored one.
  sess.cookie.originalMaxAge = originalMaxAge

  req.session = new Session(req, sess)
  return req.session
}
