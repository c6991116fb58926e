'use strict'

// HTTP: one Express app (4, or 5 with options.express '5') with no session middleware, with the floor of any
// session middleware (see http-app.js), with express-session 1.19.0 and with
// express-session-rs, and for existing sessions with the signed floor (the
// floor plus verifying the session cookie), each in its own process on
// 127.0.0.1, loaded by autocannon in rounds that rotate between them. Each
// load reports requests per second and the app's CPU time per request.
//
//   node benchmark/http.js [scenario prefix] [rounds] [--against=<dir>] [--unshared] [--express=5]
//
// --against adds another build of this package (a worktree of an earlier
// commit, say) as a variant "against"; --unshared adds this package without
// lib/shared-shape.js. The apps run on the Node of options.execPath (see
// shared-shape.js), the load on this one.

var autocannon = require('autocannon')
var childProcess = require('child_process')
var http = require('http')
var path = require('path')
var measure = require('./measure')
var realisticRequest = require('./realistic-request')
var servers = require('../__test__/support/servers')

var SCENARIOS = [
  { name: 'existing session (touch, no Set-Cookie)', login: '/login', path: '/', connections: 10 },
  { name: 'new session each request (save + Set-Cookie)', login: null, path: '/', connections: 10 },
  { name: 'realistic, unmodified (touch)', login: '/login/realistic', path: '/', connections: 4, realistic: true },
  { name: 'realistic, modified (save + Set-Cookie)', login: '/login/realistic', path: '/count', connections: 4, realistic: true },
  // On redis-server: express-session and express-session-rs with
  // connect-redis, express-session-rs with its RedisStore, and the floor of
  // any middleware on Redis over node-redis and over bare RESP
  // (redis-floor.js).
  { name: 'Redis, realistic, unmodified', login: '/login/realistic', path: '/', connections: 4, realistic: true, redis: true },
  { name: 'Redis, realistic, modified', login: '/login/realistic', path: '/count', connections: 4, realistic: true, redis: true }
]

function start (variant, redisPort, execPath, env) {
  return new Promise(function (resolve, reject) {
    var child = childProcess.fork(path.join(__dirname, 'http-app.js'), redisPort ? [variant, String(redisPort)] : [variant], {
      execPath: execPath || process.execPath,
      env: Object.assign({}, process.env, { NO_DEPRECATION: 'express-session' }, env)
    })
    var waiting = []
    child.on('message', function (message) {
      if (message.port) resolve({ child: child, port: message.port, cpu: cpu, delay: delay })
      else if (message.cpu !== undefined) waiting.shift()(message.cpu)
      else if (message.delay !== undefined) waiting.shift()(message.delay)
    })
    child.once('error', reject)
    child.once('exit', function (code) { reject(new Error(variant + ' app exited with ' + code)) })
    // The app's CPU time so far, in µs.
    function cpu () {
      return ask({ cpu: true })
    }
    // The app's event-loop delay (ms, p99 and max) since the last ask.
    function delay () {
      return ask({ delay: true })
    }
    function ask (question) {
      return new Promise(function (resolve) {
        waiting.push(resolve)
        child.send(question)
      })
    }
  })
}

function login (port, loginPath) {
  return new Promise(function (resolve, reject) {
    http.get({ host: '127.0.0.1', port: port, path: loginPath }, function (res) {
      res.resume()
      var setCookie = res.headers['set-cookie']
      resolve(setCookie ? setCookie[0].split(';')[0] : '')
    }).on('error', reject)
  })
}

// One load: requests/s and the app's CPU µs per request.
async function load (server, scenario, headers, seconds) {
  var before = await server.cpu()
  var result = await new Promise(function (resolve, reject) {
    autocannon({
      url: 'http://127.0.0.1:' + server.port + scenario.path,
      connections: scenario.connections,
      duration: seconds,
      headers: headers
    }, function (err, result) {
      if (err) return reject(err)
      if (result.non2xx || result.errors) return reject(new Error('load test saw errors: ' + JSON.stringify({ non2xx: result.non2xx, errors: result.errors })))
      resolve(result)
    })
  })
  var after = await server.cpu()
  return { rate: result.requests.average, cpu: (after - before) / result.requests.total }
}

async function headersFor (server, scenario) {
  if (!scenario.login) return {}
  var cookie = await login(server.port, scenario.login)
  if (!cookie && server.variant !== 'none' && server.variant.split('+')[0] !== 'floor') {
    throw new Error(server.variant + ' sent no session cookie')
  }
  if (!scenario.realistic) return { cookie: cookie }
  return { cookie: realisticRequest.cookieHeader(cookie) }
}

async function runScenario (scenario, variants, redisPort, options) {
  var running = []
  try {
    for (var i = 0; i < variants.length; i++) {
      var server = await start(variants[i] === 'against' ? options.against : variants[i], scenario.redis ? redisPort : 0,
        options.execPath, { BENCH_EXPRESS: options.express || '4' })
      server.variant = variants[i]
      running.push(server)
    }
    var headers = []
    for (var s = 0; s < running.length; s++) {
      headers.push(await headersFor(running[s], scenario))
      await load(running[s], scenario, headers[s], 1)
    }
    var samples = {}
    variants.forEach(function (v) { samples[v] = [] })
    for (var round = 0; round < options.rounds; round++) {
      for (var k = 0; k < running.length; k++) {
        // Rotate the order so no variant always runs first.
        var at = (k + round) % running.length
        samples[variants[at]].push(await load(running[at], scenario, headers[at], options.seconds))
      }
    }
    return samples
  } finally {
    running.forEach(function (server) { server.child.kill() })
  }
}

// The machine's speed drifts from round to round; a round measures every
// variant back to back, so ratios are taken within each round, then the
// median, with the least and greatest.
function ratioOf (samples, a, b, field) {
  var ratios = samples[a].map(function (value, i) {
    // Throughput: a / b; CPU per request: b / a (both: > 1 is a faster).
    return field === 'rate' ? value.rate / samples[b][i].rate : samples[b][i].cpu / value.cpu
  })
  return measure.stats(ratios)
}

function formatRatio (r) {
  return 'x' + r.median.toFixed(2) + ' [' + r.min.toFixed(2) + '–' + r.max.toFixed(2) + ']'
}

async function run (options) {
  var scenarios = SCENARIOS.filter(function (s) { return !options.scenario || s.name.indexOf(options.scenario) === 0 })
  var redis = null
  var results = {}
  try {
    if (scenarios.some(function (s) { return s.redis })) redis = await servers.startRedis()
    for (var i = 0; i < scenarios.length; i++) {
      var scenario = scenarios[i]
      var variants = scenario.redis
        ? ['none', 'floor', 'floor+resp', 'express-session', 'express-session-rs', 'express-session-rs+redis']
        : ['none', 'floor', 'express-session', 'express-session-rs']
      // An existing session's request: the floor of verifying its cookie too.
      if (!scenario.redis && scenario.login) variants = variants.concat('signed-floor')
      if (options.against) variants = variants.concat('against')
      if (options.unshared) variants = variants.concat('unshared')
      results[scenario.name] = { variants: variants, samples: await runScenario(scenario, variants, redis && redis.port, options) }
    }
  } finally {
    if (redis) await redis.stop()
  }

  var version = options.execPath ? childProcess.execFileSync(options.execPath, ['--version'], { encoding: 'utf8' }).trim() : process.version
  console.log('\n## HTTP (Express ' + (options.express || '4') + ' on Node ' + version + ', ' + options.rounds + ' rounds of ' + options.seconds + ' s; realistic: a user ' +
    'object, a CSRF secret, a counter, three other cookies, 4 connections, else 10)\n')
  console.log('Requests/s (median), and ratios within rounds: median [min–max]; "CPU" compares the app\'s CPU time per request.\n')
  var ratios = {}
  for (var name in results) {
    var r = results[name]
    var s = r.samples
    console.log('### ' + name)
    console.log('  req/s: ' + r.variants.map(function (v) {
      return v + ' ' + measure.median(s[v].map(function (x) { return x.rate })).toFixed(0) +
        ' (' + measure.median(s[v].map(function (x) { return x.cpu })).toFixed(0) + ' µs CPU)'
    }).join(', '))
    var row = {
      vsExpressSession: ratioOf(s, 'express-session-rs', 'express-session', 'rate'),
      vsNone: ratioOf(s, 'express-session-rs', 'none', 'rate'),
      cpuVsExpressSession: ratioOf(s, 'express-session-rs', 'express-session', 'cpu'),
      cpuVsNone: ratioOf(s, 'express-session-rs', 'none', 'cpu'),
      expressSessionVsNone: ratioOf(s, 'express-session', 'none', 'rate')
    }
    if (s.floor) row.floorVsNone = ratioOf(s, 'floor', 'none', 'rate')
    if (s['signed-floor']) {
      row.signedFloorVsNone = ratioOf(s, 'signed-floor', 'none', 'rate')
      row.cpuSignedFloorVsNone = ratioOf(s, 'signed-floor', 'none', 'cpu')
    }
    if (s['floor+resp']) {
      row.floorVsExpressSession = ratioOf(s, 'floor', 'express-session', 'rate')
      row.respFloorVsExpressSession = ratioOf(s, 'floor+resp', 'express-session', 'rate')
    }
    if (s['express-session-rs+redis']) {
      row.redisStoreVsExpressSession = ratioOf(s, 'express-session-rs+redis', 'express-session', 'rate')
      row.cpuRedisStoreVsExpressSession = ratioOf(s, 'express-session-rs+redis', 'express-session', 'cpu')
    }
    if (s.against) {
      row.vsAgainst = ratioOf(s, 'express-session-rs', 'against', 'rate')
      row.cpuVsAgainst = ratioOf(s, 'express-session-rs', 'against', 'cpu')
    }
    if (s.unshared) {
      row.vsUnshared = ratioOf(s, 'express-session-rs', 'unshared', 'rate')
      row.unsharedVsNone = ratioOf(s, 'unshared', 'none', 'rate')
    }
    console.log('  rs / es:   ' + formatRatio(row.vsExpressSession) + '   CPU ' + formatRatio(row.cpuVsExpressSession))
    console.log('  rs / none: ' + formatRatio(row.vsNone) + '   CPU ' + formatRatio(row.cpuVsNone))
    console.log('  es / none: ' + formatRatio(row.expressSessionVsNone) +
      (row.floorVsNone ? '   floor / none: ' + formatRatio(row.floorVsNone) : ''))
    if (row.signedFloorVsNone) {
      console.log('  signed-floor / none: ' + formatRatio(row.signedFloorVsNone) + '   CPU ' + formatRatio(row.cpuSignedFloorVsNone))
    }
    if (row.redisStoreVsExpressSession) {
      console.log('  RedisStore / es:   ' + formatRatio(row.redisStoreVsExpressSession) + '   CPU ' + formatRatio(row.cpuRedisStoreVsExpressSession))
    }
    if (row.respFloorVsExpressSession) {
      console.log('  floor / es:   ' + formatRatio(row.floorVsExpressSession) + '   floor+resp / es: ' + formatRatio(row.respFloorVsExpressSession))
    }
    if (row.vsAgainst) console.log('  rs / against: ' + formatRatio(row.vsAgainst) + '   CPU ' + formatRatio(row.cpuVsAgainst))
    if (row.vsUnshared) console.log('  rs / unshared: ' + formatRatio(row.vsUnshared) + '   unshared / none: ' + formatRatio(row.unsharedVsNone))
    ratios[name] = row
  }
  return ratios
}

module.exports = run
module.exports.start = start
module.exports.load = load
module.exports.headersFor = headersFor
module.exports.runScenario = runScenario
module.exports.ratioOf = ratioOf
module.exports.formatRatio = formatRatio

if (require.main === module) {
  var args = process.argv.slice(2)
  var against = args.filter(function (a) { return a.indexOf('--against=') === 0 }).map(function (a) { return a.slice(10) })[0]
  var positional = args.filter(function (a) { return a[0] !== '-' })
  run({
    rounds: Number(positional[1]) || 10,
    seconds: 1.5,
    scenario: positional[0],
    against: against,
    unshared: args.indexOf('--unshared') !== -1,
    express: args.indexOf('--express=5') !== -1 ? '5' : '4'
  }).catch(function (err) {
    console.error(err)
    process.exit(1)
  })
}
