'use strict'

var debug = require('debug')('express-session')
var Session = require('../session/session')
var CookieAttributes = require('./cookie-attributes')
var dataJson = require('./data-json')
var defineMethod = require('./define-method')
var destroyedSessions = require('./destroyed-sessions')
var isSecure = require('./is-secure')
var lifetime = require('./lifetime')
var mergeSave = require('./merge-save')
var requestCookie = require('./request-cookie')
var savedData = require('./saved-data')
var sessionMergers = require('./session-mergers')
var storeCall = require('./store-call')

module.exports = RequestSession

var NOTHING = 0
var SAVE = 1
var TOUCH = 2

/**
 * One request's session handling: what was loaded, what was saved, and the
 * response's end, which waits for the store. One object per request instead
 * of a closure per step.
 */
function RequestSession (settings, req, res, next, sessionCookie, cookieId) {
  this.settings = settings
  this.req = req
  this.res = res
  this.next = next
  this.sessionCookie = sessionCookie
  // The ID the request's cookie carried.
  this.cookieId = cookieId
  // The session's ID and dataJson() when loaded or generated, and, when
  // known to be in the store already, the dataJson() stored.
  this.originalId = undefined
  this.originalJson = undefined
  this.savedJson = undefined
  // dataJson() once res.end was called: the session is final then.
  this.endJson = undefined
  // Our MemoryStore's cookie template of the loaded session.
  this.template = null
  this.touched = false
  // For sessions that are not this package's: req.session.save as wrapped
  // by wrapMethods, and what it wraps.
  this.wrappedSave = null
  this.baseSave = null
  // The response's own write and end, and the state of our end().
  this.resWrite = res.write
  this.resEnd = res.end
  this.ended = false
  this.chunk = undefined
  this.encoding = undefined
  this.sync = true
  this.ret = undefined
  // concurrency: 'merge': the response waits whole for a merged save, and
  // a session found gone from the store gets no Set-Cookie.
  this.holdWhole = false
  this.gone = false
  // absoluteTimeout: the loaded session had no lifetime yet and got one,
  // which is saved.
  this.lifetimeStarted = false
}

// A new session, then the rest of the app; an asynchronous genid is waited
// for (a synchronous one takes no extra tick).
RequestSession.prototype.startNew = function startNew () {
  var state = this
  var pending
  try {
    pending = this.settings.store.generate(this.req)
    if (!pending) this.recordNew()
  } catch (err) {
    this.next(err)
    return
  }
  if (!pending) {
    this.next()
    return
  }
  // next() runs outside the promise, so what the app throws is thrown.
  pending.then(function () { state.recordNew() }).then(function () {
    process.nextTick(state.next)
  }, function (err) {
    process.nextTick(state.next, err)
  })
}

RequestSession.prototype.recordNew = function recordNew () {
  this.originalId = this.req.sessionID
  this.originalJson = dataJson(this.req.session)
  this.watchSaves(this.req.session)
}

// Whether `sess` is the session this request loaded from the store (not a
// new or regenerated one).
RequestSession.prototype.isLoaded = function isLoaded (sess) {
  return this.cookieId === sess.id && this.originalId === sess.id
}

// concurrency: 'merge': saves `sess` onto the store's current version (see
// merge-save.js), for the end of the request (with its dataJson() `json`)
// and for explicit save() calls.
RequestSession.prototype.saveMerged = function saveMerged (sess, done, json) {
  var state = this
  debug('merging %s into the stored session', sess.id)
  try {
    var now = json === undefined ? dataJson(sess) : json
    mergeSave(this.settings, sess, this.originalJson, now, this.template, function (err, written) {
      if (!err && !written) state.isGone(sess.id)
      done(err)
    })
  } catch (err) {
    done(err)
  }
}

RequestSession.prototype.isGone = function isGone (id) {
  debug('session %s is gone from the store: not written back', id)
  this.gone = true
}

// Loads from a store's synchronous core (direct-store.js), then continues.
RequestSession.prototype.loadDirect = function loadDirect (core) {
  var req = this.req
  var loaded
  try {
    loaded = core.load(this.settings.store, req)
  } catch (err) {
    this.next(err)
    return
  }
  if (!loaded) {
    debug('no session found')
    this.startNew()
    return
  }
  debug('session found')
  if (this.lifetimeIsOver()) {
    this.endLifetime()
    return
  }
  this.originalId = req.sessionID
  this.originalJson = loaded.data
  this.template = loaded.template
  if (!this.settings.resave) this.savedJson = loaded.data
  if (this.settings.merge) sessionMergers.register(req.session, this)
  this.next()
}

// What a store's get() answered.
RequestSession.prototype.onLoad = function onLoad (err, sess) {
  if (err && err.code !== 'ENOENT') {
    debug('error %j', err)
    this.next(err)
    return
  }
  if (err || !sess) {
    debug('no session found')
    this.startNew()
    return
  }
  var over
  try {
    debug('session found')
    this.settings.store.createSession(this.req, sess)
    over = this.lifetimeIsOver()
    if (!over) {
      this.originalId = this.req.sessionID
      this.originalJson = dataJson(this.req.session)
      if (!this.settings.resave) this.savedJson = this.originalJson
      this.watchSaves(this.req.session)
      if (this.settings.merge) sessionMergers.register(this.req.session, this)
    }
  } catch (e) {
    this.next(e)
    return
  }
  if (over) this.endLifetime()
  else this.next()
}

// absoluteTimeout: whether the loaded session's lifetime is over. One
// stored before it had a lifetime starts one now.
RequestSession.prototype.lifetimeIsOver = function lifetimeIsOver () {
  var timeout = this.settings.absoluteTimeout
  if (!timeout) return false
  var cookie = this.req.session.cookie
  if (lifetime.isUnknown(cookie)) {
    lifetime.start(cookie, timeout)
    this.lifetimeStarted = true
    return false
  }
  return lifetime.isOver(cookie, timeout)
}

// The loaded session outlived absoluteTimeout: it is destroyed in the store
// and the request gets a new one, as after any expiry.
RequestSession.prototype.endLifetime = function endLifetime () {
  var req = this.req
  debug('session %s outlived absoluteTimeout', req.sessionID)
  var state = this
  var store = this.settings.store
  req.session = undefined
  storeCall.invoke(store.destroy, store, [req.sessionID], this.settings.storeTimeout, function ondestroy (err) {
    if (err) state.next(err)
    else state.startNew()
  })
}

// This package's sessions report explicit saves through savedData; sessions
// made by another copy of express-session get save and reload wrapped.
RequestSession.prototype.watchSaves = function watchSaves (sess) {
  if (sess.save !== Session.prototype.save || sess.reload !== Session.prototype.reload) {
    this.wrapMethods(sess)
  }
}

// reload() rewraps the new req.session.
RequestSession.prototype.wrapMethods = function wrapMethods (sess) {
  var state = this
  var req = this.req
  var _reload = sess.reload
  var _save = sess.save

  function reload (callback) {
    debug('reloading %s', this.id)
    var reloaded = this
    _reload.call(this, function () {
      if (req.session !== reloaded && req.session) state.watchSaves(req.session)
      callback.apply(this, arguments)
    })
  }

  function save () {
    debug('saving %s', this.id)
    state.savedJson = dataJson(this)
    _save.apply(this, arguments)
  }

  this.wrappedSave = save
  this.baseSave = _save
  defineMethod(sess, 'reload', reload)
  defineMethod(sess, 'save', save)
}

// dataJson() of what the store holds for `sess`, as far as this request knows.
RequestSession.prototype.savedJsonOf = function savedJsonOf (sess) {
  var saved = savedData.lookup(sess)
  return saved !== undefined ? saved : this.savedJson
}

RequestSession.prototype.isModified = function isModified (sess, json) {
  return this.originalId !== sess.id || this.originalJson !== json
}

RequestSession.prototype.isSaved = function isSaved (sess, json) {
  return this.originalId === sess.id && this.savedJsonOf(sess) === json
}

RequestSession.prototype.shouldDestroy = function shouldDestroy () {
  return this.req.sessionID && this.settings.unsetDestroy && this.req.session == null
}

RequestSession.prototype.shouldSave = function shouldSave (json) {
  var req = this.req
  if (typeof req.sessionID !== 'string') {
    debug('session ignored because of bogus req.sessionID %o', req.sessionID)
    return false
  }
  // A new session is saved only once it holds something, unless
  // saveUninitialized.
  return !this.settings.saveUninitialized && !this.savedJsonOf(req.session) && this.cookieId !== req.sessionID
    ? this.isModified(req.session, json)
    : !this.isSaved(req.session, json)
}

RequestSession.prototype.endDecision = function endDecision (json) {
  if (this.shouldSave(json) || (this.lifetimeStarted && this.isLoaded(this.req.session))) return SAVE
  var req = this.req
  if (this.settings.storeImplementsTouch && typeof req.sessionID === 'string' &&
    this.cookieId === req.sessionID) {
    return TOUCH
  }
  return NOTHING
}

RequestSession.prototype.shouldSetCookie = function shouldSetCookie () {
  var req = this.req
  if (typeof req.sessionID !== 'string') return false
  return this.cookieId !== req.sessionID
    ? this.settings.saveUninitialized || this.isModified(req.session, this.currentJson())
    : this.settings.rolling || (req.session.cookie.expires != null && this.isModified(req.session, this.currentJson()))
}

RequestSession.prototype.currentJson = function currentJson () {
  return this.endJson !== undefined ? this.endJson : dataJson(this.req.session)
}

// Just before the headers go out: the Set-Cookie header, when one is due.
RequestSession.prototype.beforeHeaders = function beforeHeaders () {
  var req = this.req
  var res = this.res
  if (!req.session || this.gone) {
    debug('no session')
    if (!req.session && this.settings.clearCookieOnDestroy && this.destroyedSession()) this.clearCookie()
    return
  }
  var setCookie
  try {
    setCookie = this.shouldSetCookie()
  } catch (err) {
    // Not serializable: res.end reports it.
    debug('session not serializable: %s', err.message)
    return
  }
  if (!setCookie) return

  if (req.session.cookie.secure && !isSecure(req, this.settings.trustProxy)) {
    debug('not secured')
    return
  }

  this.touchSession()

  try {
    // Everything user-visible is read before the native renderer's input is written.
    var id = CookieAttributes.checkWellFormed(req.sessionID)
    var value = this.sessionCookie.render(id, new CookieAttributes(req.session.cookie))
    res.setHeader('Set-Cookie', appendHeader(res.getHeader('Set-Cookie'), value))
    debug('set-cookie %s', req.sessionID)
  } catch (err) {
    setImmediate(this.next, err)
  }
}

// The session's expiry renewed (once), never past the end of its lifetime.
RequestSession.prototype.touchSession = function touchSession () {
  if (this.touched) return
  var sess = this.req.session
  sess.touch()
  if (this.settings.absoluteTimeout) lifetime.cap(sess.cookie, this.settings.absoluteTimeout)
  this.touched = true
}

RequestSession.prototype.destroyedSession = function destroyedSession () {
  return destroyedSessions.has(this.req) || this.shouldDestroy()
}

// clearCookieOnDestroy: a Set-Cookie that removes the session cookie (an
// empty value that expired in 1970, with the cookie option's path, domain
// and flags, which the browser matches it by).
RequestSession.prototype.clearCookie = function clearCookie () {
  var req = this.req
  var res = this.res
  try {
    var cookie = requestCookie(this.settings.cookieOptionsFor(req), req, this.settings.trustProxy)
    if (cookie.secure && !isSecure(req, this.settings.trustProxy)) return
    cookie.expires = new Date(0)
    res.setHeader('Set-Cookie', appendHeader(res.getHeader('Set-Cookie'), cookie.serialize(this.settings.cookieName, '')))
    debug('cleared cookie of destroyed session')
  } catch (err) {
    setImmediate(this.next, err)
  }
}

// res.end: saves, touches or destroys as due, then ends the response once
// the store has answered.
RequestSession.prototype.end = function end (chunk, encoding) {
  if (this.ended) return false
  this.ended = true
  this.chunk = chunk
  this.encoding = encoding

  var req = this.req
  var settings = this.settings
  var store = settings.store

  if (this.shouldDestroy()) {
    debug('destroying')
    storeCall.invoke(store.destroy, store, [req.sessionID], settings.storeTimeout, this.afterStore())
    return this.writeTop()
  }

  if (!req.session) {
    debug('no session')
    return this.resEnd.call(this.res, chunk, encoding)
  }

  this.touchSession()

  var json
  var decision
  try {
    json = this.endJson = dataJson(req.session)
    decision = this.endDecision(json)
  } catch (err) {
    // The session cannot be serialized (a circular structure, say).
    setImmediate(this.next, err)
    return this.resEnd.call(this.res, chunk, encoding)
  }

  // A store this package writes synchronously, or null.
  var core = decision === NOTHING ? null : settings.directCore()
  if (decision === SAVE) {
    // The JSON just computed is what gets saved: no second stringify.
    this.savedJson = json
    debug('saving %s', req.session.id)
    var save = req.session.save
    if (settings.merge && save === Session.prototype.save && this.isLoaded(req.session)) {
      this.holdWhole = !core
      this.saveMerged(req.session, this.afterStore(), json)
    } else if (save === Session.prototype.save) {
      if (core) {
        this.finish(storeCall.attempt(core.write, store, req.session.id, req.session, json, this.template))
      } else {
        storeCall.invoke(store.set, store, [req.session.id, req.session], settings.storeTimeout, this.afterStore())
      }
    } else {
      storeCall.invoke(save === this.wrappedSave ? this.baseSave : save, req.session, [], settings.storeTimeout, this.afterStore())
    }
    return this.writeTop()
  }
  if (decision === TOUCH) {
    debug('touching')
    var touched = core ? null : settings.touchedOf()
    if (core) {
      var touchError = null
      try {
        if (!core.touch(store, req.sessionID, req.session, this.template) && settings.merge) this.isGone(req.sessionID)
      } catch (err) {
        touchError = err
      }
      this.finish(touchError)
    } else if (touched && touched(store, req.sessionID, req.session)) {
      debug('the store already has this expiry')
      this.finish(null)
    } else {
      storeCall.invoke(store.touch, store, [req.sessionID, req.session], settings.storeTimeout, this.afterStore())
    }
    return this.writeTop()
  }
  return this.resEnd.call(this.res, chunk, encoding)
}

// A store callback that finishes the response.
RequestSession.prototype.afterStore = function afterStore () {
  var state = this
  return function done (err) {
    state.finish(err)
  }
}

// Once the store has answered: the rest of the response.
RequestSession.prototype.finish = function finish (err) {
  if (err) setImmediate(this.next, err)
  if (this.sync) {
    this.ret = this.resEnd.call(this.res, this.chunk, this.encoding)
    this.sync = false
    return
  }
  this.resEnd.call(this.res)
}

// While the store works: headers and the body, but for the last byte when
// the length is declared (so the client waits for the store).
RequestSession.prototype.writeTop = function writeTop () {
  if (!this.sync) return this.ret
  var res = this.res
  var chunk = this.chunk
  var encoding = this.encoding

  // A browser follows a redirect as soon as its headers arrive, so a
  // redirect goes out whole once the store has answered (its body is in
  // memory already): the next request then finds the session saved. So
  // does a response whose merged save may find the session gone.
  if (!res.headersSent && (this.holdWhole || isRedirect(res))) {
    debug('holding redirect until the store answers')
    this.ret = true
    return true
  }

  if (!res.headersSent) res.writeHead(res.statusCode)

  if (chunk == null) {
    this.ret = true
    return true
  }

  var contentLength = Number(res.getHeader('Content-Length'))
  if (!isNaN(contentLength) && contentLength > 0) {
    chunk = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding)
    encoding = undefined
    if (chunk.length !== 0) {
      debug('split response')
      this.ret = this.resWrite.call(res, chunk.subarray(0, chunk.length - 1))
      this.chunk = chunk.subarray(chunk.length - 1, chunk.length)
      this.encoding = undefined
      return this.ret
    }
  }

  this.ret = this.resWrite.call(res, chunk, encoding)
  this.sync = false
  return this.ret
}

function isRedirect (res) {
  return (res.statusCode >= 300 && res.statusCode < 400) || res.getHeader('Location') !== undefined
}

// Set-Cookie is always set as an array, kept after any earlier values.
function appendHeader (prev, value) {
  if (prev === undefined) return [value]
  return Array.isArray(prev) ? prev.concat(value) : [prev, value]
}
