import session = require('../index')
export = session.SqliteStore
