'use strict'
// (a) This package: the Disbursements client of mobilemoney-native, as an application uses it.
const { randomUUID } = require('node:crypto')
const path = require('node:path')
const h = require('./harness')

h.run('native', async ({ url, op }) => {
  const { Disbursements } = require(path.join(__dirname, '..', '..'))
  const momo = new Disbursements(h.SUBSCRIPTION_KEY, { baseUrl: url, targetEnvironment: h.TARGET })
  if (op === 'status') {
    return async () => {
      const [ok, data] = await momo.getTransferStatus(h.STATUS_ID, h.BEARER, h.TARGET)
      return ok && data.status === 'SUCCESSFUL'
    }
  }
  return async () => {
    const [ok] = await momo.transfer(randomUUID(), h.BEARER, h.TARGET, h.TRANSFER_BODY)
    return ok
  }
})
