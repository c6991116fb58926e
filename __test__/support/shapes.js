'use strict'

// Run with --allow-natives-syntax (see shared-shape.test.js): serves `count`
// sequential requests through Express with the session middleware and
// prints, as JSON, how many consecutive req and res objects shared V8's
// hidden class in the route, how many kept fast properties (were not put
// into dictionary mode), and whether plain-object requests kept them.
//   node --allow-natives-syntax shapes.js <express module> <count>

var http = require('http')
var express = require(process.argv[2])
var session = require('../..')

var count = Number(process.argv[3])
var sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') // eslint-disable-line no-new-func
var hasFastProperties = new Function('o', 'return %HasFastProperties(o)') // eslint-disable-line no-new-func

var options = { secret: 'keyboard cat', resave: false, saveUninitialized: true }
var report = { requests: 0, sameReq: 0, sameRes: 0, fastReq: 0, plainFast: false }
var previous = null

var app = express()
app.use(session(options))
app.get('/', function (req, res) {
  if (previous) {
    if (sameMap(previous.req, req)) report.sameReq++
    if (sameMap(previous.res, res)) report.sameRes++
  }
  if (hasFastProperties(req)) report.fastReq++
  previous = { req: req, res: res }
  report.requests++
  res.send('ok')
})

// The middleware on a plain object, as a test harness would call it.
var plain = { method: 'GET', url: '/', originalUrl: '/', headers: {} }
session(options)(plain, { setHeader: function () {}, getHeader: function () {} }, function () {})
report.plainFast = hasFastProperties(plain)

var server = app.listen(0, '127.0.0.1', async function () {
  var agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  for (var i = 0; i < count; i++) {
    await new Promise(function (resolve, reject) {
      http.get({ host: '127.0.0.1', port: server.address().port, path: '/', agent: agent }, function (res) {
        res.resume()
        res.on('end', resolve)
      }).on('error', reject)
    })
  }
  agent.destroy()
  server.close()
  console.log(JSON.stringify(report))
})
