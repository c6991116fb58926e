'use strict'

// The middleware alone, on synthetic req/res objects (no sockets): the same
// three scenarios for express-session 1.19.0 and express-session-rs, each
// with its own default MemoryStore.

var original = require('express-session-js')
var ours = require('..')
var measure = require('./measure')

var OPTIONS = { secret: 'keyboard cat', resave: false, saveUninitialized: true, cookie: { maxAge: 86400000 } }

// Just enough of http.ServerResponse for both middlewares and on-headers.
function FakeResponse (done) {
  this.statusCode = 200
  this.headersSent = false
  this._header = null
  this._headers = Object.create(null)
  this._done = done
}
FakeResponse.prototype.setHeader = function (name, value) { this._headers[name.toLowerCase()] = value }
FakeResponse.prototype.getHeader = function (name) { return this._headers[name.toLowerCase()] }
FakeResponse.prototype.removeHeader = function (name) { delete this._headers[name.toLowerCase()] }
FakeResponse.prototype.writeHead = function (statusCode) {
  this.statusCode = statusCode
  this.headersSent = true
  this._header = 'HTTP/1.1 ' + statusCode
  return this
}
FakeResponse.prototype._implicitHeader = function () { this.writeHead(this.statusCode) }
FakeResponse.prototype.write = function () {
  if (!this._header) this._implicitHeader()
  return true
}
FakeResponse.prototype.end = function () {
  if (!this._header) this._implicitHeader()
  var done = this._done
  this._done = null
  if (done) done(this)
  return this
}

function fakeRequest (cookieHeader) {
  var headers = cookieHeader ? { cookie: cookieHeader } : {}
  return { method: 'GET', url: '/', originalUrl: '/', headers: headers, socket: {}, connection: {} }
}

/** One request through `middleware`; `handle` plays the route. */
function runRequest (middleware, cookieHeader, handle, done) {
  var req = fakeRequest(cookieHeader)
  var res = new FakeResponse(function () { done(res) })
  middleware(req, res, function (err) {
    if (err) throw err
    handle(req, res)
  })
}

function sessionCookieOf (res) {
  var header = res.getHeader('set-cookie')
  return (Array.isArray(header) ? header[0] : header).split(';')[0]
}

function existingSession (middleware) {
  return new Promise(function (resolve) {
    runRequest(middleware, null, function (req, res) {
      req.session.user = { name: 'bob', roles: ['admin', 'editor'] }
      req.session.views = 1
      res.end('ok')
    }, function (res) { resolve(sessionCookieOf(res)) })
  })
}

function readOnly (req, res) {
  res.end(String(req.session.views))
}

function increment (req, res) {
  req.session.views++
  res.end(String(req.session.views))
}

// Each scenario gets fresh middlewares, each with its own default store.
function pair () {
  return { a: original(OPTIONS), b: ours(OPTIONS) }
}

async function run (options) {
  var ratios = {}
  measure.header('Middleware alone (per request, synthetic req/res)', 'express-session', 'express-session-rs')

  var fresh = pair()
  ratios.newSession = await measure.compareAsync('new session (saveUninitialized)',
    function (done) { runRequest(fresh.a, null, readOnly, function () { done() }) },
    function (done) { runRequest(fresh.b, null, readOnly, function () { done() }) }, options)

  var loaded = pair()
  var cookieA = await existingSession(loaded.a)
  var cookieB = await existingSession(loaded.b)
  ratios.existingUnmodified = await measure.compareAsync('existing session, unmodified (touch)',
    function (done) { runRequest(loaded.a, cookieA, readOnly, function () { done() }) },
    function (done) { runRequest(loaded.b, cookieB, readOnly, function () { done() }) }, options)
  ratios.existingModified = await measure.compareAsync('existing session, modified (save + cookie)',
    function (done) { runRequest(loaded.a, cookieA, increment, function () { done() }) },
    function (done) { runRequest(loaded.b, cookieB, increment, function () { done() }) }, options)

  // concurrency: 'merge' against the default, both this package.
  measure.header('concurrency: merge vs overwrite (this package, default MemoryStore)', 'overwrite', 'merge')
  var overwrite = ours(OPTIONS)
  var merge = ours(Object.assign({ concurrency: 'merge' }, OPTIONS))
  var cookieO = await existingSession(overwrite)
  var cookieM = await existingSession(merge)
  ratios.mergeUnmodified = await measure.compareAsync('existing session, unmodified (touch)',
    function (done) { runRequest(overwrite, cookieO, readOnly, function () { done() }) },
    function (done) { runRequest(merge, cookieM, readOnly, function () { done() }) }, options)
  ratios.mergeModified = await measure.compareAsync('existing session, modified (save + cookie)',
    function (done) { runRequest(overwrite, cookieO, increment, function () { done() }) },
    function (done) { runRequest(merge, cookieM, increment, function () { done() }) }, options)
  return ratios
}

module.exports = run

if (require.main === module) run({ rounds: 7, iterations: 5000 })
