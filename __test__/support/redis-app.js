'use strict'

// A plain http app on a RedisStore, for tests that need several processes
// sharing Redis:
//   node redis-app.js <client kind> <port,port,...> [concurrency] [prefix]
// (client kinds as servers.connectRedis takes them). Serves
// session-app.js's routes and reports { port } to its parent over IPC.

var path = require('path')
var servers = require('./servers')
var sessionApp = require('./session-app')
var session = require(path.join(__dirname, '..', '..'))

var kind = process.argv[2]
var ports = process.argv[3].split(',').map(Number)
var concurrency = process.argv[4] || 'overwrite'
var prefix = process.argv[5] || 'sess:'

servers.connectRedis(kind, ports).then(function (connected) {
  sessionApp.listen(session({
    secret: 'redis app',
    resave: false,
    saveUninitialized: false,
    concurrency: concurrency,
    store: new session.RedisStore({ client: connected.client, prefix: prefix }),
    cookie: { maxAge: 60 * 60 * 1000 }
  }))
}, function (err) {
  console.error(err)
  process.exit(1)
})
