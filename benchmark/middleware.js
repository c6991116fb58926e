'use strict'

// The middleware alone, on synthetic req/res objects (no sockets): the same
// three scenarios for express-session 1.19.0 and express-session-rs, each
// with its own default MemoryStore.

var original = require('express-session-js')
var ours = require('..')
var measure = require('./measure')
var realisticRequest = require('./realistic-request')

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

// A small session (a user and a counter), and a realistic one: a user
// object, a CSRF secret and a counter, with three other cookies sent.
var SMALL = {
  data: function () { return { user: { name: 'bob', roles: ['admin', 'editor'] }, views: 1 } },
  header: function (cookie) { return cookie }
}
var REALISTIC = {
  data: function () { return realisticRequest.sessionData(1) },
  header: realisticRequest.cookieHeader
}

function existingSession (middleware, kind) {
  return new Promise(function (resolve) {
    runRequest(middleware, null, function (req, res) {
      Object.assign(req.session, kind.data())
      res.end('ok')
    }, function (res) { resolve(kind.header(sessionCookieOf(res))) })
  })
}

function readOnly (req, res) {
  res.end(String(req.session.views))
}

function increment (req, res) {
  req.session.views++
  res.end(String(req.session.views))
}

// The three scenarios for one kind of session and `cookie` option; each
// gets fresh middlewares, each with its own default store.
async function compareScenarios (label, kind, cookie, options, ratios, prefix) {
  var opts = Object.assign({}, OPTIONS, { cookie: cookie })
  var fresh = { a: original(opts), b: ours(opts) }
  ratios[prefix + 'newSession'] = await measure.compareAsync(label + 'new session (saveUninitialized)',
    function (done) { runRequest(fresh.a, kind.header(''), readOnly, function () { done() }) },
    function (done) { runRequest(fresh.b, kind.header(''), readOnly, function () { done() }) }, options)

  var loaded = { a: original(opts), b: ours(opts) }
  var cookieA = await existingSession(loaded.a, kind)
  var cookieB = await existingSession(loaded.b, kind)
  ratios[prefix + 'existingUnmodified'] = await measure.compareAsync(label + 'existing, unmodified (touch)',
    function (done) { runRequest(loaded.a, cookieA, readOnly, function () { done() }) },
    function (done) { runRequest(loaded.b, cookieB, readOnly, function () { done() }) }, options)
  ratios[prefix + 'existingModified'] = await measure.compareAsync(label + 'existing, modified (save)',
    function (done) { runRequest(loaded.a, cookieA, increment, function () { done() }) },
    function (done) { runRequest(loaded.b, cookieB, increment, function () { done() }) }, options)
}

async function run (options) {
  var ratios = {}
  measure.header('Middleware alone (per request, synthetic req/res)', 'express-session', 'express-session-rs')
  await compareScenarios('', SMALL, OPTIONS.cookie, options, ratios, '')
  await compareScenarios('realistic: ', REALISTIC, OPTIONS.cookie, options, ratios, 'realistic.')
  await compareScenarios('realistic, default cookie: ', REALISTIC, {}, options, ratios, 'defaultCookie.')

  // concurrency: 'merge' against the default, both this package.
  measure.header('concurrency: merge vs overwrite (this package, default MemoryStore)', 'overwrite', 'merge')
  var overwrite = ours(OPTIONS)
  var merge = ours(Object.assign({ concurrency: 'merge' }, OPTIONS))
  var cookieO = await existingSession(overwrite, SMALL)
  var cookieM = await existingSession(merge, SMALL)
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
