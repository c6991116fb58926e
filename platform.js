'use strict'

// The name of the native binary for this machine:
// express-session-rs.<platform>-<arch>[-gnu|-musl].node

function triple () {
  var name = process.platform + '-' + process.arch
  if (process.platform !== 'linux') return name
  // glibc reports its version in the process report; musl does not.
  var report = process.report.getReport()
  return name + (report.header && report.header.glibcVersionRuntime ? '-gnu' : '-musl')
}

function fileName () {
  return 'express-session-rs.' + triple() + '.node'
}

module.exports.triple = triple
module.exports.fileName = fileName
