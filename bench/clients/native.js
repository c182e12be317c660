'use strict'
// (a) This package: the Disbursements client of mobilemoney-native, as an application uses it.
const path = require('node:path')
const h = require('./harness')

h.run('native', async ({ url, op }) => {
  const { Disbursements } = require(path.join(__dirname, '..', '..'))
  const momo = new Disbursements(h.SUBSCRIPTION_KEY, { baseUrl: url, targetEnvironment: h.TARGET })
  return h.disbursementsCall(momo, op)
})
