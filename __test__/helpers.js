'use strict'
// The shared test helpers live in support/helpers.js; this keeps `require('./helpers')` working.
module.exports = require('./support/helpers')
