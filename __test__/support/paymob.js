'use strict'
// A sandbox and Paymob clients on it, for the Paymob specs.
const { PaymobPayouts, Sandbox } = require('../..')

const CREDENTIALS = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  username: 'sandbox-user',
  password: 'sandbox-password',
}

async function paymobWorld(options = {}) {
  const sb = await Sandbox.start({ port: 0, ...options })
  const payouts = (extra = {}) =>
    new PaymobPayouts({ ...CREDENTIALS, baseUrl: `${sb.url}/api/secure/`, retryBackoffMs: 20, ...extra })
  return { sb, payouts }
}

/** A Vodafone wallet cash-in of 10 with a client reference of the caller's. */
const walletCashin = (clientReferenceId) => ({
  issuer: 'vodafone',
  msisdn: '01023456789',
  amount: 10,
  clientReferenceId,
})

module.exports = { CREDENTIALS, paymobWorld, walletCashin }
