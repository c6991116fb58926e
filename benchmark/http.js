'use strict'

// HTTP throughput of one Express app with no session middleware, with
// express-session 1.19.0 and with express-session-rs, each in its own process
// on 127.0.0.1, loaded by autocannon in rounds that alternate between them.

var autocannon = require('autocannon')
var childProcess = require('child_process')
var http = require('http')
var path = require('path')
var measure = require('./measure')

var VARIANTS = ['none', 'express-session', 'express-session-rs']

function start (variant) {
  return new Promise(function (resolve, reject) {
    var child = childProcess.fork(path.join(__dirname, 'http-app.js'), [variant], {
      env: Object.assign({}, process.env, { NO_DEPRECATION: 'express-session' })
    })
    child.once('message', function (message) { resolve({ child: child, port: message.port }) })
    child.once('error', reject)
    child.once('exit', function (code) { reject(new Error(variant + ' app exited with ' + code)) })
  })
}

function login (port) {
  return new Promise(function (resolve, reject) {
    http.get({ host: '127.0.0.1', port: port, path: '/login' }, function (res) {
      res.resume()
      var setCookie = res.headers['set-cookie']
      resolve(setCookie ? setCookie[0].split(';')[0] : '')
    }).on('error', reject)
  })
}

function load (port, headers, seconds) {
  return new Promise(function (resolve, reject) {
    autocannon({
      url: 'http://127.0.0.1:' + port + '/',
      connections: 10,
      duration: seconds,
      headers: headers
    }, function (err, result) {
      if (err) return reject(err)
      if (result.non2xx || result.errors) return reject(new Error('load test saw errors: ' + JSON.stringify({ non2xx: result.non2xx, errors: result.errors })))
      resolve(result.requests.average)
    })
  })
}

async function run (options) {
  var servers = {}
  for (var i = 0; i < VARIANTS.length; i++) servers[VARIANTS[i]] = await start(VARIANTS[i])
  var scenarios = {
    'existing session (touch, no Set-Cookie)': {},
    'new session each request (save + Set-Cookie)': null
  }
  if (options.scenario) {
    Object.keys(scenarios).forEach(function (name) {
      if (name.indexOf(options.scenario) !== 0) delete scenarios[name]
    })
  }
  var results = {}
  try {
    for (var name in scenarios) {
      var headersOf = {}
      for (var v in servers) {
        headersOf[v] = scenarios[name] ? { cookie: await login(servers[v].port) } : {}
        await load(servers[v].port, headersOf[v], 1)
      }
      var samples = { none: [], 'express-session': [], 'express-session-rs': [] }
      for (var round = 0; round < options.rounds; round++) {
        for (var k = 0; k < VARIANTS.length; k++) {
          // Rotate the order so no variant always runs first.
          var variant = VARIANTS[(k + round) % VARIANTS.length]
          samples[variant].push(await load(servers[variant].port, headersOf[variant], options.seconds))
        }
      }
      results[name] = samples
    }
  } finally {
    for (var s in servers) servers[s].child.kill()
  }

  var ratios = {}
  console.log('\n## HTTP (Express 4, 10 connections, ' + options.rounds + ' rounds of ' + options.seconds + ' s, requests/s)\n')
  console.log(measure.pad('', 46) + measure.pad('no session', 14) + measure.pad('express-session', 18) +
    measure.pad('express-session-rs', 21) + measure.pad('rs / es', 10) + 'rs / none')
  for (var scenario in results) {
    var r = results[scenario]
    var none = measure.stats(r.none).median
    var es = measure.stats(r['express-session']).median
    var rs = measure.stats(r['express-session-rs']).median
    console.log(measure.pad(scenario, 46) + measure.pad(none.toFixed(0), 14) + measure.pad(es.toFixed(0), 18) +
      measure.pad(rs.toFixed(0), 21) + measure.pad('x' + (rs / es).toFixed(2), 10) + 'x' + (rs / none).toFixed(2) +
      '   (express-session / none: x' + (es / none).toFixed(2) + ')')
    ratios[scenario] = { vsExpressSession: rs / es, vsNone: rs / none, expressSessionVsNone: es / none }
  }
  return ratios
}

module.exports = run

if (require.main === module) {
  // node benchmark/http.js [existing|new]
  run({ rounds: 3, seconds: 3, scenario: process.argv[2] }).catch(function (err) {
    console.error(err)
    process.exit(1)
  })
}
