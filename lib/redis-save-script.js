'use strict'

// The RedisStore's one save: a Lua script, so that checking the session and
// writing it are one atomic step on the Redis server, for every client of
// every process. It never parses JSON (Redis's cjson keeps 14 digits and
// turns [] into {}): each field's JSON is written as the client sent it.
//
// KEYS[1]: the session's hash. ARGV: the mode, the TTL in ms (PEXPIRE:
// none at or below 0, which deletes the key), the number n of fields to
// set, n field and value pairs, then the fields to delete.
// - replace: the hash becomes exactly these fields (store.set()); a hash
//   already there is written over in place, its other fields deleted.
// - merge: only when the hash exists; it keeps the fields not named.
// - create: only when the key does not exist.
// Returns 1 when written, 0 when the check failed (nothing written).

var crypto = require('crypto')

var SCRIPT = [
  'local key = KEYS[1]',
  'local mode = ARGV[1]',
  "local kind = redis.call('TYPE', key).ok",
  "if mode == 'merge' then",
  "  if kind == 'none' then return 0 end",
  "  if kind ~= 'hash' then return redis.error_reply('WRONGTYPE session key holds a ' .. kind .. ', not a hash') end",
  "elseif mode == 'create' then",
  "  if kind ~= 'none' then return 0 end",
  "elseif kind ~= 'none' and kind ~= 'hash' then",
  "  redis.call('DEL', key)",
  'end',
  // unpack() is bounded by Lua's stack: fields go in slices.
  'local first = 4',
  'local last = 3 + 2 * tonumber(ARGV[3])',
  'while first <= last do',
  '  local stop = math.min(first + 999, last)',
  "  redis.call('HSET', key, unpack(ARGV, first, stop))",
  '  first = stop + 1',
  'end',
  // A replaced hash is written over in place; fields it had beyond the
  // new ones (HLEN tells) are deleted with the fields named.
  'local stale = {}',
  "if mode == 'replace' and kind == 'hash' and redis.call('HLEN', key) > tonumber(ARGV[3]) then",
  '  local keep = {}',
  '  for i = 4, last, 2 do keep[ARGV[i]] = true end',
  "  for _, field in ipairs(redis.call('HKEYS', key)) do",
  '    if not keep[field] then stale[#stale + 1] = field end',
  '  end',
  'end',
  'for i = last + 1, #ARGV do stale[#stale + 1] = ARGV[i] end',
  'first = 1',
  'while first <= #stale do',
  '  local stop = math.min(first + 999, #stale)',
  "  redis.call('HDEL', key, unpack(stale, first, stop))",
  '  first = stop + 1',
  'end',
  "redis.call('PEXPIRE', key, ARGV[2])",
  'return 1'
].join('\n')

var SHA = crypto.createHash('sha1').update(SCRIPT).digest('hex')

/**
 * Runs the save script on `key` through `redis` (a RedisClient), in `mode`
 * with the TTL `ttl` (ms), the field and value list `set` and the fields
 * `deleted`: EVALSHA, and EVAL when the server does not have the script
 * yet (a restarted server, a new node of a cluster). Calls `done(err,
 * written)`.
 */
function runSave (redis, key, mode, ttl, set, deleted, done) {
  var args = ['EVALSHA', SHA, '1', key, mode, String(ttl), String(set.length / 2)]
  var i
  for (i = 0; i < set.length; i++) args.push(set[i])
  for (i = 0; i < deleted.length; i++) args.push(deleted[i])
  redis.command(key, args, function (err, reply) {
    if (err && /^NOSCRIPT/.test(err.message)) {
      args[0] = 'EVAL'
      args[1] = SCRIPT
      redis.command(key, args, function (err, reply) {
        answer(err, reply, done)
      })
      return
    }
    answer(err, reply, done)
  })
}

function answer (err, reply, done) {
  if (err) return done(err, false)
  var written = Number(reply)
  if (written !== 0 && written !== 1) return done(new Error('RedisStore: unreadable reply from the save script: ' + String(reply)), false)
  done(null, written === 1)
}

module.exports = runSave
