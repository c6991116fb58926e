'use strict'

module.exports = onHeaders

/**
 * Calls `listener.beforeHeaders()` once, just before `res` writes its
 * headers, with the status and any headers passed to writeHead already set
 * on `res`, so the listener sees and can add to them. One closure per
 * response, which wraps the writeHead `res` has now.
 */
function onHeaders (res, listener) {
  var original = res.writeHead
  var fired = false

  res.writeHead = function writeHead (statusCode, reason, headers) {
    if (fired) return original.apply(this, arguments)
    fired = true

    var hasReason = typeof reason === 'string'
    var given = hasReason ? headers : reason
    this.statusCode = statusCode
    if (Array.isArray(given)) setHeaderArray(this, given)
    else if (given) setHeaderObject(this, given)

    listener.beforeHeaders()

    // The headers are set already; pass on the status, which the listener
    // may have changed, and the reason phrase.
    var status = typeof statusCode === 'number' ? this.statusCode : statusCode
    return hasReason ? original.call(this, status, reason) : original.call(this, status)
  }
}

function setHeaderObject (res, headers) {
  var names = Object.keys(headers)
  for (var i = 0; i < names.length; i++) {
    if (names[i]) res.setHeader(names[i], headers[names[i]])
  }
}

// [[name, value], …] replaces each name; [name, value, name, value, …]
// keeps repeated names as repeated headers.
function setHeaderArray (res, headers) {
  var i
  if (headers.length && Array.isArray(headers[0])) {
    for (i = 0; i < headers.length; i++) {
      if (headers[i][0]) res.setHeader(headers[i][0], headers[i][1])
    }
    return
  }
  if (headers.length % 2 !== 0) throw new TypeError('headers array is malformed')
  for (i = 0; i < headers.length; i += 2) res.removeHeader(headers[i])
  for (i = 0; i < headers.length; i += 2) {
    if (headers[i]) res.appendHeader(headers[i], headers[i + 1])
  }
}
