'use strict'

// Loads two copies of the package on one thread, as hot reloaders, jest
// module isolation and --preserve-symlinks do, and runs logins through both,
// interleaved, over HTTP on 127.0.0.1. Prints JSON: how many checks ran and
// which of them saw the wrong user, the wrong session ID or an error.
//   node two-copies.js cache              require.cache cleared in between
//   node two-copies.js PATH_A PATH_B      two paths to the package

var http = require('http')
var path = require('path')

var root = path.join(__dirname, '..', '..')
var ROUNDS = 40

function loadCopies (args) {
  if (args[0] !== 'cache') return [require(args[0]), require(args[1])]
  var first = require(root)
  var nodeModules = path.join(root, 'node_modules') + path.sep
  Object.keys(require.cache).forEach(function (file) {
    if (file.indexOf(root + path.sep) === 0 && file.indexOf(nodeModules) !== 0) delete require.cache[file]
  })
  return [first, require(root)]
}

function listen (middleware) {
  var server = http.createServer(function (req, res) {
    middleware(req, res, function (err) {
      if (err) {
        res.statusCode = 500
        res.end('error: ' + err.message)
        return
      }
      var login = /^\/login\/(\w+)$/.exec(req.url)
      if (login) req.session.user = login[1]
      res.end(JSON.stringify({ user: req.session.user || null, id: req.sessionID }))
    })
  })
  return new Promise(function (resolve) {
    server.listen(0, '127.0.0.1', function () { resolve(server) })
  })
}

function get (server, url, cookie) {
  return new Promise(function (resolve, reject) {
    var headers = cookie ? { cookie: cookie } : {}
    http.get({ host: '127.0.0.1', port: server.address().port, path: url, headers: headers }, function (res) {
      var body = ''
      res.setEncoding('utf8')
      res.on('data', function (chunk) { body += chunk })
      res.on('end', function () {
        var setCookie = res.headers['set-cookie']
        resolve({ status: res.statusCode, body: body, cookie: setCookie && setCookie[0].split(';')[0] })
      })
    }).on('error', reject)
  })
}

// The session ID inside a `connect.sid=s%3A<id>.<signature>` cookie.
function idOf (cookie) {
  var value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1))
  return value.slice(2, value.lastIndexOf('.'))
}

async function main () {
  var copies = loadCopies(process.argv.slice(2))
  var report = { distinct: copies[0] !== copies[1] && copies[0].MemoryStore !== copies[1].MemoryStore, checked: 0, wrong: [] }
  var options = { secret: 'shared secret', resave: false, saveUninitialized: false }
  var shared = new copies[1].MemoryStore()
  var setups = {
    'own stores': [copies[0](options), copies[1](options)],
    'one store': [copies[0](Object.assign({ store: shared }, options)), copies[1](Object.assign({ store: shared }, options))]
  }

  for (var name in setups) {
    var servers = await Promise.all(setups[name].map(listen))
    for (var i = 0; i < ROUNDS; i++) {
      var users = ['alice' + i, 'bob' + i]
      var logins = await Promise.all(servers.map(function (server, n) { return get(server, '/login/' + users[n]) }))
      var checks = await Promise.all(servers.map(function (server, n) { return get(server, '/', logins[n].cookie) }))
      for (var n = 0; n < 2; n++) {
        report.checked++
        var login = logins[n]
        var seen = login.status === 200 && checks[n].status === 200 ? JSON.parse(checks[n].body) : null
        var ok = seen !== null && login.cookie && seen.user === users[n] &&
          idOf(login.cookie) === JSON.parse(login.body).id && seen.id === idOf(login.cookie)
        if (!ok) report.wrong.push({ setup: name, copy: n, user: users[n], login: login, check: checks[n] })
      }
    }
    servers.forEach(function (server) { server.close() })
  }
  shared.close()
  console.log(JSON.stringify(report))
}

main().catch(function (err) {
  console.error(err)
  process.exit(1)
})
