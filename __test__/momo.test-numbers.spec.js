'use strict'
// Every official sandbox test number, through the client and the sandbox.
const { momoWorld, transferBody, randomUUID } = require('./support/helpers')

let world
let d
beforeAll(async () => {
  world = await momoWorld()
  d = world.managed()
})
afterAll(() => world.sb.close())

const n = (suffix) => `467331234${suffix}`

// [suffix, expectation]: 'SUCCESSFUL', 'PENDING', ['FAILED', reason] or ['HTTP', code].
const failed = (reason) => ['FAILED', reason]
const failures = (...reasons) => reasons.map(failed)
// MTN's three tables share two runs: three failures then two pending, and five HTTP errors.
const OPENING = [
  failed('INTERNAL_PROCESSING_ERROR'),
  failed('APPROVAL_REJECTED'),
  failed('EXPIRED'),
  'PENDING',
  'PENDING',
]
const HTTP_ERRORS = [
  'NOT_ALLOWED_TARGET_ENVIRONMENT',
  'INVALID_CALLBACK_URL_HOST',
  'INVALID_CURRENCY',
  'INTERNAL_PROCESSING_ERROR',
  'SERVICE_UNAVAILABLE',
].map((code) => ['HTTP', code])
/** Rows for consecutive numbers from `first`: [String(first + i), expectation]. */
const numbered = (first, expectations) => expectations.map((expected, i) => [String(first + i), expected])

const transfers = [
  ...numbered(50, [
    ...OPENING,
    ...failures('NOT_ENOUGH_FUNDS', 'PAYER_LIMIT_REACHED', 'PAYEE_NOT_FOUND', 'NOT_ALLOWED'),
    ...HTTP_ERRORS,
  ]),
  ['99', 'SUCCESSFUL'],
]

const deposits = [
  ...numbered(50, [
    ...OPENING,
    ...failures('PAYEE_NOT_FOUND', 'PAYEE_NOT_ALLOWED_TO_RECEIVE', 'NOT_ALLOWED'),
    ...HTTP_ERRORS,
    failed('COULD_NOT_PERFORM_TRANSACTION'),
  ]),
  ['98', 'SUCCESSFUL'],
]

const refunds = [
  ...numbered(1, [
    failed('TRANSACTION_NOT_FOUND'),
    ...OPENING,
    failed('NOT_ALLOWED'),
    ...HTTP_ERRORS,
    failed('COULD_NOT_PERFORM_TRANSACTION'),
  ]),
  ['any', 'SUCCESSFUL'],
]

async function check(kind, body, expected) {
  const ref = randomUUID()
  const pay = { transfer: d.transfer, deposit: d.deposit, refund: d.refund }[kind].bind(d)
  const status = { transfer: d.getTransferStatus, deposit: d.getDepositStatus, refund: d.getRefundStatus }[kind].bind(d)
  const [ok, data] = await pay(ref, null, 'sandbox', body)
  const ledger = (await world.sb.ledger()).filter((e) => e.referenceId === ref)
  if (Array.isArray(expected) && expected[0] === 'HTTP') {
    expect(ok).toBe(false)
    expect(data).toMatchObject({ error: 'MomoServerError', status: 500, code: expected[1], referenceId: ref })
    expect(data.retryable).toBe(expected[1] === 'SERVICE_UNAVAILABLE')
    expect(ledger).toHaveLength(0)
    return
  }
  expect([ok, data]).toEqual([true, { referenceId: ref }])
  const [okS, result] = await status(ref)
  expect(okS).toBe(true)
  expect(ledger).toHaveLength(1)
  if (Array.isArray(expected)) {
    expect(result.status).toBe('FAILED')
    expect(result.reason).toEqual({ code: expected[1], message: expect.any(String) })
    expect(result.financialTransactionId).toBeUndefined()
    expect(ledger[0].status).toBe('FAILED')
  } else {
    expect(result.status).toBe(expected)
    expect(result.reason).toBeUndefined()
    if (expected === 'SUCCESSFUL') expect(result.financialTransactionId).toEqual(expect.any(String))
    expect(ledger[0].status).toBe(expected)
  }
}

describe('transfer test numbers', () => {
  test.each(transfers)('…%s', (suffix, expected) => check('transfer', transferBody(n(suffix), '1'), expected))
})

describe('deposit test numbers', () => {
  test.each(deposits)('…%s', (suffix, expected) => check('deposit', transferBody(n(suffix), '1'), expected))
})

describe('refund test values (externalId)', () => {
  test.each(refunds)('%s', (value, expected) =>
    check('refund', { amount: '1', currency: 'EUR', externalId: value, referenceIdToRefund: randomUUID() }, expected),
  )
})

describe('account holder test values', () => {
  // Each kind of id has six test values with the same answers, in this order.
  const http = ['NOT_ALLOWED', 'NOT_ALLOWED_TARGET_ENVIRONMENT', 'INTERNAL_PROCESSING_ERROR', 'SERVICE_UNAVAILABLE']
  const ANSWERS = [['HTTP404'], false, ...http.map((code) => ['HTTP', code])]
  const holders = (type, accounts) => accounts.map((account, i) => [type, account, ANSWERS[i]])
  const cases = [
    ...holders('msisdn', ['50', '51', '52', '53', '54', '55'].map(n)),
    ['msisdn', n('99'), true],
    ...holders('email', [
      'notfound@email.com',
      'notactive@email.com',
      'notallowed@email.com',
      'notallowedtargetenvironment@email.com',
      'internalprocessingerror@email.com',
      'serviceunavailable@email.com',
    ]),
    ...holders('party_code', [
      '5cecb5a7-8bd0-4f49-87b1-8eb9ecc7b7bc',
      'b0040b3c-b426-4a90-af6e-673e65861cd7',
      '4d5f500f-c385-4901-9be5-25b6d36ad220',
      'd2265f9b-0c22-496d-908f-79a65ad66266',
      '8f548a78-ceb8-4d12-a243-5640b91e91a4',
      '585c07a4-2c80-42f7-9e73-e586b36dee68',
    ]),
    ['party_code', '11111111-2222-4333-8444-555555555555', true],
  ]
  test.each(cases)('%s %s', async (type, account, expected) => {
    const [ok, data] = await d.isActive(account, type, null, 'sandbox')
    if (expected === true || expected === false) {
      expect([ok, data]).toEqual([true, { result: expected }])
    } else if (expected[0] === 'HTTP404') {
      expect(ok).toBe(false)
      expect(data).toMatchObject({ error: 'NotFound', status: 404 })
    } else {
      expect(ok).toBe(false)
      expect(data).toMatchObject({ error: 'MomoServerError', status: 500, code: expected[1] })
    }
  })
})
