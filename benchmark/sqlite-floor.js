'use strict'

// What SQLite itself costs a store shared by processes, for the HTTP
// benchmark's disk scenario (variant express-session-rs+sqlite-floor):
// this package on its MemoryStore, plus the two statements any SQLite
// session store in WAL mode runs on a modified request, through
// better-sqlite3 on a file of its own (WAL, synchronous=NORMAL): a SELECT
// of a realistic session's row by its ID before the route, an UPDATE of
// its data and expiry by its ID when the response ends. No row parsing, no
// index on the expiry, no sweep. A store on SQLite replaces the
// MemoryStore's storage (about a microsecond) with at least these, so
// its ratio to this package on the MemoryStore bounds every such store's.

var Database = require('better-sqlite3')
var realisticRequest = require('./realistic-request')

var TTL = 86400000

var COOKIE = JSON.stringify({ originalMaxAge: TTL, expires: '', httpOnly: true, path: '/' })
var DATA = JSON.stringify(realisticRequest.sessionData(0))

/**
 * The floor's middleware on a database at `file`, which it creates.
 */
function sqliteFloor (file) {
  var db = new Database(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.exec('CREATE TABLE sessions (id TEXT PRIMARY KEY NOT NULL, cookie TEXT NOT NULL, ' +
    'data TEXT NOT NULL, expires INTEGER NOT NULL) WITHOUT ROWID')
  var insert = db.prepare('INSERT OR REPLACE INTO sessions (id, cookie, data, expires) VALUES (?, ?, ?, ?)')
  var select = db.prepare('SELECT cookie, data FROM sessions WHERE id = ? AND expires > ?').raw()
  var update = db.prepare('UPDATE sessions SET data = ?, expires = ? WHERE id = ?')
  var views = 0
  return function sqliteFloorMiddleware (req, res, next) {
    // One row per client connection: its Cookie header names it.
    var id = req.headers.cookie || ''
    if (select.get(id, Date.now()) === undefined) insert.run(id, COOKIE, DATA, Date.now() + TTL)
    var end = res.end
    res.end = function (chunk, encoding) {
      update.run(DATA.replace('"views":0', '"views":' + ++views), Date.now() + TTL, id)
      return end.call(this, chunk, encoding)
    }
    next()
  }
}

module.exports = sqliteFloor
