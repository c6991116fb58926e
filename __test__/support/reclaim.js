'use strict'

// COUNT sessions in a MemoryStore with default options, all expiring in the
// same millisecond, nobody reading them. Prints JSON: RSS (MiB over the
// baseline; also its anonymous and file-backed parts once they are gone)
// at the peak and once they are gone and the sweep is done, how
// long after their expiry that was, how long each native sweep slice took (ms), and the event
// loop's delay meanwhile (p99 and max, ms).
//   node --expose-gc reclaim.js COUNT

var fs = require('fs')
var perfHooks = require('perf_hooks')
var path = require('path')
var session = require(path.join(__dirname, '..', '..'))
var Storage = require(path.join(__dirname, '..', '..', 'lib', 'native', 'storage'))

var count = Number(process.argv[2])
var slices = []
var sweeping = true
var sweep = Storage.prototype.sweep
Storage.prototype.sweep = function (budget) {
  var start = process.hrtime.bigint()
  var done = sweep.call(this, budget)
  sweeping = !done
  slices.push(Number(process.hrtime.bigint() - start) / 1e6)
  return done
}

// What the process holds once garbage is collected. Since V8 12 (Node 22)
// a full collection keeps the heap pages it freed pooled for reuse, in the
// process, until V8 reduces its memory; the last-resort collection does
// that, so what remains is live memory on every Node line.
function collect () {
  global.gc()
  global.gc()
  global.gc({ type: 'major', execution: 'sync', flavor: 'last-resort' })
}

function rss () {
  collect()
  return process.memoryUsage().rss
}

// Resident bytes by kind: anonymous (the process's own memory) and
// file-backed (pages of the node binary and libraries the work touched,
// shared with the page cache).
function residentParts () {
  collect()
  var parts = {}
  fs.readFileSync('/proc/self/status', 'utf8').split('\n').forEach(function (line) {
    var match = /^(RssAnon|RssFile):\s+(\d+) kB/.exec(line)
    if (match) parts[match[1]] = Number(match[2]) * 1024
  })
  return parts
}

function fill (target, sessions, expires) {
  var cookie = { originalMaxAge: 60000, expires: new Date(expires), httpOnly: true, path: '/' }
  for (var i = 0; i < sessions; i++) {
    target.set('session-' + String(i).padStart(24, '0'), { cookie: cookie, user: { id: i, name: 'user' + (i % 1000) } })
  }
}

function mib (bytes) {
  return Math.round(bytes / 1048576 * 10) / 10
}

// A few of the same sessions first, in a store of their own, so that the
// code they run (and the node binary's pages holding it) is loaded before
// the baseline.
var warmup = new session.MemoryStore({ checkPeriod: 0 })
fill(warmup, 5000, Date.now() + 60000)
warmup.clear()
warmup.close()

var store = new session.MemoryStore()
var baseParts = residentParts()
var base = rss()
var expires = Date.now() + 2000 + count / 100
fill(store, count, expires)
if (Date.now() >= expires) throw new Error('sessions expired while being stored')
var peak = rss()
var delay = perfHooks.monitorEventLoopDelay({ resolution: 1 })

setTimeout(function () {
  slices = []
  delay.enable()
  var poll = setInterval(function () {
    var left = store.usage().sessions
    if ((left > 0 || sweeping) && Date.now() < expires + 30000) return
    var gone = Date.now() - expires
    clearInterval(poll)
    delay.disable()
    slices.sort(function (a, b) { return a - b })
    console.log(JSON.stringify({
      peak: mib(peak - base),
      after: mib(rss() - base),
      afterAnon: mib(residentParts().RssAnon - baseParts.RssAnon),
      afterFile: mib(residentParts().RssFile - baseParts.RssFile),
      left: left,
      goneAfterMs: gone,
      slices: slices.length,
      sliceMedianMs: slices[slices.length >> 1],
      sliceP90Ms: slices[Math.floor(slices.length * 0.9)],
      sliceMaxMs: slices[slices.length - 1],
      delayP99Ms: delay.percentile(99) / 1e6,
      delayMaxMs: delay.max / 1e6
    }))
  }, 20)
}, expires - Date.now() - 10)
