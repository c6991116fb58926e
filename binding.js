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
    // npm 11 skips a dependency's install script (our build) until the
    // app approves it; the name is the one the package was installed under.
    var installedAs = path.basename(__dirname)
    var missing = new Error('express-session-rs: no native binary for ' + platform.triple() +
      ' (' + fileName + '); it is built from source with Rust (cargo): install Rust, then in your app run ' +
      '`npm install-scripts approve ' + installedAs + '` (npm 11 and later) and `npm rebuild ' + installedAs + '`')
    missing.code = 'ERR_EXPRESS_SESSION_RS_BINARY'
    throw missing
  }
}

module.exports = load()
