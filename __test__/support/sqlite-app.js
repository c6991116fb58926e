'use strict'

// A plain http app on a SqliteStore, for tests that need several processes
// on one database file:
//   node sqlite-app.js <database path> [concurrency]
// Serves session-app.js's routes and reports { port } to its parent over
// IPC (or prints it without IPC).

var path = require('path')
var sessionApp = require('./session-app')
var session = require(path.join(__dirname, '..', '..'))

var file = process.argv[2]
var concurrency = process.argv[3] || 'overwrite'
var store = new session.SqliteStore({ path: file, checkPeriod: 0 })

sessionApp.listen(session({
  secret: 'sqlite app',
  resave: false,
  saveUninitialized: false,
  concurrency: concurrency,
  store: store,
  cookie: { maxAge: 60 * 60 * 1000 }
}))
