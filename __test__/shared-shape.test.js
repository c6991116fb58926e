'use strict'

// Express's req and res are put into dictionary mode so that requests share
// one hidden class (lib/shared-shape.js): that leaves no trace a user could
// see, and it takes effect on the V8 versions where it pays, only there.

var assert = require('assert')
var childProcess = require('child_process')
var path = require('path')
var test = require('node:test')
var parseUrl = require('parseurl')
var request = require('supertest')
var ours = require('..')
var shareShapes = require('../lib/shared-shape')
var original = require('express-session-js')

var expressVersions = { 'Express 4': require('express'), 'Express 5': require('express5') }
var options = { secret: 'keyboard cat', resave: false, saveUninitialized: true, cookie: { maxAge: 60000 } }

// What a user can see of an object's own properties: every key (symbols
// too) in order, each with its descriptor's kind, and for…in's order.
function visible (object) {
  var keys = Reflect.ownKeys(object).map(function (key) {
    var d = Object.getOwnPropertyDescriptor(object, key)
    return [String(key), 'value' in d ? typeof d.value : 'accessor', d.enumerable, d.configurable, Boolean(d.writable)]
  })
  var inherited = []
  for (var key in object) inherited.push(key)
  return { keys: keys, forIn: inherited, extensible: Object.isExtensible(object) }
}

function seenBy (express, session) {
  var app = express()
  var seen = {}
  // express-session parses the URL to match the cookie path, which caches
  // req._parsedOriginalUrl; this package does not need to for path '/'.
  app.use(function (req, res, next) {
    parseUrl.original(req)
    next()
  })
  app.use(session(options))
  app.get('/', function (req, res) {
    req.session.views = 1
    seen.req = visible(req)
    seen.res = visible(res)
    res.send('ok')
  })
  return request(app).get('/').expect(200).then(function () { return seen })
}

Object.keys(expressVersions).forEach(function (version) {
  var express = expressVersions[version]

  test(version + ': req and res look exactly as with express-session', async function () {
    var theirs = await seenBy(express, original)
    var mine = await seenBy(express, ours)
    assert.deepStrictEqual(mine.req, theirs.req)
    assert.deepStrictEqual(mine.res, theirs.res)
    assert.ok(mine.req.keys.some(function (k) { return k[0] === 'session' }))
  })

  test(version + ': consecutive requests share one hidden class where that pays', function () {
    var modulePath = require.resolve(version === 'Express 4' ? 'express' : 'express5')
    // In about one process in forty started on a busy machine, V8 gives
    // every normalized object a map of its own (see lib/shared-shape.js);
    // so up to three processes are asked, and one must show the effect.
    var reports = []
    for (var attempt = 0; attempt < 3; attempt++) {
      var result = childProcess.spawnSync(process.execPath,
        ['--allow-natives-syntax', path.join(__dirname, 'support', 'shapes.js'), modulePath, '60'],
        { encoding: 'utf8', timeout: 60000 })
      assert.strictEqual(result.status, 0, result.stderr)
      var report = JSON.parse(result.stdout)
      assert.strictEqual(report.requests, 60)
      assert.strictEqual(report.plainFast, true, 'a plain-object request keeps fast properties')
      reports.push(report)
      if (!shareShapes.pays || (report.sameReq === 59 && report.sameRes === 59)) break
    }
    var last = reports[reports.length - 1]
    if (shareShapes.pays) {
      assert.strictEqual(last.sameReq, 59, 'req objects sharing a hidden class with the previous one: ' + JSON.stringify(reports))
      assert.strictEqual(last.sameRes, 59, 'res objects sharing a hidden class with the previous one: ' + JSON.stringify(reports))
      assert.strictEqual(last.fastReq, 0, 'req objects in dictionary mode')
    } else {
      // V8 13 and later: left as they are (see lib/shared-shape.js).
      assert.strictEqual(last.fastReq, 60, 'req objects with fast properties')
    }
  })
})

test('no trap of a Proxy request runs for the change', function () {
  var http = require('http')
  var target = Object.create(Object.create(http.IncomingMessage.prototype))
  target.headers = {}
  target.url = '/'
  target.method = 'GET'
  var symbolsSeen = []
  var prototypeReads = 0
  function record (key) { if (typeof key === 'symbol' && String(key).indexOf('express-session') !== -1) symbolsSeen.push(String(key)) }
  var req = new Proxy(target, {
    get: function (t, key, receiver) { record(key); return Reflect.get(t, key, receiver) },
    set: function (t, key, value, receiver) { record(key); return Reflect.set(t, key, value, receiver) },
    defineProperty: function (t, key, d) { record(key); return Reflect.defineProperty(t, key, d) },
    deleteProperty: function (t, key) { record(key); return Reflect.deleteProperty(t, key) },
    getPrototypeOf: function (t) { prototypeReads++; return Reflect.getPrototypeOf(t) }
  })
  var res = { setHeader: function () {}, getHeader: function () {} }
  var called = false
  ours(options)(req, res, function (err) {
    assert.ifError(err)
    called = true
  })
  assert.ok(called)
  assert.ok(req.session, 'the Proxy request got its session')
  assert.deepStrictEqual(symbolsSeen, [])
  assert.strictEqual(prototypeReads, 0)
})

// Every own property with its full descriptor, values by identity, in order.
function ownProperties (object) {
  return Reflect.ownKeys(object).map(function (key) {
    return [key, Object.getOwnPropertyDescriptor(object, key)]
  })
}

test('what is moved into place keeps its value, descriptor and order', function () {
  var http = require('http')
  var app = Object.create(http.IncomingMessage.prototype)
  var req = Object.setPrototypeOf(new http.IncomingMessage(null), app)
  req.originalUrl = '/'
  var own = Symbol('the app\'s own')
  Object.defineProperty(req, own, { get: function () { return 1 }, configurable: true })
  var res = Object.setPrototypeOf(new http.ServerResponse(req), Object.create(http.ServerResponse.prototype))
  var frozen = Symbol('not configurable')
  Object.defineProperty(res, frozen, { value: {}, writable: true })
  var before = { req: ownProperties(req), res: ownProperties(res) }
  shareShapes(req, res)
  assert.deepStrictEqual(ownProperties(req), before.req)
  assert.deepStrictEqual(ownProperties(res), before.res)
  assert.strictEqual(ownProperties(req).pop()[1].get, before.req.pop()[1].get)
})
