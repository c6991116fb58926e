'use strict'

// What lib/shared-shape.js does for each Node given: the realistic HTTP
// scenarios with this package as it is and without the shared shape
// ("unshared"), both against the bare app.
//   node benchmark/shared-shape.js [path to a node binary …]
// With no path, the Node running this. The load runs on this Node; each
// app on the Node given.

process.env.NO_DEPRECATION = process.env.NO_DEPRECATION || 'express-session'

var childProcess = require('child_process')
var http = require('./http')

async function main () {
  var binaries = process.argv.slice(2)
  if (!binaries.length) binaries = [process.execPath]
  var summary = []
  for (var i = 0; i < binaries.length; i++) {
    var version = childProcess.execFileSync(binaries[i], ['--version'], { encoding: 'utf8' }).trim()
    var ratios = await http({ rounds: 6, seconds: 1.5, scenario: 'realistic', unshared: true, execPath: binaries[i] })
    for (var name in ratios) summary.push({ version: version, name: name, row: ratios[name] })
  }
  console.log('\n## lib/shared-shape.js per Node version (median [min–max] of ratios within rounds)\n')
  summary.forEach(function (entry) {
    console.log(entry.version + '  ' + entry.name + ':  rs / unshared ' + format(entry.row.vsUnshared) +
      ', rs / none ' + format(entry.row.vsNone) + ', unshared / none ' + format(entry.row.unsharedVsNone))
  })
}

function format (r) {
  return 'x' + r.median.toFixed(2) + ' [' + r.min.toFixed(2) + '–' + r.max.toFixed(2) + ']'
}

main().catch(function (err) {
  console.error(err)
  process.exit(1)
})
