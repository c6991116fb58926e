'use strict'

// absoluteTimeout (a session ends a fixed time after it began, however
// active) and clearCookieOnDestroy, with this package's MemoryStore and
// with a third-party store that keeps nothing but JSON.

var assert = require('assert')
var test = require('node:test')
var util = require('util')
var request = require('supertest')
var support = require('./support/server')

var session = support.session
var createServer = support.createServer
var sleep = support.sleep

// A callback store as third parties write them: JSON text in a Map, no
// expiry of its own, a touch that rewrites the cookie.
function JsonStore () {
  session.Store.call(this)
  this.sessions = new Map()
}
util.inherits(JsonStore, session.Store)

JsonStore.prototype.get = function get (sid, cb) {
  var json = this.sessions.get(sid)
  setImmediate(cb, null, json === undefined ? null : JSON.parse(json))
}
JsonStore.prototype.set = function set (sid, sess, cb) {
  this.sessions.set(sid, JSON.stringify(sess))
  setImmediate(cb)
}
JsonStore.prototype.touch = function touch (sid, sess, cb) {
  var json = this.sessions.get(sid)
  if (json !== undefined) {
    var stored = JSON.parse(json)
    stored.cookie = sess.cookie
    this.sessions.set(sid, JSON.stringify(stored))
  }
  setImmediate(cb)
}
JsonStore.prototype.destroy = function destroy (sid, cb) {
  this.sessions.delete(sid)
  setImmediate(cb)
}

var stores = {
  'own MemoryStore': function () { return new session.MemoryStore() },
  'JSON-only store': function () { return new JsonStore() }
}

function counter (req, res) {
  req.session.n = (req.session.n || 0) + 1
  res.end(JSON.stringify({ n: req.session.n, keys: Object.keys(req.session) }))
}

Object.keys(stores).forEach(function (storeName) {
  test(storeName + ': a rolling session polled every 300 ms ends at absoluteTimeout', async function () {
    var store = stores[storeName]()
    var server = createServer({
      store: store, rolling: true, resave: false, saveUninitialized: false, absoluteTimeout: 2500, cookie: { maxAge: 1000 }
    }, counter)
    var began = Date.now()
    var first = await request(server).get('/').expect(200)
    var jar = support.cookie(first)
    var id = support.sid(first)
    // The lifetime began when the server made the session, a little after
    // `began`: its end is the stored creation time plus absoluteTimeout.
    var created = (await new Promise(function (resolve, reject) {
      store.get(id, function (err, sess) { return err ? reject(err) : resolve(sess) })
    })).cookie.created
    assert.ok(created >= began && created <= Date.now(), 'created ' + created)
    var deadline = created + 2500
    var lastAlive = 0
    var endedAt = 0
    var res = first
    while (Date.now() - began < 4000) {
      var expires = Date.parse(support.setCookie(res).attributes.expires)
      assert.ok(expires <= deadline, 'Set-Cookie expires ' + new Date(expires).toISOString() + ' after the deadline')
      await sleep(300)
      var sent = Date.now()
      res = await request(server).get('/').set('Cookie', jar).expect(200)
      var body = JSON.parse(res.text)
      assert.deepStrictEqual(body.keys, ['cookie', 'n'])
      if (support.sid(res) !== id) {
        endedAt = sent
        assert.strictEqual(body.n, 1, 'a new, empty session')
        break
      }
      assert.strictEqual(body.n, lastAlive + 2, 'the same session')
      lastAlive = body.n - 1
    }
    assert.ok(endedAt, 'the session ended')
    assert.ok(endedAt - began >= 2300, 'alive until about 2.5 s, ended after ' + (endedAt - began) + ' ms')
    assert.ok(lastAlive >= 6, 'kept alive by polling: ' + lastAlive + ' polls')

    // The old cookie loads nothing, and its session is gone from the store.
    var again = await request(server).get('/').set('Cookie', jar).expect(200)
    assert.notStrictEqual(support.sid(again), id)
    assert.strictEqual(JSON.parse(again.text).n, 1)
    var stored = await new Promise(function (resolve) { store.get(id, function (err, sess) { resolve(err || sess) }) })
    assert.ok(!stored, 'the ended session is gone from the store')
    if (store instanceof JsonStore) assert.ok(!store.sessions.has(id))
  })

  test(storeName + ': the lifetime is stored with the session, not in its keys', async function () {
    var store = stores[storeName]()
    var server = createServer({ store: store, resave: false, saveUninitialized: false, absoluteTimeout: 60000 }, function (req, res) {
      if (req.url === '/set') req.session.user = 'ann'
      res.end(JSON.stringify({
        keys: Object.keys(req.session),
        cookieKeys: Object.keys(req.session.cookie).filter(function (k) { return /creat/.test(k) }),
        created: req.session.cookie.created
      }))
    })
    var before = Date.now()
    var res = await request(server).get('/set').expect(200)
    var body = JSON.parse(res.text)
    assert.deepStrictEqual(body.keys, ['cookie', 'user'])
    assert.deepStrictEqual(body.cookieKeys, [])
    assert.ok(body.created >= before && body.created <= Date.now())
    var loaded = JSON.parse((await request(server).get('/').set('Cookie', support.cookie(res)).expect(200)).text)
    assert.deepStrictEqual(loaded.keys, ['cookie', 'user'])
    assert.strictEqual(loaded.created, body.created, 'the stored creation time comes back')
  })
})

test('without absoluteTimeout nothing more is stored', async function () {
  var store = new JsonStore()
  var server = createServer({ store: store, resave: false, saveUninitialized: false }, counter)
  var res = await request(server).get('/').expect(200)
  var json = store.sessions.get(support.sid(res))
  assert.deepStrictEqual(Object.keys(JSON.parse(json).cookie), ['originalMaxAge', 'expires', 'httpOnly', 'path'])
})

test('a cookie without maxAge expires at the deadline, a longer maxAge is cut to it', async function () {
  var forms = [{}, { maxAge: 3600000 }]
  for (var i = 0; i < forms.length; i++) {
    var store = new JsonStore()
    var server = createServer({ store: store, resave: false, saveUninitialized: false, absoluteTimeout: 60000, cookie: forms[i] }, counter)
    // originalMaxAge is recomputed from the clock (see onHeldClock).
    var res = await support.onHeldClock(Date.now(), function () { return request(server).get('/').expect(200) })
    var stored = JSON.parse(store.sessions.get(support.sid(res))).cookie
    var deadline = stored.created + 60000
    assert.strictEqual(Date.parse(stored.expires), deadline)
    assert.strictEqual(stored.originalMaxAge, forms[i].maxAge || null, 'renewals still count from maxAge')
    assert.ok(Math.abs(Date.parse(support.setCookie(res).attributes.expires) - deadline) < 1000)
  }
})

test('regenerate() starts a new lifetime, with or without copy; reload() keeps it', async function () {
  var store = new JsonStore()
  var server = createServer({ store: store, resave: false, saveUninitialized: false, absoluteTimeout: 60000 }, function (req, res) {
    var before = req.session.cookie.created
    function reply (err) {
      if (err) throw err
      req.session.user = 'ann'
      res.end(JSON.stringify({ before: before, after: req.session.cookie.created, user: req.session.user }))
    }
    if (req.url === '/regenerate') req.session.regenerate(reply)
    else if (req.url === '/copy') req.session.regenerate({ copy: true }, reply)
    else if (req.url === '/reload') req.session.reload(reply)
    else reply()
  })
  var res = await request(server).get('/').expect(200)
  var jar = support.cookie(res)
  var created = JSON.parse(res.text).after
  await sleep(20)
  var reloaded = JSON.parse((await request(server).get('/reload').set('Cookie', jar).expect(200)).text)
  assert.strictEqual(reloaded.after, created)
  var paths = ['/regenerate', '/copy']
  for (var i = 0; i < paths.length; i++) {
    await sleep(20)
    var renewed = await request(server).get(paths[i]).set('Cookie', jar).expect(200)
    var body = JSON.parse(renewed.text)
    assert.strictEqual(body.before, created)
    assert.ok(body.after > body.before, paths[i] + ' starts a new lifetime')
    var stored = JSON.parse(store.sessions.get(support.sid(renewed))).cookie
    assert.strictEqual(stored.created, body.after)
    jar = support.cookie(renewed)
    created = body.after
  }
})

test('a session stored before absoluteTimeout was on starts its lifetime and keeps it', async function () {
  var store = new JsonStore()
  var before = createServer({ store: store, resave: false, saveUninitialized: false }, counter)
  var res = await request(before).get('/').expect(200)
  var id = support.sid(res)
  var after = createServer({ store: store, resave: false, saveUninitialized: false, absoluteTimeout: 60000 }, function (req, res) {
    res.end(String(req.session.cookie.created))
  })
  var first = Number((await request(after).get('/').set('Cookie', support.cookie(res)).expect(200)).text)
  assert.strictEqual(JSON.parse(store.sessions.get(id)).cookie.created, first, 'saved although unmodified')
  await sleep(20)
  var second = Number((await request(after).get('/').set('Cookie', support.cookie(res)).expect(200)).text)
  assert.strictEqual(second, first)
})

test('absoluteTimeout must be a non-negative number', function () {
  ;['1h', -1, NaN, Infinity, {}].forEach(function (value) {
    assert.throws(function () { session({ secret: 's', absoluteTimeout: value }) }, /absoluteTimeout option must be a non-negative number of milliseconds/)
  })
})

function destroyingServer (options) {
  return createServer(Object.assign({ resave: false, saveUninitialized: false, cookie: { path: '/app', domain: 'example.com', maxAge: 60000, sameSite: 'lax' } }, options), function (req, res) {
    if (req.url === '/app/login') {
      req.session.user = 'ann'
      res.end('in')
    } else if (req.url === '/app/logout') {
      req.session.destroy(function (err) { res.end(err ? err.message : 'out') })
    } else if (req.url === '/app/unset') {
      req.session = null
      res.end('unset')
    } else if (req.url === '/app/switch') {
      req.session.destroy(function () {
        req.sessionStore.regenerate(req, function () {
          req.session.user = 'bob'
          res.end('switched')
        })
      })
    } else {
      res.end(String(req.session && req.session.user))
    }
  })
}

async function login (server) {
  var res = await request(server).get('/app/login').expect(200, 'in')
  return support.cookie(res)
}

test('clearCookieOnDestroy: the logout response removes the cookie', async function () {
  var server = destroyingServer({ clearCookieOnDestroy: true, unset: 'destroy' })
  var paths = ['/app/logout', '/app/unset']
  for (var i = 0; i < paths.length; i++) {
    var jar = await login(server)
    var res = await request(server).get(paths[i]).set('Cookie', jar).expect(200)
    var cleared = support.setCookie(res)
    assert.ok(cleared, paths[i] + ' sends a Set-Cookie')
    assert.strictEqual(cleared.name, 'connect.sid')
    assert.strictEqual(cleared.value, '')
    assert.strictEqual(cleared.attributes.path, '/app')
    assert.strictEqual(cleared.attributes.domain, 'example.com')
    assert.strictEqual(cleared.attributes.expires, 'Thu, 01 Jan 1970 00:00:00 GMT')
    await request(server).get('/app/').set('Cookie', jar).expect(200, 'undefined')
  }
})

test('without clearCookieOnDestroy the logout response sets no cookie, as in 1.19', async function () {
  var server = destroyingServer({ unset: 'destroy' })
  var paths = ['/app/logout', '/app/unset']
  for (var i = 0; i < paths.length; i++) {
    var jar = await login(server)
    var res = await request(server).get(paths[i]).set('Cookie', jar).expect(200)
    assert.strictEqual(res.headers['set-cookie'], undefined)
  }
})

test('clearCookieOnDestroy: a session regenerated after the destroy keeps its cookie', async function () {
  var server = destroyingServer({ clearCookieOnDestroy: true })
  var jar = await login(server)
  var res = await request(server).get('/app/switch').set('Cookie', jar).expect(200, 'switched')
  assert.strictEqual(res.headers['set-cookie'].length, 1)
  var set = support.setCookie(res)
  assert.notStrictEqual(set.value, '')
  await request(server).get('/app/').set('Cookie', support.cookie(res)).expect(200, 'bob')
})

test("clearCookieOnDestroy: unset 'keep' destroys nothing and clears nothing", async function () {
  var server = destroyingServer({ clearCookieOnDestroy: true, unset: 'keep' })
  var jar = await login(server)
  var res = await request(server).get('/app/unset').set('Cookie', jar).expect(200)
  assert.strictEqual(res.headers['set-cookie'], undefined)
  await request(server).get('/app/').set('Cookie', jar).expect(200, 'ann')
})
