'use strict'

// npm run bench: every comparison with express-session 1.19.0 in one run.
//   node benchmark/run.js [primitives] [middleware] [memory-store] [http] [sqlite] [--quick]
//     [--node=own,22,24,26] [--express=4,5]
// --node runs everything again on each Node line named (scripts/node-lines.js
// fetches them; own is this one); --express runs the HTTP parts with each
// Express major named (4 by default).

process.env.NO_DEPRECATION = process.env.NO_DEPRECATION || 'express-session'

var childProcess = require('child_process')
var os = require('os')
var nodeLines = require('../scripts/node-lines')

var args = process.argv.slice(2)
var quick = args.indexOf('--quick') !== -1
var requested = args.filter(function (arg) { return arg[0] !== '-' })
var all = ['primitives', 'middleware', 'memory-store', 'http', 'sqlite']
var parts = requested.length ? requested : all
var expressMajors = listOption('--express=', ['4'])
var nodes = listOption('--node=', ['own'])

function listOption (prefix, fallback) {
  var given = args.filter(function (arg) { return arg.indexOf(prefix) === 0 })[0]
  return given ? given.slice(prefix.length).split(',').filter(Boolean) : fallback
}

async function main () {
  var others = nodes.filter(function (line) { return line !== 'own' })
  if (nodes.indexOf('own') !== -1) await runHere()
  others.forEach(function (major) {
    var binary = nodeLines.binaryOf(major)
    var rest = args.filter(function (arg) { return arg.indexOf('--node=') !== 0 })
    var result = childProcess.spawnSync(binary, [__filename].concat(rest), { stdio: 'inherit' })
    if (result.status !== 0) throw new Error('the benchmark failed on Node ' + major)
  })
}

async function runHere () {
  console.log('# express-session-rs vs express-session 1.19.0')
  console.log('node ' + process.version + ', ' + os.cpus().length + ' × ' + os.cpus()[0].model + ', ' +
    Math.round(os.totalmem() / 1073741824) + ' GiB')
  for (var i = 0; i < parts.length; i++) {
    var part = parts[i]
    if (all.indexOf(part) === -1) throw new Error('unknown benchmark: ' + part)
    var run = require('./' + part)
    // Only the HTTP parts run an Express app.
    var majors = part === 'http' || part === 'sqlite' ? expressMajors : [null]
    for (var m = 0; m < majors.length; m++) {
      await run(Object.assign({ express: majors[m] || '4' }, quick
        ? { rounds: 3, iterations: 2000, seconds: 1, sessions: 20000 }
        : { rounds: 12, iterations: 10000, seconds: 1.5, sessions: 200000 }))
    }
  }
}

main().catch(function (err) {
  console.error(err)
  process.exit(1)
})
