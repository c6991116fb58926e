'use strict'

// What the apps of sqlite-app.js and redis-app.js serve, on the session
// middleware they were given. Routes: /set?key=value (sets that key),
// /slow?ms=N&key=value (sets it, then ends N ms later), /get (the session's
// data as JSON), /count (adds one to `n`), /logout (destroys the session).
// Errors from the middleware are a 500 with the message.

var http = require('http')

/**
 * Serves the routes on 127.0.0.1 (a free port) behind `middleware`, and
 * reports { port, pid } to the parent over IPC (or prints it without IPC).
 * The process exits when its parent goes.
 */
function listen (middleware) {
  var server = http.createServer(function (req, res) {
    middleware(req, res, function (err) {
      if (err) {
        res.statusCode = 500
        res.end(err.message)
        return
      }
      respond(req, res)
    })
  })
  server.listen(0, '127.0.0.1', function () {
    var message = { port: server.address().port, pid: process.pid }
    if (process.send) process.send(message)
    else console.log(JSON.stringify(message))
  })
  process.on('disconnect', function () { process.exit(0) })
}

function respond (req, res) {
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
}

module.exports.listen = listen
