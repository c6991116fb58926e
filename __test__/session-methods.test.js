'use strict'

// Session methods: regenerate, destroy, reload, save, touch, resetMaxAge.

var assert = require('assert')
var test = require('node:test')
var request = require('supertest')
var support = require('./support/server')

var session = support.session
var createServer = support.createServer
var cookie = support.cookie
var sid = support.sid

function storeGet (store, id) {
  return new Promise(function (resolve, reject) {
    store.get(id, function (err, sess) { return err ? reject(err) : resolve(sess) })
  })
}

test('regenerate replaces the session and removes the old ID from the store', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    if (req.url === '/login') {
      var before = req.session.id
      req.session.regenerate(function (err) {
        assert.ifError(err)
        req.session.user = 'bob'
        res.end(String(req.session.id !== before && req.sessionID === req.session.id))
      })
      return
    }
    req.session.visited = true
    res.end(String(req.session.user))
  })
  var res = await request(server).get('/').expect(200, 'undefined')
  var login = await request(server).get('/login').set('Cookie', cookie(res)).expect(200, 'true')
  assert.notStrictEqual(sid(login), sid(res))
  assert.strictEqual(await storeGet(store, sid(res)), undefined)
  await request(server).get('/').set('Cookie', cookie(login)).expect(200, 'bob')
})

test('destroy removes req.session and the stored session, and sends no cookie', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    if (req.url === '/logout') {
      req.session.destroy(function (err) {
        assert.ifError(err)
        res.end(String(req.session))
      })
      return
    }
    req.session.user = 'bob'
    res.end('in')
  })
  var res = await request(server).get('/').expect(200, 'in')
  var out = await request(server).get('/logout').set('Cookie', cookie(res)).expect(200, 'undefined')
  assert.strictEqual(out.headers['set-cookie'], undefined)
  assert.strictEqual(await storeGet(store, sid(res)), undefined)
})

test('reload replaces req.session with the stored copy', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    if (req.url === '/init') {
      req.session.value = 'stored'
      res.end()
      return
    }
    req.session.value = 'changed'
    var before = req.session
    req.session.reload(function (err) {
      assert.ifError(err)
      res.end(req.session.value + ' ' + (req.session !== before) + ' ' + Object.keys(req.session).sort().join(','))
    })
  })
  var res = await request(server).get('/init').expect(200)
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, 'stored true cookie,value')
})

test('reload of a session gone from the store is an error', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    if (req.url === '/init') {
      req.session.active = true
      res.end()
      return
    }
    store.clear(function () {
      req.session.reload(function (err) {
        res.statusCode = err ? 500 : 200
        res.end(err ? err.message : '')
      })
    })
  })
  var res = await request(server).get('/init').expect(200)
  await request(server).get('/').set('Cookie', cookie(res)).expect(500, 'failed to load session')
})

test('repeated reloads do not stack wrappers', async function () {
  var store = new session.MemoryStore()
  // The call depth at which reload reaches the store must stay the same.
  var depths = []
  var get = store.get
  store.get = function () {
    var limit = Error.stackTraceLimit
    Error.stackTraceLimit = Infinity
    depths.push(new Error().stack.split('\n').length)
    Error.stackTraceLimit = limit
    return get.apply(this, arguments)
  }
  var server = createServer({ store: store, resave: false }, function (req, res) {
    if (req.url === '/init') {
      req.session.active = true
      res.end()
      return
    }
    var remaining = 50
    ;(function again () {
      if (!--remaining) return res.end('ok')
      req.session.reload(again)
    })()
  })
  var res = await request(server).get('/init').expect(200)
  depths = []
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, 'ok')
  assert.strictEqual(depths.length, 50)
  assert.strictEqual(new Set(depths.slice(2)).size, 1, 'depths ' + depths.join(','))
  await new Promise(function (resolve) { store.clear(resolve) })
  // Reloads that fail (the session is gone) must not stack either.
  depths = []
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, 'ok')
  assert.strictEqual(new Set(depths.slice(2)).size, 1, 'depths ' + depths.join(','))
})

test('an explicit save() prevents the end-of-request save of the same content', async function () {
  var store = new session.MemoryStore()
  var sets = support.countCalls(store, 'set')
  var server = createServer({ store: store }, function (req, res) {
    req.session.hit = true
    req.session.save(function (err) {
      assert.ifError(err)
      storeGet(store, req.session.id).then(function (stored) {
        res.end(stored && stored.hit ? 'stored' : 'missing')
      })
    })
  })
  await request(server).get('/').expect(200, 'stored')
  assert.strictEqual(sets.count, 1)
})

test('save() after reload() marks the reloaded session saved', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    req.session.hit = true
    req.session.reload(function () {
      req.session.save(function (err) {
        assert.ifError(err)
        res.end('saved')
      })
    })
  })
  var res = await request(server).get('/').expect(200, 'saved')
  var sets = support.countCalls(store, 'set')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, 'saved')
  assert.strictEqual(sets.count, 1)
})

test('changes after an explicit save() are saved at the end', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    req.session.step = 1
    req.session.save(function () {
      req.session.step = 2
      res.end()
    })
  })
  var res = await request(server).get('/').expect(200)
  assert.strictEqual((await storeGet(store, sid(res))).step, 2)
})

test('methods return the session, are not enumerable and are not shadowed by stored keys', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    var s = req.session
    var chained = s.touch() === s && s.resetMaxAge() === s
    var methods = ['regenerate', 'destroy', 'reload', 'save', 'touch', 'resetMaxAge']
    var hidden = methods.every(function (m) {
      return typeof s[m] === 'function' && !Object.prototype.propertyIsEnumerable.call(s, m)
    })
    var descriptor = Object.getOwnPropertyDescriptor(s, 'id')
    s.num = (s.num || 0) + 1
    res.end([chained, hidden, descriptor.enumerable, descriptor.writable, s.num].join(','))
  })
  var res = await request(server).get('/').expect(200, 'true,true,false,false,1')
  var stored = await storeGet(store, sid(res))
  stored.save = 'nope'
  stored.reload = 'nope'
  await new Promise(function (resolve) { store.set(sid(res), stored, resolve) })
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, 'true,true,false,false,2')
})

test('touch() resets the expiry from originalMaxAge', async function () {
  // originalMaxAge is recomputed from the clock (see onHeldClock): the
  // request runs on a clock held still, and 20 ms later for the touch.
  var started = Date.now()
  var server = createServer({ cookie: { maxAge: 2000 } }, function (req, res) {
    var before = req.session.cookie.expires.getTime()
    setTimeout(function () {
      support.onHeldClock(started + 20, function () {
        req.session.touch()
        res.end(String(req.session.cookie.expires.getTime() - before) + ' ' + req.session.cookie.originalMaxAge)
      })
    }, 20)
  })
  await support.onHeldClock(started, function () { return request(server).get('/').expect(200, '20 2000') })
})

test('originalMaxAge survives a round trip through the store', async function () {
  var server = createServer({ cookie: { maxAge: 2000 } }, function (req, res) {
    res.end(JSON.stringify(req.session.cookie.originalMaxAge))
  })
  var res = await request(server).get('/').expect(200)
  assert.ok(res.text === '2000' || res.text === '1999', res.text)
  await new Promise(function (resolve) { setTimeout(resolve, 50) })
  var again = await request(server).get('/').set('Cookie', cookie(res)).expect(200)
  assert.ok(again.text === '2000' || again.text === '1999', again.text)
})

test('cookie changes on a loaded, otherwise unmodified session reach the store', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store, resave: false, cookie: { maxAge: 60000 } }, function (req, res) {
    if (req.url === '/shorter') req.session.cookie.maxAge = 5000
    if (req.url === '/domain') req.session.cookie.domain = 'example.com'
    res.end(JSON.stringify(req.session.cookie))
  })
  var res = await request(server).get('/').expect(200)
  await request(server).get('/shorter').set('Cookie', cookie(res)).expect(200)
  var stored = await new Promise(function (resolve) { store.get(sid(res), function (err, s) { assert.ifError(err); resolve(s) }) })
  assert.ok(stored.cookie.originalMaxAge <= 5000 && stored.cookie.originalMaxAge > 4000, String(stored.cookie.originalMaxAge))
  assert.ok(new Date(stored.cookie.expires).getTime() - Date.now() <= 5000)
  await request(server).get('/domain').set('Cookie', cookie(res)).expect(200)
  var seen = JSON.parse((await request(server).get('/').set('Cookie', cookie(res)).expect(200)).text)
  assert.strictEqual(seen.domain, 'example.com')
})

test('Store#load returns a Session bound to a minimal request', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    req.session.count = 7
    res.end()
  })
  var res = await request(server).get('/').expect(200)
  var loaded = await new Promise(function (resolve, reject) {
    store.load(sid(res), function (err, sess) { return err ? reject(err) : resolve(sess) })
  })
  assert.ok(loaded instanceof session.Session)
  assert.ok(loaded.cookie instanceof session.Cookie)
  assert.strictEqual(loaded.count, 7)
  assert.strictEqual(loaded.id, sid(res))
  var missing = await new Promise(function (resolve) { store.load('nope', function (err, sess) { resolve([err, sess]) }) })
  assert.deepStrictEqual(missing, [undefined, undefined])
})
