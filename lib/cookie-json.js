'use strict'

var Cookie = require('../session/cookie')

// Cookie#toJSON's fields, in its order (created only with absoluteTimeout).
var FIELDS = ['originalMaxAge', 'partitioned', 'priority', 'expires', 'secure', 'httpOnly', 'domain', 'path', 'sameSite', 'created']

module.exports = cookieJson
module.exports.FIELDS = FIELDS
module.exports.isPlainCookie = isPlainCookie
module.exports.isPlainDate = isPlainDate

/**
 * JSON.stringify(cookie), or '' when that gives undefined. For this
 * package's own Cookie objects, and plain objects holding Cookie fields in
 * Cookie#toJSON's order (as stores hand them back), the text is built
 * directly: Date#toISOString and the toJSON round trip are the slow part of
 * saving a session.
 */
function cookieJson (cookie) {
  var json = isPlainCookie(cookie) || isCookieData(cookie) ? ownCookieJson(cookie) : undefined
  if (json === undefined) json = JSON.stringify(cookie)
  return json === undefined ? '' : json
}

function isPlainCookie (cookie) {
  return cookie instanceof Cookie &&
    cookie.toJSON === Cookie.prototype.toJSON &&
    Object.getPrototypeOf(cookie) === Cookie.prototype
}

// A Date whose JSON is Date#toJSON's, rendered here from its time value.
function isPlainDate (value) {
  return value instanceof Date && Object.getPrototypeOf(value) === Date.prototype
}

// A plain object whose keys are Cookie#toJSON's fields, in that order: what
// JSON.stringify renders of it is what ownCookieJson renders.
function isCookieData (cookie) {
  if (cookie === null || typeof cookie !== 'object' || Object.getPrototypeOf(cookie) !== Object.prototype ||
    cookie.toJSON !== undefined) return false
  var keys = Object.keys(cookie)
  var field = 0
  for (var i = 0; i < keys.length; i++) {
    while (field < FIELDS.length && FIELDS[field] !== keys[i]) field++
    if (field++ === FIELDS.length) return false
  }
  return true
}

// undefined when a field holds something this does not render (JSON.stringify then does).
function ownCookieJson (cookie) {
  var json = '{'
  for (var i = 0; i < FIELDS.length; i++) {
    var name = FIELDS[i]
    var value = cookie[name]
    var text
    switch (typeof value) {
      case 'undefined':
        continue
      case 'boolean':
        text = value ? 'true' : 'false'
        break
      case 'number':
        text = isFinite(value) ? String(value) : 'null'
        break
      case 'string':
        text = JSON.stringify(value)
        break
      default:
        if (value === null) text = 'null'
        else if (isPlainDate(value)) text = isoJson(value.valueOf())
        else return undefined
    }
    json += (json.length > 1 ? ',"' : '"') + name + '":' + text
  }
  return json + '}'
}

function pad2 (n) {
  return n < 10 ? '0' + n : String(n)
}

function pad3 (n) {
  return n < 10 ? '00' + n : n < 100 ? '0' + n : String(n)
}

/**
 * JSON of a Date from its time value, as Date#toJSON gives it.
 */
function isoJson (time) {
  if (Number.isNaN(time)) return 'null'
  var days = Math.floor(time / 86400000)
  var ms = time - days * 86400000
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  var z = days + 719468
  var era = Math.floor(z / 146097)
  var doe = z - era * 146097
  var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  var mp = Math.floor((5 * doy + 2) / 153)
  var day = doy - Math.floor((153 * mp + 2) / 5) + 1
  var month = mp < 10 ? mp + 3 : mp - 9
  var year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  if (year < 1000 || year > 9999) return '"' + new Date(time).toISOString() + '"'
  return '"' + year + '-' + pad2(month) + '-' + pad2(day) +
    'T' + pad2(Math.floor(ms / 3600000)) + ':' + pad2(Math.floor(ms / 60000) % 60) +
    ':' + pad2(Math.floor(ms / 1000) % 60) + '.' + pad3(ms % 1000) + 'Z"'
}
