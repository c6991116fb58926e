'use strict'

// Timing helpers: A and B run interleaved, round after round, so both see
// the same machine state; each figure is reported as min / median / max.

// A young-generation collection before each timed run, so one side's
// garbage is not collected on the other's time. Not a full one: a full
// collection also frees the hidden classes (maps) of objects no longer alive,
// such as the last run's requests and sessions, and V8 then deoptimizes every
// function compiled against one of them ("weak objects" in --trace-deopt,
// about thirty functions of each middleware): each timed run would begin by
// recompiling both sides, which took 35–60% of the time measured.
require('v8').setFlagsFromString('--expose-gc')
var gc = require('vm').runInNewContext('gc')

function collectGarbage () {
  gc({ type: 'minor' })
}

function median (values) {
  var sorted = values.slice().sort(function (a, b) { return a - b })
  var mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function stats (values) {
  return {
    min: Math.min.apply(null, values),
    median: median(values),
    max: Math.max.apply(null, values)
  }
}

/** Nanoseconds per call of a synchronous `fn`, over `iterations` calls. */
function timeSync (fn, iterations) {
  collectGarbage()
  var start = process.hrtime.bigint()
  for (var i = 0; i < iterations; i++) fn(i)
  return Number(process.hrtime.bigint() - start) / iterations
}

/**
 * Runs `fn(done)` `iterations` times one after another and resolves with the
 * nanoseconds per run.
 */
function timeAsync (fn, iterations) {
  collectGarbage()
  return new Promise(function (resolve) {
    var remaining = iterations
    var start = process.hrtime.bigint()
    // Runs that finish synchronously are looped over, not recursed into.
    var running = false
    var pending = false
    function next () {
      if (running) {
        pending = true
        return
      }
      running = true
      do {
        pending = false
        if (remaining-- === 0) {
          running = false
          resolve(Number(process.hrtime.bigint() - start) / iterations)
          return
        }
        fn(next)
      } while (pending)
      running = false
    }
    next()
  })
}

function format (ns) {
  return ns >= 1000 ? (ns / 1000).toFixed(2) + ' µs' : ns.toFixed(0) + ' ns'
}

// Pads to `width`, and always leaves a space after the text.
function pad (text, width) {
  text = String(text)
  return text.length >= width ? text + ' ' : text + ' '.repeat(width - text.length)
}

/**
 * Prints one comparison row: A and B per-op times and how many times faster
 * B is: the median of the ratios within each round (A and B of one round ran
 * back to back, so they saw the same machine).
 */
function report (name, a, b) {
  var sa = stats(a)
  var sb = stats(b)
  var ratio = median(a.map(function (value, i) { return value / b[i] }))
  console.log(pad(name, 44) +
    pad(format(sa.median) + ' [' + format(sa.min) + '–' + format(sa.max) + ']', 34) +
    pad(format(sb.median) + ' [' + format(sb.min) + '–' + format(sb.max) + ']', 34) +
    'x' + ratio.toFixed(2))
  return ratio
}

function header (title, a, b) {
  console.log('\n## ' + title + '\n')
  console.log(pad('', 44) + pad(a + ' median [min–max]', 34) + pad(b + ' median [min–max]', 34) + 'speed-up')
}

/** Compares two synchronous functions, interleaved over `rounds`. */
function compareSync (name, a, b, options) {
  var rounds = options.rounds
  var iterations = options.iterations
  var resultsA = []
  var resultsB = []
  timeSync(a, iterations)
  timeSync(b, iterations)
  for (var r = 0; r < rounds; r++) {
    resultsA.push(timeSync(a, iterations))
    resultsB.push(timeSync(b, iterations))
  }
  return report(name, resultsA, resultsB)
}

/** Compares two callback-driven functions, interleaved over `rounds`. */
async function compareAsync (name, a, b, options) {
  var resultsA = []
  var resultsB = []
  await timeAsync(a, options.iterations)
  await timeAsync(b, options.iterations)
  for (var r = 0; r < options.rounds; r++) {
    resultsA.push(await timeAsync(a, options.iterations))
    resultsB.push(await timeAsync(b, options.iterations))
  }
  return report(name, resultsA, resultsB)
}

module.exports = {
  compareAsync: compareAsync,
  compareSync: compareSync,
  header: header,
  median: median,
  pad: pad,
  stats: stats
}
