'use strict'

// npm install hook: use the binary shipped for this platform when there is
// one, otherwise build from source with cargo.

var fs = require('fs')
var path = require('path')
var platform = require('../platform')
var build = require('./build')

var shipped = path.join(__dirname, '..', platform.fileName())
var fromSource = fs.existsSync(path.join(__dirname, '..', 'Cargo.toml')) &&
  fs.existsSync(path.join(__dirname, '..', '.git'))

if (fs.existsSync(shipped) && !fromSource) {
  process.exit(0)
}

try {
  build()
} catch (err) {
  console.error('express-session-rs: ' + err.message)
  process.exit(1)
}
