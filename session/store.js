'use strict'

var EventEmitter = require('events').EventEmitter
var util = require('util')
var Cookie = require('./cookie')
var Session = require('./session')

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

Store.prototype.regenerate = function regenerate (req, fn) {
  var self = this
  this.destroy(req.sessionID, function (err) {
    self.generate(req)
    fn(err)
  })
}

// Loads a session by ID into a Session bound to a minimal request.
Store.prototype.load = function load (sid, fn) {
  var self = this
  this.get(sid, function (err, sess) {
    if (err) return fn(err)
    if (!sess) return fn()
    var req = { sessionID: sid, sessionStore: self }
    fn(null, self.createSession(req, sess))
  })
}

// Turns stored data into req.session: a Session with a Cookie.
Store.prototype.createSession = function createSession (req, sess) {
  var expires = sess.cookie.expires
  var originalMaxAge = sess.cookie.originalMaxAge

  sess.cookie = new Cookie(sess.cookie)
  if (typeof expires === 'string') {
    sess.cookie.expires = new Date(expires)
  }
  // Setting expires recomputes originalMaxAge; keep the stored one.
  sess.cookie.originalMaxAge = originalMaxAge

  req.session = new Session(req, sess)
  return req.session
}
