'use strict'

var deprecate = require('depd')('express-session')
var isDate = require('util').types.isDate
var native = require('../binding')
var scratch = require('./scratch')

module.exports = Cookie

// Flags understood by the native renderers.
var HTTP_ONLY = 1
var SECURE = 2
var PARTITIONED = 4
var HAS_EXPIRES = 8

/**
 * The session cookie's attributes. Options are copied onto the cookie,
 * except a key named `data`.
 */
function Cookie (options) {
  this.path = '/'
  this.maxAge = null
  this.httpOnly = true

  if (options) {
    if (typeof options !== 'object') {
      throw new TypeError('argument options must be a object')
    }
    for (var key in options) {
      if (key !== 'data') this[key] = options[key]
    }
  }

  if (this.originalMaxAge === undefined || this.originalMaxAge === null) {
    this.originalMaxAge = this.maxAge
  }
}

Object.defineProperties(Cookie.prototype, {
  expires: {
    configurable: true,
    get: function () { return this._expires },
    set: function (date) {
      this._expires = date
      this.originalMaxAge = this.maxAge
    }
  },

  // Milliseconds left until `expires`; setting it moves `expires`.
  maxAge: {
    configurable: true,
    get: function () {
      return this.expires instanceof Date
        ? this.expires.valueOf() - Date.now()
        : this.expires
    },
    set: function (ms) {
      if (ms && typeof ms !== 'number' && !(ms instanceof Date)) {
        throw new TypeError('maxAge must be a number or Date')
      }
      if (ms instanceof Date) {
        deprecate('maxAge as Date; pass number of milliseconds instead')
      }
      this.expires = typeof ms === 'number' ? new Date(Date.now() + ms) : ms
    }
  },

  // The attributes, as stored and as rendered.
  data: {
    configurable: true,
    get: function () {
      return {
        originalMaxAge: this.originalMaxAge,
        partitioned: this.partitioned,
        priority: this.priority,
        expires: this._expires,
        secure: this.secure,
        httpOnly: this.httpOnly,
        domain: this.domain,
        path: this.path,
        sameSite: this.sameSite
      }
    }
  }
})

/**
 * Renders a Set-Cookie header value for `name` and a plain `val`.
 */
Cookie.prototype.serialize = function serialize (name, val) {
  var value = checkWellFormed(String(val))
  var offset = scratch.put(0, scratch.HEADER_BYTES, String(name))
  offset = scratch.put(1, offset, value)
  putAttributes(this, 2, offset)
  return callRenderer(native.renderCookie)
}

Cookie.prototype.toJSON = function toJSON () {
  return this.data
}

/**
 * encodeURIComponent throws on lone surrogates; so does rendering.
 */
function checkWellFormed (value) {
  if (!value.isWellFormed()) throw new URIError('URI malformed')
  return value
}

/**
 * Writes the attributes of `cookie` (any object with the Cookie properties,
 * including one made by another copy of express-session) into the scratch
 * buffer: path, domain, priority and sameSite as strings in slots
 * `first`..`first + 3` from byte `offset` (empty when absent), then the
 * expiry (ms) and the flags in the next two slots.
 */
function putAttributes (cookie, first, offset) {
  var expires = cookie.expires
  var sameSite = cookie.sameSite
  var flags = (cookie.httpOnly ? HTTP_ONLY : 0) |
    (cookie.secure ? SECURE : 0) |
    (cookie.partitioned ? PARTITIONED : 0) |
    (expires ? HAS_EXPIRES : 0)
  offset = scratch.put(first, offset, cookie.path ? String(cookie.path) : '')
  offset = scratch.put(first + 1, offset, cookie.domain ? String(cookie.domain) : '')
  offset = scratch.put(first + 2, offset, cookie.priority ? String(cookie.priority) : '')
  scratch.put(first + 3, offset, sameSite === true ? 'strict' : sameSite ? String(sameSite) : '')
  // The cookie package takes only valid Dates; anything else is invalid.
  scratch.number(first + 4, expires ? (isDate(expires) ? expires.valueOf() : NaN) : 0)
  scratch.number(first + 5, flags)
}

/**
 * Calls a native renderer, turning its errors into the TypeErrors the
 * cookie package throws.
 */
function callRenderer (render, handle) {
  try {
    return render(handle)
  } catch (err) {
    throw new TypeError(err.message)
  }
}

Cookie.checkWellFormed = checkWellFormed
Cookie.putAttributes = putAttributes
Cookie.callRenderer = callRenderer
