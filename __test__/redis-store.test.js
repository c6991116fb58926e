'use strict'

// RedisStore on real redis-servers from Debian's packages, on 127.0.0.1: a
// standalone server and a Redis Cluster of three masters, with node-redis
// (v4, v5, v6) and ioredis (v5, v6). The store API and its key layout, TTLs,
// the middleware on it, atomic merge and logout across two app processes,
// sessions connect-redis wrote, an outage and the recovery, and faults.
// What Redis holds is read with redis-cli, not through the store.

var assert = require('assert')
var childProcess = require('child_process')
var path = require('path')
var test = require('node:test')
var appProcesses = require('./support/app-processes')
var servers = require('./support/servers')
var support = require('./support/server')
var storeCalls = require('./support/store-calls')

var session = support.session
var RedisStore = session.RedisStore
var get = appProcesses.get
var sessionCookie = support.sessionCookie
var call = storeCalls.call
var sessionExpiringIn = storeCalls.sessionExpiringIn
var appScript = path.join(__dirname, 'support', 'redis-app.js')

var standalone
var cluster

test.before(async function () {
  standalone = await servers.startRedis()
  cluster = await servers.startRedisCluster()
})

test.after(function () {
  if (standalone) standalone.stop()
  if (cluster) cluster.stop()
})

// A redis-cli command on the server (or the cluster) at `port`; its output
// lines.
function cli (port, args) {
  var result = childProcess.spawnSync('redis-cli', ['-c', '-p', String(port)].concat(args), { encoding: 'utf8', timeout: 10000 })
  assert.strictEqual(result.status, 0, result.stderr)
  var out = result.stdout.replace(/\n$/, '')
  return out === '' ? [] : out.split('\n')
}

async function withClient (kind, ports, fn) {
  var connected = await servers.connectRedis(kind, ports)
  try {
    await fn(connected.client)
  } finally {
    await connected.close()
  }
}

// The store API on `store`, whose keys redis-cli reads on `port`.
async function storeApi (store, port) {
  var prefix = store.prefix
  await call(store, 'set', 'a', sessionExpiringIn(60000, { user: { name: 'ann', tags: [] }, n: 0.1 + 0.2 }))
  await call(store, 'set', 'b', sessionExpiringIn(60000, { user: 'bob', gone: undefined }))
  var a = await call(store, 'get', 'a')
  assert.deepStrictEqual(a.user, { name: 'ann', tags: [] })
  assert.strictEqual(a.n, 0.1 + 0.2, 'every digit kept')
  assert.strictEqual(a.cookie.originalMaxAge, 60000)
  // Cookie first; the other keys in the hash's order, which Redis does not
  // keep once a hash outgrows its compact encoding.
  assert.strictEqual(Object.keys(a)[0], 'cookie')
  assert.deepStrictEqual(Object.keys(a).sort(), ['cookie', 'n', 'user'])
  assert.strictEqual(await call(store, 'get', 'missing'), undefined)

  // One hash per session, a field per key holding its JSON, the cookie apart.
  var fields = cli(port, ['HGETALL', prefix + '{a}'])
  var hash = {}
  for (var i = 0; i < fields.length; i += 2) hash[fields[i]] = fields[i + 1]
  assert.deepStrictEqual(Object.keys(hash).sort(), ['cookie', 'n', 'user'])
  assert.strictEqual(hash.user, '{"name":"ann","tags":[]}')
  assert.strictEqual(hash.n, '0.30000000000000004')
  assert.strictEqual(JSON.parse(hash.cookie).originalMaxAge, 60000)
  assert.deepStrictEqual(cli(port, ['HKEYS', prefix + '{b}']).sort(), ['cookie', 'user'])
  var pttl = Number(cli(port, ['PTTL', prefix + '{a}'])[0])
  assert.ok(pttl > 55000 && pttl <= 60000, 'TTL until the cookie expires: ' + pttl)

  // A save replaces the whole hash.
  await call(store, 'set', 'a', sessionExpiringIn(120000, { other: 1 }))
  assert.deepStrictEqual(cli(port, ['HKEYS', prefix + '{a}']).sort(), ['cookie', 'other'])

  // A touch renews the TTL and leaves the fields alone.
  await call(store, 'set', 'c', sessionExpiringIn(5000, { user: 'cat' }))
  await call(store, 'touch', 'c', sessionExpiringIn(90000, { ignored: true }))
  pttl = Number(cli(port, ['PTTL', prefix + '{c}'])[0])
  assert.ok(pttl > 85000 && pttl <= 90000, 'touched TTL: ' + pttl)
  assert.strictEqual((await call(store, 'get', 'c')).ignored, undefined)
  await call(store, 'touch', 'nobody', sessionExpiringIn(60000))
  assert.strictEqual(await call(store, 'get', 'nobody'), undefined, 'a touch creates nothing')

  // An expired cookie leaves nothing behind.
  await call(store, 'set', 'old', sessionExpiringIn(-1000, { user: 'old' }))
  assert.strictEqual(cli(port, ['EXISTS', prefix + '{old}'])[0], '0')

  assert.strictEqual(await call(store, 'length'), 3)
  assert.deepStrictEqual((await call(store, 'ids')).sort(), ['a', 'b', 'c'])
  var all = await call(store, 'all')
  assert.deepStrictEqual(Object.keys(all).sort(), ['a', 'b', 'c'])
  assert.strictEqual(all.b.user, 'bob')

  await call(store, 'destroy', 'a')
  assert.strictEqual(await call(store, 'get', 'a'), undefined)
  assert.strictEqual(cli(port, ['EXISTS', prefix + '{a}'])[0], '0')
  await call(store, 'clear')
  assert.strictEqual(await call(store, 'length'), 0)
}

;['redis', 'redis5', 'redis4', 'ioredis', 'ioredis6'].forEach(function (kind) {
  test('the store API and its layout with ' + kind + ' on a standalone server', function () {
    return withClient(kind, [standalone.port], function (client) {
      return storeApi(new RedisStore({ client: client, prefix: kind + ':' }), standalone.port)
    })
  })
})

;['redis-cluster', 'redis5-cluster', 'redis4-cluster', 'ioredis-cluster', 'ioredis6-cluster'].forEach(function (kind) {
  test('the store API with ' + kind + ' on a 3-master cluster, and every master scanned', function () {
    return withClient(kind, cluster.ports, async function (client) {
      var store = new RedisStore({ client: client, prefix: kind + ':' })
      await storeApi(store, cluster.ports[0])
      var ids = []
      for (var i = 0; i < 60; i++) {
        ids.push('s' + i)
        await call(store, 'set', 's' + i, sessionExpiringIn(60000, { i: i }))
      }
      var holding = cluster.ports.filter(function (port) {
        return Number(cli(port, ['DBSIZE'])[0]) > 0
      })
      assert.strictEqual(holding.length, 3, 'sessions on every master')
      assert.deepStrictEqual((await call(store, 'ids')).sort(), ids.slice().sort())
      assert.strictEqual(Object.keys(await call(store, 'all')).length, 60)
      await call(store, 'clear')
      assert.strictEqual(await call(store, 'length'), 0)
    })
  })
})

test('TTLs: the ttl option (seconds, or a function) for cookies without an expiry', function () {
  return withClient('redis', [standalone.port], async function (client) {
    var fixed = new RedisStore({ client: client, prefix: 'ttl1:', ttl: 30 })
    await call(fixed, 'set', 'x', { cookie: { originalMaxAge: null, expires: null, path: '/' }, n: 1 })
    var pttl = Number(cli(standalone.port, ['PTTL', 'ttl1:{x}'])[0])
    assert.ok(pttl > 25000 && pttl <= 30000, 'ttl 30 s: ' + pttl)

    var byDefault = new RedisStore({ client: client, prefix: 'ttl2:' })
    await call(byDefault, 'set', 'x', { cookie: { originalMaxAge: null, expires: null, path: '/' } })
    pttl = Number(cli(standalone.port, ['PTTL', 'ttl2:{x}'])[0])
    assert.ok(pttl > 86395000 && pttl <= 86400000, 'one day: ' + pttl)

    var seen = null
    var computed = new RedisStore({ client: client, prefix: 'ttl3:', ttl: function (sess) { seen = sess; return 7 } })
    await call(computed, 'set', 'x', { cookie: { originalMaxAge: null, expires: null, path: '/' }, n: 3 })
    assert.strictEqual(seen.n, 3)
    pttl = Number(cli(standalone.port, ['PTTL', 'ttl3:{x}'])[0])
    assert.ok(pttl > 2000 && pttl <= 7000, 'ttl function 7 s: ' + pttl)

    // A cookie's expiry wins over ttl: the key never outlives the cookie.
    await call(fixed, 'set', 'y', sessionExpiringIn(4000))
    pttl = Number(cli(standalone.port, ['PTTL', 'ttl1:{y}'])[0])
    assert.ok(pttl > 0 && pttl <= 4000, 'the cookie expiry: ' + pttl)

    var broken = new RedisStore({ client: client, prefix: 'ttl4:', ttl: function () { return 'soon' } })
    await assert.rejects(call(broken, 'set', 'x', { cookie: { path: '/' } }), /ttl must give a non-negative number of seconds/)
    assert.throws(function () { return new RedisStore({ client: client, disableTTL: true }) }, /disableTTL is not supported/)
    assert.throws(function () { return new RedisStore({ client: {} }) }, /option client must be a node-redis client/)
  })
})

test('the middleware on a RedisStore: sessions, touch renews the TTL, logout', function () {
  return withClient('redis', [standalone.port], async function (client) {
    var store = new RedisStore({ client: client, prefix: 'mw:' })
    var server = support.createServer({ store: store, resave: false, saveUninitialized: false, cookie: { maxAge: 60000 } }, function (req, res) {
      if (req.url === '/logout') return req.session.destroy(function () { res.end('out') })
      if (req.url === '/count') req.session.n = (req.session.n || 0) + 1
      res.end(String(req.session.n))
    })
    await new Promise(function (resolve) { server.listen(0, '127.0.0.1', resolve) })
    try {
      var port = server.address().port
      var first = await get(port, '/count')
      assert.strictEqual(first.body, '1')
      assert.ok(first.setCookie, 'a new session gets a cookie')
      assert.strictEqual((await get(port, '/count', first.cookie)).body, '2')
      var sid = decodeURIComponent(first.cookie.split('=')[1]).slice(2).split('.')[0]
      // Within a second of the save, a touch would move the expiry by less
      // than a second: it is not sent (the TTL set here stays).
      cli(standalone.port, ['PEXPIRE', 'mw:{' + sid + '}', '10000'])
      var unmodified = await get(port, '/', first.cookie)
      assert.strictEqual(unmodified.body, '2')
      assert.strictEqual(unmodified.setCookie, undefined)
      var pttl = Number(cli(standalone.port, ['PTTL', 'mw:{' + sid + '}'])[0])
      assert.ok(pttl <= 10000, 'no touch within a second: ' + pttl)
      await new Promise(function (resolve) { setTimeout(resolve, 1100) })
      await get(port, '/', first.cookie)
      pttl = Number(cli(standalone.port, ['PTTL', 'mw:{' + sid + '}'])[0])
      assert.ok(pttl > 55000, 'an unmodified session is touched a second later: ' + pttl)
      assert.strictEqual((await get(port, '/logout', first.cookie)).body, 'out')
      assert.strictEqual(cli(standalone.port, ['EXISTS', 'mw:{' + sid + '}'])[0], '0')
      assert.strictEqual((await get(port, '/', first.cookie)).body, 'undefined')
    } finally {
      server.close()
    }
  })
})

// Two app processes, on the clients `kinds`, sharing Redis at `ports`.
async function twoApps (t, kinds, ports, concurrency, prefix) {
  var a = await appProcesses.forkApp(t, appScript, [kinds[0], ports.join(','), concurrency, prefix])
  var b = await appProcesses.forkApp(t, appScript, [kinds[1], ports.join(','), concurrency, prefix])
  return [a, b]
}

async function mergeAcrossProcesses (t, kinds, ports, prefix) {
  var apps = await twoApps(t, kinds, ports, 'merge', prefix)
  for (var round = 0; round < 5; round++) {
    var jar = (await get(apps[0].port, '/set?round=' + round)).cookie
    var requests = []
    for (var i = 0; i < 20; i++) {
      requests.push(get(apps[i % 2].port, '/slow?ms=' + (i % 5) * 10 + '&k' + i + '=' + i, jar))
    }
    var answers = await Promise.all(requests)
    answers.forEach(function (answer) { assert.strictEqual(answer.status, 200, answer.body) })
    var kept = JSON.parse((await get(apps[1].port, '/get', jar)).body)
    assert.strictEqual(kept.round, String(round))
    for (var k = 0; k < 20; k++) assert.strictEqual(kept['k' + k], String(k), 'round ' + round + ' kept k' + k)
  }
}

async function logoutAcrossProcesses (t, kinds, ports, prefix) {
  var apps = await twoApps(t, kinds, ports, 'merge', prefix)
  var jar = (await get(apps[0].port, '/set?user=ann')).cookie
  var sid = decodeURIComponent(jar.split('=')[1]).slice(2).split('.')[0]
  var slow = get(apps[0].port, '/slow?ms=300&cart=full', jar)
  await new Promise(function (resolve) { setTimeout(resolve, 100) })
  assert.strictEqual((await get(apps[1].port, '/logout', jar)).body, 'out')
  var ended = await slow
  assert.strictEqual(ended.status, 200)
  assert.strictEqual(ended.setCookie, undefined, 'a session gone from the store gets no Set-Cookie')
  assert.strictEqual(cli(ports[0], ['EXISTS', prefix + '{' + sid + '}'])[0], '0', 'not written back')
  assert.strictEqual(JSON.parse((await get(apps[1].port, '/get', jar)).body).user, undefined, 'still logged out')
}

test("concurrency: 'merge' keeps every key of parallel requests over two processes (node-redis and ioredis)", function (t) {
  return mergeAcrossProcesses(t, ['redis', 'ioredis'], [standalone.port], 'merge1:')
})

test("concurrency: 'merge' keeps every key across two processes on the cluster", function (t) {
  return mergeAcrossProcesses(t, ['redis-cluster', 'ioredis-cluster'], cluster.ports, 'merge2:')
})

test('a logout in one process stays a logout against a slow request in the other', function (t) {
  return logoutAcrossProcesses(t, ['ioredis', 'redis'], [standalone.port], 'logout1:')
})

test('a logout stays a logout across processes on the cluster', function (t) {
  return logoutAcrossProcesses(t, ['ioredis-cluster', 'redis-cluster'], cluster.ports, 'logout2:')
})

test('sessions connect-redis wrote are read, and become hashes when saved', function () {
  return withClient('redis', [standalone.port], async function (client) {
    var ConnectRedis = require('connect-redis').RedisStore
    var old = new ConnectRedis({ client: client, prefix: 'cr:' })
    var secret = 'migrate'
    await old.set('overwritten', sessionExpiringIn(60000, { user: 'ann', n: 1 }))
    await old.set('merged', sessionExpiringIn(60000, { user: 'bob', n: 1 }))
    await old.set('idle', sessionExpiringIn(60000, { user: 'cat' }))
    await old.set('out', sessionExpiringIn(60000, { user: 'dan' }))
    var store = new RedisStore({ client: client, prefix: 'cr:' })

    async function app (concurrency, fn) {
      var server = support.createServer({ store: store, secret: secret, resave: false, saveUninitialized: false, concurrency: concurrency }, function (req, res) {
        if (req.url === '/logout') return req.session.destroy(function () { res.end('out') })
        if (req.url === '/count') req.session.n += 1
        res.end(JSON.stringify(req.session))
      })
      await new Promise(function (resolve) { server.listen(0, '127.0.0.1', resolve) })
      try {
        await fn(server.address().port)
      } finally {
        server.close()
      }
    }

    await app('overwrite', async function (port) {
      cli(standalone.port, ['PEXPIRE', 'cr:idle', '10000'])
      assert.strictEqual(JSON.parse((await get(port, '/', sessionCookie('idle', secret))).body).user, 'cat')
      assert.ok(Number(cli(standalone.port, ['PTTL', 'cr:idle'])[0]) > 55000, 'an unmodified one is touched where it is')
      var counted = JSON.parse((await get(port, '/count', sessionCookie('overwritten', secret))).body)
      assert.strictEqual(counted.n, 2)
      assert.strictEqual(cli(standalone.port, ['TYPE', 'cr:{overwritten}'])[0], 'hash')
      assert.strictEqual(cli(standalone.port, ['EXISTS', 'cr:overwritten'])[0], '0', 'the old key goes')
      assert.strictEqual(JSON.parse((await get(port, '/', sessionCookie('overwritten', secret))).body).n, 2)
      assert.strictEqual((await get(port, '/logout', sessionCookie('out', secret))).body, 'out')
      assert.strictEqual(cli(standalone.port, ['EXISTS', 'cr:out'])[0], '0', 'logout removes the old key')
    })
    await app('merge', async function (port) {
      var merged = JSON.parse((await get(port, '/count', sessionCookie('merged', secret))).body)
      assert.strictEqual(merged.n, 2)
      assert.strictEqual(cli(standalone.port, ['HGET', 'cr:{merged}', 'user'])[0], '"bob"')
      assert.strictEqual(cli(standalone.port, ['EXISTS', 'cr:merged'])[0], '0')
      assert.deepStrictEqual((await call(store, 'ids')).sort(), ['idle', 'merged', 'overwritten'])
    })
  })
})

;['redis', 'ioredis'].forEach(function (kind) {
  test('with ' + kind + ', an outage gets each request an error within 2 s, and service comes back by itself', async function () {
    var redis = await servers.startRedis()
    var connected = await servers.connectRedis(kind, [redis.port])
    var errors = []
    var server = support.createServer({ store: new RedisStore({ client: connected.client, prefix: 'down:' }), resave: false, saveUninitialized: false }, function (req, res) {
      req.session.n = (req.session.n || 0) + 1
      res.end(String(req.session.n))
    })
    server.on('error', function (err) { errors.push(err) })
    await new Promise(function (resolve) { server.listen(0, '127.0.0.1', resolve) })
    try {
      var port = server.address().port
      var jar = (await get(port, '/')).cookie
      assert.strictEqual((await get(port, '/', jar)).body, '2')
      redis.kill()
      for (var i = 0; i < 3; i++) {
        var started = Date.now()
        var failed = await get(port, '/', jar)
        var took = Date.now() - started
        assert.strictEqual(failed.status, 500)
        assert.ok(took <= 2500, 'answered in ' + took + ' ms')
      }
      await redis.restart()
      // Probe with the cookie: its session is read before the response
      // starts, so a 200 means Redis answered. A new visitor's response
      // starts before its save, and can be a 200 while Redis is still down.
      var deadline = Date.now() + 15000
      var answer
      do {
        await new Promise(function (resolve) { setTimeout(resolve, 200) })
        answer = await get(port, '/', jar)
      } while (answer.status !== 200 && Date.now() < deadline)
      assert.strictEqual(answer.status, 200, 'served again after the restart: ' + answer.body)
      assert.strictEqual(answer.body, '1', 'the restarted server is empty: a new session')
      assert.notStrictEqual(answer.cookie, jar)
      assert.strictEqual((await get(port, '/', answer.cookie)).body, '2')
      assert.deepStrictEqual(errors, [])
    } finally {
      server.close()
      await connected.close()
      redis.stop()
    }
  })
})

test('faults: a wrong-type key, a field that is not JSON, an ID Redis cannot carry; nothing else lost', function () {
  return withClient('ioredis', [standalone.port], async function (client) {
    var store = new RedisStore({ client: client, prefix: 'bad:' })
    await call(store, 'set', 'fine', sessionExpiringIn(60000, { user: 'ann' }))
    cli(standalone.port, ['SET', 'bad:{string}', 'x'])
    await assert.rejects(call(store, 'get', 'string'), /WRONGTYPE/)
    cli(standalone.port, ['HSET', 'bad:{broken}', 'cookie', '{}', 'user', '{not json'])
    await assert.rejects(call(store, 'get', 'broken'), /the stored session field "user" is not JSON/)
    await assert.rejects(call(store, 'set', 'x\ud800', sessionExpiringIn(60000)), /well-formed Unicode/)
    assert.strictEqual((await call(store, 'get', 'fine')).user, 'ann')

    var server = support.createServer({ store: store, resave: false, saveUninitialized: false }, function (req, res) {
      res.end(String(req.session.user))
    })
    await new Promise(function (resolve) { server.listen(0, '127.0.0.1', resolve) })
    try {
      var port = server.address().port
      var failed = await get(port, '/', sessionCookie('broken', 'keyboard cat'))
      assert.strictEqual(failed.status, 500)
      assert.match(failed.body, /not JSON/)
      assert.strictEqual((await get(port, '/', sessionCookie('fine', 'keyboard cat'))).body, 'ann')
    } finally {
      server.close()
    }
  })
})
