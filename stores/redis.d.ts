import session = require('../index')
export = session.RedisStore
