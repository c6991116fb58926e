'use strict'

// index.d.ts: code written against @types/express-session compiles with
// `tsc --strict` against this package alone, installed as express-session,
// and type errors stay errors.

var assert = require('assert')
var childProcess = require('child_process')
var fs = require('fs')
var os = require('os')
var path = require('path')
var test = require('node:test')

var root = path.join(__dirname, '..')

// A project whose node_modules has this package as express-session, and no
// @types/express-session.
function project (t, files) {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-types-'))
  t.after(function () { fs.rmSync(dir, { recursive: true, force: true }) })
  fs.mkdirSync(path.join(dir, 'node_modules', '@types'), { recursive: true })
  fs.symlinkSync(root, path.join(dir, 'node_modules', 'express-session'))
  fs.symlinkSync(path.join(root, 'node_modules', 'express'), path.join(dir, 'node_modules', 'express'))
  fs.readdirSync(path.join(root, 'node_modules', '@types')).forEach(function (name) {
    assert.notStrictEqual(name, 'express-session', '@types/express-session must not be installed')
    fs.symlinkSync(path.join(root, 'node_modules', '@types', name), path.join(dir, 'node_modules', '@types', name))
  })
  files.forEach(function (file) { fs.copyFileSync(path.join(__dirname, 'types', file), path.join(dir, file)) })
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, target: 'es2020', module: 'commonjs', moduleResolution: 'node', types: ['node'] },
    files: files
  }))
  return dir
}

function tsc (dir) {
  return childProcess.spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: dir, encoding: 'utf8' })
}

test('a typical app and a Store subclass compile under --strict', function (t) {
  var result = tsc(project(t, ['app.ts', 'store.ts']))
  assert.strictEqual(result.status, 0, result.stdout + result.stderr)
})

test('a store written like connect-redis, with plain cookie objects, compiles under --strict', function (t) {
  var result = tsc(project(t, ['plain-store.ts']))
  assert.strictEqual(result.status, 0, result.stdout + result.stderr)
})

test('wrong types are compile errors, on exactly the marked lines', function (t) {
  var dir = project(t, ['errors.ts'])
  var result = tsc(dir)
  assert.notStrictEqual(result.status, 0)
  var source = fs.readFileSync(path.join(dir, 'errors.ts'), 'utf8').split('\n')
  var expected = []
  source.forEach(function (line, i) { if (/\/\/ error:/.test(line)) expected.push(i + 1) })
  var reported = []
  result.stdout.split('\n').forEach(function (line) {
    var match = /^errors\.ts\((\d+),\d+\): error TS\d+/.exec(line)
    if (match && reported.indexOf(Number(match[1])) === -1) reported.push(Number(match[1]))
  })
  assert.deepStrictEqual(reported.sort(function (a, b) { return a - b }), expected, result.stdout)
})
