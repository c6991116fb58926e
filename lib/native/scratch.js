'use strict'

// This copy's scratch buffer (see src/scratch.rs): hot native calls read
// their strings from it instead of taking string arguments. A header of f64
// slots, then the call's strings as UTF-8, one after another; each call is
// handed the buffer itself, so two copies of the package on one thread never
// read each other's input, and Rust keeps no pointer into it.
//
// The rule that keeps it sound: a call's input is written only after every
// user-visible value it needs (getters, toString, Proxy traps) has been read,
// so no user code runs between begin() and the native call.

var native = require('../../binding')

var HEADER_BYTES = native.SCRATCH_HEADER_BYTES
var SLOTS = native.SCRATCH_SLOTS
var INITIAL_BYTES = 16 * 1024
// A call that needed more than this gets a buffer of the initial size back.
var RETAINED_BYTES = 1024 * 1024
// Taken once: a later wrapper of Buffer.prototype.utf8Write never sees the buffer.
var utf8Write = Buffer.prototype.utf8Write

var buffer
var slots
var cursor = HEADER_BYTES

// A buffer of its own (not a slice of Node's shared pool), keeping its
// first `keep` bytes.
function allocate (size, keep) {
  var next = Buffer.from(new ArrayBuffer(size))
  if (keep) buffer.copy(next, 0, 0, keep)
  buffer = next
  slots = new Float64Array(buffer.buffer, 0, SLOTS)
}

allocate(INITIAL_BYTES, 0)

/**
 * Starts a call's input. A buffer that was detached (transferred away by
 * someone who got hold of it), or left large by a call that threw, is
 * replaced.
 */
function begin () {
  if (buffer.length === 0 || buffer.length > RETAINED_BYTES) allocate(INITIAL_BYTES, 0)
  cursor = HEADER_BYTES
}

/**
 * Appends `value` (a string) and puts its UTF-8 length in slot `slot`.
 */
function string (slot, value) {
  // An absent attribute is the empty string: no native write for it.
  if (value.length === 0) {
    slots[slot] = 0
    return
  }
  // A UTF-16 code unit takes at most three UTF-8 bytes.
  var needed = cursor + value.length * 3
  if (needed > buffer.length) {
    if (buffer.length === 0) throw new Error('express-session-rs: scratch buffer detached while being written')
    allocate(Math.max(needed, buffer.length * 2), cursor)
  }
  var length = utf8Write.call(buffer, value, cursor)
  slots[slot] = length
  cursor += length
}

/** Sets slot `slot` to a number. */
function number (slot, value) {
  slots[slot] = value
}

/**
 * The buffer holding the input written since begin(), to pass to the call.
 */
function input () {
  return buffer
}

/**
 * After a call: a buffer grown past RETAINED_BYTES shrinks back, keeping
 * its slots for result(). (After a call that threw, the next begin() does.)
 */
function end () {
  if (buffer.length > RETAINED_BYTES) allocate(INITIAL_BYTES, HEADER_BYTES)
}

/** Slot `slot` as the last call left it. */
function result (slot) {
  return slots[slot]
}

module.exports.begin = begin
module.exports.end = end
module.exports.input = input
module.exports.number = number
module.exports.result = result
module.exports.string = string
