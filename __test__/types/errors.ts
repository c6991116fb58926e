// Each marked line must be a compile error.
import express = require('express')
import session = require('express-session')

declare module 'express-session' {
  interface SessionData {
    views: number
  }
}

const app = express()
app.get('/', (req) => {
  req.session.views = 'many' // error: string is not number
})
session({ secret: 's', unset: 'forget' }) // error: unset
session({ secret: 's', concurrency: 'last' }) // error: concurrency
session({ secret: 's', cookie: { sameSite: 'sometimes' } }) // error: sameSite
session({ secret: 's', cookie: { priority: 'urgent' } }) // error: priority
app.get('/chain', (req) => {
  req.session.save().touch() // error: without a callback save() is a StoreResult
})
session({ secret: 's', genid: async () => 42 }) // error: genid promises a number
class Incomplete extends session.Store {} // error: abstract get/set/destroy
new session.MemoryStore({ max: 'ten' }) // error: max
session({ secret: 's', absoluteTimeout: '8h' }) // error: absoluteTimeout
new session.SqliteStore({ path: 'x.db', durability: 'sometimes' }) // error: durability
new session.SqliteStore({}) // error: path
new session.RedisStore({ client: {}, ttl: '1d' }) // error: ttl
export { Incomplete }
