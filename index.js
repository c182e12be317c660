'use strict'
// The package entry: the generated binding, the JavaScript Payouts class (lib/payouts.js,
// over the native handle), the mobilemoney.js error classes, and an inspect hook so
// console.log shows each client's configuration (never its secrets). Nothing here loads
// the queue (bullmq, ioredis) or the CLI's packages: each is required where it is used.
const { inspect } = require('node:util')
const binding = require('./loader.js').loadBinding() // binding.js, with a clear error if no binary
const errors = require('./errors.js')
const { Payouts } = require('./lib/payouts.js')

for (const name of ['Disbursements', 'Collection', 'Remittance', 'Client', 'PaymobPayouts']) {
  const Class = binding[name]
  if (Class) {
    Class.prototype[inspect.custom] = function (depth, options) {
      return `${name} ${inspect(this.toJSON(), options)}`
    }
  }
}

// Names starting with _ are the entries' own (the DEBUG switch), not the package's API.
const exported = Object.fromEntries(Object.entries(binding).filter(([name]) => !name.startsWith('_')))

module.exports = { ...exported, Payouts, ...errors }
