'use strict'

// The Cookie class, and cookie attributes as they reach Set-Cookie.

var assert = require('assert')
var test = require('node:test')
var request = require('supertest')
var support = require('./support/server')

var Cookie = support.session.Cookie
var createServer = support.createServer
var cookie = support.cookie

test('defaults: path /, httpOnly, no maxAge or expiry', function () {
  var c = new Cookie()
  assert.strictEqual(c.path, '/')
  assert.strictEqual(c.httpOnly, true)
  assert.strictEqual(c.maxAge, null)
  assert.strictEqual(c.expires, null)
  assert.strictEqual(c.originalMaxAge, null)
})

test('options are copied, except data; non-objects are rejected', function () {
  var c = new Cookie({ path: '/foo', httpOnly: false, domain: 'example.com', data: { path: '/x' } })
  assert.strictEqual(c.path, '/foo')
  assert.strictEqual(c.httpOnly, false)
  assert.strictEqual(c.domain, 'example.com')
  assert.throws(function () { return new Cookie('nope') }, /argument options must be a object/)
})

test('maxAge sets expires and reads back the time left', function () {
  var c = new Cookie({ maxAge: 60000 })
  assert.ok(c.expires instanceof Date)
  assert.ok(c.maxAge <= 60000 && c.maxAge > 59000)
  assert.ok(c.originalMaxAge <= 60000 && c.originalMaxAge > 59000)
  c.maxAge = 5000
  assert.ok(c.maxAge <= 5000 && c.maxAge > 4000)
})

test('expires sets originalMaxAge', function () {
  var expires = new Date(Date.now() + 10000)
  var c = new Cookie({ expires: expires })
  assert.strictEqual(c.expires, expires)
  assert.ok(c.originalMaxAge > 9000 && c.originalMaxAge <= 10000)
})

test('maxAge as a Date works (deprecated); other non-numbers are TypeErrors', function () {
  var c = new Cookie()
  var date = new Date(Date.now() + 1000)
  c.maxAge = date
  assert.strictEqual(c.expires, date)
  assert.throws(function () { c.maxAge = '1000' }, TypeError)
  assert.throws(function () { c.maxAge = {} }, /maxAge must be a number or Date/)
})

test('data and toJSON give the plain attributes', function () {
  var c = new Cookie({ maxAge: 1000, secure: true, sameSite: 'lax', priority: 'high', partitioned: true, domain: 'a.com' })
  var data = c.toJSON()
  assert.deepStrictEqual(Object.keys(data), ['originalMaxAge', 'partitioned', 'priority', 'expires', 'secure', 'httpOnly', 'domain', 'path', 'sameSite'])
  assert.strictEqual(data.expires, c.expires)
  assert.deepStrictEqual(JSON.parse(JSON.stringify(c)).sameSite, 'lax')
  assert.deepStrictEqual(c.data, data)
})

test('serialize renders like the cookie package', function () {
  var cookiePackage = require('cookie')
  var cases = [
    {},
    { path: '/admin', httpOnly: false },
    { maxAge: 10000, secure: true, sameSite: true },
    { expires: new Date(0), domain: '.example.com', sameSite: 'None', priority: 'Low', partitioned: true },
    { sameSite: 'strict', priority: 'medium' },
    { sameSite: 'lax', priority: 'HIGH' }
  ]
  cases.forEach(function (options) {
    var c = new Cookie(options)
    assert.strictEqual(c.serialize('name', 'va lue;é'), cookiePackage.serialize('name', 'va lue;é', c.data))
  })
})

test('serialize rejects what the cookie package rejects, with its messages', function () {
  var cookiePackage = require('cookie')
  var cases = [
    [{}, 'bad name', 'v'],
    [{ domain: 'bad domain' }, 'n', 'v'],
    [{ path: '/a;b' }, 'n', 'v'],
    [{ expires: new Date(NaN) }, 'n', 'v'],
    [{ priority: 'urgent' }, 'n', 'v'],
    [{ sameSite: 'sometimes' }, 'n', 'v']
  ]
  cases.forEach(function (c) {
    var ours = new Cookie(c[0])
    var expected
    try { cookiePackage.serialize(c[1], c[2], ours.data) } catch (e) { expected = e }
    assert.ok(expected, JSON.stringify(c))
    assert.throws(function () { ours.serialize(c[1], c[2]) }, function (err) {
      return err instanceof TypeError && err.message === expected.message
    })
  })
  assert.throws(function () { new Cookie().serialize('n', '\ud800') }, URIError)
})

test('cookie options reach Set-Cookie', async function () {
  var server = createServer({ cookie: { httpOnly: false, maxAge: 5000, path: '/admin', priority: 'high', domain: 'example.com', sameSite: 'strict' } })
  var res = await request(server).get('/admin').expect(200)
  var parsed = support.setCookie(res)
  assert.strictEqual(parsed.attributes.httponly, undefined)
  assert.strictEqual(parsed.attributes.path, '/admin')
  assert.strictEqual(parsed.attributes.priority, 'High')
  assert.strictEqual(parsed.attributes.domain, 'example.com')
  assert.strictEqual(parsed.attributes.samesite, 'Strict')
  var delta = Date.parse(parsed.attributes.expires) - Date.parse(res.headers.date)
  assert.ok(delta >= 4000 && delta <= 6000, String(delta))
})

test('partitioned is rendered only when true', async function () {
  var on = await request(createServer({ cookie: { partitioned: true } })).get('/').expect(200)
  assert.strictEqual(support.setCookie(on).attributes.partitioned, true)
  var off = await request(createServer({ cookie: { partitioned: false } })).get('/').expect(200)
  assert.strictEqual(support.setCookie(off).attributes.partitioned, undefined)
})

test('changes to req.session.cookie reach Set-Cookie', async function () {
  var server = createServer(null, function (req, res) {
    if (req.url === '/epoch') req.session.cookie.expires = new Date(0)
    if (req.url === '/session') req.session.cookie.expires = null
    if (req.url === '/long') req.session.cookie.maxAge = 3000000000
    req.session.cookie.httpOnly = false
    res.end()
  })
  var epoch = support.setCookie(await request(server).get('/epoch').expect(200))
  assert.strictEqual(epoch.attributes.expires, 'Thu, 01 Jan 1970 00:00:00 GMT')
  assert.strictEqual(epoch.attributes.httponly, undefined)
  var browser = support.setCookie(await request(server).get('/session').expect(200))
  assert.strictEqual(browser.attributes.expires, undefined)
  var longRes = await request(server).get('/long').expect(200)
  var delta = Date.parse(support.setCookie(longRes).attributes.expires) - Date.parse(longRes.headers.date)
  assert.ok(Math.abs(delta - 3000000000) <= 1000, String(delta))
})

test('the session cookie value is s: + the signed ID, URI-encoded', async function () {
  var signature = require('cookie-signature')
  var ids = ['apple', '%', '/foo', 'a b+c', 'é']
  for (var i = 0; i < ids.length; i++) {
    var id = ids[i]
    var res = await request(createServer({ genid: function () { return id } })).get('/').expect(200)
    assert.strictEqual(support.setCookie(res).value, encodeURIComponent('s:' + signature.sign(id, 'keyboard cat')))
  }
})

test('genid receives the request', async function () {
  var res = await request(createServer({ genid: function (req) { return req.url } })).get('/foo').expect(200)
  assert.strictEqual(support.sid(res), '/foo')
})

test('the default ID is 32 URL-safe characters and unique', async function () {
  var server = createServer()
  var seen = new Set()
  for (var i = 0; i < 20; i++) {
    var id = support.sid(await request(server).get('/').expect(200))
    assert.match(id, /^[A-Za-z0-9_-]{32}$/)
    seen.add(id)
  }
  assert.strictEqual(seen.size, 20)
})

test('name and key options name the cookie', async function () {
  assert.strictEqual(support.setCookie(await request(createServer({ name: 'sid' })).get('/')).name, 'sid')
  assert.strictEqual(support.setCookie(await request(createServer({ key: 'legacy' })).get('/')).name, 'legacy')
  assert.strictEqual(support.setCookie(await request(createServer()).get('/')).name, 'connect.sid')
  var res = await request(createServer({ name: 'sid' })).get('/')
  assert.match(cookie(res), /^sid=s%3A/)
})

test('the stored JSON of a cookie is what JSON.stringify gives, for any cookie object', function () {
  var cookieJson = require('../lib/cookie-json')
  var date = new Date(1795000123456)
  var nullProto = Object.assign(Object.create(null), { path: '/' })
  var withGetter = {}
  Object.defineProperty(withGetter, 'path', { enumerable: true, get: function () { return '/g' } })
  var cases = [
    new Cookie({ maxAge: 60000, domain: 'example.com', sameSite: 'lax', priority: 'high' }),
    { originalMaxAge: 60000, expires: date, httpOnly: true, path: '/' },
    { originalMaxAge: 60000, expires: date.toISOString(), secure: false, path: '/', sameSite: 'strict' },
    { expires: date, originalMaxAge: 60000 },
    { originalMaxAge: NaN, expires: new Date(NaN), httpOnly: undefined, path: '/\u00e9"\\' },
    { originalMaxAge: -0, expires: null, domain: { nested: [1] } },
    { originalMaxAge: 1, expires: date, extra: true },
    { path: function () {} },
    { expires: new Date(-1e15) },
    { toJSON: function () { return 'custom' } },
    nullProto,
    withGetter,
    {},
    undefined
  ]
  cases.forEach(function (c, i) {
    var expected = JSON.stringify(c)
    assert.strictEqual(cookieJson(c), expected === undefined ? '' : expected, 'case ' + i)
  })
})
