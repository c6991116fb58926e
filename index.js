'use strict'

var debug = require('debug')('express-session')
var deprecate = require('depd')('express-session')
var parseUrl = require('parseurl')
var Cookie = require('./session/cookie')
var MemoryStore = require('./session/memory')
var Session = require('./session/session')
var Store = require('./session/store')
var cookieOptionsCheck = require('./lib/cookie-options')
var directStore = require('./lib/direct-store')
var lifetime = require('./lib/lifetime')
var requestCookie = require('./lib/request-cookie')
var SessionCookie = require('./lib/native/session-cookie')
var generateSessionId = require('./lib/native/session-ids')
var onHeaders = require('./lib/on-headers')
var RequestSession = require('./lib/request-session')
var shareShapes = require('./lib/shared-shape')
var storeCall = require('./lib/store-call')

exports = module.exports = session

exports.Store = Store
exports.Cookie = Cookie
exports.Session = Session
exports.MemoryStore = MemoryStore
// Not enumerable, so the module's keys stay express-session's; also at
// require('express-session-rs/stores/sqlite') and .../stores/redis.
Object.defineProperty(exports, 'SqliteStore', {
  configurable: true,
  get: function () { return require('./stores/sqlite') }
})
Object.defineProperty(exports, 'RedisStore', {
  configurable: true,
  get: function () { return require('./stores/redis') }
})

var productionWarning = 'Warning: express-session MemoryStore keeps sessions in this\n' +
  'process only: it does not scale past a single process, and its\n' +
  'sessions are lost when the process restarts.'

/**
 * Creates the session middleware. Options are checked here, once.
 */
function session (options) {
  var opts = options || {}
  var cookieOptions = opts.cookie || {}
  var generateId = opts.genid || generateSessionId
  // express-session serves a number (or anything else) as its string.
  var name = String(opts.name || opts.key || 'connect.sid')
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
  // Not in express-session: a session ends this long (ms) after it began,
  // however active (lib/lifetime.js; 0, the default, never); and a
  // destroyed session's cookie is cleared.
  var absoluteTimeout = opts.absoluteTimeout == null ? 0 : opts.absoluteTimeout
  if (typeof absoluteTimeout !== 'number' || !(absoluteTimeout >= 0) || absoluteTimeout === Infinity) {
    throw new TypeError('absoluteTimeout option must be a non-negative number of milliseconds')
  }
  var clearCookieOnDestroy = Boolean(opts.clearCookieOnDestroy)

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
  // Not in express-session: how saves of a loaded session treat changes
  // other requests made meanwhile (see lib/merge-save.js).
  var concurrency = opts.concurrency === undefined ? 'overwrite' : opts.concurrency
  if (concurrency !== 'overwrite' && concurrency !== 'merge') {
    throw new TypeError('concurrency option must be "overwrite" or "merge"')
  }

  // What express-session 1.19 only fails on once requests come.
  cookieOptionsCheck.checkName(name)
  if (typeof cookieOptions !== 'function') cookieOptionsCheck.checkOptions(cookieOptions, name)

  if (Array.isArray(secret) && secret.length === 0) {
    throw new TypeError('secret option array must contain one or more strings')
  }
  if (secret && !Array.isArray(secret)) {
    secret = [secret]
  }
  if (!secret) {
    deprecate('req.secret; provide secret option')
  }
  // Secrets and the name live in one native object, built again only when
  // the secret array changed: as in express-session, the array given is
  // read per request, so apps can rotate secrets in place.
  var sessionCookie = secret ? new SessionCookie(name, secret) : null
  var signingSecrets = secret ? secret.slice() : null
  var reqSecretCookies = new Map()

  if (process.env.NODE_ENV === 'production' && store instanceof MemoryStore) {
    console.warn(productionWarning)
  }

  // Stores that extend another copy of express-session's Store also get
  // this. With a genid that returns a promise, it returns a promise that
  // settles once req has its new session.
  store.generate = function generate (req) {
    var options = resolveCookieOptions(req)
    var id = generateId(req)
    if (!isThenable(id)) {
      createSession(req, options, id)
      return
    }
    return Promise.resolve(id).then(function (resolved) {
      if (typeof resolved !== 'string') {
        throw new TypeError('genid must return a string or a promise of a string, not ' + typeof resolved)
      }
      createSession(req, options, resolved)
    }, function (reason) {
      throw reason instanceof Error ? reason : new Error('genid rejected: ' + String(reason))
    })
  }

  // The cookie comes first: options it throws on leave req as it was. A
  // cookie function's result is checked as the object form was at
  // session().
  function createSession (req, options, id) {
    var cookie = typeof cookieOptions === 'function'
      ? cookieOptionsCheck.checkedCookie(options, req, trustProxy, name)
      : requestCookie(options, req, trustProxy)
    if (absoluteTimeout) lifetime.start(cookie, absoluteTimeout)
    req.sessionID = id
    req.session = new Session(req)
    req.session.cookie = cookie
  }

  function resolveCookieOptions (req) {
    return typeof cookieOptions === 'function' ? cookieOptions(req) || {} : cookieOptions
  }

  // Without a secret option, req.secret (from cookie-parser) signs.
  function sessionCookieFor (req) {
    if (secret) {
      if (!sameSecrets(secret, signingSecrets)) {
        sessionCookie = new SessionCookie(name, secret)
        signingSecrets = secret.slice()
      }
      return sessionCookie
    }
    if (!req.secret) return null
    var found = reqSecretCookies.get(req.secret)
    if (!found) {
      found = new SessionCookie(name, [req.secret])
      if (reqSecretCookies.size >= 16) reqSecretCookies.clear()
      reqSecretCookies.set(req.secret, found)
    }
    return found
  }

  // Our own stores are read and written synchronously, with no extra
  // event-loop turn, while their get/set/touch/createSession are their
  // classes' (lib/direct-store.js).
  function directCore () {
    return directStore.coreOf(store)
  }
  function touchedOf () {
    return directStore.touchedOf(store)
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
    merge: concurrency === 'merge',
    absoluteTimeout: absoluteTimeout,
    clearCookieOnDestroy: clearCookieOnDestroy,
    cookieName: name,
    cookieOptionsFor: resolveCookieOptions,
    storeImplementsTouch: typeof store.touch === 'function',
    directCore: directCore,
    touchedOf: touchedOf
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

    var signer
    try {
      signer = sessionCookieFor(req)
    } catch (err) {
      // The secret array was changed to something that cannot sign.
      next(err)
      return
    }
    if (!signer) {
      next(new Error('secret option required for sessions'))
      return
    }

    var id = readSessionId(req, name, signer)
    var state = new RequestSession(settings, req, res, next, signer, id)

    // Added together, after all reads, to objects whose hidden class the
    // next request shares (see lib/shared-shape.js).
    shareShapes(req, res)
    req.sessionStore = store
    req.sessionID = id
    onHeaders(res, state)
    res.end = function end (chunk, encoding) {
      return state.end(chunk, encoding)
    }

    if (!id) {
      debug('no SID sent, generating session')
      state.startNew()
      return
    }

    debug('fetching %s', id)
    var core = directCore()
    if (core) {
      state.loadDirect(core)
      return
    }
    storeCall.invoke(store.get, store, [id], storeTimeout, function onload (err, sess) {
      state.onLoad(err, sess)
    })
  }
}

/**
 * The session ID a request carries: from the Cookie header (signed, `s:`),
 * or else from cookie-parser's results (deprecated).
 */
function readSessionId (req, name, sessionCookie) {
  var header = req.headers.cookie
  var id = typeof header === 'string' && header ? sessionCookie.readId(header) : null

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
      id = sessionCookie.unsign(raw.slice(2))
      if (id) deprecate('cookie should be available in req.headers.cookie')
    }
  }

  return id || undefined
}

function isThenable (value) {
  return value !== null && (typeof value === 'object' || typeof value === 'function') &&
    typeof value.then === 'function'
}

// Whether the secret array holds what it held when `copy` was taken.
function sameSecrets (secrets, copy) {
  if (secrets.length !== copy.length) return false
  for (var i = 0; i < copy.length; i++) {
    if (secrets[i] !== copy[i]) return false
  }
  return true
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
