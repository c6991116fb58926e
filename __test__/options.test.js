'use strict'

// Option checking, deprecations, the cookie function, and 'auto' values.

var assert = require('assert')
var childProcess = require('child_process')
var http = require('http')
var path = require('path')
var test = require('node:test')
var request = require('supertest')
var support = require('./support/server')

var session = support.session
var createServer = support.createServer

test('the module is session(options) with the classes attached', function () {
  assert.strictEqual(typeof session, 'function')
  assert.strictEqual(session.length, 1)
  assert.deepStrictEqual(Object.keys(session).sort(), ['Cookie', 'MemoryStore', 'Session', 'Store'])
  assert.strictEqual(require('../session/cookie'), session.Cookie)
  assert.strictEqual(require('../session/session'), session.Session)
  assert.strictEqual(require('../session/store'), session.Store)
  assert.strictEqual(require('../session/memory'), session.MemoryStore)
})

test('ESM default and named imports work', function () {
  var root = path.join(__dirname, '..')
  var code = 'import session, { Store, MemoryStore, Session, Cookie } from ' + JSON.stringify(root + '/index.js') +
    '; console.log([typeof session, typeof Store, typeof MemoryStore, typeof Session, typeof Cookie, session.Store === Store].join())'
  var out = childProcess.execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' })
  assert.strictEqual(out.trim(), 'function,function,function,function,function,true')
})

test('invalid options are TypeErrors at session()', function () {
  assert.throws(function () { session({ genid: 'bogus' }) }, /genid option must be a function/)
  assert.throws(function () { session({ unset: 'bogus' }) }, /unset option must be "destroy" or "keep"/)
  assert.throws(function () { session({ secret: [] }) }, /secret option array must contain one or more strings/)
  assert.throws(function () { session({ secret: 42, resave: false, saveUninitialized: false }) }, TypeError)
})

function deprecationsOf (code) {
  var root = path.join(__dirname, '..')
  var result = childProcess.spawnSync(process.execPath, ['-e', 'var session = require(' + JSON.stringify(root) + '); ' + code], {
    encoding: 'utf8',
    env: Object.assign({}, process.env, { NO_DEPRECATION: '' })
  })
  return result.stderr
}

test('undefined resave, saveUninitialized and secret are deprecated, through depd', function () {
  var stderr = deprecationsOf('session({})')
  assert.match(stderr, /express-session deprecated undefined resave option; provide resave option/)
  assert.match(stderr, /express-session deprecated undefined saveUninitialized option; provide saveUninitialized option/)
  assert.match(stderr, /express-session deprecated req\.secret; provide secret option/)
  assert.strictEqual(deprecationsOf("session({ secret: 's', resave: false, saveUninitialized: false })"), '')
  var silenced = childProcess.spawnSync(process.execPath, ['-e', 'require(' + JSON.stringify(path.join(__dirname, '..')) + ')({})'], {
    encoding: 'utf8',
    env: Object.assign({}, process.env, { NO_DEPRECATION: 'express-session' })
  })
  assert.strictEqual(silenced.stderr, '')
})

test('a MemoryStore under NODE_ENV=production prints a warning', function () {
  var root = path.join(__dirname, '..')
  var result = childProcess.spawnSync(process.execPath, ['-e', 'require(' + JSON.stringify(root) + ')({ secret: "s", resave: false, saveUninitialized: false })'], {
    encoding: 'utf8',
    env: Object.assign({}, process.env, { NODE_ENV: 'production' })
  })
  assert.match(result.stderr, /MemoryStore/)
})

test('the cookie option may be a function of the request, called per request', async function () {
  var calls = 0
  var server = createServer({
    cookie: function (req) {
      calls++
      return { path: '/', maxAge: req.headers['x-long'] ? 100000 : 1000, sameSite: 'strict' }
    }
  })
  var res = await request(server).get('/').set('X-Long', '1').expect(200)
  var parsed = support.setCookie(res)
  assert.strictEqual(parsed.attributes.samesite, 'Strict')
  var delta = Date.parse(parsed.attributes.expires) - Date.parse(res.headers.date)
  assert.ok(delta > 90000, String(delta))
  assert.ok(calls >= 2)
  var known = calls
  await request(server).get('/').set('Cookie', support.cookie(res)).expect(200)
  assert.strictEqual(calls, known + 1)
})

test('a cookie function decides the path check too', async function () {
  var server = createServer({
    cookie: function (req) { return { path: req.headers['x-path'] || '/' } }
  }, function (req, res) { res.end(typeof req.session) })
  await request(server).get('/a').set('X-Path', '/b').expect(200, 'undefined')
  await request(server).get('/b/c').set('X-Path', '/b').expect(200, 'object')
})

test("secure 'auto' and sameSite 'auto' follow the request's security, object or function", async function () {
  var forms = [
    { secure: 'auto', sameSite: 'auto' },
    function () { return { secure: 'auto', sameSite: 'auto' } }
  ]
  for (var i = 0; i < forms.length; i++) {
    var server = createServer({ proxy: true, cookie: forms[i] })
    var secure = support.setCookie(await request(server).get('/').set('X-Forwarded-Proto', 'https').expect(200))
    assert.strictEqual(secure.attributes.secure, true)
    assert.strictEqual(secure.attributes.samesite, 'None')
    var plain = support.setCookie(await request(server).get('/').expect(200))
    assert.strictEqual(plain.attributes.secure, undefined)
    assert.strictEqual(plain.attributes.samesite, 'Lax')
  }
})

test("sameSite 'auto' does not depend on secure", async function () {
  var server = createServer({ proxy: true, cookie: { sameSite: 'auto' } })
  var res = support.setCookie(await request(server).get('/').set('X-Forwarded-Proto', 'https').expect(200))
  assert.strictEqual(res.attributes.samesite, 'None')
  assert.strictEqual(res.attributes.secure, undefined)
})

test('a store given as option is used and gets generate()', async function () {
  var store = new session.MemoryStore()
  var gets = support.countCalls(store, 'get')
  var server = createServer({ store: store }, function (req, res) {
    req.session.n = 1
    res.end(String(req.sessionStore === store))
  })
  assert.strictEqual(typeof store.generate, 'function')
  var res = await request(server).get('/').expect(200, 'true')
  await request(server).get('/').set('Cookie', support.cookie(res)).expect(200, 'true')
  assert.strictEqual(gets.count, 1)
})

// Values express-session 1.19 accepts at session() and then fails on when a
// request comes (a crash, a hung request or a cookie silently never sent).
var failingLate = [
  [{ cookie: { maxAge: 'a day' } }, /cookie option is invalid: maxAge must be a number or Date/],
  [{ cookie: { expires: 'tomorrow' } }, /cookie option is invalid: expires must be a Date/],
  [{ cookie: { expires: new Date(NaN) } }, /cookie option is invalid: option expires is invalid/],
  [{ cookie: { maxAge: 1e300 } }, /cookie option is invalid: option expires is invalid/],
  [{ cookie: { sameSite: 'sometimes' } }, /cookie option is invalid: option sameSite is invalid/],
  [{ cookie: { priority: 'urgent' } }, /cookie option is invalid: option priority is invalid/],
  [{ cookie: { path: '/a;b' } }, /cookie option is invalid: option path is invalid/],
  [{ cookie: { domain: 'exa mple.com' } }, /cookie option is invalid: option domain is invalid/],
  [{ cookie: 'session' }, /cookie option is invalid: argument options must be a object/],
  [{ name: 'my session' }, /name option is not a valid cookie name: "my session"/],
  [{ name: { id: 1 } }, /name option is not a valid cookie name/]
]

test('option values 1.19 fails on at request time are TypeErrors at session()', function () {
  var original = require('express-session-js')
  failingLate.forEach(function (entry) {
    var options = Object.assign({ secret: 's', resave: false, saveUninitialized: false }, entry[0])
    assert.doesNotThrow(function () { original(options) }, 'express-session accepts it at first')
    assert.throws(function () { session(options) }, function (err) {
      assert.ok(err instanceof TypeError, err.message)
      assert.match(err.message, entry[1])
      assert.doesNotMatch(err.message, /rust|napi|JavaScript value/i)
      return true
    }, JSON.stringify(entry[0]))
  })
})

// Values express-session 1.19 accepts and serves: each still serves the
// same Set-Cookie (name and attributes) as express-session.
var servedAsIn119 = [
  { name: 123 },
  { key: 'legacy.sid' },
  { rolling: 'yes', resave: 1, saveUninitialized: 'true' },
  { cookie: { maxAge: 0 } },
  { cookie: { maxAge: null, expires: null } },
  { cookie: { expires: 5 } },
  { cookie: { expires: new Date(Date.now() + 60000) } },
  { cookie: { sameSite: 'LAX', priority: 'High', path: '/', domain: '127.0.0.1' } },
  { cookie: { sameSite: true, httpOnly: 0, partitioned: 1 } },
  { cookie: null },
  { cookie: { secure: 'auto', sameSite: 'auto' } }
]

function attributesOf (res) {
  var parsed = support.setCookie(res)
  var attributes = Object.assign({}, parsed.attributes)
  if (attributes.expires) attributes.expires = 'set'
  return { name: parsed.name, attributes: attributes }
}

test('option values 1.19 serves are served the same', async function () {
  var original = require('express-session-js')
  for (var i = 0; i < servedAsIn119.length; i++) {
    var options = Object.assign({ secret: 's', resave: true, saveUninitialized: true }, servedAsIn119[i])
    var ours = http.createServer(handlerOf(session(options)))
    var theirs = http.createServer(handlerOf(original(options)))
    var label = JSON.stringify(servedAsIn119[i])
    var expected = attributesOf(await request(theirs).get('/').expect(200))
    assert.deepStrictEqual(attributesOf(await request(ours).get('/').expect(200)), expected, label)
  }
})

function handlerOf (middleware) {
  return function (req, res) {
    middleware(req, res, function (err) {
      res.statusCode = err ? 500 : 200
      res.end(err ? err.message : 'ok')
    })
  }
}

test("a cookie function's invalid result is an error for that request, not a crash", async function () {
  var results = {
    '/bad-max-age': { maxAge: 'a day' },
    '/bad-same-site': { sameSite: 'sometimes' },
    '/not-an-object': 'session',
    '/fine': { maxAge: 1000 }
  }
  var server = createServer({ cookie: function (req) { return results[req.url] } })
  await request(server).get('/bad-max-age').expect(500, /cookie option is invalid: maxAge must be a number or Date/)
  await request(server).get('/bad-same-site').expect(500, /cookie option is invalid: option sameSite is invalid/)
  await request(server).get('/not-an-object').expect(500, /cookie option is invalid: argument options must be a object/)
  var fine = await request(server).get('/fine').expect(200)
  assert.ok(support.cookie(fine))
})
