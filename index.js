'use strict'

var debug = require('debug')('express-session')
var deprecate = require('depd')('express-session')
var onHeaders = require('on-headers')
var parseUrl = require('parseurl')
var Cookie = require('./session/cookie')
var MemoryStore = require('./session/memory')
var dataJson = require('./session/data-json')
var Session = require('./session/session')
var defineMethod = require('./session/define-method')
var Store = require('./session/store')
var SAVING = require('./session/hooks').SAVING
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

  var storeImplementsTouch = typeof store.touch === 'function'

  // Our own MemoryStore answers synchronously, with no extra event-loop turn,
  // while its get/set/touch have not been replaced on the instance.
  function isOwnMemoryStore () {
    return store.get === MemoryStore.prototype.get &&
      store.set === MemoryStore.prototype.set &&
      store.touch === MemoryStore.prototype.touch
  }
  var storeReady = true
  store.on('disconnect', function ondisconnect () { storeReady = false })
  store.on('connect', function onconnect () { storeReady = true })

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

    // dataJson() of the session when loaded, when last saved, and once
    // res.end was called (the session is final then; headers reuse it).
    var originalHash
    var originalId
    var savedHash
    var endHash
    var touched = false
    // For sessions that are not this package's: req.session.save as wrapped
    // by wrapMethods, and what it wraps.
    var wrappedSave
    var baseSave

    req.sessionStore = store

    var cookieId = req.sessionID = readSessionId(req, name, requestCodec)

    onHeaders(res, function () {
      if (!req.session) {
        debug('no session')
        return
      }
      var setCookie
      try {
        setCookie = shouldSetCookie(req)
      } catch (err) {
        // Not serializable: res.end reports it.
        debug('session not serializable: %s', err.message)
        return
      }
      if (!setCookie) return

      if (req.session.cookie.secure && !isSecure(req, trustProxy)) {
        debug('not secured')
        return
      }

      if (!touched) {
        req.session.touch()
        touched = true
      }

      try {
        res.setHeader('Set-Cookie', appendHeader(res.getHeader('Set-Cookie'),
          requestCodec.render(req.sessionID, req.session.cookie)))
        debug('set-cookie %s', req.sessionID)
      } catch (err) {
        setImmediate(next, err)
      }
    })

    var _end = res.end
    var _write = res.write
    var ended = false

    res.end = function end (chunk, encoding) {
      if (ended) return false
      ended = true

      var ret
      var sync = true

      // Runs when the store answers: the rest of the response.
      function writeend () {
        if (sync) {
          ret = _end.call(res, chunk, encoding)
          sync = false
          return
        }
        _end.call(res)
      }

      // Runs now: headers and the body, but for the last byte when the
      // length is declared (so the client waits for the store).
      function writetop () {
        if (!sync) return ret

        if (!res.headersSent) res.writeHead(res.statusCode)

        if (chunk == null) {
          ret = true
          return ret
        }

        var contentLength = Number(res.getHeader('Content-Length'))
        if (!isNaN(contentLength) && contentLength > 0) {
          chunk = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk, encoding)
          encoding = undefined
          if (chunk.length !== 0) {
            debug('split response')
            ret = _write.call(res, chunk.subarray(0, chunk.length - 1))
            chunk = chunk.subarray(chunk.length - 1, chunk.length)
            return ret
          }
        }

        ret = _write.call(res, chunk, encoding)
        sync = false
        return ret
      }

      function done (err) {
        if (err) setImmediate(next, err)
        writeend()
      }

      if (shouldDestroy(req)) {
        debug('destroying')
        invoke(store.destroy, store, [req.sessionID], storeTimeout, done)
        return writetop()
      }

      if (!req.session) {
        debug('no session')
        return _end.call(res, chunk, encoding)
      }

      if (!touched) {
        req.session.touch()
        touched = true
      }

      var hash
      var decision
      try {
        hash = endHash = dataJson(req.session)
        decision = endDecision(req, hash)
      } catch (err) {
        // The session cannot be serialized (a circular structure, say).
        setImmediate(next, err)
        return _end.call(res, chunk, encoding)
      }

      if (decision === SAVE) {
        // The hash just computed is what gets saved: no second stringify.
        savedHash = hash
        debug('saving %s', req.session.id)
        var save = req.session.save
        if (save === Session.prototype.save) {
          if (isOwnMemoryStore()) {
            done(attempt(store.writeSync, store, req.session.id, req.session, hash))
          } else {
            invoke(store.set, store, [req.session.id, req.session], storeTimeout, done)
          }
        } else {
          invoke(save === wrappedSave ? baseSave : save, req.session, [], storeTimeout, done)
        }
        return writetop()
      }
      if (decision === TOUCH) {
        debug('touching')
        if (isOwnMemoryStore()) {
          done(attempt(store.touchSync, store, req.sessionID, req.session))
        } else {
          invoke(store.touch, store, [req.sessionID, req.session], storeTimeout, done)
        }
        return writetop()
      }
      return _end.call(res, chunk, encoding)
    }

    function generate () {
      store.generate(req)
      originalId = req.sessionID
      originalHash = dataJson(req.session)
      watchSaves(req.session)
    }

    function inflate (sess, storedData) {
      var storedKeys = storedData === undefined ? -1 : Object.keys(sess).length
      store.createSession(req, sess)
      originalId = req.sessionID
      // The stored JSON is what dataJson() would give, unless createSession
      // is not ours or Session dropped keys (ones that shadow its methods).
      originalHash = storedKeys === Object.keys(req.session).length &&
        store.createSession === Store.prototype.createSession
        ? storedData
        : dataJson(req.session)
      if (!resaveSession) savedHash = originalHash
      watchSaves(req.session)
    }

    // An explicit save() records what it saves. This package's sessions tell
    // through a hook on the request; sessions made by another copy of
    // express-session get their save and reload wrapped instead.
    function watchSaves (sess) {
      if (sess.save === Session.prototype.save && sess.reload === Session.prototype.reload) {
        req[SAVING] = recordSave
      } else {
        wrapMethods(sess)
      }
    }

    function recordSave (sess) {
      debug('saving %s', sess.id)
      savedHash = dataJson(sess)
    }

    // reload() rewraps the new req.session.
    function wrapMethods (sess) {
      var _reload = sess.reload
      var _save = sess.save

      function reload (callback) {
        debug('reloading %s', this.id)
        var reloaded = this
        _reload.call(this, function () {
          if (req.session !== reloaded && req.session) watchSaves(req.session)
          callback.apply(this, arguments)
        })
      }

      function save () {
        recordSave(this)
        _save.apply(this, arguments)
      }

      wrappedSave = save
      baseSave = _save
      defineMethod(sess, 'reload', reload)
      defineMethod(sess, 'save', save)
    }

    function isModified (sess, hash) {
      return originalId !== sess.id || originalHash !== hash
    }

    function isSaved (sess, hash) {
      return originalId === sess.id && savedHash === hash
    }

    function shouldDestroy (req) {
      return req.sessionID && unsetDestroy && req.session == null
    }

    function shouldSave (req, hash) {
      if (typeof req.sessionID !== 'string') {
        debug('session ignored because of bogus req.sessionID %o', req.sessionID)
        return false
      }
      // A new session is saved only once it holds something, unless
      // saveUninitialized.
      return !saveUninitializedSession && !savedHash && cookieId !== req.sessionID
        ? isModified(req.session, hash)
        : !isSaved(req.session, hash)
    }

    function endDecision (req, hash) {
      if (shouldSave(req, hash)) return SAVE
      if (storeImplementsTouch && typeof req.sessionID === 'string' && cookieId === req.sessionID) {
        return TOUCH
      }
      return NOTHING
    }

    function shouldSetCookie (req) {
      if (typeof req.sessionID !== 'string') return false
      return cookieId !== req.sessionID
        ? saveUninitializedSession || isModified(req.session, currentHash())
        : rollingSessions || (req.session.cookie.expires != null && isModified(req.session, currentHash()))
    }

    function currentHash () {
      return endHash !== undefined ? endHash : dataJson(req.session)
    }

    if (!req.sessionID) {
      debug('no SID sent, generating session')
      try {
        generate()
      } catch (err) {
        next(err)
        return
      }
      next()
      return
    }

    debug('fetching %s', req.sessionID)
    if (isOwnMemoryStore()) {
      store.readSync(req.sessionID, onLoad)
      return
    }
    invoke(store.get, store, [req.sessionID], storeTimeout, onLoad)

    // `storedData` is the session's dataJson() as stored, when the store knows it.
    function onLoad (err, sess, storedData) {
      if (err && err.code !== 'ENOENT') {
        debug('error %j', err)
        next(err)
        return
      }

      try {
        if (err || !sess) {
          debug('no session found')
          generate()
        } else {
          debug('session found')
          inflate(sess, storedData)
        }
      } catch (e) {
        next(e)
        return
      }

      next()
    }
  }
}

var NOTHING = 0
var SAVE = 1
var TOUCH = 2

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
function attempt (fn, thisArg, a, b, c) {
  try {
    fn.call(thisArg, a, b, c)
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
