'use strict'

// A plain http app on a RedisStore, for tests that need several processes
// sharing Redis:
//   node redis-app.js <client kind> <port,port,...> [concurrency] [prefix]
// (client kinds as servers.connectRedis takes them). Reports { port } to
// its parent over IPC. Routes: /set?key=value (sets that key),
// /slow?ms=N&key=value (sets it, then ends N ms later), /get (the session's
// data as JSON), /count (adds one to `n`), /logout (destroys the session).

var http = require('http')
var path = require('path')
var servers = require('./servers')
var session = require(path.join(__dirname, '..', '..'))

var kind = process.argv[2]
var ports = process.argv[3].split(',').map(Number)
var concurrency = process.argv[4] || 'overwrite'
var prefix = process.argv[5] || 'sess:'

servers.connectRedis(kind, ports).then(function (connected) {
  var middleware = session({
    secret: 'redis app',
    resave: false,
    saveUninitialized: false,
    concurrency: concurrency,
    store: new session.RedisStore({ client: connected.client, prefix: prefix }),
    cookie: { maxAge: 60 * 60 * 1000 }
  })

  var server = http.createServer(function (req, res) {
    middleware(req, res, function (err) {
      if (err) {
        res.statusCode = 500
        res.end(err.message)
        return
      }
      var url = new URL(req.url, 'http://localhost')
      var params = Object.fromEntries(url.searchParams)
      switch (url.pathname) {
        case '/set':
          Object.assign(req.session, params)
          res.end('ok')
          return
        case '/slow':
          Object.keys(params).forEach(function (key) { if (key !== 'ms') req.session[key] = params[key] })
          setTimeout(function () { res.end('slow') }, Number(params.ms))
          return
        case '/count':
          req.session.n = (req.session.n || 0) + 1
          res.end(String(req.session.n))
          return
        case '/logout':
          req.session.destroy(function (err) { res.end(err ? err.message : 'out') })
          return
        default:
          res.setHeader('Content-Type', 'application/json')
          res.end(JSON.stringify(req.session))
      }
    })
  })

  server.listen(0, '127.0.0.1', function () {
    process.send({ port: server.address().port, pid: process.pid })
  })
}, function (err) {
  console.error(err)
  process.exit(1)
})
process.on('disconnect', function () { process.exit(0) })
