'use strict'

// The expiries an asynchronous store set for sessions in the last second
// or two, so that a touch that would move an expiry by less than `window`
// ms is not sent: one page load's requests (its API calls, its assets
// behind the session middleware) renew the session once. Two generations
// of `window` ms each: whatever is older cannot match and is dropped whole.

/**
 * Expiries remembered for `window` ms at least, `2 * window` at most.
 */
function RecentExpiries (window) {
  this.window = window
  this.current = new Map()
  this.previous = new Map()
  this.since = Date.now()
}

/**
 * Remembers that the store set session `id` to expire at `expiry` (ms).
 */
RecentExpiries.prototype.record = function record (id, expiry) {
  this.rotate(Date.now())
  this.current.set(id, expiry)
}

/**
 * Whether the store set session `id` to expire less than `window` ms away
 * from `expiry`, within the last `window` ms or more.
 */
RecentExpiries.prototype.holds = function holds (id, expiry) {
  this.rotate(Date.now())
  var set = this.current.get(id)
  if (set === undefined) set = this.previous.get(id)
  return set !== undefined && Math.abs(set - expiry) < this.window
}

RecentExpiries.prototype.forget = function forget (id) {
  this.current.delete(id)
  this.previous.delete(id)
}

RecentExpiries.prototype.clear = function clear () {
  this.current = new Map()
  this.previous = new Map()
}

RecentExpiries.prototype.rotate = function rotate (now) {
  var age = now - this.since
  if (age < this.window) return
  this.previous = age < 2 * this.window ? this.current : new Map()
  this.current = new Map()
  this.since = now
}

module.exports = RecentExpiries
