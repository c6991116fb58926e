'use strict'

var Cookie = require('./cookie')
var cookieJson = require('./cookie-json')

module.exports = CookieShape

var FIELDS = cookieJson.FIELDS
// Any date whose JSON is a 24-character ISO string serves to check a shape.
var PROBE = new Date(0)

/**
 * A cookie template of the MemoryStore's storage (see memory_store.rs): the
 * cookie JSON of many sessions, without the expiry date that is all they
 * differ by. Learned once per template id, it lets a session's Cookie be
 * built without parsing the cookie's JSON and tells, at the end of the
 * request, whether the Cookie still renders to the same template, so that
 * only the expiry needs storing.
 *
 * `usable` is false for templates this cannot reproduce exactly (JSON not
 * made by a plain Cookie); their sessions take the general path.
 */
function CookieShape (id, text, split) {
  this.id = id
  this.before = text.slice(0, split)
  this.after = text.slice(split)
  this.usable = false
  this.keys = []
  this.values = []
  for (var i = 0; i < FIELDS.length; i++) this[FIELDS[i]] = undefined

  var fields
  try {
    fields = JSON.parse(text)
  } catch (err) {
    return
  }
  if (fields === null || typeof fields !== 'object' || fields.expires !== '') return
  for (var key in fields) {
    if (FIELDS.indexOf(key) === -1) return
    if (key === 'expires') continue
    this[key] = fields[key]
    if (key !== 'originalMaxAge') {
      this.keys.push(key)
      this.values.push(fields[key])
    }
  }
  this.usable = cookieJson(this.build(PROBE.valueOf())) === this.json(PROBE.valueOf())
}

/**
 * The cookie JSON of this template with expiry `expires` (ms).
 */
CookieShape.prototype.json = function json (expires) {
  return this.before + new Date(expires).toISOString() + this.after
}

/**
 * A Cookie expiring at `expires` (ms), as Store#createSession would make it
 * from the stored JSON: own properties in the same order, same values.
 */
CookieShape.prototype.build = function build (expires) {
  return new StoredCookie(this, expires)
}

function StoredCookie (shape, expires) {
  this.path = '/'
  this._expires = new Date(expires)
  this.originalMaxAge = shape.originalMaxAge
  this.httpOnly = true
  var keys = shape.keys
  var values = shape.values
  for (var i = 0; i < keys.length; i++) this[keys[i]] = values[i]
}

StoredCookie.prototype = Cookie.prototype

/**
 * The expiry (ms) of `cookie` when its JSON is this template's with that
 * expiry put in; NaN otherwise.
 */
CookieShape.prototype.expiryOf = function expiryOf (cookie) {
  if (!this.usable || !cookieJson.isPlainCookie(cookie)) return NaN
  for (var i = 0; i < FIELDS.length; i++) {
    var name = FIELDS[i]
    if (name !== 'expires' && cookie[name] !== this[name]) return NaN
  }
  var expires = cookie.expires
  return cookieJson.isPlainDate(expires) ? expires.valueOf() : NaN
}
