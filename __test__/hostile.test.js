'use strict'

// Hostile cookies and failing stores: every request gets a normal answer,
// errors reach the app's error handler, and the process never crashes.

var assert = require('assert')
var crypto = require('crypto')
var net = require('net')
var util = require('util')
var test = require('node:test')
var express = require('express')
var request = require('supertest')
var signature = require('cookie-signature')
var session = require('..')

var SECRET = 'keyboard cat'

function createApp (options) {
  var errors = []
  var app = express()
  app.use(session(Object.assign({ secret: SECRET, resave: false, saveUninitialized: false }, options)))
  app.get('/login', function (req, res) {
    req.session.user = 'bob'
    req.session.logins = (req.session.logins || 0) + 1
    res.send('welcome')
  })
  app.get('/', function (req, res) {
    res.send(req.session ? String(req.session.user) : 'no session')
  })
  app.get('/drop', function (req, res) {
    req.session = null
    res.send('dropped')
  })
  app.use(function (err, req, res, next) {
    errors.push(err)
    if (res.headersSent) return next(err)
    res.status(500).send('error: ' + err.message)
  })
  app.errors = errors
  return app
}

function signedCookie (id, secret) {
  return 'connect.sid=' + encodeURIComponent('s:' + signature.sign(id, secret || SECRET))
}

// Sends raw bytes as the Cookie header; resolves with the status code.
function rawRequest (server, cookieBytes) {
  return new Promise(function (resolve, reject) {
    var socket = net.connect(server.address().port, '127.0.0.1')
    var response = Buffer.alloc(0)
    socket.on('data', function (chunk) { response = Buffer.concat([response, chunk]) })
    socket.on('error', reject)
    socket.on('close', function () {
      var match = /^HTTP\/1\.1 (\d{3})/.exec(response.toString('latin1'))
      if (match) resolve(Number(match[1]))
      else reject(new Error('no HTTP response'))
    })
    socket.end(Buffer.concat([
      Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nCookie: '),
      cookieBytes,
      Buffer.from('\r\n\r\n')
    ]))
  })
}

test('hostile Cookie headers get a normal answer with no session, then login still works', async function (t) {
  var app = createApp()
  var login = await request(app).get('/login').expect(200, 'welcome')
  var valid = login.headers['set-cookie'][0].split(';')[0]
  var flipped = valid.slice(0, -3) + (valid.slice(-3, -2) === 'A' ? 'B' : 'A') + valid.slice(-2)
  var rand = crypto.createHash('sha256').update('seed').digest()
  var corpus = [
    'connect.sid=' + 'x'.repeat(15000),
    Array(2500).join('a=b; ') + 'connect.sid=s%3Anope.nope',
    'connect.sid=garbage; ' + valid,
    'connect.sid=s:',
    'connect.sid=s%3A',
    'connect.sid=s%3A.',
    signedCookie('some-id', 'another secret'),
    flipped,
    'connect.sid=s%3Aabc%ZZ.sig',
    'connect.sid=s%3A%E0%A4%A.sig',
    'connect.sid=%',
    '__proto__=1; constructor=2; toString=3; connect.sid=s%3Ax.y',
    signedCookie('__proto__'),
    signedCookie('constructor'),
    signedCookie('hasOwnProperty'),
    signedCookie('x'.repeat(8000)),
    '=; ; ;=;==;connect.sid',
    '"connect.sid"="s%3Aa.b"',
    'connect.sid="' + encodeURIComponent('s:' + signature.sign('quoted', SECRET)) + '"'
  ]
  for (var i = 0; i < corpus.length; i++) {
    var res = await request(app).get('/').set('Cookie', corpus[i])
    assert.strictEqual(res.status, 200, 'case ' + i)
    assert.strictEqual(res.text, 'undefined', 'case ' + i)
  }
  assert.deepStrictEqual(app.errors, [])

  var server = app.listen(0, '127.0.0.1')
  t.after(function () { server.close() })
  await new Promise(function (resolve) { server.once('listening', resolve) })
  var raw = [
    Buffer.from([0xff, 0xfe, 0x80, 0x3d, 0xc3, 0x28]),
    Buffer.concat([Buffer.from('connect.sid=s%3A'), Buffer.from([0xe9, 0xff, 0x2e, 0x41])]),
    Buffer.from('connect.sid=\x01\x02\x7f'),
    Buffer.from('connect.sid=a\x00b'),
    rand,
    crypto.randomBytes(4000).map(function (b) { return b === 13 || b === 10 ? 32 : b })
  ]
  for (var j = 0; j < raw.length; j++) {
    var status = await rawRequest(server, raw[j])
    assert.ok(status === 200 || status === 400, 'raw case ' + j + ' answered ' + status)
  }
  assert.deepStrictEqual(app.errors, [])
  await request(app).get('/').set('Cookie', valid).expect(200, 'bob')
})

// A store whose methods misbehave as told: error, throw, twice, sync,
// reject, silent (never answers).
function FaultyStore () {
  session.Store.call(this)
  this.sessions = new Map()
  this.faults = {}
}
util.inherits(FaultyStore, session.Store)

function faulty (method, work) {
  return function () {
    var args = Array.prototype.slice.call(arguments)
    var callback = args.pop()
    var fault = this.faults[method]
    var result
    switch (fault) {
      case 'error': setImmediate(callback, new Error(method + ' failed')); return
      case 'throw': throw new Error(method + ' threw')
      case 'reject': return Promise.reject(new Error(method + ' rejected'))
      case 'silent': return
    }
    result = work.apply(this, args)
    if (fault === 'sync') return callback(null, result)
    if (fault === 'twice') {
      setImmediate(callback, null, result)
      setImmediate(callback, null, result)
      return
    }
    setImmediate(callback, null, result)
  }
}

FaultyStore.prototype.get = faulty('get', function (sid) {
  var json = this.sessions.get(sid)
  return json ? JSON.parse(json) : undefined
})
FaultyStore.prototype.set = faulty('set', function (sid, sess) { this.sessions.set(sid, JSON.stringify(sess)) })
FaultyStore.prototype.touch = faulty('touch', function (sid, sess) { this.sessions.set(sid, JSON.stringify(sess)) })
FaultyStore.prototype.destroy = faulty('destroy', function (sid) { this.sessions.delete(sid) })

test('store faults reach the error handler or the request completes; nothing crashes or leaks', async function (t) {
  var unhandled = []
  function onUnhandled (reason) { unhandled.push(reason) }
  process.on('unhandledRejection', onUnhandled)
  t.after(function () { process.removeListener('unhandledRejection', onUnhandled) })

  var modes = ['error', 'throw', 'reject', 'twice', 'sync', 'silent']
  var methods = ['get', 'set', 'touch', 'destroy']
  for (var m = 0; m < methods.length; m++) {
    for (var f = 0; f < modes.length; f++) {
      var method = methods[m]
      var mode = modes[f]
      var store = new FaultyStore()
      var app = createApp({ store: store, storeTimeout: 200, unset: 'destroy' })
      var login = await request(app).get('/login').expect(200)
      var jar = login.headers['set-cookie'][0].split(';')[0]
      store.faults[method] = mode
      var path = method === 'destroy' ? '/drop' : method === 'set' ? '/login' : '/'
      var res = await request(app).get(path).set('Cookie', jar)
      var label = method + '/' + mode
      var failing = ['error', 'throw', 'reject', 'silent'].indexOf(mode) !== -1
      if (method === 'get' && failing) {
        assert.strictEqual(res.status, 500, label)
        assert.strictEqual(app.errors.length, 1, label)
      } else {
        assert.strictEqual(res.status, 200, label)
        // Errors after the headers went out still reach the error handler.
        await new Promise(function (resolve) { setTimeout(resolve, 20) })
        assert.strictEqual(app.errors.length, failing ? 1 : 0, label + ': ' + app.errors.map(String))
      }
      if (failing) assert.match(app.errors[0].message, mode === 'silent' ? /did not answer within 200 ms/ : new RegExp(method), label)
    }
  }
  assert.deepStrictEqual(unhandled, [])
})
