'use strict'

// npm run bench: every comparison with express-session 1.19.0 in one run.
//   node benchmark/run.js [primitives] [middleware] [memory-store] [http] [sqlite] [--quick]

process.env.NO_DEPRECATION = process.env.NO_DEPRECATION || 'express-session'

var os = require('os')

var quick = process.argv.indexOf('--quick') !== -1
var requested = process.argv.slice(2).filter(function (arg) { return arg[0] !== '-' })
var all = ['primitives', 'middleware', 'memory-store', 'http', 'sqlite']
var parts = requested.length ? requested : all

async function main () {
  console.log('# express-session-rs vs express-session 1.19.0')
  console.log('node ' + process.version + ', ' + os.cpus().length + ' × ' + os.cpus()[0].model + ', ' +
    Math.round(os.totalmem() / 1073741824) + ' GiB')
  for (var i = 0; i < parts.length; i++) {
    var part = parts[i]
    if (all.indexOf(part) === -1) throw new Error('unknown benchmark: ' + part)
    var run = require('./' + part)
    await run(quick
      ? { rounds: 3, iterations: 2000, seconds: 1, sessions: 20000 }
      : { rounds: 12, iterations: 10000, seconds: 1.5, sessions: 200000 })
  }
}

main().catch(function (err) {
  console.error(err)
  process.exit(1)
})
