'use strict'

// The requests whose session was destroyed with Session#destroy, for
// clearCookieOnDestroy. Kept beside the request: nothing appears on it.
var destroyed = new WeakSet()

function record (req) {
  destroyed.add(req)
}

function has (req) {
  return destroyed.has(req)
}

module.exports.has = has
module.exports.record = record
