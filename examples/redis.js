'use strict'

// The counter example on Redis through this package's RedisStore, with
// concurrency: 'merge' (atomic across every process using the Redis).
//   redis-server --port 6379 --bind 127.0.0.1 --save ''
//   REDIS_URL=redis://127.0.0.1:6379 node examples/redis.js
// Run it twice on two PORTs: both serve the same sessions.

var express = require('express')
var createClient = require('redis').createClient
var session = require('express-session')

var client = createClient({ url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' })
client.on('error', function (err) { console.error('redis:', err.message) })

var app = express()

app.use(session({
  store: new session.RedisStore({ client: client, prefix: 'myapp:' }),
  secret: process.env.SESSION_SECRET || 'replace this secret',
  resave: false,
  saveUninitialized: false,
  concurrency: 'merge',
  cookie: { maxAge: 30 * 60 * 1000, sameSite: 'lax' }
}))

app.get('/', function (req, res) {
  req.session.views = (req.session.views || 0) + 1
  res.send('visit number ' + req.session.views + ', session ' + req.sessionID + ' in Redis')
})

client.connect().then(function () {
  var port = Number(process.env.PORT) || 3000
  app.listen(port, '127.0.0.1', function () {
    console.log('express-session-rs on Redis: http://127.0.0.1:' + port + '/')
  })
}, function (err) {
  console.error('cannot reach Redis: ' + err.message)
  process.exit(1)
})
