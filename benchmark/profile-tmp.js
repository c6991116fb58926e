'use strict'
process.env.NO_DEPRECATION = 'express-session'
var ours = require('..')
var scenario = process.argv[2] || 'touch'
var mw = ours({ secret: 'keyboard cat', resave: false, saveUninitialized: true, cookie: { maxAge: 86400000 } })
function Res (done) { this.statusCode = 200; this.headersSent = false; this._header = null; this._h = {}; this._done = done }
Res.prototype.setHeader = function (n, v) { this._h[n.toLowerCase()] = v }
Res.prototype.getHeader = function (n) { return this._h[n.toLowerCase()] }
Res.prototype.writeHead = function (c) { this.statusCode = c; this.headersSent = true; this._header = 'x'; return this }
Res.prototype._implicitHeader = function () { this.writeHead(this.statusCode) }
Res.prototype.write = function () { if (!this._header) this._implicitHeader(); return true }
Res.prototype.end = function () { if (!this._header) this._implicitHeader(); this._done && this._done(this); return this }
function one (cookie, handle, done) {
  var req = { method: 'GET', url: '/', originalUrl: '/', headers: cookie ? { cookie: cookie } : {}, socket: {} }
  var res = new Res(done)
  mw(req, res, function () { handle(req, res) })
}
var jar
one(null, function (req, res) { req.session.views = 1; req.session.user = { name: 'bob', roles: ['a', 'b'] }; res.end() }, function (res) { jar = res.getHeader('set-cookie')[0].split(';')[0] })
var t = process.hrtime.bigint()
var N = 200000
for (var i = 0; i < N; i++) {
  if (scenario === 'new') one(null, function (req, res) { res.end('x') })
  else if (scenario === 'touch') one(jar, function (req, res) { res.end('x') })
  else one(jar, function (req, res) { req.session.views++; res.end('x') })
}
console.log(scenario, Number(process.hrtime.bigint() - t) / N, 'ns/req')
