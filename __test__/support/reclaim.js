'use strict'

// COUNT sessions in a MemoryStore with default options, all expiring in the
// same millisecond, nobody reading them. Prints JSON: RSS (MiB over the
// baseline) at the peak and once they are gone and the sweep is done, how
// long after their expiry that was, how long each native sweep slice took (ms), and the event
// loop's delay meanwhile (p99 and max, ms).
//   node --expose-gc reclaim.js COUNT

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

function rss () {
  global.gc()
  global.gc()
  return process.memoryUsage().rss
}

function mib (bytes) {
  return Math.round(bytes / 1048576 * 10) / 10
}

var store = new session.MemoryStore()
var base = rss()
var expires = Date.now() + 2000 + count / 100
var cookie = { originalMaxAge: 60000, expires: new Date(expires), httpOnly: true, path: '/' }
for (var i = 0; i < count; i++) {
  store.set('session-' + String(i).padStart(24, '0'), { cookie: cookie, user: { id: i, name: 'user' + (i % 1000) } })
}
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
