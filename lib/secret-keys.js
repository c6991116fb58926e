'use strict'

var KeyObject = require('crypto').KeyObject

module.exports = secretKeys

/**
 * Turns the secret option's values (anything HMAC accepts as a key) into
 * Buffers for the native signer.
 */
function secretKeys (secrets) {
  return secrets.map(function (secret) {
    if (typeof secret === 'string') return Buffer.from(secret, 'utf8')
    if (Buffer.isBuffer(secret)) return secret
    if (ArrayBuffer.isView(secret)) return Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength)
    if (secret instanceof ArrayBuffer) return Buffer.from(secret)
    if (secret instanceof KeyObject && secret.type === 'secret') return secret.export()
    throw new TypeError('secret option must be a string, Buffer, TypedArray or secret KeyObject (or an array of them)')
  })
}
