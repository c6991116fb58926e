'use strict'

// Apps in their own processes (sqlite-app.js, redis-app.js), for tests of
// stores shared by several processes, and plain requests to them.

var childProcess = require('child_process')
var http = require('http')

/**
 * Forks `script` with `args`; resolves with { child, port } once it
 * reports the port it listens on. The process is killed after test `t`.
 */
function forkApp (t, script, args) {
  return new Promise(function (resolve, reject) {
    var child = childProcess.fork(script, args, {
      env: Object.assign({}, process.env, { NO_DEPRECATION: 'express-session' })
    })
    t.after(function () { child.kill('SIGKILL') })
    child.once('message', function (message) { resolve({ child: child, port: message.port }) })
    child.once('exit', function (code) { reject(new Error('app exited with ' + code)) })
  })
}

/**
 * GET `pathname` on 127.0.0.1:`port` with the cookie `cookie`; resolves with
 * { status, body, cookie, setCookie }: the session cookie it set, or the one
 * sent.
 */
function get (port, pathname, cookie) {
  return new Promise(function (resolve, reject) {
    var req = http.get({ host: '127.0.0.1', port: port, path: pathname, headers: cookie ? { cookie: cookie } : {} }, function (res) {
      var body = ''
      res.setEncoding('utf8')
      res.on('data', function (chunk) { body += chunk })
      res.on('end', function () {
        var setCookie = res.headers['set-cookie']
        resolve({ status: res.statusCode, body: body, cookie: setCookie ? setCookie[0].split(';')[0] : cookie, setCookie: setCookie })
      })
    })
    req.on('error', reject)
  })
}

module.exports.forkApp = forkApp
module.exports.get = get
