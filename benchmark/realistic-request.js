'use strict'

// The realistic request every benchmark sends: a session holding a user
// object, a CSRF secret and a counter, and a Cookie header carrying three
// other cookies around the session's, as a real site's requests do.

var OTHER_COOKIES = ['_ga=GA1.2.1234567890.1764579600', 'theme=dark', 'lang=en-GB']

/** A fresh copy of the realistic session's data, its counter at `views`. */
function sessionData (views) {
  return {
    user: { id: 4242, name: 'Bob Example', email: 'bob@example.com', roles: ['admin', 'editor'], lastLogin: '2026-11-30T08:15:00.000Z' },
    csrfSecret: 'k8J2mQx9TtVb3LwPzR5sYh7N',
    views: views
  }
}

/** The Cookie header with `sessionCookie` (name=value, or none) in it. */
function cookieHeader (sessionCookie) {
  return OTHER_COOKIES.slice(0, 2).concat(sessionCookie || [], OTHER_COOKIES.slice(2)).join('; ')
}

module.exports.cookieHeader = cookieHeader
module.exports.sessionData = sessionData
