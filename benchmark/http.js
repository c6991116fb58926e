'use strict'

// HTTP throughput of one Express app with no session middleware, with the
// floor of any session middleware (see http-app.js), with express-session
// 1.19.0 and with express-session-rs, each in its own process on 127.0.0.1,
// loaded by autocannon in rounds that alternate between them.

var autocannon = require('autocannon')
var childProcess = require('child_process')
var http = require('http')
var path = require('path')
var measure = require('./measure')

var VARIANTS = ['none', 'floor', 'express-session', 'express-session-rs']

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
      var samples = { none: [], floor: [], 'express-session': [], 'express-session-rs': [] }
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

  // The machine's speed drifts from round to round; a round measures all
  // four back to back, so ratios are taken within each round, then the median.
  function medianRatio (r, a, b) {
    return measure.median(r[a].map(function (value, i) { return value / r[b][i] }))
  }

  var ratios = {}
  console.log('\n## HTTP (Express 4, 10 connections, ' + options.rounds + ' rounds of ' + options.seconds +
    ' s; median requests/s, and the median of the ratios within rounds)\n')
  console.log(measure.pad('', 46) + measure.pad('no session', 12) + measure.pad('floor', 8) + measure.pad('express-session', 17) +
    measure.pad('express-session-rs', 20) + measure.pad('rs / es', 9) + measure.pad('rs / none', 11) + measure.pad('es / none', 11) + 'floor / none')
  for (var scenario in results) {
    var r = results[scenario]
    var vsExpressSession = medianRatio(r, 'express-session-rs', 'express-session')
    var vsNone = medianRatio(r, 'express-session-rs', 'none')
    var expressSessionVsNone = medianRatio(r, 'express-session', 'none')
    var floorVsNone = medianRatio(r, 'floor', 'none')
    console.log(measure.pad(scenario, 46) +
      VARIANTS.map(function (v, i) { return measure.pad(measure.median(r[v]).toFixed(0), [12, 8, 17, 20][i]) }).join('') +
      measure.pad('x' + vsExpressSession.toFixed(2), 9) + measure.pad('x' + vsNone.toFixed(2), 11) +
      measure.pad('x' + expressSessionVsNone.toFixed(2), 11) + 'x' + floorVsNone.toFixed(2))
    ratios[scenario] = { vsExpressSession: vsExpressSession, vsNone: vsNone, expressSessionVsNone: expressSessionVsNone, floorVsNone: floorVsNone }
  }
  return ratios
}

module.exports = run

if (require.main === module) {
  // node benchmark/http.js [existing|new] [rounds]
  run({ rounds: Number(process.argv[3]) || 12, seconds: 1.5, scenario: process.argv[2] }).catch(function (err) {
    console.error(err)
    process.exit(1)
  })
}
