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

// The install commands the README gives: the block after its
// `<!-- install-commands` marker, one command a line, comments dropped.
function readmeInstallCommands () {
  var readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8')
  var marker = readme.indexOf('<!-- install-commands')
  assert.ok(marker !== -1, 'the README marks its install commands')
  var block = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker))
  return block[1].split('\n').map(function (line) { return line.replace(/#.*/, '').trim() }).filter(Boolean)
}

test("the README's install commands name this version's tarball", function () {
  var version = require('../package.json').version
  assert.match(version, /^1\.19\.\d+$/, 'a plain 1.19.x, which stores with an express-session@^1 peer accept')
  var commands = readmeInstallCommands()
  assert.deepStrictEqual(commands, [
    'npm install',
    'npm pack',
    'npm install express-session@file:/path/to/express-session-rs-' + version + '.tgz'
  ])
})

test("installs into a new Express 5 app with the README's commands, without cargo", async function (t) {
  var commands = readmeInstallCommands()
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-readme-'))
  t.after(function () { fs.rmSync(dir, { recursive: true, force: true }) })

  // `npm install` has run in this checkout already (the tests run in it);
  // `npm pack` writes the tarball into the checkout, as the README says.
  assert.strictEqual(commands[1], 'npm pack')
  var packed = run(npm, ['pack', '--json'], { cwd: root })
  assert.strictEqual(packed.status, 0, packed.stderr)
  var tarball = path.join(dir, JSON.parse(packed.stdout)[0].filename)
  fs.renameSync(path.join(root, path.basename(tarball)), tarball)

  // A new app with Express 5, as `npm init` and `npm install express` make it.
  var app = path.join(dir, 'app')
  fs.mkdirSync(app)
  var noCargo = { cwd: app, env: Object.assign({}, process.env, { PATH: pathWithoutCargo() }) }
  var init = run(npm, ['init', '-y'], noCargo)
  assert.strictEqual(init.status, 0, init.stderr)
  var express = run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', 'express@5'], noCargo)
  assert.strictEqual(express.status, 0, express.stdout + express.stderr)

  var words = commands[2].replace('/path/to/', dir + '/').split(' ')
  var installed = run(npm, words.slice(1).concat(['--no-audit', '--no-fund', '--prefer-offline']), noCargo)
  assert.strictEqual(installed.status, 0, installed.stdout + installed.stderr)
  assert.strictEqual(require(path.join(app, 'node_modules', 'express-session', 'package.json')).name, 'express-session-rs')
  var recorded = require(path.join(app, 'package.json')).dependencies['express-session']
  assert.strictEqual(path.resolve(app, recorded.replace(/^file:/, '')), tarball)

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
  // Loading it then names the platform and how to build once Rust is there.
  var loaded = run(process.execPath, ['-e', "require('./binding')"], { cwd: dir })
  assert.notStrictEqual(loaded.status, 0)
  assert.match(loaded.stderr, new RegExp('no native binary for ' + platform.triple()))
  assert.match(loaded.stderr, /npm install-scripts approve package` \(npm 11 and later\) and `npm rebuild package`/)
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
