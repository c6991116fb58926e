// A store written the way connect-redis, connect-pg-simple and connect-mongo
// write theirs: SessionData imported by name, plain cookie objects, every
// optional method.
import { type SessionData, Store } from 'express-session'

interface Serializer {
  parse (text: string): SessionData
  stringify (sess: SessionData): string
}

export class PlainStore extends Store {
  private data = new Map<string, { text: string, expires: number }>()
  private serializer: Serializer = JSON

  constructor (private ttl = 86400) {
    super()
  }

  private expiryOf (sess: SessionData): number {
    if (sess && sess.cookie && sess.cookie.expires) {
      return new Date(sess.cookie.expires).getTime()
    }
    const maxAge = sess.cookie.maxAge ?? sess.cookie.originalMaxAge
    return Date.now() + (maxAge ?? this.ttl * 1000)
  }

  get (sid: string, cb: (err: any, session?: SessionData | null) => void): void {
    const found = this.data.get(sid)
    cb(null, found ? this.serializer.parse(found.text) : null)
  }

  set (sid: string, sess: SessionData, cb?: (err?: any) => void): void {
    this.data.set(sid, { text: this.serializer.stringify(sess), expires: this.expiryOf(sess) })
    cb?.()
  }

  touch (sid: string, sess: SessionData, cb?: (err?: any) => void): void {
    const found = this.data.get(sid)
    if (found) found.expires = this.expiryOf(sess)
    cb?.()
  }

  destroy (sid: string, cb?: (err?: any) => void): void {
    this.data.delete(sid)
    cb?.()
  }

  clear (cb?: (err?: any) => void): void {
    this.data.clear()
    cb?.()
  }

  length (cb: (err: any, length?: number) => void): void {
    cb(null, this.data.size)
  }

  ids (cb: (err: any, ids?: string[]) => void): void {
    cb(null, [...this.data.keys()])
  }

  all (cb: (err: any, obj?: SessionData[] | { [sid: string]: SessionData } | null) => void): void {
    cb(null, [...this.data.values()].map((found) => this.serializer.parse(found.text)))
  }
}

// What their tests hand the store: plain objects, no Cookie instance.
const store = new PlainStore()
const expiring: SessionData = { cookie: { originalMaxAge: null, expires: new Date(Date.now() + 1000) } }
store.set('a', expiring, (err) => { if (err) throw err })
store.set('b', { cookie: { originalMaxAge: 2000, maxAge: 2000, path: '/', httpOnly: true, secure: false, sameSite: 'lax' } })
store.touch('a', { cookie: { originalMaxAge: null, expires: new Date() } })
store.set('c', { cookie: { originalMaxAge: null } }, () => {})
