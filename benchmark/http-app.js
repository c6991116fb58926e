'use strict'

// One Express app in one variant, for the HTTP benchmark:
//   node benchmark/http-app.js <variant> [redis port]
// where <variant> is none | floor | express-session | express-session-rs |
// unshared (express-session-rs without lib/shared-shape.js, to show what it
// does), or a directory holding another build of this package (to compare
// two versions of it). Listens on 127.0.0.1 (a free port), reports the port to
// its parent and answers { cpu: true } with its CPU time so far (µs).
//
// `floor` is the least any session middleware does to a request: it adds
// req.sessionStore, req.sessionID and req.session and replaces res.writeHead
// and res.end, and does nothing else.
//
// With a redis port, sessions are kept by connect-redis 10 on that
// redis-server; each variant's store extends its own middleware's Store.

var Module = require('module')
var path = require('path')
var express = require('express')

var variant = process.argv[2]
var redisPort = Number(process.argv[3]) || 0

var packagePath = {
  'express-session': 'express-session-js',
  'express-session-rs': path.join(__dirname, '..'),
  unshared: path.join(__dirname, '..')
}[variant] || (variant === 'none' || variant === 'floor' ? null : path.resolve(variant))

if (variant === 'unshared') {
  var sharedShape = require.resolve('../lib/shared-shape')
  require.cache[sharedShape] = { id: sharedShape, filename: sharedShape, loaded: true, exports: function () {} }
}

// connect-redis requires 'express-session': give it this variant's.
if (packagePath) {
  var resolveFilename = Module._resolveFilename
  Module._resolveFilename = function (request, parent, isMain, options) {
    return resolveFilename.call(this, request === 'express-session' ? packagePath : request, parent, isMain, options)
  }
}

var middleware = variant === 'floor' ? floor : packagePath && require(packagePath)

function floor () {
  return function floorMiddleware (req, res, next) {
    req.sessionStore = null
    req.sessionID = 'x'
    req.session = { cookie: {} }
    var writeHead = res.writeHead
    res.writeHead = function (statusCode) { return writeHead.apply(this, arguments) }
    var end = res.end
    res.end = function (chunk, encoding) { return end.call(this, chunk, encoding) }
    next()
  }
}

async function storeOf () {
  if (!redisPort || !packagePath) return undefined
  var RedisStore = require('connect-redis').RedisStore
  var client = require('redis').createClient({ socket: { host: '127.0.0.1', port: redisPort } })
  await client.connect()
  return new RedisStore({ client: client, prefix: 'bench:' + variant + ':' })
}

async function main () {
  var app = express()
  if (middleware) {
    app.use(middleware({
      secret: 'keyboard cat',
      resave: false,
      saveUninitialized: true,
      store: await storeOf(),
      cookie: { maxAge: 24 * 60 * 60 * 1000 }
    }))
  }

  // The small session: a user and a counter.
  app.get('/login', function (req, res) {
    if (req.session) {
      req.session.user = { name: 'bob', roles: ['admin', 'editor'] }
      req.session.views = 0
    }
    res.send('welcome')
  })

  // A realistic one: a user object, a CSRF secret and a counter.
  app.get('/login/realistic', function (req, res) {
    if (req.session) {
      req.session.user = {
        id: 4242,
        name: 'Bob Example',
        email: 'bob@example.com',
        roles: ['admin', 'editor'],
        lastLogin: '2026-11-30T08:15:00.000Z'
      }
      req.session.csrfSecret = 'k8J2mQx9TtVb3LwPzR5sYh7N'
      req.session.views = 0
    }
    res.send('welcome')
  })

  app.get('/', function (req, res) {
    res.send('hello ' + (req.session && req.session.user ? req.session.user.name : 'anonymous'))
  })

  app.get('/count', function (req, res) {
    if (req.session) req.session.views = (req.session.views || 0) + 1
    res.send('views: ' + (req.session ? req.session.views : 0))
  })

  var server = app.listen(0, '127.0.0.1', function () {
    process.send({ port: server.address().port })
  })
}

process.on('message', function (message) {
  if (message && message.cpu) {
    var usage = process.cpuUsage()
    process.send({ cpu: usage.user + usage.system })
  }
})
process.on('disconnect', function () { process.exit(0) })

main().catch(function (err) {
  console.error(err)
  process.exit(1)
})
