'use strict'

var native = require('../binding')

// IDs are made natively in batches and handed out one by one, so the cost
// of crossing into Rust is paid once per batch.
var ID_LENGTH = 32
var BATCH = 128
var pool = Buffer.alloc(ID_LENGTH * BATCH)
var available = 0
var next = 0

/**
 * A new session ID: 32 URL-safe characters from 24 CSPRNG bytes.
 */
function generate () {
  if (next === available) {
    available = native.fillSessionIds(pool)
    next = 0
  }
  var start = next++ * ID_LENGTH
  return pool.latin1Slice(start, start + ID_LENGTH)
}

module.exports.generate = generate
