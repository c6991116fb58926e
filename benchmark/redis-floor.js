'use strict'

// The least any session middleware on Redis does per request, for the HTTP
// benchmark's Redis scenarios (variant `floor`): a GET of a realistic
// session's JSON before the route and, when the route changed the session,
// a SET of it while the response waits with its last byte held back (1.19's
// wire behaviour), with no cookie, no JSON parsing and no session logic.
// No store can make fewer round trips or socket writes than this and keep
// that wire behaviour, so its ratio to express-session bounds every store's.
//
// Over `transport` 'node-redis' (the client the other variants use) or
// 'resp': a bare RESP connection, the least any client does (what a native
// transport would take off the JavaScript thread).

var net = require('net')
var realisticRequest = require('./realistic-request')

var KEY = 'bench:floor'
var TTL = 86400000

// The session a realistic request loads, as connect-redis stores it.
var SESSION = JSON.stringify(Object.assign({
  cookie: { originalMaxAge: TTL, expires: '2026-12-08T12:00:00.000Z', httpOnly: true, path: '/' }
}, realisticRequest.sessionData(0)))

/**
 * The floor middleware on the redis-server at `port`, over `transport`;
 * resolves once the session is stored.
 */
async function redisFloor (port, transport) {
  var connection = transport === 'resp' ? await respConnection(port) : await nodeRedisConnection(port)
  await new Promise(function (resolve, reject) {
    connection.set(function (err) { return err ? reject(err) : resolve() })
  })
  return function redisFloorMiddleware (req, res, next) {
    req.sessionStore = null
    req.sessionID = 'x'
    connection.get(function (err) {
      if (err) return next(err)
      req.session = { cookie: {} }
      var end = res.end
      res.end = function (chunk, encoding) {
        // The benchmark's modifying route sets `views`.
        if (!('views' in req.session)) return end.call(this, chunk, encoding)
        var body = Buffer.from(chunk, encoding)
        res.write(body.subarray(0, body.length - 1))
        connection.set(function (err) {
          if (err) return next(err)
          end.call(res, body.subarray(body.length - 1))
        })
        return true
      }
      next()
    })
  }
}

async function nodeRedisConnection (port) {
  var client = require('redis').createClient({ socket: { host: '127.0.0.1', port: port } })
  await client.connect()
  return {
    get: function (done) {
      client.get(KEY).then(function (json) { done(null, json) }, done)
    },
    set: function (done) {
      client.set(KEY, SESSION, { PX: TTL }).then(function () { done(null) }, done)
    }
  }
}

// A RESP connection that sends the two commands, written once, and reads
// their replies (simple strings, errors, bulk strings) in order.
function respConnection (port) {
  var GET = command(['GET', KEY])
  var SET = command(['SET', KEY, SESSION, 'PX', String(TTL)])
  var waiting = []
  var unread = null
  return new Promise(function (resolve, reject) {
    var socket = net.connect(port, '127.0.0.1', function () {
      socket.removeListener('error', reject)
      socket.setNoDelay(true)
      resolve({
        get: function (done) { waiting.push(done); socket.write(GET) },
        set: function (done) { waiting.push(done); socket.write(SET) }
      })
    })
    socket.once('error', reject)
    socket.on('data', function (chunk) {
      unread = unread ? Buffer.concat([unread, chunk]) : chunk
      var at = 0
      for (;;) {
        var lineEnd = unread.indexOf('\r\n', at)
        if (lineEnd === -1) break
        var type = unread[at]
        var line = unread.toString('latin1', at + 1, lineEnd)
        var reply = line
        var after = lineEnd + 2
        if (type === 0x24) {
          var length = Number(line)
          if (length >= 0) {
            if (after + length + 2 > unread.length) break
            reply = unread.toString('utf8', after, after + length)
            after += length + 2
          } else {
            reply = null
          }
        }
        at = after
        var done = waiting.shift()
        if (type === 0x2d) done(new Error(line))
        else done(null, reply)
      }
      unread = at < unread.length ? unread.subarray(at) : null
    })
  })
}

function command (args) {
  return Buffer.from('*' + args.length + '\r\n' + args.map(function (arg) {
    return '$' + Buffer.byteLength(arg) + '\r\n' + arg + '\r\n'
  }).join(''))
}

module.exports = redisFloor
