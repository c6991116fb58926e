'use strict'

// Builds the native core with cargo and copies it next to binding.js under
// the name the loader looks for. `--debug` builds the dev profile (fast to
// compile); the default is the release profile with LTO.

var childProcess = require('child_process')
var fs = require('fs')
var path = require('path')

var root = path.join(__dirname, '..')
var debugBuild = process.argv.indexOf('--debug') !== -1

function libraryName () {
  if (process.platform === 'win32') return 'express_session_rs.dll'
  if (process.platform === 'darwin') return 'libexpress_session_rs.dylib'
  return 'libexpress_session_rs.so'
}

function build () {
  var args = ['build', '--lib']
  if (!debugBuild) args.push('--release')
  var result = childProcess.spawnSync('cargo', args, { cwd: root, stdio: 'inherit' })
  if (result.error && result.error.code === 'ENOENT') {
    throw new Error('cargo was not found on PATH: no prebuilt binary ships for ' + require('../platform').triple() + ', so install Rust (rustup or your distribution\'s cargo) to build express-session-rs from source')
  }
  if (result.status !== 0) throw new Error('cargo ' + args.join(' ') + ' failed with status ' + result.status)

  var targetDir = process.env.CARGO_TARGET_DIR || path.join(root, 'target')
  var built = path.join(targetDir, debugBuild ? 'debug' : 'release', libraryName())
  var fileName = require('../platform').fileName()
  fs.copyFileSync(built, path.join(root, fileName))
  console.log('express-session-rs: built ' + fileName + (debugBuild ? ' (debug)' : ''))
}

module.exports = build

if (require.main === module) {
  try {
    build()
  } catch (err) {
    console.error(err.message)
    process.exit(1)
  }
}
