'use strict'

module.exports = isSecure

/**
 * Whether the request came over TLS, as far as `trustProxy` allows us to tell.
 */
function isSecure (req, trustProxy) {
  if (req.socket && req.socket.encrypted) return true
  if (trustProxy === false) return false
  if (trustProxy !== true) return req.secure === true

  var header = req.headers['x-forwarded-proto'] || ''
  var comma = header.indexOf(',')
  var proto = comma !== -1 ? header.slice(0, comma) : header
  return proto.trim().toLowerCase() === 'https'
}
