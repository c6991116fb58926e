'use strict'

var debug = require('debug')('express-session')
var deprecate = require('depd')('express-session')
var parseUrl = require('parseurl')
var Cookie = require('./session/cookie')
var MemoryStore = require('./session/memory')
var dataJson = require('./session/data-json')
var Session = require('./session/session')
var defineMethod = require('./session/define-method')
var hookHeaders = require('./session/header-hook')
var savedData = require('./session/saved-data')
var Store = require('./session/store')
var SessionCookie = require('./session/session-cookie')
var sessionId = require('./session/id')

exports = module.exports = session

exports.Store = Store
exports.Cookie = Cookie
exports.Session = Session
exports.MemoryStore = MemoryStore

var productionWarning = 'Warning: express-session MemoryStore keeps sessions in this\n' +
  'process only: it does not scale past a single process, and its\n' +
  'sessions are lost when the process restarts.'

/**
 * Creates the session middleware. Options are checked here, once.
 */
function session (options) {
  var opts = options || {}
  var cookieOptions = opts.cookie || {}
  var generateId = opts.genid || sessionId.generate
  var name = opts.name || opts.key || 'connect.sid'
  var store = opts.store || new MemoryStore()
  var trustProxy = opts.proxy
  var resaveSession = opts.resave
  var rollingSessions = Boolean(opts.rolling)
  var saveUninitializedSession = opts.saveUninitialized
  var secret = opts.secret
  // Not in express-session: how long to wait for a store before giving up
  // with an error (0, the default, waits forever as express-session does).
  var storeTimeout = opts.storeTimeout || 0

  if (typeof storeTimeout !== 'number' || !(storeTimeout >= 0)) {
    throw new TypeError('storeTimeout option must be a non-negative number of milliseconds')
  }
  if (typeof generateId !== 'function') {
    throw new TypeError('genid option must be a function')
  }
  if (resaveSession === undefined) {
    deprecate('undefined resave option; provide resave option')
    resaveSession = true
  }
  if (saveUninitializedSession === undefined) {
    deprecate('undefined saveUninitialized option; provide saveUninitialized option')
    saveUninitializedSession = true
  }
  if (opts.unset && opts.unset !== 'destroy' && opts.unset !== 'keep') {
    throw new TypeError('unset option must be "destroy" or "keep"')
  }
  var unsetDestroy = opts.unset === 'destroy'

  if (Array.isArray(secret) && secret.length === 0) {
    throw new TypeError('secret option array must contain one or more strings')
  }
  if (secret && !Array.isArray(secret)) {
    secret = [secret]
  }
  if (!secret) {
    deprecate('req.secret; provide secret option')
  }
  // Secrets and the name live in one native object, built once.
  var codec = secret ? new SessionCookie(name, secret) : null
  var reqSecretCodecs = new Map()

  if (process.env.NODE_ENV === 'production' && store instanceof MemoryStore) {
    console.warn(productionWarning)
  }

  // Stores that extend another copy of express-session's Store also get this.
  store.generate = function generate (req) {
    var options = resolveCookieOptions(req)
    req.sessionID = generateId(req)
    req.session = new Session(req)
    req.session.cookie = new Cookie(options)
    if (options.secure === 'auto') {
      req.session.cookie.secure = isSecure(req, trustProxy)
    }
    if (options.sameSite === 'auto') {
      req.session.cookie.sameSite = isSecure(req, trustProxy) ? 'none' : 'lax'
    }
  }

  function resolveCookieOptions (req) {
    return typeof cookieOptions === 'function' ? cookieOptions(req) || {} : cookieOptions
  }

  // Without a secret option, req.secret (from cookie-parser) signs.
  function codecFor (req) {
    if (codec) return codec
    if (!req.secret) return null
    var found = reqSecretCodecs.get(req.secret)
    if (!found) {
      found = new SessionCookie(name, [req.secret])
      if (reqSecretCodecs.size >= 16) reqSecretCodecs.clear()
      reqSecretCodecs.set(req.secret, found)
    }
    return found
  }

  // Our own MemoryStore is read and written synchronously, with no extra
  // event-loop turn, while its get/set/touch/createSession are its class's.
  function isOwnMemoryStore () {
    return store.get === MemoryStore.prototype.get &&
      store.set === MemoryStore.prototype.set &&
      store.touch === MemoryStore.prototype.touch &&
      store.createSession === Store.prototype.createSession
  }
  var storeReady = true
  store.on('disconnect', function ondisconnect () { storeReady = false })
  store.on('connect', function onconnect () { storeReady = true })

  // What every request of this middleware shares.
  var settings = {
    store: store,
    storeTimeout: storeTimeout,
    trustProxy: trustProxy,
    resave: resaveSession,
    rolling: rollingSessions,
    saveUninitialized: saveUninitializedSession,
    unsetDestroy: unsetDestroy,
    storeImplementsTouch: typeof store.touch === 'function',
    isOwnMemoryStore: isOwnMemoryStore
  }

  return function session (req, res, next) {
    if (req.session) {
      next()
      return
    }

    if (!storeReady) {
      debug('store is disconnected')
      next()
      return
    }

    var requestCookie = resolveCookieOptions(req)
    if (!pathMatches(req, requestCookie.path || '/')) {
      debug('pathname mismatch')
      next()
      return
    }

    var requestCodec = codecFor(req)
    if (!requestCodec) {
      next(new Error('secret option required for sessions'))
      return
    }

    var id = readSessionId(req, name, requestCodec)
    var state = new RequestSession(settings, req, res, next, requestCodec, id)

    // Every property added to req or res gives it a new hidden class (see
    // the HTTP benchmark); they are added together, after all reads.
    req.sessionStore = store
    req.sessionID = id
    hookHeaders(res, state)
    res.end = function end (chunk, encoding) {
      return state.end(chunk, encoding)
    }

    if (!id) {
      debug('no SID sent, generating session')
      try {
        state.generate()
      } catch (err) {
        next(err)
        return
      }
      next()
      return
    }

    debug('fetching %s', id)
    if (isOwnMemoryStore()) {
      state.loadOwn()
      return
    }
    invoke(store.get, store, [id], storeTimeout, function onload (err, sess) {
      state.onLoad(err, sess)
    })
  }
}

var NOTHING = 0
var SAVE = 1
var TOUCH = 2

/**
 * One request's session handling: what was loaded, what was saved, and the
 * response's end, which waits for the store. One object per request instead
 * of a closure per step.
 */
function RequestSession (settings, req, res, next, codec, cookieId) {
  this.settings = settings
  this.req = req
  this.res = res
  this.next = next
  this.codec = codec
  // The ID the request's cookie carried.
  this.cookieId = cookieId
  // The session's ID and dataJson() when loaded or generated, and, when
  // known to be in the store already, the dataJson() stored.
  this.originalId = undefined
  this.originalHash = undefined
  this.savedHash = undefined
  // dataJson() once res.end was called: the session is final then.
  this.endHash = undefined
  // Our MemoryStore's cookie shape of the loaded session.
  this.shape = null
  this.touched = false
  this.headersHooked = false
  // For sessions that are not this package's: req.session.save as wrapped
  // by wrapMethods, and what it wraps.
  this.wrappedSave = null
  this.baseSave = null
  // The response's own writeHead, write and end, and the state of our end().
  this.resWriteHead = res.writeHead
  this.resWrite = res.write
  this.resEnd = res.end
  this.ended = false
  this.chunk = undefined
  this.encoding = undefined
  this.sync = true
  this.ret = undefined
}

RequestSession.prototype.generate = function generate () {
  this.settings.store.generate(this.req)
  this.originalId = this.req.sessionID
  this.originalHash = dataJson(this.req.session)
  this.watchSaves(this.req.session)
}

// Loads from our own MemoryStore, synchronously, then continues.
RequestSession.prototype.loadOwn = function loadOwn () {
  var req = this.req
  var loaded
  try {
    loaded = this.settings.store.loadSync(req)
    if (loaded) {
      debug('session found')
      this.originalId = req.sessionID
      this.originalHash = loaded.data
      this.shape = loaded.shape
      if (!this.settings.resave) this.savedHash = loaded.data
    } else {
      debug('no session found')
      this.generate()
    }
  } catch (err) {
    this.next(err)
    return
  }
  this.next()
}

// What a store's get() answered.
RequestSession.prototype.onLoad = function onLoad (err, sess) {
  if (err && err.code !== 'ENOENT') {
    debug('error %j', err)
    this.next(err)
    return
  }
  try {
    if (err || !sess) {
      debug('no session found')
      this.generate()
    } else {
      debug('session found')
      this.settings.store.createSession(this.req, sess)
      this.originalId = this.req.sessionID
      this.originalHash = dataJson(this.req.session)
      if (!this.settings.resave) this.savedHash = this.originalHash
      this.watchSaves(this.req.session)
    }
  } catch (e) {
    this.next(e)
    return
  }
  this.next()
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
    state.savedHash = dataJson(this)
    _save.apply(this, arguments)
  }

  this.wrappedSave = save
  this.baseSave = _save
  defineMethod(sess, 'reload', reload)
  defineMethod(sess, 'save', save)
}

// dataJson() of what the store holds for `sess`, as far as this request knows.
RequestSession.prototype.savedHashOf = function savedHashOf (sess) {
  var saved = savedData.lookup(sess)
  return saved !== undefined ? saved : this.savedHash
}

RequestSession.prototype.isModified = function isModified (sess, hash) {
  return this.originalId !== sess.id || this.originalHash !== hash
}

RequestSession.prototype.isSaved = function isSaved (sess, hash) {
  return this.originalId === sess.id && this.savedHashOf(sess) === hash
}

RequestSession.prototype.shouldDestroy = function shouldDestroy () {
  return this.req.sessionID && this.settings.unsetDestroy && this.req.session == null
}

RequestSession.prototype.shouldSave = function shouldSave (hash) {
  var req = this.req
  if (typeof req.sessionID !== 'string') {
    debug('session ignored because of bogus req.sessionID %o', req.sessionID)
    return false
  }
  // A new session is saved only once it holds something, unless
  // saveUninitialized.
  return !this.settings.saveUninitialized && !this.savedHashOf(req.session) && this.cookieId !== req.sessionID
    ? this.isModified(req.session, hash)
    : !this.isSaved(req.session, hash)
}

RequestSession.prototype.endDecision = function endDecision (hash) {
  if (this.shouldSave(hash)) return SAVE
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
    ? this.settings.saveUninitialized || this.isModified(req.session, this.currentHash())
    : this.settings.rolling || (req.session.cookie.expires != null && this.isModified(req.session, this.currentHash()))
}

RequestSession.prototype.currentHash = function currentHash () {
  return this.endHash !== undefined ? this.endHash : dataJson(this.req.session)
}

// Just before the headers go out: the Set-Cookie header, when one is due.
RequestSession.prototype.beforeHeaders = function beforeHeaders () {
  var req = this.req
  var res = this.res
  if (!req.session) {
    debug('no session')
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

  if (!this.touched) {
    req.session.touch()
    this.touched = true
  }

  try {
    res.setHeader('Set-Cookie', appendHeader(res.getHeader('Set-Cookie'),
      this.codec.render(req.sessionID, req.session.cookie)))
    debug('set-cookie %s', req.sessionID)
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
    invoke(store.destroy, store, [req.sessionID], settings.storeTimeout, this.afterStore())
    return this.writeTop()
  }

  if (!req.session) {
    debug('no session')
    return this.resEnd.call(this.res, chunk, encoding)
  }

  if (!this.touched) {
    req.session.touch()
    this.touched = true
  }

  var hash
  var decision
  try {
    hash = this.endHash = dataJson(req.session)
    decision = this.endDecision(hash)
  } catch (err) {
    // The session cannot be serialized (a circular structure, say).
    setImmediate(this.next, err)
    return this.resEnd.call(this.res, chunk, encoding)
  }

  if (decision === SAVE) {
    // The hash just computed is what gets saved: no second stringify.
    this.savedHash = hash
    debug('saving %s', req.session.id)
    var save = req.session.save
    if (save === Session.prototype.save) {
      if (settings.isOwnMemoryStore()) {
        this.finish(attempt(store.writeSync, store, req.session.id, req.session, hash, this.shape))
      } else {
        invoke(store.set, store, [req.session.id, req.session], settings.storeTimeout, this.afterStore())
      }
    } else {
      invoke(save === this.wrappedSave ? this.baseSave : save, req.session, [], settings.storeTimeout, this.afterStore())
    }
    return this.writeTop()
  }
  if (decision === TOUCH) {
    debug('touching')
    if (settings.isOwnMemoryStore()) {
      this.finish(attempt(store.touchSync, store, req.sessionID, req.session, this.shape))
    } else {
      invoke(store.touch, store, [req.sessionID, req.session], settings.storeTimeout, this.afterStore())
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

/**
 * The session ID a request carries: from the Cookie header (signed, `s:`),
 * or else from cookie-parser's results (deprecated).
 */
function readSessionId (req, name, codec) {
  var header = req.headers.cookie
  var id = typeof header === 'string' && header ? codec.readId(header) : null

  if (!id && req.signedCookies) {
    var signed = req.signedCookies[name]
    if (signed) {
      deprecate('cookie should be available in req.headers.cookie')
      id = signed
    }
  }

  if (!id && req.cookies) {
    var raw = req.cookies[name]
    if (typeof raw === 'string' && raw.substr(0, 2) === 's:') {
      id = codec.unsign(raw.slice(2))
      if (id) deprecate('cookie should be available in req.headers.cookie')
    }
  }

  return id || undefined
}

/**
 * Whether the pathname of the original URL starts with the cookie path.
 */
function pathMatches (req, cookiePath) {
  // Any URL starting with '/' has a pathname starting with '/': no parsing.
  var url = req.originalUrl || req.url
  if (cookiePath === '/' && typeof url === 'string' && url.charCodeAt(0) === 0x2f) return true
  var pathname = parseUrl.original(req).pathname || '/'
  return pathname.indexOf(cookiePath) === 0
}

// Set-Cookie is always set as an array, kept after any earlier values.
function appendHeader (prev, value) {
  if (prev === undefined) return [value]
  return Array.isArray(prev) ? prev.concat(value) : [prev, value]
}

/**
 * Calls `fn.apply(thisArg, args.concat(callback))` so that whatever a store
 * does reaches `callback` exactly once: its callback (the first call only),
 * an error it throws, a promise it rejects, and, with a timeout (ms), silence.
 */
function invoke (fn, thisArg, args, timeout, callback) {
  var called = false
  var timer = null
  function finish (err, value) {
    if (called) return
    called = true
    if (timer) clearTimeout(timer)
    callback(err, value)
  }
  var result
  try {
    result = fn.apply(thisArg, args.concat(finish))
  } catch (err) {
    finish(err)
    return
  }
  if (result && typeof result.then === 'function') {
    result.then(null, function (err) {
      finish(err || new Error('session store operation rejected'))
    })
  }
  if (timeout > 0 && !called) {
    timer = setTimeout(function () {
      finish(new Error('session store did not answer within ' + timeout + ' ms'))
    }, timeout)
    timer.unref()
  }
}

/**
 * Runs a synchronous store operation; returns what it threw, or null.
 */
function attempt (fn, thisArg, a, b, c, d) {
  try {
    fn.call(thisArg, a, b, c, d)
    return null
  } catch (err) {
    return err
  }
}

/**
 * Whether the request came over TLS, as far as `trustProxy` allows us to tell.
 */
function isSecure (req, trustProxy) {
  if (req.socket && req.socket.encrypted) return true
  if (trustProxy === false) return false
  if (trustProxy !== true) return req.secure === true

  var header = req.headers['x-forwarded-proto'] || ''
  var comma = header.indexOf(',')
  var proto = comma !== -1 ? header.slice(0, comma) : header
  return proto.trim().toLowerCase() === 'https'
}
