'use strict'

// When the middleware loads, saves, touches and sets the cookie.

var assert = require('assert')
var test = require('node:test')
var request = require('supertest')
var support = require('./support/server')

var session = support.session
var createServer = support.createServer
var cookie = support.cookie
var sid = support.sid

function counter (req, res) {
  req.session.count = (req.session.count || 0) + 1
  res.end(String(req.session.count))
}

test('a new session is created, saved and its cookie set', async function () {
  var store = new session.MemoryStore()
  var sets = support.countCalls(store, 'set')
  var server = createServer({ store: store }, counter)
  var res = await request(server).get('/').expect(200, '1')
  assert.strictEqual(support.setCookie(res).name, 'connect.sid')
  assert.strictEqual(sets.count, 1)
  await new Promise(function (resolve) {
    store.length(function (err, length) {
      assert.ifError(err)
      assert.strictEqual(length, 1)
      resolve()
    })
  })
})

test('the session is loaded from the cookie and persists changes', async function () {
  var server = createServer(null, counter)
  var res = await request(server).get('/').expect(200, '1')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, '2')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, '3')
})

test('an unmodified loaded session is touched, not saved, and gets no cookie (resave false)', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, resave: false }, function (req, res) {
    if (req.url === '/set') req.session.user = 'bob'
    res.end(String(req.session.user))
  })
  var res = await request(server).get('/set').expect(200, 'bob')
  var sets = support.countCalls(store, 'set')
  var touches = support.countCalls(store, 'touch')
  var again = await request(server).get('/').set('Cookie', cookie(res)).expect(200, 'bob')
  assert.strictEqual(again.headers['set-cookie'], undefined)
  assert.strictEqual(sets.count, 0)
  assert.strictEqual(touches.count, 1)
})

test('resave true saves unmodified loaded sessions', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, resave: true }, function (req, res) {
    req.session.user = 'bob'
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  var sets = support.countCalls(store, 'set')
  var touches = support.countCalls(store, 'touch')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200)
  assert.strictEqual(sets.count, 1)
  assert.strictEqual(touches.count, 0)
})

test('resave defaults to true', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    req.session.user = 'bob'
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  var sets = support.countCalls(store, 'set')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200)
  assert.strictEqual(sets.count, 1)
})

test('saveUninitialized false: an untouched new session is neither saved, touched nor sent', async function () {
  var store = new session.MemoryStore()
  var sets = support.countCalls(store, 'set')
  var touches = support.countCalls(store, 'touch')
  var server = createServer({ store: store, saveUninitialized: false })
  var res = await request(server).get('/').expect(200)
  assert.strictEqual(res.headers['set-cookie'], undefined)
  assert.strictEqual(sets.count, 0)
  assert.strictEqual(touches.count, 0)
})

test('saveUninitialized false still saves a modified new session', async function () {
  var store = new session.MemoryStore()
  var sets = support.countCalls(store, 'set')
  var server = createServer({ store: store, saveUninitialized: false }, counter)
  var res = await request(server).get('/').expect(200, '1')
  assert.ok(res.headers['set-cookie'])
  assert.strictEqual(sets.count, 1)
})

test('saveUninitialized defaults to true', async function () {
  var store = new session.MemoryStore()
  var sets = support.countCalls(store, 'set')
  var res = await request(createServer({ store: store })).get('/').expect(200)
  assert.ok(res.headers['set-cookie'])
  assert.strictEqual(sets.count, 1)
})

test('a nested key named cookie counts as a modification', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, resave: false }, function (req, res) {
    req.session.user = req.session.user || { cookie: 0 }
    req.session.user.cookie++
    res.end(String(req.session.user.cookie))
  })
  var res = await request(server).get('/').expect(200, '1')
  var sets = support.countCalls(store, 'set')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, '2')
  assert.strictEqual(sets.count, 1)
})

test('changes to the top-level cookie alone do not count as a modification', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, resave: false }, function (req, res) {
    if (req.url === '/init') req.session.user = 'bob'
    req.session.cookie.httpOnly = !req.session.cookie.httpOnly
    res.end()
  })
  var res = await request(server).get('/init').expect(200)
  var sets = support.countCalls(store, 'set')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200)
  assert.strictEqual(sets.count, 0)
})

test('cookie is only set again on a loaded session when it is modified and has an expiry', async function () {
  var modify = true
  var server = createServer(null, function (req, res) {
    if (modify) req.session.count = (req.session.count || 0) + 1
    res.end(String(req.session.count))
  })
  var res = await request(server).get('/').expect(200, '1')
  var val = cookie(res)
  modify = false
  var unmodified = await request(server).get('/').set('Cookie', val).expect(200, '1')
  assert.strictEqual(unmodified.headers['set-cookie'], undefined)
  modify = true
  var modified = await request(server).get('/').set('Cookie', val).expect(200, '2')
  assert.strictEqual(cookie(modified), val)
})

test('a browser-session cookie (no expiry) is not set again even when modified', async function () {
  var server = createServer({ cookie: {} }, counter)
  var res = await request(server).get('/').expect(200, '1')
  assert.strictEqual(support.setCookie(res).attributes.expires, undefined)
  var again = await request(server).get('/').set('Cookie', cookie(res)).expect(200, '2')
  assert.strictEqual(again.headers['set-cookie'], undefined)
})

test('rolling sets the cookie on every response of a known session', async function () {
  var server = createServer({ rolling: true }, function (req, res) {
    req.session.user = 'bob'
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  var again = await request(server).get('/').set('Cookie', cookie(res)).expect(200)
  assert.strictEqual(support.setCookie(again).name, 'connect.sid')
})

test('rolling does not send an uninitialized session when saveUninitialized is false', async function () {
  var store = new session.MemoryStore()
  var sets = support.countCalls(store, 'set')
  var res = await request(createServer({ store: store, rolling: true, saveUninitialized: false }))
    .get('/').expect(200)
  assert.strictEqual(res.headers['set-cookie'], undefined)
  assert.strictEqual(sets.count, 0)
})

test('a session expired in the store is replaced by a new one with a new ID', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, cookie: { maxAge: 5 } }, counter)
  var res = await request(server).get('/').expect(200, '1')
  await new Promise(function (resolve) { setTimeout(resolve, 20) })
  var again = await request(server).get('/').set('Cookie', cookie(res)).expect(200, '1')
  assert.notStrictEqual(sid(again), sid(res))
})

test('an ID missing from the store gets a new session with a new ID', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, counter)
  var res = await request(server).get('/').expect(200, '1')
  await new Promise(function (resolve) { store.clear(resolve) })
  var again = await request(server).get('/').set('Cookie', cookie(res)).expect(200, '1')
  assert.notStrictEqual(sid(again), sid(res))
})

test('an unsigned or badly signed cookie is ignored without a store lookup', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, name: 'sessid' }, counter)
  var res = await request(server).get('/').expect(200, '1')
  var gets = support.countCalls(store, 'get')
  var tampered = cookie(res).replace(/...\./, '.')
  var again = await request(server).get('/').set('Cookie', tampered).expect(200, '1')
  assert.notStrictEqual(sid(again), sid(res))
  await request(server).get('/').set('Cookie', 'sessid=' + sid(res)).expect(200, '1')
  assert.strictEqual(gets.count, 0)
})

test('a bogus req.sessionID disables saving and the cookie', async function () {
  var store = new session.MemoryStore()
  var sets = support.countCalls(store, 'set')
  var server = createServer({ store: store }, function (req, res) {
    req.sessionID = 42
    req.session.user = 'bob'
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  assert.strictEqual(res.headers['set-cookie'], undefined)
  assert.strictEqual(sets.count, 0)
})

test('an uninitialized session is never touched', async function () {
  var store = new session.MemoryStore()
  var touches = support.countCalls(store, 'touch')
  await request(createServer({ store: store, saveUninitialized: false })).get('/').expect(200)
  assert.strictEqual(touches.count, 0)
})

test('touch() on an existing session moves its stored expiry', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, resave: false, cookie: { maxAge: 60000 } }, function (req, res) {
    req.session.hit = true
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  var id = sid(res)
  var first = await new Promise(function (resolve) { store.get(id, function (err, s) { assert.ifError(err); resolve(s) }) })
  await new Promise(function (resolve) { setTimeout(resolve, 50) })
  await request(server).get('/').set('Cookie', cookie(res)).expect(200)
  var second = await new Promise(function (resolve) { store.get(id, function (err, s) { assert.ifError(err); resolve(s) }) })
  assert.ok(new Date(second.cookie.expires) > new Date(first.cookie.expires))
})

test('unset keep (default) leaves the store alone when req.session is nulled', async function () {
  var store = new session.MemoryStore()
  var destroys = support.countCalls(store, 'destroy')
  var server = createServer({ store: store }, function (req, res) {
    req.session.count = (req.session.count || 0) + 1
    if (req.session.count === 2) req.session = null
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  await request(server).get('/').set('Cookie', cookie(res)).expect(200)
  assert.strictEqual(destroys.count, 0)
  var stored = await new Promise(function (resolve) { store.get(sid(res), function (err, s) { assert.ifError(err); resolve(s) }) })
  assert.strictEqual(stored.count, 1)
})

test('unset destroy removes the stored session when req.session is nulled or deleted', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, unset: 'destroy' }, function (req, res) {
    req.session.count = (req.session.count || 0) + 1
    if (req.session.count === 2) delete req.session
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  await request(server).get('/').set('Cookie', cookie(res)).expect(200)
  var length = await new Promise(function (resolve) { store.length(function (err, n) { assert.ifError(err); resolve(n) }) })
  assert.strictEqual(length, 0)
})

test('unset destroy on a brand-new session sends no cookie', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, unset: 'destroy' }, function (req, res) {
    req.session = null
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  assert.strictEqual(res.headers['set-cookie'], undefined)
})

test('the store being disconnected means no session until it connects again', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    res.end(typeof req.session)
  })
  store.emit('disconnect')
  var res = await request(server).get('/').expect(200, 'undefined')
  assert.strictEqual(res.headers['set-cookie'], undefined)
  store.emit('connect')
  await request(server).get('/').expect(200, 'object')
})

test('an existing req.session is left alone', async function () {
  var res = await request(createServer(null, null, function (req) { req.session = {} }))
    .get('/').expect(200)
  assert.strictEqual(res.headers['set-cookie'], undefined)
})

test('only data and cookie are enumerable on req.session', async function () {
  var server = createServer(null, function (req, res) {
    req.session.a = 1
    req.session.b = 'x'
    var keys = []
    for (var key in req.session) keys.push(key)
    res.end(keys.sort().join(',') + '|' + req.session.id + '|' + req.sessionID)
  })
  var res = await request(server).get('/').expect(200)
  var parts = res.text.split('|')
  assert.strictEqual(parts[0], 'a,b,cookie')
  assert.strictEqual(parts[1], parts[2])
  assert.strictEqual(parts[1], sid(res))
})

test('a cookie path that does not prefix the original URL means no session', async function () {
  var server = createServer({ cookie: { path: '/admin' } }, function (req, res) {
    res.end(typeof req.session)
  })
  await request(server).get('/').expect(200, 'undefined')
  await request(server).get('/admin/x').expect(200, 'object')
})

test('a mounted app is matched on the original URL', async function () {
  var server = createServer({ cookie: { path: '/foo/bar' } }, function (req, res) {
    res.end(typeof req.session)
  }, function (req) {
    if (req.url.indexOf('/foo') === 0) {
      req.originalUrl = req.url
      req.url = req.url.slice(4)
    }
  })
  await request(server).get('/foo/bar').expect(200, 'object')
  await request(server).get('/foo/foo/bar').expect(200, 'undefined')
})

test('secrets: the first signs, every one verifies', async function () {
  var store = new session.MemoryStore()
  var oldApp = createServer({ secret: 'old', store: store }, function (req, res) {
    req.session.user = 'bob'
    res.end('bob')
  })
  var rotated = createServer({ secret: ['new', 'old'], store: store }, function (req, res) {
    res.end(String(req.session.user))
  })
  var newOnly = createServer({ secret: 'new', store: store }, function (req, res) {
    res.end(String(req.session.user))
  })
  var res = await request(oldApp).get('/').expect(200, 'bob')
  await request(rotated).get('/').set('Cookie', cookie(res)).expect(200, 'bob')
  await request(newOnly).get('/').set('Cookie', cookie(res)).expect(200, 'undefined')

  var signedByRotated = await request(createServer({ secret: ['new', 'old'], store: store }, function (req, res) {
    req.session.user = 'alice'
    res.end()
  })).get('/').expect(200)
  await request(newOnly).get('/').set('Cookie', cookie(signedByRotated)).expect(200, 'alice')
})

test('a Buffer secret signs and verifies', async function () {
  var server = createServer({ secret: require('crypto').randomBytes(32) }, counter)
  var res = await request(server).get('/').expect(200, '1')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, '2')
})

test('the secret array is read per request: secrets rotated in place apply at once', async function () {
  var signature = require('cookie-signature')
  var secrets = ['first']
  var server = createServer({ secret: secrets, resave: false, saveUninitialized: false }, counter)
  var signedBy = function (res) {
    var value = decodeURIComponent(support.setCookie(res).value).slice(2)
    return ['first', 'second'].filter(function (s) { return signature.unsign(value, s) !== false })[0]
  }
  var old = await request(server).get('/').expect(200, '1')
  assert.strictEqual(signedBy(old), 'first')

  secrets.unshift('second')
  var fresh = await request(server).get('/').expect(200, '1')
  assert.strictEqual(signedBy(fresh), 'second')
  await request(server).get('/').set('Cookie', cookie(old)).expect(200, '2')

  // The leaked secret is removed: its cookies no longer load anything.
  secrets.pop()
  await request(server).get('/').set('Cookie', cookie(old)).expect(200, '1')
  await request(server).get('/').set('Cookie', cookie(fresh)).expect(200, '2')

  // Emptied: an error, not a crash.
  secrets.pop()
  await request(server).get('/').expect(500, /at least one secret/)
  secrets.push('third')
  await request(server).get('/').set('Cookie', cookie(fresh)).expect(200, '1')
})
