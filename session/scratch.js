'use strict'

// The scratch buffer that carries strings into the native core without a
// Node-API string conversion per argument (see src/scratch.rs): a header of
// eight f64 slots, then the call's strings as UTF-8, one after another.

var native = require('../binding')

var HEADER_BYTES = 64
var buffer
var slots

function allocate (size, keep) {
  var next = Buffer.from(new ArrayBuffer(size))
  if (keep) buffer.copy(next, 0, 0, keep)
  buffer = next
  slots = new Float64Array(buffer.buffer, 0, 8)
  native.attachScratch(buffer)
}

allocate(16 * 1024, 0)

/**
 * Writes `string` at byte `offset` and its byte length into slot `index`;
 * returns the offset after it. Pass HEADER_BYTES for the first string.
 */
function put (index, offset, string) {
  // A UTF-16 code unit takes at most three UTF-8 bytes.
  var needed = offset + string.length * 3
  if (needed > buffer.length) allocate(Math.max(needed, buffer.length * 2), offset)
  var length = buffer.utf8Write(string, offset)
  slots[index] = length
  return offset + length
}

/** Sets slot `index` to a number. */
function number (index, value) {
  slots[index] = value
}

/** Slot `index` as the last native call left it. */
function result (index) {
  return slots[index]
}

module.exports.HEADER_BYTES = HEADER_BYTES
module.exports.result = result
module.exports.number = number
module.exports.put = put
