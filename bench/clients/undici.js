'use strict'
// (c) The fastest plain-JavaScript way to make the same requests: undici's `request` on a
// keep-alive Pool to the responder, headers written by hand, no validation, no retries.
const { randomUUID } = require('node:crypto')
const { Pool } = require('undici')
const h = require('./harness')

h.run('undici', async ({ url, op, concurrency }) => {
  const pool = new Pool(url, { connections: concurrency, pipelining: 1 })
  const common = {
    authorization: h.BEARER,
    'ocp-apim-subscription-key': h.SUBSCRIPTION_KEY,
    'x-target-environment': h.TARGET,
  }
  if (op === 'status') {
    const path = `/disbursement/v1_0/transfer/${h.STATUS_ID}`
    return async () => {
      const { statusCode, body } = await pool.request({ method: 'GET', path, headers: common })
      const data = await body.json()
      return statusCode === 200 && data.status === 'SUCCESSFUL'
    }
  }
  return async () => {
    const { statusCode, body } = await pool.request({
      method: 'POST',
      path: '/disbursement/v1_0/transfer',
      headers: { ...common, 'x-reference-id': randomUUID(), 'content-type': 'application/json' },
      body: JSON.stringify(h.TRANSFER_BODY),
    })
    await body.dump()
    return statusCode === 202
  }
})
