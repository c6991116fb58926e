'use strict'

var Cookie = require('../session/cookie')
var cookieJson = require('./cookie-json')

module.exports = CookieTemplates

var FIELDS = cookieJson.FIELDS
// Any date whose JSON is a 24-character ISO string serves to check a template.
var PROBE = new Date(0)
// Templates kept per store before the cache starts over.
var MAX_TEMPLATES = 256

/**
 * What one store's JavaScript side knows of its cookie templates, and the
 * template of the last cookie written, which new sessions of one
 * middleware share. A MemoryStore's templates are learned once per
 * template id from its storage (see src/memory_store/template.rs; ids are
 * never reused); a SqliteStore's (storage null) by their text, which its
 * rows hold (see src/cookie_date.rs).
 */
function CookieTemplates (storage) {
  this.storage = storage
  this.known = new Map()
  this.last = null
}

/**
 * Template `id` of the storage.
 */
CookieTemplates.prototype.get = function get (id) {
  var template = this.known.get(id)
  if (template) return template
  var parts = this.storage.template(id)
  if (parts === null) throw new Error('MemoryStore lost a cookie template it was reading')
  if (this.known.size >= MAX_TEMPLATES) this.known.clear()
  template = new CookieTemplate(id, parts.text, parts.split)
  this.known.set(id, template)
  return template
}

/**
 * The template whose text (the cookie JSON with its date cut out at UTF-16
 * offset `split`, or whole: -1) is `text`.
 */
CookieTemplates.prototype.byText = function byText (text, split) {
  var template = this.known.get(text)
  if (template && template.split === split) return template
  if (this.known.size >= MAX_TEMPLATES) this.known.clear()
  template = new CookieTemplate(text, text, split)
  this.known.set(text, template)
  return template
}

/**
 * A cookie template: the cookie JSON of many sessions, without the expiry
 * date that is all they differ by, or (`dated` false) the JSON of a cookie
 * without a date (no maxAge: the store's ttl sets the expiry). It lets a
 * session's Cookie be built without parsing the cookie's JSON and tells, at
 * the end of the request, whether the Cookie still renders to the same
 * template, so that only the expiry needs storing.
 *
 * `usable` is false for templates this cannot reproduce exactly (JSON not
 * made by a plain Cookie); their sessions take the general path.
 */
function CookieTemplate (id, text, split) {
  this.id = id
  this.text = text
  this.split = split
  this.dated = split >= 0
  this.before = this.dated ? text.slice(0, split) : text
  this.after = this.dated ? text.slice(split) : ''
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
  if (fields === null || typeof fields !== 'object' || fields.expires !== (this.dated ? '' : null)) return
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
CookieTemplate.prototype.json = function json (expires) {
  return this.dated ? this.before + new Date(expires).toISOString() + this.after : this.before
}

/**
 * A Cookie expiring at `expires` (ms), as Store#createSession would make it
 * from the stored JSON: own properties in the same order, same values.
 */
CookieTemplate.prototype.build = function build (expires) {
  return new StoredCookie(this, expires)
}

function StoredCookie (template, expires) {
  this.path = '/'
  this._expires = template.dated ? new Date(expires) : null
  this.originalMaxAge = template.originalMaxAge
  this.httpOnly = true
  var keys = template.keys
  var values = template.values
  for (var i = 0; i < keys.length; i++) this[keys[i]] = values[i]
}

StoredCookie.prototype = Cookie.prototype

/**
 * The expiry (ms) of `cookie` when its JSON is this template's with that
 * expiry put in, or, for a template without a date, `ttl` (ms) from now
 * when its JSON is the template's; NaN otherwise.
 */
CookieTemplate.prototype.expiryOf = function expiryOf (cookie, ttl) {
  if (!this.usable || !cookieJson.isPlainCookie(cookie)) return NaN
  for (var i = 0; i < FIELDS.length; i++) {
    var name = FIELDS[i]
    if (name !== 'expires' && cookie[name] !== this[name]) return NaN
  }
  var expires = cookie.expires
  if (!this.dated) return expires === null ? Date.now() + ttl : NaN
  return cookieJson.isPlainDate(expires) ? expires.valueOf() : NaN
}
