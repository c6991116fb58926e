'use strict'

// A small Express app on the default MemoryStore: counts your visits, lets
// you log in (regenerating the session ID) and out.
//   npm run example   then open http://127.0.0.1:3000/

var express = require('express')
var session = require('..')

var app = express()

app.use(session({
  secret: process.env.SESSION_SECRET || 'replace this secret',
  resave: false,
  saveUninitialized: false,
  cookie: { maxAge: 30 * 60 * 1000, sameSite: 'lax' }
}))

app.get('/', function (req, res) {
  req.session.views = (req.session.views || 0) + 1
  res.type('html').send('<p>Hello ' + (req.session.user || 'stranger') + ', visit number ' + req.session.views + '.</p>' +
    '<p><a href="/login?name=ada">log in as ada</a> · <a href="/logout">log out</a></p>')
})

app.get('/login', function (req, res, next) {
  var name = String(req.query.name || 'guest').replace(/[^a-z0-9]/gi, '').slice(0, 20)
  // A new ID on login prevents session fixation.
  req.session.regenerate(function (err) {
    if (err) return next(err)
    req.session.user = name
    req.session.save(function (err) {
      if (err) return next(err)
      res.redirect('/')
    })
  })
})

app.get('/logout', function (req, res, next) {
  req.session.destroy(function (err) {
    if (err) return next(err)
    res.redirect('/')
  })
})

var port = Number(process.env.PORT) || 3000
app.listen(port, '127.0.0.1', function () {
  console.log('express-session-rs example on http://127.0.0.1:' + port + '/')
})
