'use strict'

// Where the middleware hears of an explicit req.session.save(): a function
// kept on the request under this symbol, called by Session#save with the
// session about to be saved. (Symbols stay out of for-in, Object.keys and JSON.)
module.exports.SAVING = Symbol('express-session-rs saving')
