'use strict'

module.exports = LazyResult
module.exports.settleWith = settleWith

/**
 * Runs `run(callback)` with the caller's callback `fn`, returning `self` as
 * express-session's methods do; without one, with the callback of a new
 * LazyResult, which it returns.
 */
function settleWith (fn, self, run) {
  if (fn) {
    run(fn)
    return self
  }
  var result = new LazyResult()
  run(result.callback())
  return result
}

/**
 * What a session or store method called without a callback returns: a
 * thenable that settles when the store has answered, but makes its promise
 * only once someone calls then, catch or finally (await does). A call
 * nobody waits for therefore never becomes an unhandled rejection: its
 * error is dropped, as express-session drops it.
 */
function LazyResult () {
  this.settled = false
  this.error = null
  this.value = undefined
  this.promise = null
  this.resolve = null
  this.reject = null
}

/**
 * The callback to hand the operation: (err, value).
 */
LazyResult.prototype.callback = function callback () {
  var result = this
  return function settle (err, value) {
    if (result.settled) return
    result.settled = true
    result.error = err || null
    result.value = value
    if (!result.promise) return
    if (result.error) result.reject(result.error)
    else result.resolve(value)
  }
}

LazyResult.prototype.toPromise = function toPromise () {
  if (this.promise) return this.promise
  var result = this
  this.promise = new Promise(function (resolve, reject) {
    if (!result.settled) {
      result.resolve = resolve
      result.reject = reject
    } else if (result.error) {
      reject(result.error)
    } else {
      resolve(result.value)
    }
  })
  return this.promise
}

LazyResult.prototype.then = function then (onFulfilled, onRejected) {
  return this.toPromise().then(onFulfilled, onRejected)
}

LazyResult.prototype.catch = function (onRejected) {
  return this.toPromise().catch(onRejected)
}

LazyResult.prototype.finally = function (onFinally) {
  return this.toPromise().finally(onFinally)
}
