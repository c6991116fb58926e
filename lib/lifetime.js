'use strict'

// absoluteTimeout: a session ends a fixed time after its lifetime began,
// however active it is. The start is kept as the cookie's `created` (see
// session/cookie.js), so it is stored wherever the cookie is.

/**
 * Starts a new lifetime for the session whose cookie this is.
 */
function start (cookie, timeout) {
  cookie.created = Date.now()
  cap(cookie, timeout)
}

/**
 * Whether the lifetime of the session with this cookie is over.
 */
function isOver (cookie, timeout) {
  return Date.now() >= cookie.created + timeout
}

/**
 * Whether the cookie was stored before its session had a lifetime (the
 * option was off then).
 */
function isUnknown (cookie) {
  return typeof cookie.created !== 'number'
}

/**
 * Moves the cookie's expiry back to the end of its lifetime when it is
 * later or missing, so no Set-Cookie and no store TTL outlives it. The
 * cookie's originalMaxAge stays: renewals still count from it.
 */
function cap (cookie, timeout) {
  if (isUnknown(cookie)) return
  var deadline = cookie.created + timeout
  var expires = cookie.expires
  if (expires instanceof Date && expires.valueOf() <= deadline) return
  var originalMaxAge = cookie.originalMaxAge
  cookie.expires = new Date(deadline)
  cookie.originalMaxAge = originalMaxAge
}

module.exports.cap = cap
module.exports.isOver = isOver
module.exports.isUnknown = isUnknown
module.exports.start = start
