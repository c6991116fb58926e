'use strict'

// One Express app in one variant, for the HTTP benchmark:
//   node benchmark/http-app.js <variant>[+<store>] [redis port]
// where <variant> is none | floor | signed-floor | express-session | express-session-rs |
// unshared (express-session-rs without lib/shared-shape.js, to show what it
// does), or a directory holding another build of this package (to compare
// two versions of it). Listens on 127.0.0.1 (a free port), reports the port to
// its parent and answers { cpu: true } with its CPU time so far (µs) and
// { delay: true } with its event loop's delay (p99 and max, ms) since the
// last time it was asked.
//
// <store> keeps sessions in a file, in BENCH_DB (a path) or else in a
// temporary directory of the app's own: sqlite (this package's
// SqliteStore), better-sqlite3 (better-sqlite3-session-store 0.1 as its
// README sets it up: SQLite's default rollback journal) or
// better-sqlite3-wal (the same in WAL mode with synchronous=NORMAL), or
// sqlite-floor: the variant's own MemoryStore plus the two statements any
// SQLite session store runs per modified request (sqlite-floor.js).
//
// `floor` is the least any session middleware does to a request: it adds
// req.sessionStore, req.sessionID and req.session and replaces res.writeHead
// and res.end, and does nothing else. `signed-floor` adds what any
// middleware of signed session cookies must do first: find the session
// cookie and verify its signature, with this package's native verifier.
// With a redis port, `floor` is the floor of any session middleware on
// Redis (redis-floor.js), over node-redis or, as floor+resp, over a bare
// RESP connection.
//
// With a redis port, sessions are kept on that redis-server through one
// node-redis client (connect-redis 10 takes no other): by connect-redis,
// whose store extends the variant's own Store, or with the store `redis`
// by this package's RedisStore.

var fs = require('fs')
var Module = require('module')
var os = require('os')
var path = require('path')
var perfHooks = require('perf_hooks')
// Express 4, or 5 with BENCH_EXPRESS=5.
var express = require(process.env.BENCH_EXPRESS === '5' ? 'express5' : 'express')
var realisticRequest = require('./realistic-request')
var redisFloor = require('./redis-floor')
var sqliteFloor = require('./sqlite-floor')

var variant = process.argv[2].split('+')[0]
var fileStore = process.argv[2].split('+')[1]
var redisPort = Number(process.argv[3]) || 0

var packagePath = {
  'express-session': 'express-session-js',
  'express-session-rs': path.join(__dirname, '..'),
  unshared: path.join(__dirname, '..')
}[variant] || (variant === 'none' || variant === 'floor' || variant === 'signed-floor' ? null : path.resolve(variant))

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

var middleware = variant === 'floor' ? floor : variant === 'signed-floor' ? signedFloor : packagePath && require(packagePath)

function floor () {
  return function floorMiddleware (req, res, next) {
    addSession(req, res, 'x')
    next()
  }
}

// The floor plus what any middleware of signed session cookies does before
// it may trust an ID: find the session cookie in the Cookie header and
// verify its signature (with this package's native verifier); a request
// without a valid one is given a signed cookie.
function signedFloor (options) {
  var SessionCookie = require('../lib/native/session-cookie')
  var generateSessionId = require('../lib/native/session-ids')
  var cookie = new SessionCookie('connect.sid', [options.secret])
  return function signedFloorMiddleware (req, res, next) {
    var header = req.headers.cookie
    var id = typeof header === 'string' && header ? cookie.readId(header) : null
    if (!id) {
      id = generateSessionId()
      res.setHeader('Set-Cookie', 'connect.sid=' + encodeURIComponent('s:' + cookie.sign(id)) + '; Path=/; HttpOnly')
    }
    addSession(req, res, id)
    next()
  }
}

// What every session middleware adds to a request: the floor's work.
function addSession (req, res, id) {
  req.sessionStore = null
  req.sessionID = id
  req.session = { cookie: {} }
  var writeHead = res.writeHead
  res.writeHead = function (statusCode) { return writeHead.apply(this, arguments) }
  var end = res.end
  res.end = function (chunk, encoding) { return end.call(this, chunk, encoding) }
}

function databasePath () {
  if (process.env.BENCH_DB) return process.env.BENCH_DB
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-bench-'))
  process.on('exit', function () { fs.rmSync(dir, { recursive: true, force: true }) })
  return path.join(dir, 'sessions.db')
}

function fileStoreOf () {
  if (fileStore === 'sqlite') return new middleware.SqliteStore({ path: databasePath() })
  var Database = require('better-sqlite3')
  var BetterSqlite3Store = require('better-sqlite3-session-store')(middleware)
  var db = new Database(databasePath())
  if (fileStore === 'better-sqlite3-wal') {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
  } else if (fileStore !== 'better-sqlite3') {
    throw new Error('unknown store: ' + fileStore)
  }
  return new BetterSqlite3Store({ client: db, expired: { clear: true, intervalMs: 900000 } })
}

async function storeOf () {
  if (fileStore === 'sqlite-floor') return undefined
  if (fileStore && fileStore !== 'redis') return fileStoreOf()
  if (!redisPort || !packagePath) return undefined
  var client = require('redis').createClient({ socket: { host: '127.0.0.1', port: redisPort } })
  await client.connect()
  var prefix = 'bench:' + process.argv[2] + ':'
  if (fileStore === 'redis') return new middleware.RedisStore({ client: client, prefix: prefix })
  var ConnectRedis = require('connect-redis').RedisStore
  return new ConnectRedis({ client: client, prefix: prefix })
}

async function main () {
  var app = express()
  if (variant === 'floor' && redisPort) {
    app.use(await redisFloor(redisPort, fileStore || 'node-redis'))
  } else if (middleware) {
    if (fileStore === 'sqlite-floor') app.use(sqliteFloor(databasePath()))
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
    if (req.session) Object.assign(req.session, realisticRequest.sessionData(0))
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

var delay = perfHooks.monitorEventLoopDelay({ resolution: 1 })
delay.enable()

process.on('message', function (message) {
  if (message && message.cpu) {
    var usage = process.cpuUsage()
    process.send({ cpu: usage.user + usage.system })
  }
  if (message && message.delay) {
    process.send({ delay: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 } })
    delay.reset()
  }
})
process.on('disconnect', function () { process.exit(0) })

main().catch(function (err) {
  console.error(err)
  process.exit(1)
})
