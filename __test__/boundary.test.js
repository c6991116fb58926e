'use strict'

// The native boundary is safe by construction: two copies of the package on
// one thread keep apart, a buffer taken away from the package cannot crash
// it, user code that runs while a cookie is rendered cannot change whose
// cookie it is, a large session does not pin its memory, and MemoryStore
// keys are exact.

var assert = require('assert')
var childProcess = require('child_process')
var fs = require('fs')
var os = require('os')
var path = require('path')
var test = require('node:test')
var request = require('supertest')
var signature = require('cookie-signature')
var support = require('./support/server')
var session = require('..')

var root = path.join(__dirname, '..')
var twoCopies = path.join(__dirname, 'support', 'two-copies.js')

function node (args, options) {
  var result = childProcess.spawnSync(process.execPath, args, Object.assign({ encoding: 'utf8', timeout: 60000 }, options))
  assert.strictEqual(result.signal, null, 'killed by ' + result.signal + '\n' + result.stderr)
  assert.strictEqual(result.status, 0, result.stderr)
  return result.stdout
}

function assertCopiesKeptApart (stdout) {
  var report = JSON.parse(stdout)
  assert.strictEqual(report.distinct, true, 'two copies were loaded')
  assert.strictEqual(report.checked, 160)
  assert.deepStrictEqual(report.wrong, [])
}

test('two copies loaded with require.cache cleared keep every session and ID', function () {
  assertCopiesKeptApart(node([twoCopies, 'cache']))
})

test('two copies reached through two symlinks under --preserve-symlinks keep every session and ID', function (t) {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-links-'))
  t.after(function () { fs.rmSync(dir, { recursive: true, force: true }) })
  fs.symlinkSync(root, path.join(dir, 'a'), 'dir')
  fs.symlinkSync(root, path.join(dir, 'b'), 'dir')
  assertCopiesKeptApart(node(['--preserve-symlinks', twoCopies, path.join(dir, 'a'), path.join(dir, 'b')]))
})

test('buffers of the package transferred away and collected crash nothing', function () {
  // Whoever wraps Buffer methods before the package loads sees its buffers.
  var script = [
    'var seen = new Set()',
    'for (const name of ["utf8Write", "latin1Slice"]) {',
    '  const original = Buffer.prototype[name]',
    '  Buffer.prototype[name] = function () { if (this.byteLength >= 1024) seen.add(this); return original.apply(this, arguments) }',
    '}',
    'var session = require(' + JSON.stringify(root) + ')',
    'var store = new session.MemoryStore()',
    'var middleware = session({ secret: "s", resave: false, saveUninitialized: false, store: store, cookie: { maxAge: 60000 } })',
    'function request (cookie, change) {',
    '  var headers = {}; var out = {}',
    '  var req = { method: "GET", url: "/", originalUrl: "/", headers: cookie ? { cookie: cookie } : {}, socket: {} }',
    '  var res = { statusCode: 200, headersSent: false, _h: {},',
    '    setHeader (n, v) { this._h[n.toLowerCase()] = v }, getHeader (n) { return this._h[n.toLowerCase()] },',
    '    removeHeader (n) { delete this._h[n.toLowerCase()] }, appendHeader (n, v) { this._h[n.toLowerCase()] = v },',
    '    writeHead () { this.headersSent = true; return this }, write () { return true },',
    '    end () { if (!this.headersSent) this.writeHead(200); out.cookie = this._h["set-cookie"]; return this } }',
    '  middleware(req, res, function (err) { if (err) throw err; out.user = req.session.user; if (change) req.session.user = change; res.end() })',
    '  return out',
    '}',
    'function round (name) {',
    '  var login = request(null, name)',
    '  var cookie = login.cookie[0].split(";")[0]',
    '  var again = request(cookie)',
    '  if (again.user !== name) throw new Error("lost " + name + ": " + again.user)',
    '  store.get("absent", function () {})',
    '}',
    'round("before")',
    'if (seen.size === 0) throw new Error("no buffer seen")',
    // Node 22 marks its own Buffer pool untransferable: only that may refuse.
    'var moved = 0',
    'for (const buffer of seen) {',
    '  try { structuredClone(buffer.buffer, { transfer: [buffer.buffer] }); moved++ } catch (err) {',
    '    if (err.name !== "DataCloneError" || buffer.buffer.byteLength !== Buffer.poolSize) throw err',
    '  }',
    '}',
    'if (moved < 2) throw new Error("only " + moved + " buffers transferred")',
    'seen.clear()',
    'global.gc(); global.gc()',
    'for (var i = 0; i < 200; i++) round("after" + i)',
    'store.set("x", { cookie: { path: "/" }, n: 1 }, function (err) {',
    '  if (err) throw err',
    '  store.get("x", function (err, s) { if (err || s.n !== 1) throw new Error("store broken"); console.log("ok") })',
    '})'
  ].join('\n')
  assert.strictEqual(node(['--expose-gc', '-e', script]).trim(), 'ok')
})

function reentrantServer (hook) {
  var store = new session.MemoryStore()
  var other = 'other-session-id-0123456789abcdef'
  return support.createServer({ store: store, resave: false, saveUninitialized: false }, function (req, res) {
    req.session.user = 'alice'
    var reenter = function () {
      // Anything the package does natively, from inside the rendering.
      store.get(other, function () {})
      store.set(other, { cookie: { path: '/' }, user: 'bob' })
    }
    hook(req.session, reenter)
    res.end(req.sessionID)
  })
}

function signedIdOf (res) {
  var value = decodeURIComponent(support.parseSetCookie(res.headers['set-cookie'][0]).value)
  assert.strictEqual(value.slice(0, 2), 's:')
  return signature.unsign(value.slice(2), 'keyboard cat')
}

;[
  ['a getter on cookie.domain', function (sess, reenter) {
    Object.defineProperty(sess.cookie, 'domain', { enumerable: true, configurable: true, get: function () { reenter(); return 'example.com' } })
  }],
  ['toString of cookie.priority', function (sess, reenter) {
    sess.cookie.priority = { toString: function () { reenter(); return 'high' } }
  }],
  ['a Proxy around the cookie', function (sess, reenter) {
    sess.cookie = new Proxy(sess.cookie, {
      get: function (target, key) {
        if (key === 'path' || key === 'sameSite') reenter()
        return Reflect.get(target, key, target)
      }
    })
  }]
].forEach(function (variant) {
  test('user code in ' + variant[0] + ' that calls the package keeps the Set-Cookie its own', async function () {
    var server = reentrantServer(variant[1])
    for (var i = 0; i < 5; i++) {
      var res = await request(server).get('/')
      assert.strictEqual(res.status, 200, res.text)
      assert.strictEqual(signedIdOf(res), res.text)
    }
  })
})

test('a 10 MB session does not leave the package holding 10 MB of buffers', function () {
  var script = [
    'var session = require(' + JSON.stringify(root) + ')',
    'function arrayBuffers () { global.gc(); global.gc(); return process.memoryUsage().arrayBuffers }',
    'var store = new session.MemoryStore()',
    'var cookie = { path: "/", httpOnly: true, originalMaxAge: 60000, expires: new Date(Date.now() + 60000) }',
    'store.set("warm", { cookie: cookie, n: 0 })',
    'var before = arrayBuffers()',
    'store.set("big", { cookie: cookie, blob: "\u00e9".repeat(5 * 1024 * 1024) })',
    'var big = null',
    'store.get("big", function (err, s) {',
    '  if (err) throw err',
    '  big = s.blob.length',
    '  for (var i = 0; i < 10; i++) store.set("small" + i, { cookie: cookie, n: i })',
    '  store.touch("big", { cookie: cookie })',
    '  setImmediate(function () { console.log(JSON.stringify({ big: big, grew: arrayBuffers() - before })) })',
    '})'
  ].join('\n')
  var report = JSON.parse(node(['--expose-gc', '-e', script]))
  assert.strictEqual(report.big, 5 * 1024 * 1024)
  assert.ok(report.grew < 1024 * 1024, 'buffers grew by ' + report.grew + ' bytes')
})

test('MemoryStore keys are exact: IDs that UTF-8 cannot carry stay distinct', async function (t) {
  var store = new session.MemoryStore()
  t.after(function () { store.close() })
  var ids = ['\ud800', '\udbff', '\udfff', 'a\ud800', 'a\udc00', '\ufffd', 'a\ufffd', '\u0000', '\u0000"\\ud800"', '\u0000x', '', '\ud83d\ude00']
  var call = function (method) {
    var args = Array.prototype.slice.call(arguments, 1)
    return new Promise(function (resolve, reject) {
      store[method].apply(store, args.concat(function (err, value) { return err ? reject(err) : resolve(value) }))
    })
  }
  for (var i = 0; i < ids.length; i++) await call('set', ids[i], { cookie: { path: '/' }, n: i })
  assert.strictEqual(await call('length'), ids.length)
  for (i = 0; i < ids.length; i++) assert.strictEqual((await call('get', ids[i])).n, i, JSON.stringify(ids[i]))
  assert.deepStrictEqual((await call('ids')).sort(), ids.slice().sort())
  var all = await call('all')
  for (i = 0; i < ids.length; i++) assert.strictEqual(all[ids[i]].n, i)
  await call('destroy', '\ud800')
  assert.strictEqual(await call('get', '\ud800'), undefined)
  assert.strictEqual((await call('get', '\udbff')).n, 1)
  assert.strictEqual(await call('length'), ids.length - 1)
})
