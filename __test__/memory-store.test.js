'use strict'

// The MemoryStore: express-session's method set and callback timing, expiry
// without reads, bounds, and memory that really comes back.

var assert = require('assert')
var childProcess = require('child_process')
var path = require('path')
var test = require('node:test')
var session = require('..')
var ownStore = require('../lib/own-memory-store')
var storeCalls = require('./support/store-calls')

var MemoryStore = session.MemoryStore
var call = storeCalls.call
var sessionExpiringIn = storeCalls.sessionExpiringIn
var sleep = require('./support/server').sleep

test('get, set, length, all, ids, destroy, clear call back on a later tick', async function (t) {
  var store = new MemoryStore()
  t.after(function () { store.close() })
  await call(store, 'set', 'a', sessionExpiringIn(60000, { n: 1 }))
  await call(store, 'set', 'b', sessionExpiringIn(60000, { n: 2 }))
  var a = await call(store, 'get', 'a')
  assert.strictEqual(a.n, 1)
  assert.strictEqual(typeof a.cookie.expires, 'string')
  assert.deepStrictEqual(Object.keys(a).sort(), ['cookie', 'n'])
  assert.strictEqual(await call(store, 'get', 'missing'), undefined)
  assert.strictEqual(await call(store, 'length'), 2)
  var all = await call(store, 'all')
  assert.deepStrictEqual(Object.keys(all).sort(), ['a', 'b'])
  assert.strictEqual(all.b.n, 2)
  assert.deepStrictEqual((await call(store, 'ids')).sort(), ['a', 'b'])
  await call(store, 'destroy', 'a')
  assert.strictEqual(await call(store, 'get', 'a'), undefined)
  await call(store, 'clear')
  assert.strictEqual(await call(store, 'length'), 0)
})

test('callbacks are optional', async function (t) {
  var store = new MemoryStore()
  t.after(function () { store.close() })
  store.set('a', sessionExpiringIn(60000, { n: 1 }))
  store.touch('a', sessionExpiringIn(60000))
  store.get('a')
  store.destroy('b')
  store.length()
  store.all()
  store.clear()
  await sleep(5)
  assert.strictEqual(await call(store, 'length'), 0)
})

test('an expired session is absent and deleted', async function (t) {
  var store = new MemoryStore({ checkPeriod: 0 })
  t.after(function () { store.close() })
  await call(store, 'set', 'old', sessionExpiringIn(-1))
  await call(store, 'set', 'new', sessionExpiringIn(60000))
  assert.strictEqual(await call(store, 'get', 'old'), undefined)
  assert.strictEqual(store.usage().sessions, 1)
  assert.strictEqual(await call(store, 'length'), 1)
  assert.deepStrictEqual(Object.keys(await call(store, 'all')), ['new'])
})

test('expired sessions are reclaimed by the sweep, with nobody reading them', async function (t) {
  var store = new MemoryStore({ checkPeriod: 20 })
  t.after(function () { store.close() })
  for (var i = 0; i < 1000; i++) store.set('s' + i, sessionExpiringIn(i < 600 ? 30 : 60000))
  await sleep(5)
  assert.strictEqual(store.usage().sessions, 1000)
  await sleep(120)
  assert.strictEqual(store.usage().sessions, 400)
})

test('touch refreshes the cookie and expiry and keeps the data', async function (t) {
  var store = new MemoryStore({ checkPeriod: 10 })
  t.after(function () { store.close() })
  await call(store, 'set', 'a', sessionExpiringIn(50, { keep: 'me' }))
  await call(store, 'touch', 'a', sessionExpiringIn(60000, { ignored: true }))
  await sleep(100)
  var a = await call(store, 'get', 'a')
  assert.strictEqual(a.keep, 'me')
  assert.strictEqual(a.ignored, undefined)
  assert.strictEqual(a.cookie.originalMaxAge, 60000)
  // Touching a missing session stores nothing.
  await call(store, 'touch', 'missing', sessionExpiringIn(60000))
  assert.strictEqual(await call(store, 'get', 'missing'), undefined)
})

test('sessions without an expiry live for ttl', async function (t) {
  var store = new MemoryStore({ ttl: 40, checkPeriod: 10 })
  t.after(function () { store.close() })
  await call(store, 'set', 'a', { cookie: { originalMaxAge: null, expires: null, path: '/' }, n: 1 })
  assert.strictEqual((await call(store, 'get', 'a')).n, 1)
  await sleep(100)
  assert.strictEqual(store.usage().sessions, 0)
})

test('max keeps the most recently used sessions', async function (t) {
  var store = new MemoryStore({ max: 3 })
  t.after(function () { store.close() })
  await call(store, 'set', 'a', sessionExpiringIn(60000))
  await call(store, 'set', 'b', sessionExpiringIn(60000))
  await call(store, 'set', 'c', sessionExpiringIn(60000))
  await call(store, 'get', 'a')
  await call(store, 'set', 'd', sessionExpiringIn(60000))
  assert.deepStrictEqual((await call(store, 'ids')).sort(), ['a', 'c', 'd'])
})

test('maxBytes bounds the stored bytes; an oversize session is an error and loses nothing else', async function (t) {
  var store = new MemoryStore({ maxBytes: 1000 })
  t.after(function () { store.close() })
  for (var i = 0; i < 20; i++) await call(store, 'set', 'session-' + i, sessionExpiringIn(60000, { i: i }))
  assert.ok(store.usage().bytes <= 1000)
  var kept = await call(store, 'ids')
  assert.ok(kept.length > 0 && kept.length < 20)
  assert.ok(kept.indexOf('session-19') !== -1)
  await assert.rejects(call(store, 'set', 'huge', sessionExpiringIn(60000, { blob: 'x'.repeat(2000) })), /exceeds the store's maxBytes/)
  assert.deepStrictEqual((await call(store, 'ids')).sort(), kept.sort())
})

test('bad input is an error through the callback, never a crash', async function (t) {
  var store = new MemoryStore()
  t.after(function () { store.close() })
  await call(store, 'set', 'good', sessionExpiringIn(60000, { n: 1 }))
  await assert.rejects(call(store, 'get', 42), /session ID must be a string/)
  await assert.rejects(call(store, 'set', null, sessionExpiringIn(60000)), TypeError)
  await assert.rejects(call(store, 'destroy', {}), TypeError)
  var circular = sessionExpiringIn(60000)
  circular.self = circular
  await assert.rejects(call(store, 'set', 'bad', circular), /circular/i)
  await assert.rejects(call(store, 'set', 'nocookie', undefined), TypeError)
  assert.strictEqual((await call(store, 'get', 'good')).n, 1)
  assert.strictEqual(await call(store, 'length'), 1)
  assert.throws(function () { return new MemoryStore({ max: -1 }) }, /max must be a non-negative number/)
})

test('sessions stored without a cookie come back without one', async function (t) {
  var store = new MemoryStore()
  t.after(function () { store.close() })
  await call(store, 'set', 'a', { foo: 'bar' })
  assert.deepStrictEqual(await call(store, 'get', 'a'), { foo: 'bar' })
})

test('a session loaded for the middleware is the one createSession makes from get', async function (t) {
  var store = new MemoryStore()
  t.after(function () { store.close() })
  var cookies = [
    new session.Cookie({ maxAge: 60000 }),
    new session.Cookie({ maxAge: 5000, domain: 'example.com', sameSite: 'strict', secure: false, priority: 'high', partitioned: true, path: '/app' }),
    new session.Cookie({ httpOnly: false }),
    // Not what a Cookie renders: kept whole or rebuilt from its JSON.
    { path: '/', expires: new Date(Date.now() + 60000), custom: { deep: [1] } },
    // The same shape as the first: stored by its template.
    new session.Cookie({ maxAge: 30000 }),
    new session.Cookie({ maxAge: 30000 }),
    // The default cookie, with no date: stored by a template as it is.
    new session.Cookie(),
    new session.Cookie()
  ]
  for (var i = 0; i < cookies.length; i++) {
    var id = 'session-' + i
    var stored = { cookie: cookies[i], n: i, nested: { list: [i, 'x'] }, save: 'shadowed' }
    await call(store, 'set', id, stored)
    await storeCalls.assertLoadsAsCreated(store, ownStore.load, id, cookies[i])
  }
  assert.strictEqual(ownStore.load(store, { sessionID: 'absent' }), null)
})

test('sessions with the default cookie (no maxAge) are stored by template and expire by the ttl', async function (t) {
  var support = require('./support/server')
  var request = require('supertest')
  var store = new MemoryStore({ ttl: 400 })
  t.after(function () { store.close() })
  var server = support.createServer({ store: store, cookie: {}, resave: false, saveUninitialized: false }, function (req, res) {
    req.session.views = (req.session.views || 0) + 1
    res.end(String(req.session.views))
  })
  var first = await request(server).get('/').expect(200, '1')
  var cookie = support.cookie(first)
  assert.ok(!/expires/i.test(first.headers['set-cookie'][0]), 'a browser-session cookie')
  var id = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0]
  var stored = store._storage.load(id)
  assert.ok(stored.templateId >= 0, 'stored by template')
  assert.strictEqual(stored.json, '{"views":1}')
  var second = await request(server).get('/').set('Cookie', cookie).expect(200, '2')
  assert.strictEqual(second.headers['set-cookie'], undefined, 'no Set-Cookie for a cookie without expiry')
  assert.deepStrictEqual(await call(store, 'get', id), {
    cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/' },
    views: 2
  })
  // Each save moved the expiry to the ttl from then, not from the first save.
  await sleep(250)
  await request(server).get('/').set('Cookie', cookie).expect(200, '3')
  await sleep(250)
  await request(server).get('/').set('Cookie', cookie).expect(200, '4')
  await sleep(500)
  await request(server).get('/').set('Cookie', cookie).expect(200, '1')
})

test('the store is an EventEmitter Store and leaves no handle open', function () {
  assert.ok(new MemoryStore() instanceof session.Store)
  var root = JSON.stringify(path.join(__dirname, '..'))
  var start = Date.now()
  var result = childProcess.spawnSync(process.execPath, ['-e',
    'var s = require(' + root + '); var store = new s.MemoryStore({ checkPeriod: 1000 }); store.set("a", { cookie: {} }); s({ secret: "x", resave: false, saveUninitialized: false })'
  ], { timeout: 10000 })
  assert.strictEqual(result.status, 0, String(result.stderr))
  assert.ok(Date.now() - start < 5000, 'the process exited by itself')
})

test('a store dropped without close() stops its sweep timer when collected', async function (t) {
  var gc = collector()
  var cleared = 0
  var clearInterval = global.clearInterval
  global.clearInterval = function (timer) {
    cleared++
    return clearInterval(timer)
  }
  t.after(function () { global.clearInterval = clearInterval })
  ;(function () {
    for (var i = 0; i < 20; i++) new MemoryStore({ checkPeriod: 1000 }) // eslint-disable-line no-new
  })()
  // cleared changes in finalizers, which run between rounds.
  for (var round = 0; round < 10 && cleared < 20; round++) { // eslint-disable-line no-unmodified-loop-condition
    gc()
    await sleep(20)
  }
  // Stores dropped by earlier tests may be collected too.
  assert.ok(cleared >= 20, cleared + ' timers cleared')
})

// The garbage collector, with or without --expose-gc on the command line.
function collector () {
  require('v8').setFlagsFromString('--expose-gc')
  return require('vm').runInNewContext('gc')
}

// V8's young generation grows with the garbage a test makes and keeps its
// pages after a collection; capping it leaves the store's own memory to see.
function reclaim (count) {
  var result = childProcess.spawnSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1',
    path.join(__dirname, 'support', 'reclaim.js'), String(count)], { encoding: 'utf8', timeout: 120000 })
  assert.strictEqual(result.status, 0, result.stderr)
  return JSON.parse(result.stdout)
}

test('with default options, memory is back within 10 s after 200k sessions expire', function (t) {
  var report = reclaim(200000)
  t.diagnostic(JSON.stringify(report))
  assert.strictEqual(report.left, 0)
  assert.ok(report.peak > 30, 'the store grew by ' + report.peak + ' MiB')
  assert.ok(report.goneAfterMs < 10000, 'gone ' + report.goneAfterMs + ' ms after expiry')
  assert.ok(report.after < 10, 'RSS +' + report.after + ' MiB over the baseline once they are gone')
  // The rest of that is file-backed: code pages of node the work touched.
  assert.ok(report.afterAnon < 4, 'anonymous RSS +' + report.afterAnon + ' MiB over the baseline once they are gone')
})

test('1M sessions expiring in one millisecond are swept in slices of about a millisecond', function (t) {
  var report = reclaim(1000000)
  t.diagnostic(JSON.stringify(report))
  assert.strictEqual(report.left, 0)
  assert.ok(report.slices > 100, report.slices + ' slices')
  assert.ok(report.sliceMedianMs < 1.5, 'median slice ' + report.sliceMedianMs + ' ms')
  // One sweep of them all takes hundreds of ms; the rare longer slice is
  // this machine's scheduling, which a busy loop of JS sees as well.
  assert.ok(report.sliceP90Ms < 2.5, '90th percentile slice ' + report.sliceP90Ms + ' ms')
  assert.ok(report.sliceMaxMs < 50, 'longest slice ' + report.sliceMaxMs + ' ms')
})

test('checkPeriod: 0 turns sweeping off', async function (t) {
  var store = new MemoryStore({ checkPeriod: 0 })
  t.after(function () { store.close() })
  for (var i = 0; i < 10; i++) store.set('s' + i, sessionExpiringIn(20))
  await sleep(1300)
  assert.strictEqual(store.usage().sessions, 10)
  assert.strictEqual(await call(store, 'length'), 0)
})

test('a touch that would not fit maxBytes is an error through next(err) and wipes nobody', async function (t) {
  var express = require('express')
  var request = require('supertest')
  var store = new MemoryStore({ maxBytes: 50 * 400 })
  t.after(function () { store.close() })
  var errors = []
  var app = express()
  app.use(session({ secret: 'k', store: store, resave: false, saveUninitialized: false, cookie: { maxAge: 60000 } }))
  app.get('/login/:name', function (req, res) { req.session.user = req.params.name; res.end('ok') })
  app.get('/me', function (req, res) { res.end(String(req.session.user)) })
  // The data does not change, so the store is only touched, with this cookie.
  app.get('/wide', function (req, res) { req.session.cookie.domain = 'x'.repeat(50 * 400); res.end('wide') })
  app.use(function (err, req, res, next) { errors.push(err); if (!res.headersSent) res.status(500).end() })

  var cookies = []
  for (var i = 0; i < 50; i++) {
    var res = await request(app).get('/login/user' + i).expect(200)
    cookies.push(res.headers['set-cookie'][0].split(';')[0])
  }
  assert.strictEqual(store.usage().sessions, 50)
  await request(app).get('/wide').set('Cookie', cookies[0]).expect(200, 'wide')
  await sleep(20)
  assert.strictEqual(errors.length, 1)
  assert.match(errors[0].message, /exceeds the store's maxBytes/)
  for (i = 0; i < 50; i++) await request(app).get('/me').set('Cookie', cookies[i]).expect(200, 'user' + i)
})
