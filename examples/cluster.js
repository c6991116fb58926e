'use strict'

// Two node:cluster workers behind one port, sharing their sessions through
// one SqliteStore file: reload the page and watch the worker change while
// the count goes on. Restart the whole thing and the count is still there.
//   node examples/cluster.js   then open http://127.0.0.1:3000/
// SESSION_DB names the file (default: sessions.db in the current directory).

var cluster = require('cluster')
var path = require('path')

if (cluster.isPrimary) {
  for (var i = 0; i < 2; i++) cluster.fork()
  cluster.on('exit', function (worker, code) {
    console.log('worker ' + worker.process.pid + ' exited (' + code + ')')
  })
  console.log('listening on http://127.0.0.1:3000/ with two workers')
} else {
  var express = require('express')
  var session = require('..')

  var app = express()
  app.use(session({
    store: new session.SqliteStore({ path: process.env.SESSION_DB || path.resolve('sessions.db') }),
    secret: process.env.SESSION_SECRET || 'replace this secret',
    resave: false,
    saveUninitialized: false,
    cookie: { maxAge: 30 * 60 * 1000, sameSite: 'lax' }
  }))

  app.get('/', function (req, res) {
    req.session.views = (req.session.views || 0) + 1
    res.type('text').send('visit ' + req.session.views + ', served by worker ' + process.pid + '\n')
  })

  app.listen(3000, '127.0.0.1')
}
