'use strict'

// Loads the compiled core, shipped in the package or built by scripts/build.js.

var path = require('path')
var platform = require('./platform')

function load () {
  var fileName = platform.fileName()
  try {
    return require(path.join(__dirname, fileName))
  } catch (err) {
    if (err.code !== 'MODULE_NOT_FOUND') throw err
    var missing = new Error('express-session-rs: no native binary for ' + platform.triple() +
      ' (' + fileName + '); install Rust (cargo) and reinstall the package to build it from source')
    missing.code = 'ERR_EXPRESS_SESSION_RS_BINARY'
    throw missing
  }
}

module.exports = load()
