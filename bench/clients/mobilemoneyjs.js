'use strict'
// (b) mobilemoney.js@0.0.4, the library this package replaces. Measured at concurrency 1
// only: every call stores its answer on the one HTTPClient the Client shares
// (`this.data`), so concurrent calls read each other's answers.
const { Client } = require('mobilemoney.js')
const h = require('./harness')

// The base URL is hard-coded (lib/request/route.js `Route.getBase`), and `isSandbox()`
// only picks between the two MTN hosts. The least invasive way to reach the responder:
// wrap `fillConfig` on this Client's own shared HTTPClient (`client.http`, from
// lib/request/http.js), which every request passes through just before node-fetch is
// called, and swap the sandbox host for the responder's. Module code is left unchanged.
const SANDBOX_HOST = 'https://sandbox.momodeveloper.mtn.com'

h.run('mobilemoney.js', async ({ url, op }) => {
  const client = new Client()
  client.isSandbox()
  const fillConfig = client.http.fillConfig.bind(client.http)
  client.http.fillConfig = (route) => {
    const config = fillConfig(route)
    if (config.url.startsWith(SANDBOX_HOST)) config.url = url + config.url.slice(SANDBOX_HOST.length)
    return config
  }
  const momo = client.disbursements(h.SUBSCRIPTION_KEY)
  return h.disbursementsCall(momo, op)
})
