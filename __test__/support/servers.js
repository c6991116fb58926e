'use strict'

// Real servers for the store-compatibility tests: Redis and PostgreSQL from
// Debian's packages, on 127.0.0.1 and free ports, with throwaway data, stopped
// afterwards. What is missing is installed with apt-get when running as root
// (as CI does); when a server cannot be had, start*() throws saying which.

var childProcess = require('child_process')
var fs = require('fs')
var net = require('net')
var os = require('os')
var path = require('path')

function which (command) {
  return childProcess.spawnSync('sh', ['-c', 'command -v ' + command], { encoding: 'utf8' }).stdout.trim()
}

function postgresBin () {
  var base = '/usr/lib/postgresql'
  if (!fs.existsSync(base)) return null
  var versions = fs.readdirSync(base).filter(function (v) { return fs.existsSync(path.join(base, v, 'bin', 'initdb')) })
  versions.sort(function (a, b) { return Number(b) - Number(a) })
  return versions.length ? path.join(base, versions[0], 'bin') : null
}

var aptUpdated = false

/** Installs Debian packages unless `present()` already holds. */
function ensureInstalled (what, present, packages) {
  if (present()) return
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(what + ' is not installed and this is not root: run apt-get install ' + packages.join(' '))
  }
  var env = Object.assign({}, process.env, { DEBIAN_FRONTEND: 'noninteractive' })
  if (!aptUpdated) {
    childProcess.spawnSync('apt-get', ['update'], { stdio: 'ignore', env: env, timeout: 300000 })
    aptUpdated = true
  }
  var result = childProcess.spawnSync('apt-get', ['install', '-y', '--no-install-recommends'].concat(packages), {
    encoding: 'utf8', env: env, timeout: 600000
  })
  if (!present()) {
    throw new Error('could not install ' + what + ' with apt-get (' + packages.join(' ') + '): ' +
      String(result.stderr || (result.error && result.error.message)).slice(-2000))
  }
}

function freePort () {
  return new Promise(function (resolve, reject) {
    var server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', function () {
      var port = server.address().port
      server.close(function () { resolve(port) })
    })
  })
}

function waitForPort (port, what, child, timeoutMs) {
  var deadline = Date.now() + timeoutMs
  return new Promise(function (resolve, reject) {
    function attempt () {
      if (child && child.exitCode !== null) return reject(new Error(what + ' exited with ' + child.exitCode))
      var socket = net.connect(port, '127.0.0.1')
      socket.once('connect', function () { socket.destroy(); resolve() })
      socket.once('error', function () {
        socket.destroy()
        if (Date.now() > deadline) return reject(new Error(what + ' did not listen on 127.0.0.1:' + port + ' within ' + timeoutMs + ' ms'))
        setTimeout(attempt, 100)
      })
    }
    attempt()
  })
}

/**
 * Starts redis-server without persistence; resolves with { port, stop(),
 * restart() }. restart() starts it again on the same port, empty.
 */
async function startRedis (extraArgs, chosenPort) {
  ensureInstalled('redis-server', function () { return Boolean(which('redis-server')) }, ['redis-server'])
  var port = chosenPort || await freePort()
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-redis-'))
  var child = null
  async function start () {
    child = childProcess.spawn(which('redis-server'), [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir
    ].concat(extraArgs || []), { stdio: 'ignore' })
    try {
      await waitForPort(port, 'redis-server', child, 15000)
    } catch (err) {
      child.kill('SIGKILL')
      throw err
    }
  }
  await start()
  return {
    port: port,
    restart: start,
    kill: function () { child.kill('SIGKILL') },
    stop: function () {
      child.kill('SIGKILL')
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
}

// A free port whose cluster bus port (10000 above) is free too.
async function freeClusterPort () {
  for (;;) {
    var port = await freePort()
    if (port + 10000 > 65535) continue
    var bus = await new Promise(function (resolve) {
      var server = net.createServer()
      server.once('error', function () { resolve(false) })
      server.listen(port + 10000, '127.0.0.1', function () { server.close(function () { resolve(true) }) })
    })
    if (bus) return port
  }
}

/**
 * Starts a Redis Cluster of three masters on 127.0.0.1 (redis-cli --cluster
 * create); resolves with { ports, stop() } once every slot is served.
 */
async function startRedisCluster () {
  ensureInstalled('redis-server', function () { return Boolean(which('redis-server')) && Boolean(which('redis-cli')) }, ['redis-server', 'redis-tools'])
  var nodes = []
  try {
    for (var i = 0; i < 3; i++) {
      nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000'], await freeClusterPort()))
    }
    var ports = nodes.map(function (node) { return node.port })
    var created = childProcess.spawnSync(which('redis-cli'), ['--cluster', 'create'].concat(ports.map(function (port) {
      return '127.0.0.1:' + port
    }), ['--cluster-replicas', '0', '--cluster-yes']), { encoding: 'utf8', timeout: 60000 })
    if (created.status !== 0) throw new Error('redis-cli --cluster create failed: ' + String(created.stdout + created.stderr).slice(-2000))
    var deadline = Date.now() + 30000
    while (!ports.every(clusterIsOk)) {
      if (Date.now() > deadline) throw new Error('the Redis Cluster on ' + ports.join(', ') + ' did not become ok within 30 s')
      await new Promise(function (resolve) { setTimeout(resolve, 200) })
    }
    return {
      ports: ports,
      stop: function () { nodes.forEach(function (node) { node.stop() }) }
    }
  } catch (err) {
    nodes.forEach(function (node) { node.stop() })
    throw err
  }
}

function clusterIsOk (port) {
  var info = childProcess.spawnSync(which('redis-cli'), ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8', timeout: 10000 })
  return /cluster_state:ok/.test(info.stdout || '')
}

/**
 * A connected client of `kind` ('redis', 'redis4', 'ioredis', 'ioredis6';
 * '-cluster' after any of them for a cluster client) on 127.0.0.1 `ports`
 * (one port, or a cluster's); resolves with { client, close() }.
 */
async function connectRedis (kind, ports) {
  var cluster = /-cluster$/.test(kind)
  var module = require(kind.replace(/-cluster$/, ''))
  var client
  if (/^ioredis/.test(kind)) {
    var IORedis = module
    var nodes = ports.map(function (port) { return { host: '127.0.0.1', port: port } })
    client = cluster ? new IORedis.Cluster(nodes) : new IORedis(nodes[0])
    await new Promise(function (resolve, reject) {
      client.once('ready', resolve)
      client.once('error', reject)
    })
    return { client: client, close: function () { client.disconnect() } }
  }
  client = cluster
    ? module.createCluster({ rootNodes: ports.map(function (port) { return { url: 'redis://127.0.0.1:' + port } }) })
    : module.createClient({ url: 'redis://127.0.0.1:' + ports[0] })
  // Reconnection errors are reported here; the store reports them per request.
  client.on('error', function () {})
  await client.connect()
  return {
    client: client,
    close: function () {
      if (typeof client.destroy === 'function') return client.destroy()
      return client.disconnect()
    }
  }
}

/** Starts a throwaway PostgreSQL cluster; resolves with { port, stop() }. */
async function startPostgres () {
  ensureInstalled('PostgreSQL', function () { return Boolean(postgresBin()) }, ['postgresql'])
  var bin = postgresBin()
  var port = await freePort()
  var dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esrs-pg-'))
  var data = path.join(dir, 'data')
  // initdb refuses to run as root: run the cluster as the postgres user then.
  var asRoot = process.getuid && process.getuid() === 0
  function run (program, args) {
    var command = asRoot ? 'runuser' : path.join(bin, program)
    var argv = asRoot ? ['-u', 'postgres', '--', path.join(bin, program)].concat(args) : args
    var result = childProcess.spawnSync(command, argv, { encoding: 'utf8', timeout: 120000, cwd: dir })
    if (result.status !== 0) {
      throw new Error('PostgreSQL ' + program + ' failed: ' + String(result.stderr || (result.error && result.error.message)).slice(-2000))
    }
  }
  if (asRoot) childProcess.spawnSync('chown', ['postgres', dir])
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  run('pg_ctl', ['-D', data, '-w', '-t', '60', '-l', path.join(dir, 'log'), '-o',
    '-p ' + port + ' -k ' + dir + ' -h 127.0.0.1 -F', 'start'])
  await waitForPort(port, 'PostgreSQL', null, 15000)
  return {
    port: port,
    stop: function () {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop'])
      } finally {
        fs.rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}

/**
 * Runs `fn(client)` with a connected redis client on a fresh redis-server,
 * then closes the client and stops the server.
 */
async function withRedis (fn) {
  var redis = await startRedis()
  var client = require('redis').createClient({ url: 'redis://127.0.0.1:' + redis.port })
  try {
    await client.connect()
    await fn(client)
  } finally {
    if (client.isOpen) await client.quit()
    redis.stop()
  }
}

/**
 * Runs `fn(pool)` with a pg pool on a fresh PostgreSQL cluster, then ends
 * the pool and stops the cluster.
 */
async function withPostgres (fn) {
  var postgres = await startPostgres()
  var pool = new (require('pg').Pool)({ host: '127.0.0.1', port: postgres.port, user: 'postgres', database: 'postgres' })
  try {
    await fn(pool)
  } finally {
    await pool.end()
    postgres.stop()
  }
}

module.exports.startPostgres = startPostgres
module.exports.connectRedis = connectRedis
module.exports.startRedis = startRedis
module.exports.startRedisCluster = startRedisCluster
module.exports.withPostgres = withPostgres
module.exports.withRedis = withRedis
