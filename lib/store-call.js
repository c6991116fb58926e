'use strict'

// Calling a store so that whatever it does is heard exactly once.

/**
 * Calls `fn.apply(thisArg, args.concat(callback))` so that whatever a store
 * does reaches `callback` exactly once: its callback (the first call only),
 * an error it throws, a promise it rejects, and, with a timeout (ms), silence.
 */
function invoke (fn, thisArg, args, timeout, callback) {
  var called = false
  var timer = null
  function finish (err, value) {
    if (called) return
    called = true
    if (timer) clearTimeout(timer)
    callback(err, value)
  }
  var result
  try {
    result = fn.apply(thisArg, args.concat(finish))
  } catch (err) {
    finish(err)
    return
  }
  if (result && typeof result.then === 'function') {
    result.then(null, function (err) {
      finish(err || new Error('session store operation rejected'))
    })
  }
  if (timeout > 0 && !called) {
    timer = setTimeout(function () {
      finish(new Error('session store did not answer within ' + timeout + ' ms'))
    }, timeout)
    timer.unref()
  }
}

/**
 * Runs a synchronous store operation `fn(a, b, c, d, e)`; returns what it
 * threw, or null.
 */
function attempt (fn, a, b, c, d, e) {
  try {
    fn(a, b, c, d, e)
    return null
  } catch (err) {
    return err
  }
}

module.exports.attempt = attempt
module.exports.invoke = invoke
