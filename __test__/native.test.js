'use strict'

// The Rust core gives byte-identical answers to cookie-signature 1.0.7,
// cookie 0.7.2 and uid-safe, on fixed vectors and on many random inputs.

var assert = require('assert')
var crypto = require('crypto')
var test = require('node:test')
var cookie = require('cookie')
var signature = require('cookie-signature')
var native = require('../binding')
var Cookie = require('../session/cookie')
var CookieAttributes = require('../lib/cookie-attributes')
var SessionCookie = require('../lib/native/session-cookie')

// A deterministic generator, so a failure can be replayed.
function random (seed) {
  var state = seed >>> 0
  return function (n) {
    state = (state * 1664525 + 1013904223) >>> 0
    return state % n
  }
}

function randomString (rand, alphabet, maxLength) {
  var length = rand(maxLength + 1)
  var out = ''
  for (var i = 0; i < length; i++) out += alphabet[rand(alphabet.length)]
  return out
}

var COOKIE_ALPHABET = ['a', 'b', 's', ':', '=', ';', ' ', '\t', '"', '%', '2', '5', 'C', '3', 'A', '9', 'F', '.', '+', '/', 'é', '\u00ff', '\u2603', ',', '\\']

test('sign matches cookie-signature', function () {
  var sessionCookie = new SessionCookie('n', ['keyboard cat'])
  assert.strictEqual(sessionCookie.sign('hello'), signature.sign('hello', 'keyboard cat'))
  var rand = random(1)
  for (var i = 0; i < 2000; i++) {
    var value = randomString(rand, COOKIE_ALPHABET, 40)
    assert.strictEqual(sessionCookie.sign(value), signature.sign(value, 'keyboard cat'), JSON.stringify(value))
  }
  var binary = crypto.randomBytes(64)
  var binarySessionCookie = new SessionCookie('n', [binary])
  assert.strictEqual(binarySessionCookie.sign('abc'), signature.sign('abc', binary))
})

test('unsign accepts every secret of the list and rejects any single change', function () {
  var sessionCookie = new SessionCookie('n', ['new', Buffer.from('old')])
  var signedOld = signature.sign('some-session-id', 'old')
  var signedNew = signature.sign('some-session-id', 'new')
  assert.strictEqual(sessionCookie.unsign(signedOld), 'some-session-id')
  assert.strictEqual(sessionCookie.unsign(signedNew), 'some-session-id')
  assert.strictEqual(sessionCookie.unsign(signature.sign('x', 'other')), null)
  for (var i = 0; i < signedNew.length; i++) {
    var changed = signedNew.slice(0, i) + String.fromCharCode(signedNew.charCodeAt(i) ^ 1) + signedNew.slice(i + 1)
    assert.strictEqual(sessionCookie.unsign(changed), null, 'position ' + i)
    assert.strictEqual(signature.unsign(changed, 'new'), false)
  }
  var rand = random(2)
  for (var j = 0; j < 2000; j++) {
    var value = randomString(rand, COOKIE_ALPHABET, 60)
    var expected = signature.unsign(value, 'new')
    assert.strictEqual(sessionCookie.unsign(value), expected === false ? null : expected, JSON.stringify(value))
  }
})

test('readSessionId agrees with cookie.parse + the s: prefix + unsign', function () {
  var sessionCookie = new SessionCookie('connect.sid', ['keyboard cat'])
  function expected (header) {
    var raw = cookie.parse(header)['connect.sid']
    if (!raw || raw.slice(0, 2) !== 's:') return null
    var value = signature.unsign(raw.slice(2), 'keyboard cat')
    return value === false ? null : value
  }
  var signedCookie = 'connect.sid=' + encodeURIComponent('s:' + signature.sign('abc', 'keyboard cat'))
  var fixed = [
    signedCookie,
    'foo=bar; ' + signedCookie + '; baz=1',
    signedCookie + '; connect.sid=s%3Aforged.sig',
    'connect.sid=s%3Aforged.sig; ' + signedCookie,
    ' \tconnect.sid = "' + encodeURIComponent('s:' + signature.sign('q', 'keyboard cat')) + '" ',
    'connect.sid=s:' + signature.sign('raw', 'keyboard cat'),
    'connect.sid=s%3A' + signature.sign('%E0%A4%A', 'keyboard cat'),
    'x; connect.sid=s%3A' + encodeURIComponent(signature.sign('é☃', 'keyboard cat')),
    'connect.sid=s%3A',
    'connect.sid=s:',
    '_ga=GA1.2.1234567890; theme=dark',
    'x=connect.sid; y=' + encodeURIComponent('s:' + signature.sign('abc', 'keyboard cat')),
    '',
    ';;;;',
    'connect.sid'
  ]
  fixed.forEach(function (header) {
    assert.strictEqual(sessionCookie.readId(header), expected(header), JSON.stringify(header))
  })
  var rand = random(3)
  var pieces = [signedCookie, 'connect.sid=', 'connect.sid', '=', ';', ' ', 's%3A', 'a=b', '%', '"', signature.sign('z', 'keyboard cat')]
  for (var i = 0; i < 5000; i++) {
    var header = ''
    var parts = rand(6)
    for (var p = 0; p < parts; p++) header += pieces[rand(pieces.length)] + randomString(rand, COOKIE_ALPHABET, 4)
    assert.strictEqual(sessionCookie.readId(header), expected(header), JSON.stringify(header))
  }
})

test('Cookie#serialize matches cookie.serialize', function () {
  var rand = random(4)
  var sameSites = [undefined, true, 'lax', 'Strict', 'none']
  var priorities = [undefined, 'low', 'Medium', 'HIGH']
  for (var i = 0; i < 1000; i++) {
    var value = randomString(rand, COOKIE_ALPHABET, 20)
    var options = {
      path: rand(2) ? '/' + randomString(rand, ['a', 'b', '/', '-'], 6) : undefined,
      domain: rand(2) ? 'example.com' : undefined,
      expires: rand(2) ? new Date(rand(2000000000) * 1000) : undefined,
      httpOnly: Boolean(rand(2)),
      secure: Boolean(rand(2)),
      partitioned: Boolean(rand(2)),
      sameSite: sameSites[rand(sameSites.length)],
      priority: priorities[rand(priorities.length)]
    }
    var ours = new Cookie(options)
    assert.strictEqual(ours.serialize('name', value), cookie.serialize('name', value, ours.data), JSON.stringify(options))
  }
})

test('SessionCookie#render renders what express-session renders', function () {
  var sessionCookie = new SessionCookie('connect.sid', ['keyboard cat'])
  var expires = new Date(Date.UTC(2030, 0, 1))
  var attributes = { path: '/', expires: expires, httpOnly: true }
  var theirs = cookie.serialize('connect.sid', 's:' + signature.sign('apple', 'keyboard cat'), attributes)
  assert.strictEqual(sessionCookie.render('apple', new CookieAttributes(attributes)), theirs)
  assert.throws(function () { new SessionCookie('bad name', ['k']).render('id', new CookieAttributes({})) }, function (err) {
    return err instanceof TypeError && err.message === 'argument name is invalid'
  })
})

test('the scratch buffer grows for long strings', function () {
  var sessionCookie = new SessionCookie('connect.sid', ['keyboard cat'])
  var long = 'é'.repeat(40000)
  assert.strictEqual(sessionCookie.sign(long), signature.sign(long, 'keyboard cat'))
  var signedLong = signature.sign(long, 'keyboard cat')
  assert.strictEqual(sessionCookie.unsign(signedLong), long)
  assert.strictEqual(sessionCookie.sign('short'), signature.sign('short', 'keyboard cat'))
})

test('fillSessionIds writes IDs shaped like uid-safe 24-byte IDs', function () {
  var buffer = Buffer.alloc(32 * 64 + 7)
  assert.strictEqual(native.fillSessionIds(buffer), 64)
  var ids = new Set()
  for (var i = 0; i < 64; i++) {
    var id = buffer.latin1Slice(i * 32, i * 32 + 32)
    assert.match(id, /^[A-Za-z0-9_-]{32}$/)
    // 24 random bytes encode to exactly these 32 characters and back.
    assert.strictEqual(Buffer.from(id, 'base64url').length, 24)
    assert.strictEqual(Buffer.from(id, 'base64url').toString('base64url'), id)
    ids.add(id)
  }
  assert.strictEqual(ids.size, 64)
  assert.strictEqual(buffer.subarray(32 * 64).every(function (b) { return b === 0 }), true)
  assert.match(require('uid-safe').sync(24), /^[A-Za-z0-9_-]{32}$/)
})

test('hostile headers give null, never an exception', function () {
  var sessionCookie = new SessionCookie('connect.sid', ['keyboard cat'])
  var hostile = [
    'connect.sid=' + 'a'.repeat(16000),
    'connect.sid=s%3A' + '%'.repeat(5000),
    'connect.sid=%C0%80%ED%A0%80%FF',
    Array(5000).join('x=1;') + 'connect.sid=s%3Aa.b',
    'connect.sid=\u0000\u0001\u0002',
    '\ud800connect.sid=s%3Aa.b',
    'connect.sid=s%3A.',
    'connect.sid=s%3A' + signature.sign('x', 'keyboard cat').slice(0, -1)
  ]
  hostile.forEach(function (header) {
    assert.strictEqual(sessionCookie.readId(header), null, header.slice(0, 40))
  })
})
