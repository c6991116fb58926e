'use strict'

var http = require('http')
var isProxy = require('util').types.isProxy

module.exports = shareShapes

// Measured by benchmark/shared-shape.js: x1.3–1.9 over HTTP on Node 20 and 22
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
 * (Object.setPrototypeOf), and on V8 before 13 every property added to such
 * an object afterwards (Express's own res.locals, ours, the app's) gives it
 * a hidden class of its own: no two requests' objects share one, and every
 * later read of them in Express, Node and the app misses V8's inline caches.
 * An object in dictionary mode keeps its properties in a table under a map
 * that the same kind of objects share.
 * Deleting a property that is not the last one added is what turns an
 * object into dictionary mode. The object's last symbol-keyed property
 * (one Node's constructor set, long before Express's and the app's string
 * keys) is deleted and defined again with its own descriptor: it is last
 * among the symbols again, so every key list is what it was, and no
 * setter, getter or trap runs (it is defined, not assigned). Timed with
 * hrtime in an Express app under load (Node 20): 7.6 µs for req and res
 * together, against 11–13 µs for adding and deleting two throwaway
 * properties, each of which costs V8 a new hidden class of its own first
 * (a perf profile, without the timer's own cost, gives 3.7 µs).
 *
 * Not guaranteed by V8: in about one process in forty started on a busy
 * machine, every normalized object got a map of its own (all 59 of 59
 * request pairs in such a process), and that process simply keeps the
 * cost it would have had; nothing else changes.
 *
 * Should the last symbol be the very last property added, V8 takes its
 * delete back to the previous hidden class and nothing is gained; an
 * object with no configurable symbol-keyed property is left as it is.
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
  var symbols = Object.getOwnPropertySymbols(object)
  var last = symbols[symbols.length - 1]
  var descriptor = last && Object.getOwnPropertyDescriptor(object, last)
  if (!descriptor || !descriptor.configurable) return
  delete object[last]
  Object.defineProperty(object, last, descriptor)
}
