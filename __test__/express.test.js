'use strict'

// Real Express 4 and 5 apps, with and without cookie-parser, behave the same
// with this package as with express-session 1.19.0.

var assert = require('assert')
var test = require('node:test')
var request = require('supertest')
var cookieParser = require('cookie-parser')
var ours = require('..')
var original = require('express-session-js')

var expressVersions = { 'Express 4': require('express'), 'Express 5': require('express5') }
var implementations = { 'express-session-rs': ours, 'express-session 1.19.0': original }

function buildApp (express, session, before) {
  var app = express()
  if (before) before(app)
  app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false, cookie: { maxAge: 60000 } }))
  app.get('/count', function (req, res) {
    req.session.count = (req.session.count || 0) + 1
    res.json({ count: req.session.count })
  })
  app.post('/login', function (req, res, next) {
    req.session.regenerate(function (err) {
      if (err) return next(err)
      req.session.user = 'bob'
      req.session.save(function (err) {
        if (err) return next(err)
        res.send('welcome')
      })
    })
  })
  app.get('/me', function (req, res) { res.send(String(req.session.user)) })
  app.post('/logout', function (req, res, next) {
    req.session.destroy(function (err) {
      if (err) return next(err)
      res.send('bye')
    })
  })
  app.get('/peek', function (req, res) { res.send('peek') })
  return app
}

// What a client sees for one scenario, with IDs and expiry times masked.
async function scenario (app) {
  var seen = []
  function record (res) {
    var setCookie = res.headers['set-cookie']
    seen.push([res.status, res.text, setCookie
      ? setCookie.map(function (c) {
        return c.replace(/=s%3A[^;]+/, '=<sid>').replace(/Expires=[^;]+/, 'Expires=<date>')
      })
      : null])
    return res
  }
  var anonymous = record(await request(app).get('/peek'))
  assert.strictEqual(anonymous.headers['set-cookie'], undefined)
  var first = record(await request(app).get('/count'))
  var jar = first.headers['set-cookie'][0].split(';')[0]
  record(await request(app).get('/count').set('Cookie', jar))
  record(await request(app).get('/peek').set('Cookie', jar))
  var login = record(await request(app).post('/login').set('Cookie', jar))
  var loggedIn = login.headers['set-cookie'][0].split(';')[0]
  assert.notStrictEqual(loggedIn, jar)
  record(await request(app).get('/me').set('Cookie', loggedIn))
  record(await request(app).get('/me').set('Cookie', jar))
  record(await request(app).get('/me').set('Cookie', loggedIn.replace(/.$/, 'x')))
  record(await request(app).post('/logout').set('Cookie', loggedIn))
  record(await request(app).get('/me').set('Cookie', loggedIn))
  return seen
}

Object.keys(expressVersions).forEach(function (versionName) {
  var express = expressVersions[versionName]
  var variants = {
    plain: null,
    'with cookie-parser': function (app) { app.use(cookieParser()) },
    'with cookie-parser and the same secret': function (app) { app.use(cookieParser('keyboard cat')) }
  }
  Object.keys(variants).forEach(function (variantName) {
    test(versionName + ' ' + variantName + ': same responses as express-session', async function () {
      var results = {}
      for (var name in implementations) {
        results[name] = await scenario(buildApp(express, implementations[name], variants[variantName]))
      }
      assert.deepStrictEqual(results['express-session-rs'], results['express-session 1.19.0'])
      assert.deepStrictEqual(results['express-session-rs'].map(function (r) { return r[1] }), [
        'peek', '{"count":1}', '{"count":2}', 'peek', 'welcome', 'bob', 'undefined', 'undefined', 'bye', 'undefined'
      ])
    })
  })
})

test('cookie-parser back-compat: req.cookies and req.signedCookies are read when the header has nothing', async function () {
  var express = expressVersions['Express 4']
  function app (parser, key) {
    return express()
      .use(parser)
      .use(function (req, res, next) {
        if (req.headers.cookie) req.headers.cookie = 'foo=bar'
        next()
      })
      .use(ours({ secret: 'keyboard cat', name: key, resave: false, saveUninitialized: true }))
      .use(function (req, res) {
        req.session.count = (req.session.count || 0) + 1
        res.end(String(req.session.count))
      })
  }
  var unsignedParser = app(cookieParser(), 'sid')
  var first = await request(unsignedParser).get('/').expect(200, '1')
  var jar = first.headers['set-cookie'][0].split(';')[0]
  await request(unsignedParser).get('/').set('Cookie', jar).expect(200, '2')
  // An unsigned or forged value in req.cookies is not accepted.
  var id = decodeURIComponent(jar.split('=')[1]).slice(2).split('.')[0]
  await request(unsignedParser).get('/').set('Cookie', 'sid=' + id).expect(200, '1')
  await request(unsignedParser).get('/').set('Cookie', jar.replace(/...\./, '.')).expect(200, '1')

  var signedParser = app(cookieParser('keyboard cat'), 'sid')
  var signedFirst = await request(signedParser).get('/').expect(200, '1')
  await request(signedParser).get('/').set('Cookie', signedFirst.headers['set-cookie'][0].split(';')[0]).expect(200, '2')
})
