'use strict'

// The RedisStore's view of the Redis client the app brings: node-redis
// (v4 to v6, createClient() or createCluster()) or ioredis (v5, v6, Redis
// or Cluster). Every command is sent as a raw argument list, so neither
// client's command helpers, reply transforms or options (RESP3 included)
// change what comes back beyond the shapes read here, and every command
// fails after `timeout` ms instead of waiting for a Redis that is down.
// Replies reach callbacks: one promise reaction per command, no more.

/**
 * Wraps `client`; throws a TypeError when it is neither client.
 */
function RedisClient (client, timeout) {
  if (client && typeof client.call === 'function' && typeof client.status === 'string') {
    this.kind = client.isCluster ? 'ioredis-cluster' : 'ioredis'
  } else if (client && typeof client.sendCommand === 'function' && 'masters' in client && typeof client.nodeClient === 'function') {
    this.kind = 'node-redis-cluster'
  } else if (client && typeof client.sendCommand === 'function' && 'isOpen' in client) {
    this.kind = 'node-redis'
  } else {
    throw new TypeError('RedisStore option client must be a node-redis client or cluster (createClient(), createCluster()) or an ioredis Redis or Cluster')
  }
  this.client = client
  this.timeout = timeout
  // Commands waiting for a reply, and the timer that fails them in time.
  this.waiting = new Set()
  this.checker = null
}

/**
 * Sends `args` (strings), a command on `key`, to the node holding `key`;
 * calls `done(err, reply)` once, from a promise reaction.
 */
RedisClient.prototype.command = function command (key, args, done) {
  this.track(send(this.kind, this.client, key, args), args[0], done)
}

/**
 * One function per master node (one in all for a single server), which
 * sends it a keyless command as command() does; passed to `done(err,
 * list)`.
 */
RedisClient.prototype.masters = function masters (done) {
  var client = this.client
  var kind = this.kind
  var self = this
  var nodes
  if (kind === 'ioredis-cluster') {
    nodes = Promise.resolve(client.nodes('master'))
  } else if (kind === 'node-redis-cluster') {
    nodes = Promise.all(client.masters.map(function (master) { return client.nodeClient(master) }))
  } else {
    nodes = Promise.resolve([client])
  }
  var nodeKind = kind === 'ioredis-cluster' ? 'ioredis' : kind === 'node-redis-cluster' ? 'node-redis' : kind
  nodes.then(function (list) {
    done(null, list.map(function (node) {
      return function commandOnNode (args, answer) {
        self.track(send(nodeKind, node, undefined, args), args[0], answer)
      }
    }))
  }, done)
}

// Calls `done` with what `pending` settles to, or with an error once it
// has waited `timeout` ms. Waiting commands are checked by one timer, ten
// times per timeout, and fail when they would have waited past the timeout
// by the next check: a command fails after 0.9 to 1 times the timeout.
RedisClient.prototype.track = function track (pending, name, done) {
  var waiting = null
  if (this.timeout > 0) {
    waiting = new Waiting(name, done, Date.now() + this.timeout * 0.9)
    this.waiting.add(waiting)
    if (this.checker === null) this.startChecks()
  }
  var self = this
  pending.then(function (reply) {
    if (waiting !== null && !self.waiting.delete(waiting)) return
    done(null, reply)
  }, function (err) {
    if (waiting !== null && !self.waiting.delete(waiting)) return
    done(err || new Error('RedisStore: ' + name + ' failed'))
  })
}

RedisClient.prototype.startChecks = function startChecks () {
  var self = this
  this.checker = setInterval(function () {
    if (self.waiting.size === 0) {
      clearInterval(self.checker)
      self.checker = null
      return
    }
    var now = Date.now()
    self.waiting.forEach(function (waiting) {
      if (waiting.failsAt > now) return
      self.waiting.delete(waiting)
      waiting.done(new Error('RedisStore: Redis did not answer ' + waiting.name + ' within ' + self.timeout + ' ms'))
    })
  }, this.timeout / 10)
  this.checker.unref()
}

function Waiting (name, done, failsAt) {
  this.name = name
  this.done = done
  this.failsAt = failsAt
}

function send (kind, client, key, args) {
  try {
    return sendNow(kind, client, key, args)
  } catch (err) {
    return Promise.reject(err)
  }
}

function sendNow (kind, client, key, args) {
  switch (kind) {
    case 'ioredis':
    case 'ioredis-cluster':
      return client.call.apply(client, args)
    case 'node-redis-cluster':
      return client.sendCommand(key, false, args)
    default:
      return client.sendCommand(args)
  }
}

/**
 * A hash reply as a flat list of field and value pairs: RESP2 gives that
 * list, RESP3 a Map or a plain object.
 */
function pairs (reply) {
  if (Array.isArray(reply)) return reply
  var list = []
  if (reply instanceof Map) {
    reply.forEach(function (value, field) { list.push(String(field), value) })
    return list
  }
  if (reply !== null && typeof reply === 'object') {
    Object.keys(reply).forEach(function (field) { list.push(field, reply[field]) })
    return list
  }
  throw new TypeError('RedisStore: unreadable hash reply from Redis: ' + typeof reply)
}

module.exports = RedisClient
module.exports.pairs = pairs
