'use strict'

// What a request changed in a session it loaded, for concurrency: 'merge'
// (see merge-save.js): the top-level keys whose JSON differs between the
// session's dataJson() when loaded and now (so in-place changes of nested
// objects count), and the keys it deleted. Stores apply them to their
// current version of the session: whole-JSON stores through applyTo(),
// stores that keep each key apart (the RedisStore) through fields().

var hasOwn = Object.prototype.hasOwnProperty

/**
 * The changes between the data JSON `loadedJson` and `nowJson`.
 */
function SessionChanges (loadedJson, nowJson) {
  this.loadedJson = loadedJson
  this.nowJson = nowJson
}

/**
 * The data JSON `storedJson` with these changes applied. When nobody
 * changed the session meanwhile, the JSON now, as it is.
 */
SessionChanges.prototype.applyTo = function applyTo (storedJson) {
  if (storedJson === this.loadedJson) return this.nowJson
  return JSON.stringify(this.applyToObject(JSON.parse(storedJson)))
}

/**
 * The parsed session `current` with these changes applied.
 */
SessionChanges.prototype.applyToObject = function applyToObject (current) {
  var fields = this.fields()
  var set = fields.set
  for (var i = 0; i < set.length; i += 2) {
    // defineProperty: a key named __proto__ stays a key.
    Object.defineProperty(current, set[i], { value: fields.now[set[i]], enumerable: true, writable: true, configurable: true })
  }
  for (var j = 0; j < fields.deleted.length; j++) delete current[fields.deleted[j]]
  return current
}

/**
 * The changes key by key: `set`, a flat list of key and JSON pairs,
 * `deleted`, the keys deleted, and `now`, the session's data now, parsed.
 */
SessionChanges.prototype.fields = function fields () {
  var loaded = JSON.parse(this.loadedJson)
  var now = JSON.parse(this.nowJson)
  var set = []
  var deleted = []
  var key
  for (key in now) {
    if (!hasOwn.call(now, key)) continue
    var json = JSON.stringify(now[key])
    if (json !== JSON.stringify(hasOwn.call(loaded, key) ? loaded[key] : undefined)) set.push(key, json)
  }
  for (key in loaded) {
    if (hasOwn.call(loaded, key) && !hasOwn.call(now, key)) deleted.push(key)
  }
  return { set: set, deleted: deleted, now: now }
}

module.exports = SessionChanges
