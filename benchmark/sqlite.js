'use strict'

// Stores on disk, over HTTP: a realistic session (a user object, a CSRF
// secret, a counter, a cookie maxAge of a day) modified on every request,
// with this package on its SqliteStore, express-session 1.19.0 on
// better-sqlite3-session-store 0.1 (as its README sets it up, and in WAL
// mode with synchronous=NORMAL), this package on its own MemoryStore
// (what durability costs), and the floor of any store on SQLite
// (sqlite-floor.js). Then the event loop's delay in each of two
// processes sharing one SqliteStore file, both saving at full speed.
//
//   node benchmark/sqlite.js [rounds]

var fs = require('fs')
var os = require('os')
var path = require('path')
var autocannon = require('autocannon')
var http = require('./http')
var measure = require('./measure')

var SCENARIO = { name: 'realistic, modified, sessions on disk', login: '/login/realistic', path: '/count', connections: 4, realistic: true }
var VARIANTS = ['express-session-rs+sqlite', 'express-session+better-sqlite3-wal', 'express-session+better-sqlite3', 'express-session-rs', 'express-session-rs+sqlite-floor']

function rateRatio (samples, a, b) {
  return http.formatRatio(measure.stats(samples[a].map(function (value, i) { return value.rate / samples[b][i].rate })))
}

function cpuRatio (samples, a, b) {
  return http.formatRatio(measure.stats(samples[a].map(function (value, i) { return samples[b][i].cpu / value.cpu })))
}

// Two processes of `variant` (with the SqliteStore: on one file), each
// loaded at full speed at once: their event loops' delay (p99, max)
// meanwhile.
async function twoWorkers (variant, express, seconds) {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-bench-two-'))
  var env = { BENCH_DB: path.join(dir, 'sessions.db') }
  var servers = []
  try {
    for (var i = 0; i < 2; i++) {
      var server = await http.start(variant, 0, null, Object.assign({ BENCH_EXPRESS: express }, env))
      server.variant = variant
      servers.push(server)
    }
    var headers = []
    for (var s = 0; s < servers.length; s++) headers.push(await http.headersFor(servers[s], SCENARIO))
    await Promise.all(servers.map(function (server) { return server.delay() }))
    var results = await Promise.all(servers.map(function (server, k) {
      return new Promise(function (resolve, reject) {
        autocannon({ url: 'http://127.0.0.1:' + server.port + SCENARIO.path, connections: SCENARIO.connections, duration: seconds, headers: headers[k] },
          function (err, result) { return err ? reject(err) : resolve(result.requests.average) })
      })
    }))
    var delays = await Promise.all(servers.map(function (server) { return server.delay() }))
    return delays.map(function (delay, k) { return { rate: results[k], p99: delay.p99, max: delay.max } })
  } finally {
    servers.forEach(function (server) { server.child.kill() })
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function run (options) {
  var samples = await http.runScenario(SCENARIO, VARIANTS, 0, options)
  console.log('\n## Sessions on disk over HTTP (Express ' + (options.express || '4') + ' on Node ' + process.version + ', ' + options.rounds + ' rounds of ' +
    options.seconds + ' s; ' + SCENARIO.name + ', 4 connections)\n')
  console.log('  req/s: ' + VARIANTS.map(function (v) {
    return v + ' ' + measure.median(samples[v].map(function (x) { return x.rate })).toFixed(0) +
      ' (' + measure.median(samples[v].map(function (x) { return x.cpu })).toFixed(0) + ' µs CPU)'
  }).join(', '))
  var ours = 'express-session-rs+sqlite'
  console.log('  rs+SqliteStore / es+better-sqlite3 (WAL, NORMAL): ' + rateRatio(samples, ours, VARIANTS[1]) + '   CPU ' + cpuRatio(samples, ours, VARIANTS[1]))
  console.log('  rs+SqliteStore / es+better-sqlite3 (its README):   ' + rateRatio(samples, ours, VARIANTS[2]) + '   CPU ' + cpuRatio(samples, ours, VARIANTS[2]))
  console.log('  rs+SqliteStore / rs+MemoryStore:                  ' + rateRatio(samples, ours, VARIANTS[3]) + '   CPU ' + cpuRatio(samples, ours, VARIANTS[3]))
  // What no store on SQLite can beat (sqlite-floor.js).
  var floor = VARIANTS[4]
  console.log('  floor (rs+MemoryStore + SQLite\'s two statements) / rs+MemoryStore: ' + rateRatio(samples, floor, VARIANTS[3]) + '   CPU ' + cpuRatio(samples, floor, VARIANTS[3]))
  console.log('  floor / es+better-sqlite3 (WAL, NORMAL):          ' + rateRatio(samples, floor, VARIANTS[1]) + '   CPU ' + cpuRatio(samples, floor, VARIANTS[1]))
  console.log('  rs+SqliteStore / floor:                           ' + rateRatio(samples, ours, floor) + '   CPU ' + cpuRatio(samples, ours, floor))
  // The same two processes on the MemoryStore show what the machine's two
  // cores, shared with the load, cost the event loop by themselves.
  var variants = { 'SqliteStore, one file': ours, 'MemoryStore, each its own': 'express-session-rs' }
  for (var label in variants) {
    var workers = await twoWorkers(variants[label], options.express || '4', Math.max(3, options.seconds * 2))
    console.log('  two processes at full speed, ' + label + ': ' + workers.map(function (w, k) {
      return 'worker ' + (k + 1) + ' ' + w.rate.toFixed(0) + ' req/s, event-loop delay p99 ' + w.p99.toFixed(2) + ' ms (max ' + w.max.toFixed(2) + ' ms)'
    }).join('; '))
  }
}

module.exports = run

if (require.main === module) {
  run({ rounds: Number(process.argv[2]) || 8, seconds: 1.5 }).catch(function (err) {
    console.error(err)
    process.exit(1)
  })
}
