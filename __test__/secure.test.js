'use strict'

// Which requests count as secure, and secure cookies over insecure requests.

var assert = require('assert')
var fs = require('fs')
var https = require('https')
var os = require('os')
var path = require('path')
var childProcess = require('child_process')
var test = require('node:test')
var request = require('supertest')
var support = require('./support/server')

var createServer = support.createServer

function reqSecure (req) {
  req.secure = req.headers['x-secure'] ? JSON.parse(req.headers['x-secure']) : undefined
}

test('proxy true trusts the first X-Forwarded-Proto value', async function () {
  var server = createServer({ proxy: true, cookie: { secure: true, maxAge: 5000 } })
  assert.ok((await request(server).get('/').set('X-Forwarded-Proto', 'https')).headers['set-cookie'])
  assert.ok((await request(server).get('/').set('X-Forwarded-Proto', 'HTTPS , http')).headers['set-cookie'])
  assert.strictEqual((await request(server).get('/').set('X-Forwarded-Proto', 'http,https')).headers['set-cookie'], undefined)
  assert.strictEqual((await request(server).get('/')).headers['set-cookie'], undefined)
})

test('proxy false trusts neither the header nor req.secure', async function () {
  var server = createServer({ proxy: false, cookie: { secure: true } }, null, reqSecure)
  var res = await request(server).get('/').set('X-Forwarded-Proto', 'https').set('X-Secure', 'true').expect(200)
  assert.strictEqual(res.headers['set-cookie'], undefined)
})

test('proxy unset trusts req.secure === true only', async function () {
  var server = createServer({ cookie: { secure: true } }, null, reqSecure)
  assert.strictEqual((await request(server).get('/').set('X-Forwarded-Proto', 'https')).headers['set-cookie'], undefined)
  assert.ok((await request(server).get('/').set('X-Secure', 'true')).headers['set-cookie'])
  assert.strictEqual((await request(server).get('/').set('X-Secure', '"yes"')).headers['set-cookie'], undefined)
})

test('an encrypted socket is always secure', async function (t) {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-tls-'))
  var key = path.join(dir, 'key.pem')
  var cert = path.join(dir, 'cert.pem')
  var made = childProcess.spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key,
    '-out', cert, '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' })
  assert.strictEqual(made.status, 0, 'openssl is needed to make a test certificate')
  var plain = createServer({ proxy: false, cookie: { secure: true } })
  var server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) })
  plain.listeners('request').forEach(function (listener) { server.on('request', listener) })
  t.after(function () { fs.rmSync(dir, { recursive: true, force: true }) })
  var res = await request(server).get('/').trustLocalhost(true).disableTLSCerts().expect(200)
  assert.match(res.headers['set-cookie'][0], /; Secure/)
})
