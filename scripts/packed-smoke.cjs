'use strict'
// Run by packed-install-test.sh in a directory where the packed tarballs were installed:
// loads the package by name as a user would and pays one MoMo transfer and one Paymob
// cash-in on its embedded sandbox. `node packed-smoke.cjs` uses require; packed-smoke.mjs
// passes the module it imported to pay().
const assert = require('node:assert/strict')
const { randomUUID } = require('node:crypto')

const KEY = 'packed-subscription-key'

async function pay(m, how) {
  const sb = await m.Sandbox.start({ port: 0 })
  try {
    const client = new m.Client({ baseUrl: sb.url })
    const apiUser = client.getReferenceId()
    const [okUser] = await client.createApiUser(apiUser, KEY, '127.0.0.1')
    const [okKey, key] = await client.createApiKey(apiUser, KEY)
    assert.ok(okUser && okKey, 'API user and key provisioned')
    const d = new m.Disbursements(KEY, { baseUrl: sb.url, apiUser, apiKey: key.apiKey })
    const reference = randomUUID()
    const [okTransfer, transfer] = await d.transfer(reference, null, 'sandbox', {
      amount: '100',
      currency: 'EUR',
      externalId: 'packed-install',
      payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
      payerMessage: 'packed install',
      payeeNote: 'packed install',
    })
    assert.equal(okTransfer, true, `transfer: ${JSON.stringify(transfer)}`)
    const [, status] = await d.getTransferStatus(reference)
    assert.equal(status.status, 'SUCCESSFUL')

    const paymob = new m.PaymobPayouts({
      clientId: 'sandbox-client-id',
      clientSecret: 'sandbox-client-secret',
      username: 'sandbox-user',
      password: 'sandbox-password',
      baseUrl: `${sb.url}/api/secure/`,
    })
    const [okCashin, cashin] = await paymob.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 100 })
    assert.equal(okCashin, true, `cash-in: ${JSON.stringify(cashin)}`)
    assert.equal(cashin.disbursement_status, 'successful')

    const ledger = await sb.ledger()
    assert.deepEqual(ledger.map((e) => e.provider).sort(), ['momo', 'paymob'])
    console.log(`${how}: MoMo transfer ${status.status}, Paymob cash-in ${cashin.disbursement_status}`)
  } finally {
    await sb.close()
  }
}

module.exports = { pay }

if (require.main === module) {
  pay(require('mobilemoney-native'), 'require').catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
