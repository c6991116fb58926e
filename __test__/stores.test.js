'use strict'

// Real stores work unchanged against real servers. This package is installed
// under the name express-session (a devDependency "express-session": "file:"),
// so connect-redis, connect-pg-simple, memorystore and session-file-store
// load it as they load express-session.

var assert = require('assert')
var fs = require('fs')
var os = require('os')
var path = require('path')
var test = require('node:test')
var express = require('express')
var request = require('supertest')
var servers = require('./support/servers')

var session = require('express-session')
var realExpressSession = require('express-session-js')

test('express-session resolves to this package', function () {
  assert.strictEqual(require('express-session/package.json').name, 'express-session-rs')
  assert.strictEqual(session, require('..'))
  assert.strictEqual(require('express-session/session/store'), session.Store)
})

function createApp (store, secret) {
  var app = express()
  app.use(express.json())
  app.use(session({
    store: store,
    secret: secret || 'keyboard cat',
    resave: false,
    saveUninitialized: false,
    cookie: { maxAge: 60000 }
  }))
  app.get('/', function (req, res) {
    res.send(String(req.session.user) + ':' + (req.session.count || 0))
  })
  app.post('/login', function (req, res, next) {
    req.session.regenerate(function (err) {
      if (err) return next(err)
      req.session.user = 'bob'
      req.session.count = 0
      req.session.save(function (err) {
        if (err) return next(err)
        res.send('welcome')
      })
    })
  })
  app.post('/inc', function (req, res) {
    req.session.count++
    res.send(String(req.session.count))
  })
  app.get('/reload', function (req, res, next) {
    req.session.count = -1
    req.session.reload(function (err) {
      if (err) return next(err)
      res.send(String(req.session.count))
    })
  })
  app.post('/regenerate', function (req, res, next) {
    var old = req.sessionID
    var data = { user: req.session.user, count: req.session.count }
    req.session.regenerate(function (err) {
      if (err) return next(err)
      Object.assign(req.session, data)
      res.send(old)
    })
  })
  app.post('/logout', function (req, res, next) {
    req.session.destroy(function (err) {
      if (err) return next(err)
      res.send('bye')
    })
  })
  app.use(function (err, req, res, next) {
    res.status(500).send('error: ' + err.message)
  })
  return app
}

function cookieOf (res) {
  var header = res.headers['set-cookie']
  assert.ok(header, 'a Set-Cookie header')
  return header[0].split(';')[0]
}

// A stored session, or undefined; ENOENT means "not found", as in the middleware.
function storeGet (store, sid) {
  return new Promise(function (resolve, reject) {
    store.get(sid, function (err, sess) {
      if (err && err.code !== 'ENOENT') return reject(err)
      resolve(err ? undefined : sess)
    })
  })
}

/** The whole life of a session, through one store. */
async function lifecycle (store) {
  var app = createApp(store)
  var touches = 0
  if (typeof store.touch === 'function') {
    var touch = store.touch
    store.touch = function () {
      touches++
      return touch.apply(this, arguments)
    }
  }

  var anonymous = await request(app).get('/').expect(200, 'undefined:0')
  assert.strictEqual(anonymous.headers['set-cookie'], undefined)

  var jar = cookieOf(await request(app).post('/login').expect(200, 'welcome'))
  await request(app).post('/inc').set('Cookie', jar).expect(200, '1')
  await request(app).post('/inc').set('Cookie', jar).expect(200, '2')

  var unmodified = await request(app).get('/').set('Cookie', jar).expect(200, 'bob:2')
  assert.strictEqual(unmodified.headers['set-cookie'], undefined)
  if (typeof store.touch === 'function') assert.ok(touches >= 1, 'the store was touched')

  await request(app).get('/reload').set('Cookie', jar).expect(200, '2')

  var regenerated = await request(app).post('/regenerate').set('Cookie', jar).expect(200)
  var oldId = regenerated.text
  var newJar = cookieOf(regenerated)
  assert.notStrictEqual(newJar, jar)
  assert.ok(!(await storeGet(store, oldId)), 'the old session is gone from the store')
  await request(app).get('/').set('Cookie', jar).expect(200, 'undefined:0')
  await request(app).get('/').set('Cookie', newJar).expect(200, 'bob:2')

  var tampered = newJar.slice(0, -2) + (newJar.slice(-2, -1) === 'a' ? 'b' : 'a') + newJar.slice(-1)
  await request(app).get('/').set('Cookie', tampered).expect(200, 'undefined:0')

  var rotated = createApp(store, ['new secret', 'keyboard cat'])
  await request(rotated).get('/').set('Cookie', newJar).expect(200, 'bob:2')
  var resigned = cookieOf(await request(rotated).post('/inc').set('Cookie', newJar).expect(200, '3'))
  await request(createApp(store, 'new secret')).get('/').set('Cookie', resigned).expect(200, 'bob:3')

  await request(app).post('/logout').set('Cookie', newJar).expect(200, 'bye')
  await request(app).get('/').set('Cookie', newJar).expect(200, 'undefined:0')
}

test('connect-redis 10 with the redis client, against redis-server', { timeout: 900000 }, function () {
  return servers.withRedis(async function (client) {
    var RedisStore = require('connect-redis').RedisStore
    await lifecycle(new RedisStore({ client: client, prefix: 'esrs:' }))
    assert.deepStrictEqual(await client.keys('esrs:*'), [], 'logout left nothing behind')

    // The same store loaded through ESM import.
    var esm = await import('connect-redis')
    await lifecycle(new esm.RedisStore({ client: client, prefix: 'esm:' }))
  })
})

test('connect-pg-simple 10 with pg, against PostgreSQL', { timeout: 900000 }, function () {
  return servers.withPostgres(async function (pool) {
    var PgStore = require('connect-pg-simple')(session)
    await lifecycle(new PgStore({ pool: pool, createTableIfMissing: true, pruneSessionInterval: false }))
    var rows = (await pool.query('SELECT count(*)::int AS n FROM session')).rows
    assert.strictEqual(rows[0].n, 0, 'logout left nothing behind')
  })
})

test('memorystore 1.6', async function (t) {
  var MemoryStore = require('memorystore')(session)
  var store = new MemoryStore({ checkPeriod: 0 })
  await lifecycle(store)
})

test('session-file-store 1.5', async function (t) {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-files-'))
  t.after(function () { fs.rmSync(dir, { recursive: true, force: true }) })
  var FileStore = require('session-file-store')(session)
  await lifecycle(new FileStore({ path: dir, logFn: function () {}, retries: 0, reapInterval: -1 }))
})

test('a store built on the real express-session Store works with this middleware', async function () {
  var RealBasedStore = require('memorystore')(realExpressSession)
  var store = new RealBasedStore({ checkPeriod: 0 })
  assert.ok(store instanceof realExpressSession.Store)
  assert.ok(!(store instanceof session.Store))
  await lifecycle(store)
})

test('our MemoryStore passes the same life cycle', async function (t) {
  var store = new session.MemoryStore()
  t.after(function () { store.close() })
  await lifecycle(store)
})
