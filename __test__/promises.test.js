'use strict'

// What express-session users have asked for, additive to 1.19: promises
// from the session methods, regenerate({ copy: true }), an asynchronous
// genid, and redirects that wait for the store.

var assert = require('assert')
var childProcess = require('child_process')
var http = require('http')
var path = require('path')
var test = require('node:test')
var express = require('express')
var express5 = require('express5')
var request = require('supertest')
var support = require('./support/server')

var session = support.session
var OPTIONS = { secret: 'keyboard cat', resave: false, saveUninitialized: false }

function cookieOf (res) {
  return res.headers['set-cookie'][0].split(';')[0]
}

// A MemoryStore whose get/set/destroy can be made to fail.
function failingStore (methods) {
  var store = new session.MemoryStore()
  methods.forEach(function (method) {
    store[method] = function () {
      var callback = arguments[arguments.length - 1]
      setImmediate(callback, new Error(method + ' failed'))
    }
  })
  return store
}

test('without a callback the methods return thenables; with one, the session', async function () {
  var app = express()
  var seen = {}
  app.use(session(OPTIONS))
  app.get('/', async function (req, res) {
    req.session.n = 1
    var saving = req.session.save()
    seen.thenable = typeof saving.then === 'function' && saving !== req.session
    seen.resolved = await saving
    seen.chained = req.session.save(function () {}) === req.session
    var before = req.session
    await req.session.regenerate()
    seen.regenerated = req.session !== before && req.session.id !== before.id && req.session.n === undefined
    req.session.n = 2
    await req.session.save()
    req.session.n = 3
    await req.session.reload()
    seen.reloaded = req.session.n
    var id = req.session.id
    await req.session.destroy()
    seen.destroyed = req.session === undefined
    seen.gone = await req.sessionStore.load(id)
    res.end('ok')
  })
  await request(app).get('/').expect(200, 'ok')
  assert.deepStrictEqual(seen, { thenable: true, resolved: undefined, chained: true, regenerated: true, reloaded: 2, destroyed: true, gone: undefined })
})

test('a store error rejects the promise only for whoever awaits it', async function () {
  var app = express5()
  var errors = []
  app.use(session(Object.assign({ store: failingStore(['set']) }, OPTIONS)))
  app.get('/await', async function (req, res) {
    req.session.n = 1
    await req.session.save()
    res.end('saved')
  })
  app.get('/catch', function (req, res) {
    req.session.save().catch(function (err) { res.end('caught ' + err.message) })
  })
  app.use(function (err, req, res, next) {
    errors.push(err.message)
    res.status(500).end('handled ' + err.message)
  })
  await request(app).get('/await').expect(500, 'handled set failed')
  await request(app).get('/catch').expect(200, 'caught set failed')
  assert.deepStrictEqual(errors, ['set failed'])
})

test('a save nobody waits for never becomes an unhandled rejection', function () {
  var script = [
    'var http = require("http")',
    'var session = require(' + JSON.stringify(path.join(__dirname, '..')) + ')',
    'var store = new session.MemoryStore()',
    'store.set = function (sid, sess, cb) { setImmediate(cb, new Error("disk full")) }',
    'var middleware = session({ secret: "s", resave: false, saveUninitialized: false, store: store })',
    'var server = http.createServer(function (req, res) {',
    '  middleware(req, res, function () {',
    '    req.session.n = 1',
    '    req.session.save()',
    '    req.session.regenerate()',
    '    setTimeout(function () { res.end("still serving") }, 20)',
    '  })',
    '})',
    'server.listen(0, "127.0.0.1", function () {',
    '  var port = server.address().port; var left = 3',
    '  ;(function next () {',
    '    http.get({ host: "127.0.0.1", port: port, path: "/" }, function (res) {',
    '      var body = ""; res.on("data", function (c) { body += c }); res.on("end", function () {',
    '        console.log(body); if (--left) next(); else setTimeout(function () { server.close() }, 50)',
    '      })',
    '    })',
    '  })()',
    '})'
  ].join('\n')
  var result = childProcess.spawnSync(process.execPath, ['--unhandled-rejections=strict', '-e', script], {
    encoding: 'utf8', timeout: 30000, env: Object.assign({}, process.env, { NO_DEPRECATION: 'express-session' })
  })
  assert.strictEqual(result.status, 0, result.stderr)
  assert.deepStrictEqual(result.stdout.trim().split('\n'), ['still serving', 'still serving', 'still serving'])
})

test('an awaited save is not saved again at the end of the request unless changed', async function () {
  var store = new session.MemoryStore()
  var sets = support.countCalls(store, 'set')
  var app = express()
  app.use(session(Object.assign({ store: store }, OPTIONS)))
  app.get('/once', async function (req, res) {
    req.session.n = 1
    await req.session.save()
    res.end('once')
  })
  app.get('/twice', async function (req, res) {
    req.session.n = 2
    await req.session.save()
    req.session.n = 3
    res.end('twice')
  })
  var res = await request(app).get('/once').expect(200)
  assert.strictEqual(sets.count, 1)
  await request(app).get('/twice').set('Cookie', cookieOf(res)).expect(200)
  assert.strictEqual(sets.count, 3)
})

test('Store#load and Store#regenerate without a callback return thenables', async function () {
  var store = new session.MemoryStore()
  session(Object.assign({ store: store }, OPTIONS))
  await new Promise(function (resolve) { store.set('x', { cookie: { path: '/' }, n: 7 }, resolve) })
  var loaded = await store.load('x')
  assert.strictEqual(loaded.n, 7)
  assert.strictEqual(await store.load('absent'), undefined)
  var req = { sessionID: 'x', sessionStore: store }
  await store.regenerate(req)
  assert.notStrictEqual(req.sessionID, 'x')
  assert.strictEqual(await store.load('x'), undefined)
  await assert.rejects(failingStore(['get']).load('x'), /get failed/)
})

test('regenerate({ copy: true }) renews the ID on login and keeps the cart', async function () {
  var store = new session.MemoryStore()
  var app = express()
  app.use(session(Object.assign({ store: store }, OPTIONS)))
  app.get('/cart', function (req, res) {
    req.session.cart = ['book']
    res.end('added')
  })
  app.get('/login', function (req, res, next) {
    req.session.regenerate({ copy: true }, function (err) {
      if (err) return next(err)
      req.session.user = 'ada'
      res.end('welcome')
    })
  })
  app.get('/login-promise', async function (req, res) {
    await req.session.regenerate({ copy: true })
    req.session.user = 'grace'
    res.end('welcome')
  })
  app.get('/me', function (req, res) {
    res.json({ user: req.session.user || null, cart: req.session.cart || null })
  })

  for (var route of ['/login', '/login-promise']) {
    var anonymous = await request(app).get('/cart').expect(200)
    var login = await request(app).get(route).set('Cookie', cookieOf(anonymous)).expect(200, 'welcome')
    assert.ok(login.headers['set-cookie'], 'the new cookie is sent')
    assert.notStrictEqual(cookieOf(login), cookieOf(anonymous))
    var me = await request(app).get('/me').set('Cookie', cookieOf(login)).expect(200)
    assert.deepStrictEqual(me.body, { user: route === '/login' ? 'ada' : 'grace', cart: ['book'] })
    var old = await request(app).get('/me').set('Cookie', cookieOf(anonymous)).expect(200)
    assert.deepStrictEqual(old.body, { user: null, cart: null })
  }
  var plain = express()
  plain.use(session(OPTIONS))
  plain.get('/', function (req, res) {
    req.session.cart = ['x']
    req.session.regenerate(function () { res.json(req.session.cart || null) })
  })
  await request(plain).get('/').expect(200, 'null')
})

test('genid may return a promise; rejections and non-strings reach next(err)', async function () {
  var ids = 0
  var app = express()
  app.use(session(Object.assign({
    genid: function (req) {
      if (req.url === '/reject') return Promise.reject(new Error('id service down'))
      if (req.url === '/number') return Promise.resolve(42)
      return new Promise(function (resolve) { setTimeout(resolve, 5, 'async-id-' + ++ids) })
    }
  }, OPTIONS)))
  app.get('*', function (req, res) {
    req.session.n = 1
    res.end(req.sessionID)
  })
  app.use(function (err, req, res, next) { res.status(500).end(err.message) })
  var res = await request(app).get('/').expect(200, 'async-id-1')
  assert.match(cookieOf(res), /^connect\.sid=s%3Aasync-id-1\./)
  await request(app).get('/reject').expect(500, 'id service down')
  await request(app).get('/number').expect(500, /genid must return a string or a promise of a string, not number/)

  // A synchronous genid calls next() before the middleware returns.
  var middleware = session(Object.assign({ genid: function () { return 'sync-id' } }, OPTIONS))
  var req = { url: '/', originalUrl: '/', headers: {}, socket: {} }
  var res2 = { getHeader: function () {}, setHeader: function () {}, writeHead: function () {}, end: function () {}, write: function () {} }
  var called = false
  middleware(req, res2, function () { called = true })
  assert.strictEqual(called, true)
  assert.strictEqual(req.sessionID, 'sync-id')
})

test('a redirect ended while the store saves goes out whole once saved', async function (t) {
  var store = new session.MemoryStore()
  var set = store.set
  store.set = function (sid, sess, callback) {
    var self = this
    setTimeout(function () { set.call(self, sid, sess, callback) }, 150)
  }
  var app = express()
  app.use(session(Object.assign({ store: store }, OPTIONS)))
  app.get('/login', function (req, res) {
    req.session.user = 'ada'
    res.redirect('/home')
  })
  app.get('/home', function (req, res) { res.end(String(req.session.user)) })
  app.get('/plain', function (req, res) {
    req.session.user = 'bob'
    res.end('plain body')
  })
  var server = app.listen(0, '127.0.0.1')
  t.after(function () { server.close() })
  await new Promise(function (resolve) { server.once('listening', resolve) })
  var port = server.address().port

  // Follows the redirect the moment its headers arrive, as a browser does.
  var followed = await new Promise(function (resolve, reject) {
    http.get({ host: '127.0.0.1', port: port, path: '/login' }, function (res) {
      assert.strictEqual(res.statusCode, 302)
      http.get({ host: '127.0.0.1', port: port, path: res.headers.location, headers: { cookie: cookieOf(res) } }, function (home) {
        var body = ''
        home.on('data', function (chunk) { body += chunk })
        home.on('end', function () { resolve(body) })
      }).on('error', reject)
      res.resume()
    }).on('error', reject)
  })
  assert.strictEqual(followed, 'ada')

  // Any other response keeps 1.19's wire behaviour: headers go out first.
  var started = Date.now()
  var headersAfter = await new Promise(function (resolve, reject) {
    http.get({ host: '127.0.0.1', port: port, path: '/plain' }, function (res) {
      resolve(Date.now() - started)
      res.resume()
    }).on('error', reject)
  })
  assert.ok(headersAfter < 120, 'headers of a plain response came after ' + headersAfter + ' ms')
})
