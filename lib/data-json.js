'use strict'

var hasOwn = Object.prototype.hasOwnProperty

module.exports = dataJson

/**
 * JSON of a session without its top-level `cookie`: what "modified" compares,
 * and what a MemoryStore keeps beside the cookie's JSON. Throws what
 * JSON.stringify throws (circular structures).
 *
 * JSON.stringify skips undefined values, so the cookie is set aside for the
 * time of one stringify (one native call, where a replacer function would be
 * called for every nested key).
 */
function dataJson (sess) {
  if (!hasOwn.call(sess, 'cookie')) return JSON.stringify(sess)
  var cookie = sess.cookie
  try {
    sess.cookie = undefined
  } catch (err) {
    // A read-only cookie property: build the JSON key by key instead.
    return dataJsonByKey(sess)
  }
  try {
    return JSON.stringify(sess)
  } finally {
    sess.cookie = cookie
  }
}

function dataJsonByKey (sess) {
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
