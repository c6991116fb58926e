'use strict'

// MemoryStore: resident memory per stored session and set/get/touch rates of
// express-session's MemoryStore, memorystore and ours, each measured in a
// process of its own (so one's garbage does not count against another).

var childProcess = require('child_process')
var path = require('path')
var measure = require('./measure')

var IMPLEMENTATIONS = ['express-session', 'memorystore', 'express-session-rs']

function measureOne (implementation, sessions) {
  var out = childProcess.execFileSync(process.execPath, [
    '--expose-gc', path.join(__dirname, 'memory-store-child.js'), implementation, String(sessions)
  ], { encoding: 'utf8', maxBuffer: 1 << 20 })
  return JSON.parse(out)
}

function run (options) {
  var sessions = options.sessions
  var rounds = Math.max(1, Math.min(3, options.rounds))
  var results = {}
  IMPLEMENTATIONS.forEach(function (name) { results[name] = [] })
  for (var r = 0; r < rounds; r++) {
    IMPLEMENTATIONS.forEach(function (name) { results[name].push(measureOne(name, sessions)) })
  }
  function median (name, field) {
    return measure.median(results[name].map(function (result) { return result[field] }))
  }
  console.log('\n## MemoryStore (' + sessions + ' sessions of ' + results['express-session-rs'][0].json +
    ' bytes of JSON, ' + rounds + ' runs each, medians)\n')
  console.log(measure.pad('', 22) + measure.pad('RSS bytes/session', 20) + measure.pad('set/s', 12) +
    measure.pad('get/s', 12) + 'touch/s')
  IMPLEMENTATIONS.forEach(function (name) {
    console.log(measure.pad(name, 22) + measure.pad(median(name, 'bytesPerSession').toFixed(0), 20) +
      measure.pad(median(name, 'set').toFixed(0), 12) + measure.pad(median(name, 'get').toFixed(0), 12) +
      median(name, 'touch').toFixed(0))
  })
  var ours = 'express-session-rs'
  var ratios = {}
  ;['express-session', 'memorystore'].forEach(function (other) {
    ratios[other] = {
      memory: median(other, 'bytesPerSession') / median(ours, 'bytesPerSession'),
      set: median(ours, 'set') / median(other, 'set'),
      get: median(ours, 'get') / median(other, 'get'),
      touch: median(ours, 'touch') / median(other, 'touch')
    }
    console.log('vs ' + measure.pad(other, 19) + 'memory x' + ratios[other].memory.toFixed(2) + ' less, set x' +
      ratios[other].set.toFixed(2) + ', get x' + ratios[other].get.toFixed(2) + ', touch x' + ratios[other].touch.toFixed(2))
  })
  return ratios
}

module.exports = run

if (require.main === module) run({ rounds: 1, sessions: Number(process.argv[2]) || 200000 })
