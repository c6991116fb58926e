// A typical app written against @types/express-session, unchanged.
import express = require('express')
import session = require('express-session')
import { MemoryStore, Store, SessionData, Cookie } from 'express-session'

declare module 'express-session' {
  interface SessionData {
    views: number
    user: { name: string, roles: string[] }
  }
}

const app = express()

app.use(session({
  secret: ['current', 'previous'],
  resave: false,
  saveUninitialized: false,
  store: new MemoryStore({ max: 10000, checkPeriod: 60000 }),
  cookie: { maxAge: 60000, sameSite: 'lax', secure: 'auto', priority: 'high', partitioned: false }
}))

app.use(session({
  secret: Buffer.from('binary secret'),
  name: 'sid',
  genid: (req) => req.url + Date.now(),
  cookie: (req) => ({ secure: req.secure, sameSite: 'auto' }),
  unset: 'destroy',
  proxy: true,
  rolling: true
}))

app.get('/', (req, res, next) => {
  req.session.views = (req.session.views ?? 0) + 1
  const id: string = req.sessionID
  const cookie: Cookie = req.session.cookie
  const left: number | undefined = cookie.maxAge
  req.session.regenerate((err) => {
    if (err) return next(err)
    req.session.user = { name: 'ada', roles: ['admin'] }
    req.session.save((err) => {
      if (err) return next(err)
      res.send(id + String(left))
    })
  })
})

app.get('/out', (req, res) => {
  req.session.destroy(() => res.end())
  req.session.reload(() => undefined).touch().resetMaxAge()
  req.sessionStore.get(req.sessionID, (err, sess) => {
    const data: SessionData | null | undefined = sess
    if (!err && data) res.json(data.views)
  })
})

app.post('/login', async (req, res) => {
  await req.session.regenerate({ copy: true })
  req.session.user = { name: 'ada', roles: [] }
  await req.session.save()
  await req.session.reload()
  req.session.save().then(() => undefined, (err: unknown) => console.error(err))
  req.session.regenerate({ copy: true }, (err) => { if (err) throw err })
  await req.session.destroy().catch(() => undefined).finally(() => res.end())
  const loaded = await req.sessionStore.load('id')
  if (loaded) loaded.touch()
})

app.use(session({ secret: 's', concurrency: 'merge', genid: async (req) => req.url + await Promise.resolve('id') }))

const store: Store = new MemoryStore()
store.on('disconnect', () => undefined)
const serialized: string = new session.Cookie({ httpOnly: false }).serialize('name', 'value')
export { store, serialized }
app.use(session({ secret: 's', absoluteTimeout: 8 * 60 * 60 * 1000, clearCookieOnDestroy: true, rolling: true }))
app.get('/lifetime', (req, res) => { res.json({ created: req.session.cookie.created }) })

// The SQLite store, from the module and at its deep import.
import SqliteStoreClass = require('express-session/stores/sqlite')
const sqliteStore: session.SqliteStore = new session.SqliteStore({ path: 'sessions.db', durability: 'full', maxBytes: 1 << 30 })
const alsoSqlite: session.Store = new SqliteStoreClass({ path: sqliteStore.path, checkPeriod: 0 })
app.use(session({ secret: 's', store: alsoSqlite, concurrency: 'merge' }))
sqliteStore.close()

// The Redis store, with the app's client, from the module and at its deep import.
import RedisStoreClass = require('express-session/stores/redis')
declare const redisClient: object
const redisStore: session.RedisStore = new session.RedisStore({ client: redisClient, prefix: 'app:', ttl: (sess) => sess.cookie.maxAge ? 60 : 3600 })
app.use(session({ secret: 's', store: new RedisStoreClass({ client: redisStore.client, timeout: 500 }), concurrency: 'merge' }))
redisStore.ids((err, ids) => { if (!err && ids) console.log(ids.length) })
