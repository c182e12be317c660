'use strict'
// Inputs are treated alike across fields: a number is taken as a MoMo party id as it is as
// an amount, and NaN is reported as not a number (JSON turns it into null in a body).
const testing = require('../testing.js')
const { Disbursements } = require('..')
const { randomUUID } = require('./support/helpers')

expect.extend(testing.matchers)
const sandbox = testing.useSandbox()

let d
beforeAll(async () => {
  const account = await sandbox.momoAccount('disbursement')
  d = new Disbursements(account.subscriptionKey, account)
})

const body = (partyId, amount = 100) => ({ amount, currency: 'EUR', payee: { partyIdType: 'MSISDN', partyId } })

test('a number as partyId is sent as its digits, as a number amount is', async () => {
  const reference = randomUUID()
  expect(await d.transfer(reference, null, undefined, body(46733123499))).toBeOk()
  const [entry] = (await sandbox.sandbox.ledger()).filter((e) => e.referenceId === reference)
  expect(entry).toMatchObject({ party: '46733123499', amount: 100 })
  // Whole numbers only: 4.6e10 digits are fine, a fraction is not a phone number.
  expect(await d.transfer(randomUUID(), null, undefined, body(46733123.5))).toFailWith('InvalidData', {
    field: 'body.payee.partyId',
  })
})

test('NaN is reported as not a number, wherever it is', async () => {
  sandbox.sandbox.clearRequests()
  const [, amount] = await d.transfer(randomUUID(), null, undefined, body('46733123499', NaN))
  expect(amount).toMatchObject({ error: 'InvalidData', field: 'body.amount' })
  expect(amount.message).toBe(
    'body.amount must be a number or a string such as "100", got null or a number that is not finite (NaN, Infinity)',
  )
  const [, msisdn] = await d.getBasicUserInfo(NaN)
  expect(msisdn.message).toMatch(/ is NaN: not a number$/)
  expect((await sandbox.sandbox.stats()).requests).toBe(0)
})
