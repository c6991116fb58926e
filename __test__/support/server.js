'use strict'

// Test harness: a plain http server running the middleware, and helpers to
// read the Set-Cookie header it answers with.

var http = require('http')
var signature = require('cookie-signature')
var session = require('../..')

process.env.NO_DEPRECATION = process.env.NO_DEPRECATION || 'express-session'

/**
 * A server running session(options) then `respond` (default: end). Errors
 * from the middleware become a 500 with the message while headers are not
 * sent, and are emitted as 'error' on the server after that.
 */
function createServer (options, respond, setup) {
  var middleware = session(withDefaults(options))
  var server = http.createServer(function (req, res) {
    if (setup) setup(req, res)
    middleware(req, res, function (err) {
      if (err && !res.headersSent) {
        res.statusCode = err.status || 500
        res.end(err.message)
        return
      }
      if (err) {
        server.emit('error', err)
        return
      }
      if (respond) respond(req, res)
      else res.end()
    })
  })
  return server
}

function withDefaults (options) {
  var opts = Object.assign({}, options)
  if (!('secret' in opts)) opts.secret = 'keyboard cat'
  if (!('cookie' in opts)) opts.cookie = { maxAge: 60 * 1000 }
  return opts
}

/** The first Set-Cookie header of a response, as `name=value` for a request. */
function cookie (res) {
  var header = res.headers['set-cookie']
  return header ? header[0].split(';')[0] : undefined
}

/** The Set-Cookie header parsed into { name, value, attributes (lower-case keys) }. */
function parseSetCookie (header) {
  var parts = header.split(/; */)
  var first = parts.shift()
  var eq = first.indexOf('=')
  var parsed = { name: first.slice(0, eq), value: first.slice(eq + 1), attributes: {} }
  parts.forEach(function (part) {
    var i = part.indexOf('=')
    if (i === -1) parsed.attributes[part.toLowerCase()] = true
    else parsed.attributes[part.slice(0, i).toLowerCase()] = part.slice(i + 1)
  })
  return parsed
}

function setCookie (res) {
  var header = res.headers['set-cookie']
  return header ? parseSetCookie(header[0]) : undefined
}

/** The session ID inside a response's session cookie. */
function sid (res) {
  var parsed = setCookie(res)
  if (!parsed) return undefined
  var value = decodeURIComponent(parsed.value)
  return value.slice(2, value.lastIndexOf('.'))
}

/** A request's Cookie header for session `sessionId`, signed with `secret`. */
function sessionCookie (sessionId, secret) {
  return 'connect.sid=' + encodeURIComponent('s:' + signature.sign(sessionId, secret))
}

function sleep (ms) {
  return new Promise(function (resolve) { setTimeout(resolve, ms) })
}

/**
 * Runs `work` (which may return a promise, or a supertest request) with
 * Date.now held at `time`. Setting a cookie's expiry recomputes its
 * originalMaxAge from the clock, as express-session's Cookie does, so a
 * millisecond passing within a request would change it by one.
 */
function onHeldClock (time, work) {
  var now = Date.now
  function restore () { Date.now = now }
  Date.now = function () { return time }
  var result
  try {
    result = work()
  } catch (err) {
    restore()
    throw err
  }
  if (result === null || typeof result !== 'object' || typeof result.then !== 'function') {
    restore()
    return result
  }
  return result.then(function (value) {
    restore()
    return value
  }, function (err) {
    restore()
    throw err
  })
}

/** Counts calls to one store method, still calling through. */
function countCalls (store, method) {
  var original = store[method]
  var counter = { count: 0 }
  store[method] = function () {
    counter.count++
    return original.apply(this, arguments)
  }
  return counter
}

module.exports = {
  cookie: cookie,
  countCalls: countCalls,
  createServer: createServer,
  onHeldClock: onHeldClock,
  parseSetCookie: parseSetCookie,
  session: session,
  sessionCookie: sessionCookie,
  setCookie: setCookie,
  sid: sid,
  sleep: sleep
}
