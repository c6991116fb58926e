'use strict'

// One Express app in one of three variants, for the HTTP benchmark:
//   node benchmark/http-app.js none | express-session | express-session-rs
// Listens on 127.0.0.1 (a free port) and reports the port to its parent.

var express = require('express')

var variant = process.argv[2]
var middleware = {
  none: null,
  'express-session': require('express-session-js'),
  'express-session-rs': require('..')
}[variant]

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
