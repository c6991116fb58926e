'use strict'

// npm test: the JavaScript linter, the Rust unit tests, then every node:test
// suite in __test__/.

var childProcess = require('child_process')
var fs = require('fs')
var path = require('path')

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

run(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'])
run('cargo', ['test', '--quiet'])
run(process.execPath, ['--test', '--test-timeout=120000', '--test-reporter=spec'].concat(suites))
