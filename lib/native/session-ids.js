'use strict'

var native = require('../../binding')

// IDs are made natively in batches and handed out one by one, so the cost
// of crossing into Rust is paid once per batch. The pool is this copy's own.
var ID_LENGTH = 32
var BATCH = 128
var pool = Buffer.from(new ArrayBuffer(ID_LENGTH * BATCH))
var available = 0
var next = 0

/**
 * A new session ID: 32 URL-safe characters from 24 CSPRNG bytes.
 */
function generateSessionId () {
  // A pool detached by someone who got hold of it is replaced.
  if (pool.length === 0) {
    pool = Buffer.from(new ArrayBuffer(ID_LENGTH * BATCH))
    available = 0
  }
  if (next >= available) {
    available = native.fillSessionIds(pool)
    next = 0
  }
  var start = next++ * ID_LENGTH
  return pool.latin1Slice(start, start + ID_LENGTH)
}

module.exports = generateSessionId
