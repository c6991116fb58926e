'use strict'

// npm test: the JavaScript linter, the Rust unit tests, then every node:test
// suite in __test__/ on the machine's own Node and again on each supported
// Node line (scripts/node-lines.js). NODE_LINES=24,26 picks lines;
// NODE_LINES=none runs the suites on the machine's Node only (for quick
// iteration: CI runs them all).

var childProcess = require('child_process')
var fs = require('fs')
var path = require('path')
var nodeLines = require('./node-lines')

var root = path.join(__dirname, '..')

function run (command, args) {
  console.log('> ' + command + ' ' + args.join(' '))
  var result = childProcess.spawnSync(command, args, { cwd: root, stdio: 'inherit' })
  if (result.error) throw result.error
  if (result.status !== 0) process.exit(result.status || 1)
}

var suites = fs.readdirSync(path.join(root, '__test__'))
  .filter(function (name) { return name.endsWith('.test.js') })
  .map(function (name) { return path.join('__test__', name) })
var testArgs = ['--test', '--test-timeout=120000', '--test-reporter=spec'].concat(suites)

// Resolved first, so a line that cannot be had fails before anything runs.
var lines = process.env.NODE_LINES === 'none' ? [] : nodeLines.linesOf(process.env.NODE_LINES)

run(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'])
run('cargo', ['test', '--quiet'])
console.log('# Node ' + process.version + ' (this machine\'s)')
run(process.execPath, testArgs)
lines.forEach(function (line) {
  var version = childProcess.execFileSync(line.binary, ['--version'], { encoding: 'utf8' }).trim()
  console.log('# Node ' + version + ' (line ' + line.major + ')')
  run(line.binary, testArgs)
})
