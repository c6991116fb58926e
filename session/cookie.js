'use strict'

var deprecate = require('depd')('express-session')
var isDate = require('util').types.isDate
var native = require('../binding')

module.exports = Cookie

// Flags understood by the native serializer.
var HTTP_ONLY = 1
var SECURE = 2
var PARTITIONED = 4

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
  return renderCookie(this, native.serializeCookie, name, String(val))
}

Cookie.prototype.toJSON = function toJSON () {
  return this.data
}

/**
 * Calls a native serializer, `write(first, second, ...attributes)`, with the
 * attributes of `cookie` (any object with the Cookie properties, including
 * one made by another copy of express-session), turning its errors into the
 * TypeErrors the `cookie` package throws.
 */
function renderCookie (cookie, write, first, second) {
  if (typeof second === 'string' && !second.isWellFormed()) {
    throw new URIError('URI malformed')
  }
  var expires = cookie.expires
  var flags = (cookie.httpOnly ? HTTP_ONLY : 0) |
    (cookie.secure ? SECURE : 0) |
    (cookie.partitioned ? PARTITIONED : 0)
  try {
    return write(
      first,
      second,
      cookie.path ? String(cookie.path) : undefined,
      cookie.domain ? String(cookie.domain) : undefined,
      expires ? (isDate(expires) ? expires.valueOf() : NaN) : undefined,
      flags,
      cookie.priority ? String(cookie.priority) : undefined,
      cookie.sameSite === true ? 'strict' : cookie.sameSite ? String(cookie.sameSite) : undefined
    )
  } catch (err) {
    throw new TypeError(err.message)
  }
}

Cookie.renderCookie = renderCookie
