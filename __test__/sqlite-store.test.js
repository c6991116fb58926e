'use strict'

// SqliteStore: the store API, the middleware on it, several processes on
// one file (plain processes and node:cluster), durability under kill -9,
// atomic merge and logout across processes, expiry and file size under
// churn, and every fault as a clear error that names the file.

var assert = require('assert')
var childProcess = require('child_process')
var fs = require('fs')
var os = require('os')
var path = require('path')
var test = require('node:test')
var request = require('supertest')
var appProcesses = require('./support/app-processes')
var support = require('./support/server')
var storeCalls = require('./support/store-calls')
var sqliteCore = require('../lib/sqlite-core')

var session = support.session
var SqliteStore = session.SqliteStore
var appScript = path.join(__dirname, 'support', 'sqlite-app.js')
var get = appProcesses.get
var call = storeCalls.call
var sessionExpiringIn = storeCalls.sessionExpiringIn
var sleep = support.sleep

function tempDir (t) {
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-sqlite-'))
  t.after(function () { fs.rmSync(dir, { recursive: true, force: true }) })
  return dir
}

// Python's sqlite3 module reads the file as any other SQLite client would.
function sqlite (file, sql) {
  var result = childProcess.spawnSync('python3', ['-c',
    'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); r = c.execute(sys.argv[2]).fetchall(); c.commit(); print(r[0][0] if r else "")',
    file, sql], { encoding: 'utf8' })
  assert.strictEqual(result.status, 0, result.stderr)
  return result.stdout.trim()
}

test('the store API: set, get, touch, destroy, length, all, ids, clear, expiry', async function (t) {
  var store = new SqliteStore({ path: path.join(tempDir(t), 'sessions.db') })
  t.after(function () { store.close() })
  await call(store, 'set', 'a', sessionExpiringIn(60000, { user: 'ann', nested: { list: [1, 2] } }))
  await call(store, 'set', 'b', sessionExpiringIn(60000, { user: 'bob' }))
  await call(store, 'set', 'gone', sessionExpiringIn(-1, { user: 'old' }))
  var a = await call(store, 'get', 'a')
  assert.deepStrictEqual(a.nested, { list: [1, 2] })
  assert.strictEqual(a.cookie.originalMaxAge, 60000)
  assert.strictEqual(await call(store, 'get', 'gone'), undefined, 'an expired session is absent')
  assert.strictEqual(await call(store, 'length'), 2)
  assert.deepStrictEqual((await call(store, 'ids')).sort(), ['a', 'b'])
  assert.deepStrictEqual(Object.keys(await call(store, 'all')).sort(), ['a', 'b'])
  await call(store, 'touch', 'b', sessionExpiringIn(120000, { ignored: true }))
  var b = await call(store, 'get', 'b')
  assert.strictEqual(b.cookie.originalMaxAge, 120000)
  assert.strictEqual(b.ignored, undefined, 'a touch keeps the data')
  await call(store, 'touch', 'missing', sessionExpiringIn(60000))
  assert.strictEqual(await call(store, 'get', 'missing'), undefined, 'a touch creates nothing')
  await call(store, 'destroy', 'a')
  assert.strictEqual(await call(store, 'get', 'a'), undefined)
  await call(store, 'clear')
  assert.strictEqual(await call(store, 'length'), 0)
})

test('a cookie is kept with its date cut out, and a session loaded for the middleware is the one createSession makes from get', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var store = new SqliteStore({ path: file })
  t.after(function () { store.close() })
  var cookies = [
    new session.Cookie({ maxAge: 60000 }),
    new session.Cookie({ maxAge: 5000, domain: 'example.com', sameSite: 'strict', secure: false, priority: 'high', partitioned: true, path: '/app' }),
    new session.Cookie({ httpOnly: false, path: '/caf\u00e9' }),
    // Not what a Cookie renders: kept cut, but rebuilt from its JSON.
    { path: '/', expires: new Date(Date.now() + 60000), custom: { deep: [1] } },
    // The default cookie, with no date: kept whole, a template as it is.
    new session.Cookie()
  ]
  for (var i = 0; i < cookies.length; i++) {
    var id = 'session-' + i
    await call(store, 'set', id, { cookie: cookies[i], n: i, nested: { list: [i, 'x'] }, save: 'shadowed' })
    var loaded = await storeCalls.assertLoadsAsCreated(store, sqliteCore.load, id, cookies[i])
    assert.strictEqual(JSON.stringify((await call(store, 'all'))[id].cookie), JSON.stringify(cookies[i]))
    assert.strictEqual(loaded.template !== null, i !== 3, 'a template for what a Cookie renders')
  }
  var dated = JSON.parse(sqlite(file, "SELECT json_array(cookie, split) FROM sessions WHERE id = 'session-1'"))
  assert.strictEqual(dated[0], JSON.stringify(cookies[1]).replace(/"expires":"[^"]*"/, '"expires":""'), 'the date cut out')
  assert.strictEqual(dated[1], dated[0].indexOf('"expires":""') + 11)
  assert.strictEqual(sqlite(file, "SELECT split IS NULL FROM sessions WHERE id = 'session-4'"), '1', 'no date: kept whole')
  assert.strictEqual(sqliteCore.load(store, { sessionID: 'absent' }), null)
})

test('a cookie not cut where it says is refused; a row an earlier release rewrote whole is read whole', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var store = new SqliteStore({ path: file })
  t.after(function () { store.close() })
  var expires = Date.now() + 1000
  assert.throws(function () { store._database.set('x', '{}', 3, '{}', expires) }, /no cut date/)
  assert.throws(function () { store._database.set('x', '{"expires":"","n":1}', 13, '{}', expires) }, /no cut date/)
  assert.throws(function () { store._database.touch('x', '{"\ud83d\ude00":1}', 3, expires) }, /no cut date/)
  assert.strictEqual(store._database.set('x', '{"\ud83d\ude00":1,"expires":""}', 19, '{}', expires), null)
  assert.deepStrictEqual(store._database.get('x').slice(0, 3), ['{"\ud83d\ude00":1,"expires":""}', '{}', 19])
  var cookie = new session.Cookie({ maxAge: 60000 })
  await call(store, 'set', 'rewritten', { cookie: cookie, n: 1 })
  assert.notStrictEqual(sqlite(file, "SELECT split FROM sessions WHERE id = 'rewritten'"), '')
  // 1.19.1 writes the whole cookie JSON and knows nothing of split.
  var whole = JSON.stringify(new session.Cookie({ maxAge: 120000 }))
  sqlite(file, "UPDATE sessions SET cookie = '" + whole + "' WHERE id = 'rewritten'")
  assert.strictEqual(JSON.stringify((await call(store, 'get', 'rewritten')).cookie), whole)
  assert.strictEqual(JSON.stringify((await call(store, 'all')).rewritten.cookie), whole)
})

test('a save or a touch of a loaded session writes its template, and the expiry moves', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var store = new SqliteStore({ path: file })
  t.after(function () { store.close() })
  var server = support.createServer({ store: store, resave: false, saveUninitialized: false }, function (req, res) {
    if (req.url === '/count') req.session.n = (req.session.n || 0) + 1
    res.end(String(req.session.n))
  })
  // A millisecond passing within a request would change the cookie's JSON
  // (see onHeldClock): each request runs on a held clock.
  var started = Date.now()
  function at (ms, send) {
    return support.onHeldClock(started + ms, send)
  }
  var first = await at(0, function () { return request(server).get('/count').expect(200, '1') })
  var id = support.sid(first)
  function row () {
    return JSON.parse(sqlite(file, "SELECT json_array(cookie, split, expires) FROM sessions WHERE id = '" + id + "'"))
  }
  var saved = row()
  assert.match(saved[0], /"originalMaxAge":60000,"expires":""/)
  await at(1000, function () { return request(server).get('/').set('Cookie', support.cookie(first)).expect(200, '1') })
  var touched = row()
  assert.deepStrictEqual(touched.slice(0, 2), saved.slice(0, 2), 'the same text')
  assert.strictEqual(touched[2], saved[2] + 1000, 'a later expiry')
  await at(2000, function () { return request(server).get('/count').set('Cookie', support.cookie(first)).expect(200, '2') })
  assert.deepStrictEqual(row().slice(0, 2), saved.slice(0, 2))
  var stored = await call(store, 'get', id)
  assert.strictEqual(stored.cookie.expires, new Date(row()[2]).toISOString())
})

test('a database of schema 1 is brought up to date, its sessions kept', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var expires = Date.now() + 60000
  var cookie = JSON.stringify(new session.Cookie({ maxAge: 60000, expires: new Date(expires) }))
  sqlite(file, 'CREATE TABLE sessions (id TEXT PRIMARY KEY NOT NULL, cookie TEXT NOT NULL, data TEXT NOT NULL, expires INTEGER NOT NULL, filed INTEGER NOT NULL) WITHOUT ROWID')
  sqlite(file, 'CREATE INDEX sessions_by_filed ON sessions (filed)')
  sqlite(file, 'CREATE TABLE sweep_lease (only INTEGER PRIMARY KEY CHECK (only = 1), holder TEXT NOT NULL, until INTEGER NOT NULL)')
  sqlite(file, "INSERT INTO sweep_lease VALUES (1, '', 0)")
  sqlite(file, "INSERT INTO sessions VALUES ('old', '" + cookie + "', '{\"n\":5}', " + expires + ', ' + (expires - expires % 60000) + ')')
  sqlite(file, 'PRAGMA user_version = 1')
  var store = new SqliteStore({ path: file })
  t.after(function () { store.close() })
  assert.strictEqual(sqlite(file, 'PRAGMA user_version'), '2')
  var old = await call(store, 'get', 'old')
  assert.strictEqual(JSON.stringify(old.cookie), cookie)
  var server = support.createServer({ store: store, resave: false, saveUninitialized: false }, function (req, res) {
    req.session.n++
    res.end(String(req.session.n))
  })
  await request(server).get('/').set('Cookie', support.sessionCookie('old', 'keyboard cat')).expect(200, '6')
  assert.strictEqual(sqlite(file, "SELECT split IS NOT NULL FROM sessions WHERE id = 'old'"), '1', 'saved cut')
})

test('IDs that UTF-8 cannot carry stay apart', async function (t) {
  var store = new SqliteStore({ path: path.join(tempDir(t), 'sessions.db') })
  t.after(function () { store.close() })
  await call(store, 'set', 'x\ud800', sessionExpiringIn(60000, { n: 1 }))
  await call(store, 'set', 'x\ud801', sessionExpiringIn(60000, { n: 2 }))
  await call(store, 'set', 'x\ufffd', sessionExpiringIn(60000, { n: 3 }))
  assert.strictEqual((await call(store, 'get', 'x\ud800')).n, 1)
  assert.strictEqual((await call(store, 'get', 'x\ud801')).n, 2)
  assert.strictEqual((await call(store, 'get', 'x\ufffd')).n, 3)
  assert.deepStrictEqual((await call(store, 'ids')).sort(), ['x\ud800', 'x\ud801', 'x\ufffd'].sort())
})

test('sessions survive the store being closed and opened again', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var first = new SqliteStore({ path: file })
  var server = support.createServer({ store: first, resave: false, saveUninitialized: false }, function (req, res) {
    req.session.n = (req.session.n || 0) + 1
    res.end(String(req.session.n))
  })
  var res = await request(server).get('/').expect(200, '1')
  first.close()
  await assert.rejects(call(first, 'get', 'x'), /SqliteStore .*sessions\.db: the store is closed/)
  var second = new SqliteStore({ path: file })
  t.after(function () { second.close() })
  server = support.createServer({ store: second, resave: false, saveUninitialized: false }, function (req, res) {
    req.session.n = (req.session.n || 0) + 1
    res.end(String(req.session.n))
  })
  await request(server).get('/').set('Cookie', support.cookie(res)).expect(200, '2')
})

test('the middleware reads and writes it synchronously: the response ends within res.end', async function (t) {
  var store = new SqliteStore({ path: path.join(tempDir(t), 'sessions.db') })
  t.after(function () { store.close() })
  var writes = 0
  var endedAtOnce = []
  var server = support.createServer({ store: store, resave: false, saveUninitialized: false }, function (req, res) {
    req.session.n = (req.session.n || 0) + 1
    res.setHeader('Content-Length', '2')
    res.end('ok')
    // Saved already: no turn of the event loop waited for the store.
    endedAtOnce.push(res.writableEnded)
  }, function (req, res) {
    var write = res.write
    res.write = function () {
      writes++
      return write.apply(this, arguments)
    }
  })
  var first = await request(server).get('/').expect(200, 'ok')
  var second = await request(server).get('/').set('Cookie', support.cookie(first)).expect(200, 'ok')
  assert.ok(support.cookie(second), 'saved and sent the cookie')
  assert.strictEqual(writes, 0, 'headers and body leave with res.end, not split by a res.write')
  assert.deepStrictEqual(endedAtOnce, [true, true])
  var stored = await call(store, 'get', support.sid(first))
  assert.strictEqual(stored.n, 2)
})

test('the database and its -wal and -shm files are readable by their owner only', async function (t) {
  var dir = tempDir(t)
  var file = path.join(dir, 'sessions.db')
  var store = new SqliteStore({ path: file })
  t.after(function () { store.close() })
  await call(store, 'set', 'a', sessionExpiringIn(60000, { n: 1 }))
  ;[file, file + '-wal', file + '-shm'].forEach(function (name) {
    assert.ok(fs.existsSync(name), name)
    assert.strictEqual(fs.statSync(name).mode & 0o777, 0o600, name)
  })
})

function startApp (t, file, concurrency) {
  return appProcesses.forkApp(t, appScript, [file, concurrency || 'overwrite'])
}

test('two processes on one file: what one saved, the next request in the other reads', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var a = await startApp(t, file)
  var b = await startApp(t, file)
  var jar = (await get(a.port, '/set?user=ann')).cookie
  for (var i = 0; i < 20; i++) {
    var from = i % 2 ? a : b
    var to = i % 2 ? b : a
    assert.strictEqual((await get(from.port, '/set?step=' + i, jar)).status, 200)
    var seen = JSON.parse((await get(to.port, '/get', jar)).body)
    assert.strictEqual(seen.user, 'ann')
    assert.strictEqual(seen.step, String(i))
  }
})

test("concurrency: 'merge' keeps every key of parallel requests spread over two processes", async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var a = await startApp(t, file, 'merge')
  var b = await startApp(t, file, 'merge')
  for (var round = 0; round < 5; round++) {
    var jar = (await get(a.port, '/set?round=' + round)).cookie
    var requests = []
    for (var i = 0; i < 20; i++) {
      requests.push(get((i % 2 ? a : b).port, '/slow?ms=' + (i % 5) * 10 + '&k' + i + '=' + i, jar))
    }
    await Promise.all(requests)
    var kept = JSON.parse((await get(a.port, '/get', jar)).body)
    for (var k = 0; k < 20; k++) assert.strictEqual(kept['k' + k], String(k), 'round ' + round + ' kept k' + k)
  }
})

test("concurrency: 'merge': a logout in one process stays a logout against a slow request in the other", async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var a = await startApp(t, file, 'merge')
  var b = await startApp(t, file, 'merge')
  var jar = (await get(a.port, '/set?user=ann')).cookie
  var slow = get(a.port, '/slow?ms=300&cart=full', jar)
  await sleep(100)
  assert.strictEqual((await get(b.port, '/logout', jar)).body, 'out')
  var ended = await slow
  assert.strictEqual(ended.status, 200)
  assert.strictEqual(JSON.parse((await get(b.port, '/get', jar)).body).user, undefined, 'still logged out')
  assert.strictEqual(sqlite(file, 'SELECT count(*) FROM sessions'), '0')
})

test('processes that open a new file at the same moment all open it', async function (t) {
  var dir = tempDir(t)
  // As two workers started together do: each opens the file and, here,
  // closes it at once (the last close of a file rewrites its -wal).
  var open = 'try { new (require(' + JSON.stringify(path.join(__dirname, '..')) + ').SqliteStore)({ path: process.argv[1], checkPeriod: 0 }).close(); console.log("opened") } catch (err) { console.log(err.message) }'
  for (var round = 0; round < 40; round++) {
    var file = path.join(dir, 'round-' + round + '.db')
    var results = await Promise.all([0, 1].map(function () {
      return new Promise(function (resolve, reject) {
        childProcess.execFile(process.execPath, ['-e', open, file], { encoding: 'utf8' }, function (err, stdout) {
          if (err) reject(err)
          else resolve(stdout.trim())
        })
      })
    }))
    assert.deepStrictEqual(results, ['opened', 'opened'], 'round ' + round)
  }
})

test('a node:cluster run: two workers share one SqliteStore', async function (t) {
  var dir = tempDir(t)
  var file = path.join(dir, 'sessions.db')
  var script = path.join(dir, 'cluster.js')
  fs.writeFileSync(script, [
    "var cluster = require('cluster')",
    'if (cluster.isPrimary) {',
    '  var ports = []',
    "  for (var i = 0; i < 2; i++) cluster.fork().on('message', function (m) { ports.push(m); if (ports.length === 2) process.send(ports) })",
    "  cluster.on('exit', function (worker, code) { if (ports.length < 2) process.exit(code || 1) })",
    "  process.on('disconnect', function () { for (var id in cluster.workers) cluster.workers[id].kill(); process.exit(0) })",
    '} else {',
    '  process.argv[2] = ' + JSON.stringify(file),
    '  process.send = process.send.bind(process)',
    '  require(' + JSON.stringify(appScript) + ')',
    '}'
  ].join('\n'))
  var primary = childProcess.fork(script, [], { env: Object.assign({}, process.env, { NO_DEPRECATION: 'express-session' }) })
  t.after(function () { primary.kill('SIGKILL') })
  var workers = await new Promise(function (resolve, reject) {
    primary.once('message', resolve)
    primary.once('exit', function (code) { reject(new Error('cluster exited with ' + code)) })
  })
  assert.notStrictEqual(workers[0].pid, workers[1].pid)
  var jar = (await get(workers[0].port, '/count')).cookie
  for (var i = 2; i <= 10; i++) {
    assert.strictEqual((await get(workers[i % 2].port, '/count', jar)).body, String(i))
  }
})

test('kill -9 of every process under load loses no acknowledged update, and the file checks ok', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var apps = [await startApp(t, file), await startApp(t, file)]
  var jars = []
  for (var u = 0; u < 8; u++) jars.push((await get(apps[u % 2].port, '/count')).cookie)
  var acknowledged = jars.map(function () { return 1 })
  var load = { running: true }
  // Eight users count as fast as they can, each on both processes in turn,
  // until the connection fails: the processes were killed.
  var loops = jars.map(function (jar, user) {
    return (async function () {
      for (var i = 0; load.running; i++) {
        var res = await get(apps[i % 2].port, '/count', jar).catch(function () { return null })
        if (!res) return
        if (res.status === 200) acknowledged[user] = Number(res.body)
      }
    })()
  })
  await sleep(1500)
  apps.forEach(function (app) { app.child.kill('SIGKILL') })
  load.running = false
  await Promise.all(loops)
  assert.ok(acknowledged.every(function (n) { return n > 5 }), 'the load ran: ' + acknowledged)

  assert.strictEqual(sqlite(file, 'PRAGMA integrity_check'), 'ok')
  var store = new SqliteStore({ path: file })
  t.after(function () { store.close() })
  for (var k = 0; k < jars.length; k++) {
    var id = decodeURIComponent(jars[k].split('=')[1]).slice(2).split('.')[0]
    var stored = await call(store, 'get', id)
    assert.ok(stored.n >= acknowledged[k], 'user ' + k + ': stored ' + stored.n + ', acknowledged ' + acknowledged[k])
  }
})

test('expired sessions are swept by one process at a time, and the file does not grow under churn', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var stores = [new SqliteStore({ path: file, checkPeriod: 50 }), new SqliteStore({ path: file, checkPeriod: 50 })]
  t.after(function () { stores.forEach(function (store) { store.close() }) })
  var sizes = []
  for (var round = 0; round < 8; round++) {
    for (var i = 0; i < 2000; i++) {
      await call(stores[i % 2], 'set', 'r' + round + '-' + i, sessionExpiringIn(100, { user: { id: i, name: 'user ' + i, roles: ['a', 'b'] } }))
    }
    await sleep(400)
    assert.strictEqual(sqlite(file, 'SELECT count(*) FROM sessions'), '0', 'round ' + round + ': every expired row was swept')
    sqlite(file, 'PRAGMA wal_checkpoint(TRUNCATE)')
    sizes.push(fs.statSync(file).size)
  }
  t.diagnostic('file sizes after each round: ' + sizes.join(', '))
  // A round's sessions alone fill most of the file: without reuse it
  // would grow by that much each round.
  assert.ok(sizes[7] <= sizes[1] * 1.15, 'freed pages are reused: ' + sizes.join(', '))
  var holders = sqlite(file, 'SELECT count(DISTINCT holder) FROM sweep_lease')
  assert.strictEqual(holders, '1')
})

function throwsNaming (options, pattern) {
  assert.throws(function () { return new SqliteStore(options) }, function (err) {
    assert.ok(err instanceof Error)
    assert.ok(err.message.indexOf(path.resolve(options.path)) !== -1, 'names the path: ' + err.message)
    assert.match(err.message, pattern)
    return true
  })
}

test('a file that is not a database, or a directory that does not exist, is an error naming the path', function (t) {
  var dir = tempDir(t)
  var notDb = path.join(dir, 'notes.txt')
  fs.writeFileSync(notDb, 'these are not sessions, and never were; '.repeat(200))
  throwsNaming({ path: notDb }, /not a database/)
  assert.match(fs.readFileSync(notDb, 'utf8'), /^these are not sessions/, 'the file is left as it was')
  throwsNaming({ path: path.join(dir, 'missing', 'sessions.db') }, /cannot create the database file/)
  assert.throws(function () { return new SqliteStore({}) }, /path must be the path of the database file/)
  assert.throws(function () { return new SqliteStore({ path: 'x.db', durability: 'fsync' }) }, /durability must be "normal" or "full"/)
})

test('a schema from a newer release is refused, and left alone', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var store = new SqliteStore({ path: file })
  await call(store, 'set', 'a', sessionExpiringIn(60000, { n: 1 }))
  store.close()
  sqlite(file, 'PRAGMA user_version = 99')
  throwsNaming({ path: file }, /schema version 99, newer than this release's 2/)
  assert.strictEqual(sqlite(file, 'SELECT count(*) FROM sessions'), '1')
})

test('a read-only file is an error naming the path', function (t) {
  var dir = tempDir(t)
  var file = path.join(dir, 'sessions.db')
  var store = new SqliteStore({ path: file })
  store.close()
  fs.chmodSync(file, 0o444)
  // Root writes any file whatever its mode: make it immutable instead.
  var asRoot = process.getuid && process.getuid() === 0
  if (asRoot) {
    var made = childProcess.spawnSync('chattr', ['+i', file], { encoding: 'utf8' })
    assert.strictEqual(made.status, 0, 'chattr +i (needed to make a file read-only for root): ' + made.stderr)
  }
  try {
    throwsNaming({ path: file }, /read-only/)
  } finally {
    if (asRoot) childProcess.spawnSync('chattr', ['-i', file])
  }
})

test('a full disk (maxBytes) fails the save through next(err) and leaves every other session', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var store = new SqliteStore({ path: file, maxBytes: 256 * 1024 })
  t.after(function () { store.close() })
  var server = support.createServer({ store: store, resave: false, saveUninitialized: false }, function (req, res) {
    req.session.blob = req.url === '/big' ? 'x'.repeat(400 * 1024) : 'small'
    res.end('saved')
  })
  var small = await request(server).get('/').expect(200, 'saved')
  var errors = []
  server.on('error', function (err) { errors.push(err) })
  await request(server).get('/big').expect(200)
  await sleep(20)
  assert.strictEqual(errors.length, 1)
  assert.ok(errors[0].message.indexOf(file) !== -1, errors[0].message)
  assert.match(errors[0].message, /full|maxBytes/)
  assert.strictEqual((await call(store, 'get', support.sid(small))).blob, 'small')
  assert.strictEqual(sqlite(file, 'PRAGMA integrity_check'), 'ok')
})

test('a lock held past busyTimeout is an error through next(err), not a stall', async function (t) {
  var file = path.join(tempDir(t), 'sessions.db')
  var store = new SqliteStore({ path: file, busyTimeout: 50 })
  t.after(function () { store.close() })
  var server = support.createServer({ store: store, resave: false, saveUninitialized: false }, function (req, res) {
    req.session.n = 1
    res.end('saved')
  })
  var errors = []
  server.on('error', function (err) { errors.push(err) })
  // Another client holds the write lock for a second.
  var holder = childProcess.spawn('python3', ['-c',
    'import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute("BEGIN IMMEDIATE"); print("held", flush=True); time.sleep(1.5); c.execute("COMMIT")',
    file])
  t.after(function () { holder.kill() })
  await new Promise(function (resolve) { holder.stdout.once('data', resolve) })
  var started = Date.now()
  await request(server).get('/').expect(200, 'saved')
  var took = Date.now() - started
  await sleep(20)
  assert.ok(took < 500, 'answered in ' + took + ' ms')
  assert.strictEqual(errors.length, 1)
  assert.ok(errors[0].message.indexOf(file) !== -1, errors[0].message)
  assert.match(errors[0].message, /locked|busy/)
  assert.match(errors[0].message, /busyTimeout/)
})
