'use strict'

// Option checking, deprecations, the cookie function, and 'auto' values.

var assert = require('assert')
var childProcess = require('child_process')
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
