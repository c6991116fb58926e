// Types for express-session-rs, a drop-in for express-session 1.19.
// Written to accept what code written against @types/express-session
// accepts; install the package under the name express-session and augment
// `declare module 'express-session' { interface SessionData { … } }` as usual.

import express = require('express')
import { EventEmitter } from 'events'
import { KeyObject } from 'crypto'

declare global {
  namespace Express {
    type SessionStore = session.Store & { generate: (req: Request) => void }

    interface Request {
      /** This request's session; undefined while no session applies (store disconnected, path mismatch). */
      session: session.Session & Partial<session.SessionData>
      /** The ID of this request's session. */
      sessionID: string
      /** The store of the middleware that handled this request. */
      sessionStore: SessionStore
    }
  }
}

export = session

/** Creates the session middleware. */
declare function session (options?: session.SessionOptions): express.RequestHandler

declare namespace session {
  /** What HMAC accepts as a secret. */
  type CipherKey = string | Buffer | NodeJS.ArrayBufferView | ArrayBuffer | KeyObject

  /** Session data; augment it with your own fields. */
  interface SessionData {
    cookie: CookieData
  }

  /**
   * A session cookie's attributes as stores hand them around: a Cookie, or
   * the plain object a store parsed or built (`{ originalMaxAge: null,
   * expires: new Date() }`), as @types/express-session accepts.
   */
  interface CookieData extends Omit<CookieOptions, 'encode'> {
    /** The maxAge the cookie was created with, in ms. */
    originalMaxAge: number | null
    /** With absoluteTimeout: when the session's lifetime began (ms since the epoch). */
    created?: number | undefined
  }

  interface SessionOptions {
    /** Signs the session cookie; an array rotates secrets (the first signs, all verify). */
    secret: CipherKey | CipherKey[]
    /** Makes a new session ID (or a promise of one); default: 32 URL-safe characters from 24 CSPRNG bytes. */
    genid? (req: express.Request): string | PromiseLike<string>
    /** Cookie name; default `connect.sid`. */
    name?: string | undefined
    /** Alias of `name`. */
    key?: string | undefined
    /** Session store; default a new MemoryStore. */
    store?: Store | undefined
    /** Cookie options, or a function of the request returning them (called per request). */
    cookie?: CookieOptions | ((req: express.Request) => CookieOptions) | undefined
    /** Set the cookie on every response (resetting its expiry). Default false. */
    rolling?: boolean | undefined
    /** Save sessions even when unmodified. Default true (deprecated default: set it). */
    resave?: boolean | undefined
    /** Trust the reverse proxy's X-Forwarded-Proto (true), nothing but TLS (false), or `req.secure` (undefined). */
    proxy?: boolean | undefined
    /** Save new sessions that hold nothing. Default true (deprecated default: set it). */
    saveUninitialized?: boolean | undefined
    /** What deleting or nulling `req.session` does: keep the stored session (default) or destroy it. */
    unset?: 'destroy' | 'keep' | undefined
    /** Not in express-session: ms to wait for a store before failing with an error (0, the default: forever). */
    storeTimeout?: number | undefined
    /**
     * Not in express-session: 'merge' saves a loaded session as the top-level
     * keys this request changed, applied to the store's current version, and
     * never writes back a session destroyed or regenerated meanwhile;
     * 'overwrite' (the default) is express-session's whole-session save.
     */
    concurrency?: 'overwrite' | 'merge' | undefined
    /**
     * Not in express-session: ms after a session began (or was regenerated)
     * when it ends, however active; no cookie expiry or store TTL goes past
     * it. 0, the default: sessions end only by idling.
     */
    absoluteTimeout?: number | undefined
    /**
     * Not in express-session: the response of a request that destroyed its
     * session clears the cookie (empty value, expired in 1970). Default false.
     */
    clearCookieOnDestroy?: boolean | undefined
  }

  interface CookieOptions {
    /** Lifetime in milliseconds; sets `expires`. */
    maxAge?: number | undefined
    /** The Partitioned attribute (CHIPS). */
    partitioned?: boolean | undefined
    /** The Priority attribute. */
    priority?: 'low' | 'medium' | 'high' | undefined
    signed?: boolean | undefined
    /** Absolute expiry; prefer `maxAge`. */
    expires?: Date | null | undefined
    /** Default true. */
    httpOnly?: boolean | undefined
    /** Default '/'. */
    path?: string | undefined
    domain?: string | undefined
    /** 'auto' follows the security of the request. */
    secure?: boolean | 'auto' | undefined
    encode?: ((val: string) => string) | undefined
    /** 'auto' is 'none' on secure requests and 'lax' otherwise. */
    sameSite?: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined
  }

  interface RegenerateOptions {
    /** Keep the session's data under the new ID (renew the ID on login). */
    copy?: boolean | undefined
  }

  /**
   * What a session or store method called without a callback returns: it
   * settles once the store has answered, and rejects only for whoever
   * awaits it (or calls then/catch/finally), so a call nobody waits for is
   * never an unhandled rejection.
   */
  interface StoreResult<T = void> extends PromiseLike<T> {
    catch<R = never> (onrejected?: ((reason: any) => R | PromiseLike<R>) | null): Promise<T | R>
    finally (onfinally?: (() => void) | null): Promise<T>
  }

  class Session {
    private constructor (request: Express.Request, data: SessionData)

    /** The session ID (read-only, equals `req.sessionID`). */
    id: string
    cookie: Cookie

    /**
     * Replaces the session with a new one under a new ID; the old one is
     * destroyed in the store. With `{ copy: true }` the new session keeps
     * this one's data. Without a callback: a StoreResult.
     */
    regenerate (callback: (err: any) => void): this
    regenerate (options: RegenerateOptions, callback: (err: any) => void): this
    regenerate (options?: RegenerateOptions): StoreResult
    /** Destroys the session and unsets `req.session`. Without a callback: a StoreResult. */
    destroy (callback: (err: any) => void): this
    destroy (): StoreResult
    /** Reloads the session from the store. Without a callback: a StoreResult. */
    reload (callback: (err: any) => void): this
    reload (): StoreResult
    /** Resets the cookie's maxAge to its original value. */
    resetMaxAge (): this
    /** Saves the session to the store. Without a callback: a StoreResult. */
    save (callback: (err: any) => void): this
    save (): StoreResult
    /** Refreshes the cookie's expiry. */
    touch (): this
  }

  /** The session cookie: CookieData's attributes, and these methods. */
  interface Cookie extends CookieData {}

  class Cookie implements CookieOptions {
    constructor (options?: CookieOptions)

    /** The plain attributes. */
    readonly data: CookieOptions & { originalMaxAge: number | null }
    /** Renders a Set-Cookie header value. */
    serialize (name: string, value: string): string
    toJSON (): CookieOptions & { originalMaxAge: number | null }
  }

  abstract class Store extends EventEmitter {
    constructor (config?: any)

    regenerate (req: express.Request, callback: (err?: any) => any): void
    regenerate (req: express.Request): StoreResult
    load (sid: string, callback: (err: any, session?: SessionData) => any): void
    load (sid: string): StoreResult<(Session & SessionData) | undefined>
    createSession (req: express.Request, session: SessionData): Session & SessionData

    abstract get (sid: string, callback: (err: any, session?: SessionData | null) => void): void
    abstract set (sid: string, session: SessionData, callback?: (err?: any) => void): void
    abstract destroy (sid: string, callback?: (err?: any) => void): void

    all? (callback: (err: any, obj?: SessionData[] | { [sid: string]: SessionData } | null) => void): void
    length? (callback: (err: any, length?: number) => void): void
    clear? (callback?: (err?: any) => void): void
    touch? (sid: string, session: SessionData, callback?: (err?: any) => void): void
  }

  interface MemoryStoreOptions {
    /** Lifetime in ms of sessions whose cookie has no expiry (one day). */
    ttl?: number | undefined
    /** Milliseconds between sweeps of expired sessions (one second; 0: no sweeping). */
    checkPeriod?: number | undefined
    /** Most sessions kept; the least recently used go first (no bound). */
    max?: number | undefined
    /** Most bytes of IDs and JSON kept; likewise (no bound). */
    maxBytes?: number | undefined
  }

  /** An in-process store with native storage: expired sessions are reclaimed, and it can be bounded. */
  class MemoryStore extends Store {
    constructor (options?: MemoryStoreOptions)

    get (sid: string, callback: (err: any, session?: SessionData | null) => void): void
    set (sid: string, session: SessionData, callback?: (err?: any) => void): void
    destroy (sid: string, callback?: (err?: any) => void): void
    all (callback: (err: any, obj?: { [sid: string]: SessionData } | null) => void): void
    length (callback: (err: any, length?: number) => void): void
    clear (callback?: (err?: any) => void): void
    touch (sid: string, session: SessionData, callback?: (err?: any) => void): void
    /** The IDs of every unexpired session. */
    ids (callback: (err: any, ids?: string[]) => void): void
    /** What the store holds now, without reading or sweeping. */
    usage (): { sessions: number, bytes: number }
    /** Stops the sweep timer (which never keeps the process alive). */
    close (): void
    /** Alias of close(). */
    stop (): void
  }

  interface SqliteStoreOptions {
    /** The database file; created readable by its owner only. */
    path: string
    /** Lifetime in ms of sessions whose cookie has no expiry (one day). */
    ttl?: number | undefined
    /** Milliseconds between sweeps of expired sessions (one minute; 0: no sweeping). One process at a time sweeps. */
    checkPeriod?: number | undefined
    /** 'normal' (default): a commit does not wait for the disk; 'full': every commit is on the disk first. */
    durability?: 'normal' | 'full' | undefined
    /** Milliseconds a statement waits for another process's write lock before failing (100). */
    busyTimeout?: number | undefined
    /** Most bytes the file may hold, in whole pages (no bound); a save past it is an error. */
    maxBytes?: number | undefined
  }

  /**
   * Not in express-session: sessions in one SQLite file that every process
   * on the machine shares, surviving restarts. Also at
   * `express-session-rs/stores/sqlite`.
   */
  class SqliteStore extends Store {
    constructor (options: SqliteStoreOptions)
    /** The database file's absolute path. */
    readonly path: string

    get (sid: string, callback: (err: any, session?: SessionData | null) => void): void
    set (sid: string, session: SessionData, callback?: (err?: any) => void): void
    destroy (sid: string, callback?: (err?: any) => void): void
    all (callback: (err: any, obj?: { [sid: string]: SessionData } | null) => void): void
    length (callback: (err: any, length?: number) => void): void
    clear (callback?: (err?: any) => void): void
    touch (sid: string, session: SessionData, callback?: (err?: any) => void): void
    /** The IDs of every unexpired session. */
    ids (callback: (err: any, ids?: string[]) => void): void
    /** Stops sweeping and closes the database; later calls are errors. */
    close (): void
  }

  interface RedisStoreOptions {
    /** The app's connected client: node-redis v4–v6 createClient() or createCluster(), ioredis v5–v6 Redis or Cluster. */
    client: object
    /** The start of every key ('sess:'); a session's hash is at `<prefix>{<sid>}`. */
    prefix?: string | undefined
    /** Seconds to keep sessions whose cookie has no expiry, or a function of the session giving them (one day). */
    ttl?: number | ((session: SessionData) => number) | undefined
    /** COUNT of the SCANs of all(), ids(), length() and clear() (100). */
    scanCount?: number | undefined
    /** touch() does nothing (false). */
    disableTouch?: boolean | undefined
    /** Milliseconds to wait for each reply before failing with an error (2000; 0: forever). */
    timeout?: number | undefined
  }

  /**
   * Not in express-session: sessions in Redis, shared by every process and
   * server, each a hash written by one atomic script, so concurrency:
   * 'merge' and logouts hold across processes. Reads what connect-redis
   * wrote under the same prefix. Also at `express-session-rs/stores/redis`.
   */
  class RedisStore extends Store {
    constructor (options: RedisStoreOptions)
    /** The client given. */
    readonly client: object
    /** The key prefix. */
    readonly prefix: string

    get (sid: string, callback: (err: any, session?: SessionData | null) => void): void
    set (sid: string, session: SessionData, callback?: (err?: any) => void): void
    destroy (sid: string, callback?: (err?: any) => void): void
    all (callback: (err: any, obj?: { [sid: string]: SessionData } | null) => void): void
    length (callback: (err: any, length?: number) => void): void
    clear (callback?: (err?: any) => void): void
    touch (sid: string, session: SessionData, callback?: (err?: any) => void): void
    /** The IDs of every session. */
    ids (callback: (err: any, ids?: string[]) => void): void
  }
}
