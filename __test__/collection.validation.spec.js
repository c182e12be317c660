'use strict'
// Collection and Remittance check every argument and body before sending: a bad one
// resolves [false, failure] naming the field, and the sandbox sees nothing.
const { randomUUID, specWorld } = require('./support/helpers')
const {
  productsWorld,
  payBody,
  invoiceBody,
  preApprovalBody,
  paymentBody,
  cashTransferBody,
} = require('./support/momo-products')

const world = specWorld(productsWorld)
let c
let r
beforeAll(async () => {
  c = world.collection()
  r = world.remittance()
  await c.getAccountBalance() // tokens first: the requests below must be the only ones
  await r.getAccountBalance()
})
beforeEach(() => world.sb.clearRequests())
afterEach(async () => expect(await world.sb.requests()).toEqual([]))

const id = () => randomUUID()
const failsOn = (result, field, error = 'InvalidData') => {
  expect(result[0]).toBe(false)
  expect(result[1]).toMatchObject({ error, field })
  expect(result[1].message.split('. ').length).toBe(1)
}

test.each([
  ['requestToPay', 'body.payer', { ...payBody('46733123499'), payer: undefined }],
  ['requestToPay', 'body.amount', payBody('46733123499', '-3')],
  ['requestToPay', 'body.currency', payBody('46733123499', '1', { currency: 'eur' })],
  ['requestToPay', 'body.payer.partyId', payBody('12')],
  ['requestToPay', 'body.payerMessage', payBody('46733123499', '1', { payerMessage: 'a & b' })],
  ['withdraw', 'body.payer', { amount: '1', currency: 'EUR' }],
  ['requestToWithdraw', 'body.amount', payBody('46733123499', '1.234')],
  ['createInvoice', 'body.intendedPayer', { ...invoiceBody('46733123499'), intendedPayer: 'x' }],
  ['createInvoice', 'body.validityDuration', { ...invoiceBody('46733123499'), validityDuration: -1 }],
  ['createPreApproval', 'body.payerCurrency', { ...preApprovalBody('46733123499'), payerCurrency: 'euro' }],
  ['createPreApproval', 'body.validityTime', { ...preApprovalBody('46733123499'), validityTime: 'soon' }],
  ['createPayment', 'body.money', { ...paymentBody(), money: '12' }],
  ['createPayment', 'body.money.amount', { ...paymentBody(), money: { amount: '0', currency: 'EUR' } }],
  ['createPayment', 'body.customerReference', { ...paymentBody(), customerReference: undefined }],
  ['createPayment', 'body.serviceProviderUserName', { ...paymentBody(), serviceProviderUserName: undefined }],
  ['createPayment', 'body.includeSenderCharges', { ...paymentBody(), includeSenderCharges: 'yes' }],
])('Collection %s: %s is checked', async (method, field, body) => {
  failsOn(await c[method](null, id(), 'sandbox', body), field)
})

test.each([
  ['transfer', 'body.payee', { amount: '1', currency: 'EUR' }],
  ['cashTransfer', 'body.orginatingCountry', cashTransferBody('46733123499', '1', { orginatingCountry: 'Ghana' })],
  [
    'cashTransfer',
    'body.payerIdentificationType',
    cashTransferBody('46733123499', '1', { payerIdentificationType: 'CARD' }),
  ],
  ['cashTransfer', 'body.originalCurrency', cashTransferBody('46733123499', '1', { originalCurrency: 'cedi' })],
  ['cashTransfer', 'body.payerMsisdn', cashTransferBody('46733123499', '1', { payerMsisdn: '+233-24' })],
])('Remittance %s: %s is checked', async (method, field, body) => {
  failsOn(await r[method](id(), null, 'sandbox', body), field)
})

test('a reference that is not a UUID v4 is refused, in either argument order', async () => {
  failsOn(await c.requestToPay(null, 'not-a-uuid', 'sandbox', payBody('46733123499')), 'uuid', 'InvalidUniqueIDVersion')
  failsOn(await c.getRequestToPayStatus('Bearer abc', 'nope'), 'uuid', 'InvalidUniqueIDVersion')
  failsOn(await r.getCashTransferStatus('nope'), 'uuid', 'InvalidUniqueIDVersion')
})

test('authorization must be a Bearer value (or absent with managed tokens)', async () => {
  const plain = world.plainCollection()
  failsOn(
    await plain.requestToPay(null, id(), 'sandbox', payBody('46733123499')),
    'authorization',
    'InvalidBearerToken',
  )
  failsOn(
    await c.requestToPay('Basic abc', id(), 'sandbox', payBody('46733123499')),
    'authorization',
    'InvalidBearerToken',
  )
})

test('the other Collection calls check their arguments', async () => {
  failsOn(await c.requestToPayDeliveryNotification(null, id(), 'sandbox', ''), 'message')
  failsOn(await c.requestToPayDeliveryNotification(null, id(), 'sandbox', 'x'.repeat(161)), 'message')
  failsOn(await c.requestToPayDeliveryNotification(null, id(), 'sandbox', 'ok', 'en_GB!'), 'language')
  failsOn(await c.cancelInvoice(null, id(), 'sandbox', { externalId: 7 }), 'body.externalId')
  failsOn(await c.getApprovedPreApprovals('passport', '1'), 'accountHolderIdType')
  failsOn(await c.getApprovedPreApprovals('msisdn', 'abc'), 'accountHolderId')
  failsOn(await c.cancelPreApproval(null, 'x'), 'preApprovalId', 'InvalidUniqueIDVersion')
})

test('the consent requests are checked field by field', async () => {
  failsOn(await c.bcAuthorize(null, 'sandbox', { scope: 'profile' }), 'request.login_hint')
  failsOn(
    await c.bcAuthorize(null, 'sandbox', {
      scope: 'profile',
      login_hint: 'ID:46733123450/MSISDN',
      access_type: 'forever',
    }),
    'request.access_type',
  )
  failsOn(await r.bcAuthorize(null, 'sandbox', 'scope=profile'), 'request')
  failsOn(await c.createOauth2Token(null, { auth_req_id: 'x' }), 'request.grant_type')
  failsOn(await c.createOauth2Token('Bearer x', { grant_type: 'refresh_token' }), 'authorization', 'InvalidBasicToken')
})

test('util.inspect of a Collection or Remittance shows its configuration, never a secret', () => {
  const { inspect } = require('node:util')
  for (const k of [c, r]) {
    const shown = inspect(k)
    expect(shown).toMatch(/^(Collection|Remittance) \{/)
    expect(shown).toContain('managedTokens: true')
    for (const secret of [world.apiKey, 'test-subscription-key']) expect(shown).not.toContain(secret)
  }
  expect(c.toJSON()).toMatchObject({ product: 'collection', subscriptionKey: '[redacted]' })
  expect(r.toJSON()).toMatchObject({ product: 'remittance', subscriptionKey: '[redacted]' })
})
