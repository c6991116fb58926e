'use strict'

// The packed tarball: it carries the binary for this platform and installs,
// under the name express-session, into a fresh Express 5 app on a machine
// without cargo; without a binary it builds from source, or says what is missing.

var assert = require('assert')
var childProcess = require('child_process')
var fs = require('fs')
var http = require('http')
var os = require('os')
var path = require('path')
var test = require('node:test')
var platform = require('../platform')

var root = path.join(__dirname, '..')
var npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

// PATH without any directory that holds cargo.
function pathWithoutCargo () {
  return process.env.PATH.split(path.delimiter).filter(function (dir) {
    return !fs.existsSync(path.join(dir, 'cargo'))
  }).join(path.delimiter)
}

function run (command, args, options) {
  var result = childProcess.spawnSync(command, args, Object.assign({ encoding: 'utf8', timeout: 240000 }, options))
  if (result.error) throw result.error
  return result
}

function pack (t) {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-pack-'))
  t.after(function () { fs.rmSync(dir, { recursive: true, force: true }) })
  var packed = run(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root })
  assert.strictEqual(packed.status, 0, packed.stderr)
  var info = JSON.parse(packed.stdout)[0]
  return { dir: dir, tarball: path.join(dir, info.filename), files: info.files.map(function (f) { return f.path }) }
}

function get (port, pathname, cookie) {
  return new Promise(function (resolve, reject) {
    http.get({ host: '127.0.0.1', port: port, path: pathname, headers: cookie ? { cookie: cookie } : {} }, function (res) {
      var body = ''
      res.setEncoding('utf8')
      res.on('data', function (chunk) { body += chunk })
      res.on('end', function () { resolve({ status: res.statusCode, body: body, setCookie: res.headers['set-cookie'] }) })
    }).on('error', reject)
  })
}

test('the tarball ships the binary, the types and the sources', function (t) {
  var packed = pack(t)
  ;[platform.fileName(), 'index.js', 'index.d.ts', 'binding.js', 'platform.js', 'session/store.js',
    'session/memory.js', 'scripts/install.js', 'scripts/build.js', 'Cargo.toml', 'src/lib.rs'].forEach(function (file) {
    assert.ok(packed.files.indexOf(file) !== -1, file + ' is in the tarball')
  })
  assert.ok(!packed.files.some(function (f) { return /^(__test__|benchmark|target|node_modules)\//.test(f) }))
})

test('installs as express-session without cargo and runs an Express 5 app', async function (t) {
  var packed = pack(t)
  var app = path.join(packed.dir, 'app')
  fs.mkdirSync(app)
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
    name: 'consumer',
    version: '1.0.0',
    private: true,
    dependencies: { express: '^5.1.0', 'express-session': 'file:' + packed.tarball }
  }))
  var installed = run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline'], {
    cwd: app, env: Object.assign({}, process.env, { PATH: pathWithoutCargo() })
  })
  assert.strictEqual(installed.status, 0, installed.stdout + installed.stderr)
  assert.strictEqual(require(path.join(app, 'node_modules', 'express-session', 'package.json')).name, 'express-session-rs')

  fs.writeFileSync(path.join(app, 'server.js'), [
    "var express = require('express')",
    "var session = require('express-session')",
    "var Store = require('express-session/session/store')",
    "if (Store !== session.Store) throw new Error('deep import is another module')",
    'var app = express()',
    "app.use(session({ secret: 'pack test', resave: false, saveUninitialized: false }))",
    "app.get('/', function (req, res) { req.session.n = (req.session.n || 0) + 1; res.send(String(req.session.n)) })",
    "var server = app.listen(0, '127.0.0.1', function () { process.send(server.address().port) })",
    "process.on('disconnect', function () { process.exit(0) })"
  ].join('\n'))
  var child = childProcess.fork(path.join(app, 'server.js'), { cwd: app, env: Object.assign({}, process.env, { NO_DEPRECATION: 'express-session' }) })
  t.after(function () { child.kill() })
  var port = await new Promise(function (resolve, reject) {
    child.once('message', resolve)
    child.once('exit', function (code) { reject(new Error('server exited with ' + code)) })
  })
  var first = await get(port, '/')
  assert.strictEqual(first.body, '1')
  var jar = first.setCookie[0].split(';')[0]
  assert.strictEqual((await get(port, '/', jar)).body, '2')
  assert.strictEqual((await get(port, '/', jar)).body, '3')

  // TypeScript finds Express's types through the package's own dependencies.
  fs.writeFileSync(path.join(app, 'app.ts'), [
    "import express = require('express')",
    "import session = require('express-session')",
    'const app = express()',
    "app.use(session({ secret: 's', resave: false, saveUninitialized: false }))",
    "app.get('/', (req, res) => { res.send(req.sessionID + String(req.session.cookie.maxAge)) })"
  ].join('\n'))
  var compiled = run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
    '--strict', '--noEmit', '--esModuleInterop', '--module', 'commonjs', '--target', 'es2020', 'app.ts'], { cwd: app })
  assert.strictEqual(compiled.status, 0, compiled.stdout + compiled.stderr)
})

function unpackWithoutBinary (t) {
  var packed = pack(t)
  var extracted = run('tar', ['-xzf', packed.tarball, '-C', packed.dir])
  assert.strictEqual(extracted.status, 0, extracted.stderr)
  var dir = path.join(packed.dir, 'package')
  fs.rmSync(path.join(dir, platform.fileName()))
  return dir
}

test('without a binary and without cargo, installing says what is missing', function (t) {
  var dir = unpackWithoutBinary(t)
  var result = run(process.execPath, ['scripts/install.js'], { cwd: dir, env: Object.assign({}, process.env, { PATH: pathWithoutCargo() }) })
  assert.notStrictEqual(result.status, 0)
  assert.match(result.stderr, new RegExp(platform.triple()))
  assert.match(result.stderr, /cargo/)
  assert.match(result.stderr, /install Rust/)
})

test('without a binary but with cargo, installing builds from source', function (t) {
  var dir = unpackWithoutBinary(t)
  var result = run(process.execPath, ['scripts/install.js'], {
    cwd: dir, env: Object.assign({}, process.env, { CARGO_TARGET_DIR: path.join(root, 'target', 'pack-test') })
  })
  assert.strictEqual(result.status, 0, result.stdout + result.stderr)
  assert.ok(fs.existsSync(path.join(dir, platform.fileName())))
  var loaded = run(process.execPath, ['-e', "var b = require('./binding'); console.log(typeof b.readSessionId, typeof b.createMemoryStorage)"], { cwd: dir })
  assert.strictEqual(loaded.stdout.trim(), 'function function', loaded.stderr)
})
