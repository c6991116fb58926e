'use strict'

// Measures one MemoryStore implementation in a process of its own:
//   node --expose-gc memory-store-child.js <implementation> <sessions>
// and prints JSON: bytes of RSS per stored session, and set/get/touch rates.

var implementation = process.argv[2]
var count = Number(process.argv[3])

function createStore () {
  switch (implementation) {
    case 'express-session': return new (require('express-session-js').MemoryStore)()
    case 'memorystore': return new (require('memorystore')(require('express-session-js')))({ checkPeriod: 0 })
    case 'express-session-rs': return new (require('..').MemoryStore)()
  }
  throw new Error('unknown implementation ' + implementation)
}

// A typical session: 150 bytes of JSON.
function sessionFor (i) {
  return {
    cookie: { originalMaxAge: 86400000, expires: new Date(Date.now() + 86400000), httpOnly: true, path: '/' },
    user: { id: 100000 + (i % 900000), name: 'user' + (i % 1000) },
    views: i % 100
  }
}

function idFor (i) {
  return 'sid-' + String(i).padStart(28, '0')
}

function rss () {
  global.gc()
  global.gc()
  return process.memoryUsage().rss
}

// Runs `op(i, done)` for i in 0..n, at most 1000 at a time; resolves with ops/s.
function rate (n, op) {
  return new Promise(function (resolve) {
    var started = 0
    var finished = 0
    var start = process.hrtime.bigint()
    function launch () {
      while (started < n && started - finished < 1000) op(started++, done)
    }
    function done (err) {
      if (err) throw err
      if (++finished === n) resolve(n / (Number(process.hrtime.bigint() - start) / 1e9))
      else launch()
    }
    launch()
  })
}

async function main () {
  var store = createStore()
  var before = rss()
  var setRate = await rate(count, function (i, done) { store.set(idFor(i), sessionFor(i), done) })
  var after = rss()
  var reads = Math.min(count, 200000)
  var getRate = await rate(reads, function (i, done) {
    store.get(idFor(i), function (err, sess) {
      if (!err && !sess) err = new Error('session ' + i + ' missing')
      done(err)
    })
  })
  var touchRate = await rate(reads, function (i, done) { store.touch(idFor(i), sessionFor(i), done) })
  process.stdout.write(JSON.stringify({
    bytesPerSession: (after - before) / count,
    json: JSON.stringify(sessionFor(1)).length,
    set: setRate,
    get: getRate,
    touch: touchRate
  }))
  if (store.close) store.close()
}

main()
