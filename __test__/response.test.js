'use strict'

// res.end wrapping: waiting for the store, Set-Cookie composition, errors.

var assert = require('assert')
var http = require('http')
var util = require('util')
var test = require('node:test')
var request = require('supertest')
var support = require('./support/server')

var session = support.session
var Store = session.Store
var createServer = support.createServer
var cookie = support.cookie

// A store whose callbacks run synchronously.
function SyncStore () {
  Store.call(this)
  this.sessions = Object.create(null)
}
util.inherits(SyncStore, Store)
SyncStore.prototype.get = function (sid, cb) { cb(null, this.sessions[sid] && JSON.parse(this.sessions[sid])) }
SyncStore.prototype.set = function (sid, sess, cb) { this.sessions[sid] = JSON.stringify(sess); cb() }
SyncStore.prototype.destroy = function (sid, cb) { delete this.sessions[sid]; cb() }

// A store that answers after `delay` ms, to see the response wait for it.
function SlowStore (delay) {
  session.MemoryStore.call(this)
  var set = this.set
  this.set = function (sid, sess, cb) {
    var self = this
    setTimeout(function () { set.call(self, sid, sess, cb) }, delay)
  }
}
util.inherits(SlowStore, session.MemoryStore)

// Throws if anything writes after end, as some middleware does.
function patchWrite (res) {
  var end = res.end
  var write = res.write
  var ended = false
  res.end = function () { ended = true; return end.apply(this, arguments) }
  res.write = function () {
    if (ended) throw new Error('write after end')
    return write.apply(this, arguments)
  }
}

function errorOnce (server) {
  return new Promise(function (resolve) { server.once('error', resolve) })
}

test('the response waits for the store save to finish', async function () {
  var store = new SlowStore(100)
  var saved = false
  var set = store.set
  store.set = function (sid, sess, cb) {
    set.call(this, sid, sess, function (err) { saved = true; cb(err) })
  }
  var server = createServer({ store: store }, function (req, res) {
    req.session.hit = true
    res.end('done')
  })
  await request(server).get('/').expect(200, 'done')
  assert.strictEqual(saved, true)
})

test('bodies survive a slow store with Content-Length, multiple writes and empty bodies', async function () {
  var cases = [
    function (res) { res.setHeader('Content-Length', '13'); res.end('session saved') },
    function (res) { res.setHeader('Content-Length', '12'); res.write('hello, '); res.end('world') },
    function (res) { res.setHeader('Content-Length', '0'); res.end() },
    function (res) { res.end(Buffer.from('buffer body')) },
    function (res) { res.end('6869', 'hex') },
    function (res) { res.end(null) }
  ]
  var expected = ['session saved', 'hello, world', '', 'buffer body', 'hi', '']
  for (var i = 0; i < cases.length; i++) {
    var store = new SlowStore(30)
    var write = cases[i]
    var server = createServer({ store: store }, function (req, res) {
      req.session.hit = true
      write(res)
    })
    var res = await request(server).get('/').expect(200)
    assert.strictEqual(res.text, expected[i], 'case ' + i)
    assert.ok(res.headers['set-cookie'], 'case ' + i)
  }
})

test('a second res.end returns false and the first response stands', async function () {
  var second
  var server = createServer(null, function (req, res) {
    res.setHeader('Content-Type', 'text/plain')
    res.end('Hello')
    second = res.end('again')
  })
  await request(server).get('/').expect('Content-Type', 'text/plain').expect(200, 'Hello')
  assert.strictEqual(second, false)
})

test('synchronous stores work for save and destroy', async function () {
  var store = new SyncStore()
  var server = createServer({ store: store, unset: 'destroy' }, function (req, res) {
    var count = req.session.count = (req.session.count || 0) + 1
    if (count > 1) {
      req.session = null
      res.write('destroyed\n')
    }
    res.end('hits: ' + count)
  })
  var res = await request(server).get('/').expect(200, 'hits: 1')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, 'destroyed\nhits: 2')
  assert.deepStrictEqual(Object.keys(store.sessions), [])
})

test('res.write/res.end patched before or after the middleware keep working', async function () {
  function respond (req, res) {
    req.session.hit = true
    res.write('hello, ')
    res.end('world')
  }
  await request(createServer(null, respond, patchWrite)).get('/').expect(200, 'hello, world')
  await request(createServer(null, function (req, res) {
    patchWrite(res)
    respond(req, res)
  })).get('/').expect(200, 'hello, world')
})

test('Set-Cookie values set with setHeader or writeHead are kept', async function () {
  var Cookie = session.Cookie
  var viaSetHeader = await request(createServer(null, function (req, res) {
    res.setHeader('Set-Cookie', new Cookie().serialize('previous', 'one'))
    res.end()
  })).get('/').expect(200)
  assert.strictEqual(viaSetHeader.headers['set-cookie'][0], 'previous=one; Path=/; HttpOnly')
  assert.match(viaSetHeader.headers['set-cookie'][1], /^connect\.sid=/)

  var viaArray = await request(createServer(null, function (req, res) {
    res.setHeader('Set-Cookie', ['a=1', 'b=2'])
    res.end()
  })).get('/').expect(200)
  assert.deepStrictEqual(viaArray.headers['set-cookie'].slice(0, 2), ['a=1', 'b=2'])
  assert.strictEqual(viaArray.headers['set-cookie'].length, 3)

  var viaWriteHead = await request(createServer(null, function (req, res) {
    res.writeHead(200, { 'Set-Cookie': 'previous=two' })
    res.end()
  })).get('/').expect(200)
  assert.strictEqual(viaWriteHead.headers['set-cookie'][0], 'previous=two')
  assert.match(viaWriteHead.headers['set-cookie'][1], /^connect\.sid=/)
})

test('writeHead headers in every form are set before the session cookie is added', async function () {
  var pairs = await request(createServer(null, function (req, res) {
    res.writeHead(201, 'Made', ['Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Kind', 'flat'])
    res.end()
  })).get('/').expect(201)
  assert.deepStrictEqual(pairs.headers['set-cookie'].slice(0, 2), ['a=1', 'b=2'])
  assert.match(pairs.headers['set-cookie'][2], /^connect\.sid=/)
  assert.strictEqual(pairs.headers['x-kind'], 'flat')
  assert.strictEqual(pairs.res.statusMessage, 'Made')

  var nested = await request(createServer(null, function (req, res) {
    res.writeHead(202, [['Set-Cookie', 'c=3'], ['X-Kind', 'nested']])
    res.end()
  })).get('/').expect(202)
  assert.deepStrictEqual(nested.headers['set-cookie'].length, 2)
  assert.strictEqual(nested.headers['set-cookie'][0], 'c=3')
  assert.strictEqual(nested.headers['x-kind'], 'nested')

  var malformed = await request(createServer(null, function (req, res) {
    try {
      res.writeHead(200, ['X-Odd'])
    } catch (err) {
      res.end(err.message)
    }
  })).get('/').expect(200)
  assert.strictEqual(malformed.text, 'headers array is malformed')
})

test('the cookie is set when headers go out, also with a slow write', async function () {
  var server = createServer({ rolling: true }, function (req, res) {
    req.session.user = 'bob'
    res.write('hello, ')
    setTimeout(function () { res.end('world!') }, 50)
  })
  var res = await request(server).get('/').expect(200, 'hello, world!')
  assert.ok(res.headers['set-cookie'])
})

test('store errors from get reach next(err); ENOENT means not found', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    req.session.n = (req.session.n || 0) + 1
    res.end(String(req.session.n))
  })
  var res = await request(server).get('/').expect(200, '1')
  store.get = function (sid, cb) { cb(new Error('boom!')) }
  await request(server).get('/').set('Cookie', cookie(res)).expect(500, 'boom!')
  store.get = function (sid, cb) {
    var err = new Error('gone')
    err.code = 'ENOENT'
    cb(err)
  }
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, '1')
})

test('save, touch and destroy errors reach next(err) after the response', async function () {
  var cases = [
    { options: { saveUninitialized: true }, method: 'set', loaded: false },
    { options: { resave: false }, method: 'touch', loaded: true },
    { options: { unset: 'destroy' }, method: 'destroy', loaded: true }
  ]
  for (var i = 0; i < cases.length; i++) {
    var c = cases[i]
    var store = new session.MemoryStore()
    var server = createServer(Object.assign({ store: store }, c.options), function (req, res) {
      if (req.url === '/init') req.session.hit = true
      else if (c.method === 'destroy') req.session = null
      res.end('done')
    })
    var first = await request(server).get('/init').expect(200, 'done')
    store[c.method] = function () {
      arguments[arguments.length - 1](new Error('boom ' + c.method))
    }
    var errored = errorOnce(server)
    var req = request(server).get('/')
    if (c.loaded) req.set('Cookie', cookie(first))
    await req.expect(200, 'done')
    var err = await errored
    assert.strictEqual(err.message, 'boom ' + c.method)
  }
})

test('a cookie that cannot be serialized reaches next(err) and the response completes', async function () {
  // (The same value as an option is a TypeError at session(): options.test.js.)
  var server = createServer(null, function (req, res) {
    req.session.cookie.expires = new Date(NaN)
    res.end()
  })
  var errored = errorOnce(server)
  var res = await request(server).get('/').expect(200)
  assert.strictEqual(res.headers['set-cookie'], undefined)
  var err = await errored
  assert.ok(err instanceof TypeError)
  assert.strictEqual(err.message, 'option expires is invalid')
})

test('a session that cannot be serialized reaches next(err) without crashing', async function () {
  var server = createServer(null, function (req, res) {
    req.session.self = req.session
    res.end('ok')
  })
  var errored = errorOnce(server)
  await request(server).get('/').expect(200, 'ok')
  var err = await errored
  assert.match(err.message, /circular/i)
})

test('a stored session without a cookie reaches next(err)', async function () {
  var store = new session.MemoryStore()
  var server = createServer({ store: store }, function (req, res) {
    req.session.n = 1
    res.end('ok')
  })
  var res = await request(server).get('/').expect(200)
  await new Promise(function (resolve) { store.set(support.sid(res), { foo: 'bar' }, resolve) })
  await request(server).get('/').set('Cookie', cookie(res)).expect(500, /Cannot read prop/)
})

test('a throwing genid reaches next(err)', async function () {
  var server = createServer({ genid: function () { throw new Error('no ids today') } })
  await request(server).get('/').expect(500, 'no ids today')
})

test('a missing secret is a per-request error unless req.secret is set', async function () {
  await request(createServer({ secret: undefined })).get('/').expect(500, /secret.*required/)
  var server = createServer({ secret: undefined }, function (req, res) {
    req.session.n = (req.session.n || 0) + 1
    res.end(String(req.session.n))
  }, function (req) { req.secret = 'keyboard cat' })
  var res = await request(server).get('/').expect(200, '1')
  await request(server).get('/').set('Cookie', cookie(res)).expect(200, '2')
})

test('a store that calls back twice does not break the response', async function () {
  var store = new session.MemoryStore()
  var set = store.set
  store.set = function (sid, sess, cb) {
    set.call(this, sid, sess, function (err) { cb(err); cb(err) })
  }
  var server = createServer({ store: store }, function (req, res) {
    req.session.hit = true
    res.end('once')
  })
  await request(server).get('/').expect(200, 'once')
})

test('plain http res.end after end behaves like without the middleware', async function () {
  function respond (req, res) {
    res.end()
    try {
      res.setHeader('Content-Length', '3')
    } catch (e) {
      res.caught = e.message
    }
  }
  var plainMessage
  await request(http.createServer(function (req, res) {
    respond(req, res)
    plainMessage = res.caught
  })).get('/').expect(200)
  var ourMessage
  await request(createServer(null, function (req, res) {
    respond(req, res)
    ourMessage = res.caught
  })).get('/').expect(200)
  assert.ok(plainMessage)
  assert.strictEqual(ourMessage, plainMessage)
})
