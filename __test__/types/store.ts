// A store subclass, as connect-redis and friends write them.
import session = require('express-session')

class ObjectStore extends session.Store {
  private sessions = new Map<string, string>()

  get (sid: string, callback: (err: any, session?: session.SessionData | null) => void): void {
    const json = this.sessions.get(sid)
    callback(null, json ? JSON.parse(json) : null)
  }

  set (sid: string, sess: session.SessionData, callback?: (err?: any) => void): void {
    this.sessions.set(sid, JSON.stringify(sess))
    if (callback) callback()
  }

  destroy (sid: string, callback?: (err?: any) => void): void {
    this.sessions.delete(sid)
    if (callback) callback()
  }

  touch (sid: string, sess: session.SessionData, callback?: (err?: any) => void): void {
    this.set(sid, sess, callback)
  }
}

export const middleware = session({ secret: 's', store: new ObjectStore() })
