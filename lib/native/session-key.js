'use strict'

// Session IDs are stored natively under keys that keep them apart exactly:
// UTF-8 cannot carry lone surrogates, so an ID that has one (or that starts
// with NUL) is stored as NUL + its JSON, which no ID stored as itself
// starts with.

function keyOf (sessionId) {
  return sessionId.charCodeAt(0) !== 0 && sessionId.isWellFormed()
    ? sessionId
    : '\u0000' + JSON.stringify(sessionId)
}

function sessionIdOf (key) {
  return key.charCodeAt(0) === 0 ? JSON.parse(key.slice(1)) : key
}

module.exports.keyOf = keyOf
module.exports.sessionIdOf = sessionIdOf
