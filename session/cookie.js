'use strict'

var deprecate = require('depd')('express-session')
var CookieAttributes = require('../lib/cookie-attributes')
var renderCookie = require('../lib/native/session-cookie').renderCookie

module.exports = Cookie

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

  // With the absoluteTimeout option: when the session's lifetime began
  // (ms). Not an attribute: stored with the cookie (so every store keeps
  // it), never rendered, and not enumerable, so not among the cookie's keys.
  created: {
    configurable: true,
    get: function () { return this._created },
    set: function (time) {
      Object.defineProperty(this, '_created', { configurable: true, writable: true, value: time })
    }
  },

  // The attributes, as stored and as rendered.
  data: {
    configurable: true,
    get: function () {
      var data = {
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
      if (this._created !== undefined) data.created = this._created
      return data
    }
  }
})

/**
 * Renders a Set-Cookie header value for `name` and a plain `val`.
 */
Cookie.prototype.serialize = function serialize (name, val) {
  var value = CookieAttributes.checkWellFormed(String(val))
  return renderCookie(String(name), value, new CookieAttributes(this))
}

Cookie.prototype.toJSON = function toJSON () {
  return this.data
}
