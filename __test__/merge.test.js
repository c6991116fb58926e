'use strict'

// concurrency: 'merge': parallel requests on one session keep each other's
// changes, and a session destroyed or regenerated meanwhile stays gone, with
// the own MemoryStore, connect-redis on redis-server and connect-pg-simple
// on PostgreSQL. 'overwrite' (express-session's behaviour) shows the loss.

var assert = require('assert')
var test = require('node:test')
var express = require('express')
var request = require('supertest')
var servers = require('./support/servers')
var sleep = require('./support/server').sleep
var session = require('..')

var PARALLEL = 20

function createApp (store, concurrency) {
  var app = express()
  app.use(session({ store: store, secret: 'keyboard cat', resave: false, saveUninitialized: false, concurrency: concurrency, cookie: { maxAge: 60000 } }))
  app.get('/login', function (req, res) {
    req.session.user = 'ada'
    req.session.cart = { items: [] }
    req.session.a = 1
    req.session.b = 1
    res.end('welcome')
  })
  // Each waits a random 0-20 ms before answering, as real handlers do.
  app.get('/set/:key', function (req, res) {
    setTimeout(function () {
      req.session[req.params.key] = true
      res.end('set')
    }, Math.random() * 20)
  })
  app.get('/delete/:key', function (req, res) {
    setTimeout(function () {
      delete req.session[req.params.key]
      res.end('deleted')
    }, 10)
  })
  app.get('/push/:item', function (req, res) {
    setTimeout(function () {
      req.session.cart.items.push(req.params.item)
      res.end('pushed')
    }, Math.random() * 20)
  })
  app.get('/slow', function (req, res) {
    setTimeout(function () {
      req.session.slow = true
      res.end('slow')
    }, 200)
  })
  app.get('/logout', function (req, res, next) {
    req.session.destroy(function (err) { return err ? next(err) : res.end('bye') })
  })
  app.get('/rotate', function (req, res, next) {
    req.session.regenerate(function (err) {
      if (err) return next(err)
      req.session.user = 'ada'
      res.end('rotated')
    })
  })
  app.get('/', function (req, res) { res.json(req.session) })
  return app
}

function cookieOf (res) {
  return res.headers['set-cookie'][0].split(';')[0]
}

async function login (app) {
  return cookieOf(await request(app).get('/login').expect(200))
}

async function parallelKeys (store, concurrency) {
  var app = createApp(store, concurrency)
  var jar = await login(app)
  var keys = []
  for (var i = 0; i < PARALLEL; i++) keys.push('k' + i)
  await Promise.all(keys.map(function (key) { return request(app).get('/set/' + key).set('Cookie', jar).expect(200) }))
  var stored = (await request(app).get('/').set('Cookie', jar).expect(200)).body
  return keys.filter(function (key) { return stored[key] === true }).length
}

async function staysGone (store, route) {
  var app = createApp(store, 'merge')
  var jar = await login(app)
  // then() sends the request now; it is in flight while the other one runs.
  var slow = request(app).get('/slow').set('Cookie', jar).then(function (res) { return res })
  await sleep(50)
  await request(app).get(route).set('Cookie', jar).expect(200)
  var slowRes = await slow
  assert.strictEqual(slowRes.status, 200)
  assert.strictEqual(slowRes.headers['set-cookie'], undefined, 'no Set-Cookie for the dead session after ' + route)
  var after = (await request(app).get('/').set('Cookie', jar).expect(200)).body
  assert.strictEqual(after.user, undefined, 'the old cookie loads nothing after ' + route)
  assert.strictEqual(after.slow, undefined)
}

async function keepsBothEffects (store) {
  var app = createApp(store, 'merge')
  var jar = await login(app)
  await Promise.all([
    request(app).get('/delete/a').set('Cookie', jar).expect(200),
    request(app).get('/set/c').set('Cookie', jar).expect(200)
  ])
  var stored = (await request(app).get('/').set('Cookie', jar).expect(200)).body
  assert.strictEqual('a' in stored, false, 'the deletion is kept')
  assert.strictEqual(stored.b, 1)
  assert.strictEqual(stored.c, true, 'the other change is kept')

  await Promise.all([
    request(app).get('/push/book').set('Cookie', jar).expect(200),
    request(app).get('/set/d').set('Cookie', jar).expect(200)
  ])
  stored = (await request(app).get('/').set('Cookie', jar).expect(200)).body
  assert.deepStrictEqual(stored.cart, { items: ['book'] }, 'an in-place change of cart counts')
  assert.strictEqual(stored.d, true)
}

async function suite (store) {
  assert.strictEqual(await parallelKeys(store, 'merge'), PARALLEL, 'merge keeps every key')
  var overwritten = await parallelKeys(store, 'overwrite')
  assert.ok(overwritten < PARALLEL, 'overwrite loses keys (kept ' + overwritten + ')')
  await staysGone(store, '/logout')
  await staysGone(store, '/rotate')
  await keepsBothEffects(store)
}

test('concurrency must be "overwrite" or "merge"', function () {
  assert.throws(function () { session({ secret: 's', concurrency: 'last' }) }, /concurrency option must be "overwrite" or "merge"/)
})

test('merge with the own MemoryStore', async function (t) {
  var store = new session.MemoryStore()
  t.after(function () { store.close() })
  await suite(store)
})

test('merge: an explicit save() merges too, and resave rewrites from the store', async function (t) {
  var store = new session.MemoryStore()
  t.after(function () { store.close() })
  var app = createApp(store, 'merge')
  app.get('/save/:key', function (req, res, next) {
    setTimeout(function () {
      req.session[req.params.key] = 'saved'
      req.session.save(function (err) { return err ? next(err) : res.end('saved') })
    }, Math.random() * 20)
  })
  var jar = await login(app)
  await Promise.all(['x', 'y', 'z'].map(function (key) { return request(app).get('/save/' + key).set('Cookie', jar).expect(200) }))
  var stored = (await request(app).get('/').set('Cookie', jar).expect(200)).body
  assert.deepStrictEqual([stored.x, stored.y, stored.z], ['saved', 'saved', 'saved'])

  var resaving = express()
  resaving.use(session({ store: store, secret: 'keyboard cat', resave: true, saveUninitialized: false, concurrency: 'merge' }))
  resaving.get('/read', function (req, res) { setTimeout(function () { res.end('read') }, 30) })
  await Promise.all([
    request(resaving).get('/read').set('Cookie', jar).expect(200),
    request(app).get('/set/late').set('Cookie', jar).expect(200)
  ])
  stored = (await request(app).get('/').set('Cookie', jar).expect(200)).body
  assert.strictEqual(stored.late, true, 'an unmodified resave does not undo another request')
})

test('merge with connect-redis 10 on redis-server', { timeout: 900000 }, function () {
  return servers.withRedis(function (client) {
    var RedisStore = require('connect-redis').RedisStore
    return suite(new RedisStore({ client: client, prefix: 'merge:' }))
  })
})

test('merge with connect-pg-simple on PostgreSQL', { timeout: 900000 }, function () {
  return servers.withPostgres(function (pool) {
    var PgStore = require('connect-pg-simple')(session)
    return suite(new PgStore({ pool: pool, createTableIfMissing: true, pruneSessionInterval: false }))
  })
})
