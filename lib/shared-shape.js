'use strict'

var http = require('http')
var isProxy = require('util').types.isProxy

module.exports = shareShapes

var FIRST = Symbol('express-session: first throwaway property')
var SECOND = Symbol('express-session: second throwaway property')
var THROWAWAY = { value: true, writable: true, enumerable: true, configurable: true }
// Measured by benchmark/shared-shape.js: x1.4 over HTTP on Node 20 and 22
// (V8 11 and 12); on Node 24 (V8 13) Express's objects cost nothing more
// than fresh ones, and dictionary mode only slows every access to them.
var PAYS = Number(process.versions.v8.split('.')[0]) < 13

module.exports.pays = PAYS

/**
 * Puts Express's `req` and `res` into V8's dictionary mode before the
 * session's properties are added to them, so that every request's objects
 * share one hidden class again.
 *
 * Express gives each request's req and res their prototype per request
 * (Object.setPrototypeOf), after which no two requests' objects share a
 * hidden class: every property added afterwards, by us and by the app,
 * builds a new one, and every later read of them in Express, Node and the
 * app misses V8's inline caches. An object in dictionary mode keeps its
 * properties in a table under a map that the same kind of objects share.
 * Deleting a property that is not the last one added is what turns an
 * object into dictionary mode: two symbol-keyed properties are added and
 * deleted, the first one first, so nothing stays behind, the key order of
 * the object is what it was, and no setter, getter or trap of the user's
 * runs (they are defined, not assigned).
 *
 * Not guaranteed by V8: in about one process in forty started on a busy
 * machine, every normalized object got a map of its own (all 59 of 59
 * request pairs in such a process), and that process simply keeps the
 * cost it would have had; nothing else changes.
 *
 * Only where it pays: on V8 before 13, and only for an http.IncomingMessage or
 * ServerResponse that was given another prototype (as Express does). Plain
 * objects, and Node's own objects with their own prototype, keep their
 * shared hidden class; Proxies and non-extensible objects are left alone.
 */
function shareShapes (req, res) {
  if (!PAYS) return
  toDictionaryMode(req, http.IncomingMessage)
  toDictionaryMode(res, http.ServerResponse)
}

function toDictionaryMode (object, Base) {
  // A Proxy's traps would see all of this, getPrototypeOf included.
  if (isProxy(object) || Object.getPrototypeOf(object) === Base.prototype ||
    !(object instanceof Base) || !Object.isExtensible(object)) return
  Object.defineProperty(object, FIRST, THROWAWAY)
  Object.defineProperty(object, SECOND, THROWAWAY)
  delete object[FIRST]
  delete object[SECOND]
}
