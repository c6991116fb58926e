'use strict'

// One Express app in one of four variants, for the HTTP benchmark:
//   node benchmark/http-app.js none | floor | express-session | express-session-rs
// Listens on 127.0.0.1 (a free port) and reports the port to its parent.
//
// `floor` is the least any session middleware does to a request: it adds
// req.sessionStore, req.sessionID and req.session and replaces res.writeHead
// and res.end, and does nothing else. Express gives req and res their
// prototypes per request, after which V8 makes a new hidden class for each
// property added, so this alone has a measurable cost.

var express = require('express')

var variant = process.argv[2]
var middleware = {
  none: null,
  floor: floor,
  'express-session': require('express-session-js'),
  'express-session-rs': require('..')
}[variant]

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

var app = express()
if (middleware) {
  app.use(middleware({
    secret: 'keyboard cat',
    resave: false,
    saveUninitialized: true,
    cookie: { maxAge: 24 * 60 * 60 * 1000 }
  }))
}

app.get('/login', function (req, res) {
  if (req.session) {
    req.session.user = { name: 'bob', roles: ['admin', 'editor'] }
    req.session.views = 0
  }
  res.send('welcome')
})

app.get('/', function (req, res) {
  res.send('hello ' + (req.session && req.session.user ? req.session.user.name : 'anonymous'))
})

var server = app.listen(0, '127.0.0.1', function () {
  process.send({ port: server.address().port })
})

process.on('disconnect', function () { process.exit(0) })
