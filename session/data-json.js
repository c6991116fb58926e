'use strict'

var hasOwn = Object.prototype.hasOwnProperty

module.exports = dataJson

/**
 * JSON of a session's own enumerable properties except its top-level
 * `cookie`: what "modified" compares, and what a MemoryStore keeps beside the
 * cookie's JSON. Throws what JSON.stringify throws (circular structures).
 */
function dataJson (sess) {
  var json = '{'
  for (var key in sess) {
    if (key === 'cookie' || !hasOwn.call(sess, key)) continue
    var value = JSON.stringify(sess[key])
    if (value === undefined) continue
    if (json.length > 1) json += ','
    json += JSON.stringify(key) + ':' + value
  }
  return json + '}'
}
