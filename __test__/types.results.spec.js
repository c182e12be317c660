'use strict'
// The generated result types (binding.d.ts, from src/types/) against what the addon
// really resolves: each MoMo, Paymob and payouts result has only declared keys (unless
// its type has an index signature) and every required one. src/types/tests.rs ties the
// same types to the core in Rust.
const fs = require('node:fs')
const path = require('node:path')
const { Client, Payouts, parseCallback } = require('..')
const { randomUUID, transferBody } = require('./support/helpers')
const products = require('./support/momo-products')
const { paymobWorld, walletCashin } = require('./support/paymob')
const { payoutsWorld, momoItem, paymobItem } = require('./support/payouts')
const { DTS, fields, indexed, conforms } = require('./support/dts')

/** `data` of an ok result, checked against the declared interface `name`. */
function checked(name, result) {
  expect([result[0], name]).toEqual([true, name])
  is(name, result[1])
  return result[1]
}

/** The keys each type with an index signature was seen with beyond its declared fields. */
const undeclared = {}

function is(name, value) {
  const declared = fields(name)
  if (indexed(name)) {
    for (const [key, optional] of Object.entries(declared)) if (!optional) expect(value).toHaveProperty(key)
    for (const key of Object.keys(value)) if (!(key in declared)) (undeclared[name] ||= new Set()).add(key)
  } else {
    conforms(value, declared)
  }
}

/** Poll a status read until it leaves PENDING/CREATED. */
async function settled(get) {
  for (let i = 0; i < 200; i++) {
    const result = await get()
    if (!result[0] || !['PENDING', 'CREATED'].includes(result[1].status)) return result
    await new Promise((r) => setTimeout(r, 25))
  }
  return get()
}

const GENERATED = [
  'Failure',
  'RequestEvent',
  'Party',
  'AccessToken',
  'Balance',
  'BasicUserInfo',
  'UserInfo',
  'TransactionResult',
  'PaymentAccepted',
  'RequestToPayResult',
  'InvoiceResult',
  'PreApprovalResult',
  'PaymentResult',
  'CashTransferResult',
  'PreApprovalDetails',
  'BcAuthorizeResult',
  'Oauth2Token',
  'ApiUserCreated',
  'ApiUser',
  'PaymobToken',
  'PaymobTransaction',
  'CashinResult',
  'BudgetResult',
  'InquiryResult',
  'ParsedCallback',
  'HeldReason',
  'VerifyResult',
  'DecisionResult',
  'BatchSummary',
  'PayoutProgress',
  'PayoutItemState',
  'PayoutStep',
  'ReconcileManyResult',
  'PayoutResolution',
  'RetryResult',
  'TransferBody',
  'RefundBody',
  'RequestToPayBody',
  'InvoiceBody',
  'PreApprovalBody',
  'PaymentBody',
  'CashTransferBody',
  'BcAuthorizeRequest',
  'Oauth2TokenRequest',
  'CashinRequest',
  'InquiryQuery',
  'PayoutResolutionInput',
  'TransportOptions',
  'DisbursementsOptions',
  'ClientOptions',
  'PaymobOptions',
  'PayoutsPacing',
  'PayoutsOptions',
  'PayoutsRedisOptions',
  'PayoutsQueueOptions',
  'WorkOptions',
  'PayoutJob',
  'PayoutsWorkerEvents',
  'VerifyOptions',
  'RunOptions',
]

test('the result, body and option types are generated; the header keeps only index signatures', () => {
  const header = fs.readFileSync(path.join(__dirname, '..', 'types', 'header.d.ts'), 'utf8')
  for (const name of GENERATED) {
    const own = header.match(new RegExp(`interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`))
    if (own) expect([name, own[1].trim()]).toEqual([name, expect.stringMatching(/^\[\w+: string\]: unknown$/)])
    expect([name, Object.keys(fields(name)).length > 0]).toEqual([name, true])
  }
  expect(GENERATED.filter(indexed)).toEqual([
    'BasicUserInfo',
    'UserInfo',
    'InvoiceResult',
    'PreApprovalDetails',
    'PaymobTransaction',
    'CashinResult',
    'PayoutItemState',
    'PayoutStep',
    'PayoutsRedisOptions',
  ])
  // Their TSDoc is text (a `///` passed through `sharing!` would print as `r" …`).
  expect(DTS).not.toMatch(/^\s*(\/\*\*|\*) r"/m)
  // A Failure's HTTP status is not `status`, which a transaction result declares.
  expect(fields('Failure')).not.toHaveProperty('status')
  expect(fields('TransactionResult')).toHaveProperty('status', false)
})

test('MoMo results: Client, Disbursements, Collection and Remittance', async () => {
  const world = await products.productsWorld({ settleAfterMs: 0 })
  try {
    const client = new Client({ baseUrl: world.sb.url })
    client.isSandbox()
    const user = randomUUID()
    checked('ApiUserCreated', await client.createApiUser(user, 'test-subscription-key', '127.0.0.1'))
    checked('ApiUser', await client.getApiUser(user, 'test-subscription-key'))

    const events = []
    const d = world.managed({ onEvent: (e) => events.push(e) })
    const [found, failure] = await d.getTransferStatus(randomUUID())
    expect([found, failure.error]).toEqual([false, 'NotFound'])
    // `status` is at run time for mobilemoney.js's code only: the types declare httpStatus.
    const { status, ...declared } = failure
    expect(status).toBe(declared.httpStatus)
    is('Failure', declared)
    const [valid, invalid] = await d.transfer('not-a-uuid', undefined, 'sandbox', transferBody('46733123499'))
    expect(valid).toBe(false)
    is('Failure', invalid)
    checked('AccessToken', await world.plain().createAccessToken(world.basic))
    checked('Balance', await d.getAccountBalance(undefined, 'sandbox'))
    checked('BasicUserInfo', await d.getBasicUserInfo('46733123499'))
    const ref = randomUUID()
    const accepted = checked(
      'PaymentAccepted',
      await d.transfer(ref, undefined, 'sandbox', transferBody('46733123499')),
    )
    expect(accepted.referenceId).toBe(ref)
    const failed = checked('TransactionResult', await settled(() => d.getTransferStatus(ref)))
    is('Party', failed.payee)
    expect(events.length).toBeGreaterThan(2)
    for (const e of events) expect(Object.keys(e).sort()).toEqual(Object.keys(fields('RequestEvent')).sort())

    const c = world.collection()
    const rtp = randomUUID()
    checked('PaymentAccepted', await c.requestToPay(null, rtp, 'sandbox', products.payBody('46733123450', '5')))
    const paid = checked('RequestToPayResult', await settled(() => c.getRequestToPayStatus(null, rtp)))
    expect(paid.reason).toEqual({ code: expect.any(String), message: expect.any(String) })
    const inv = randomUUID()
    checked('PaymentAccepted', await c.createInvoice(null, inv, 'sandbox', products.invoiceBody('46733123499')))
    checked('InvoiceResult', await c.getInvoiceStatus(null, inv))
    const pre = randomUUID()
    checked('PaymentAccepted', await c.createPreApproval(null, pre, 'sandbox', products.preApprovalBody('46733123499')))
    checked('PreApprovalResult', await settled(() => c.getPreApprovalStatus(null, pre)))
    const approved = await c.getApprovedPreApprovals('msisdn', '46733123499')
    expect(approved[0]).toBe(true)
    expect(approved[1].length).toBeGreaterThan(0)
    for (const details of approved[1]) is('PreApprovalDetails', details)
    const pay = randomUUID()
    checked('PaymentAccepted', await c.createPayment(null, pay, 'sandbox', products.paymentBody()))
    checked('PaymentResult', await settled(() => c.getPaymentStatus(null, pay)))
    const grant = checked(
      'BcAuthorizeResult',
      await c.bcAuthorize(null, 'sandbox', { scope: 'profile', login_hint: 'ID:46733123499/MSISDN' }),
    )
    const token = checked(
      'Oauth2Token',
      await c.createOauth2Token(null, {
        grant_type: 'urn:openid:params:grant-type:ciba',
        auth_req_id: grant.auth_req_id,
      }),
    )
    checked('UserInfo', await c.askUserInfo(`Bearer ${token.access_token}`, 'sandbox'))

    const r = world.remittance()
    const cash = randomUUID()
    checked('PaymentAccepted', await r.cashTransfer(cash, null, 'sandbox', products.cashTransferBody('46733123499')))
    const sent = checked('CashTransferResult', await settled(() => r.getCashTransferStatus(cash)))
    is('Party', sent.payee)
  } finally {
    await world.sb.close()
  }
})

test('Paymob results and parsed callbacks', async () => {
  const world = await paymobWorld()
  try {
    const p = world.payouts()
    checked('PaymobToken', await p.generateToken())
    const cashin = checked('CashinResult', await p.instantCashin(walletCashin(randomUUID())))
    // A business failure: a Failure whose body is the Paymob transaction.
    const [sent, refused] = await p.instantCashin({ ...walletCashin(randomUUID()), msisdn: '01000000618' })
    expect([sent, refused.error]).toEqual([false, 'ProviderError'])
    const { status, ...failure } = refused
    expect(status).toBe(failure.httpStatus)
    is('Failure', failure)
    is('PaymobTransaction', refused.body)
    expect(refused.body.disbursement_status).toBe('failed')
    checked('BudgetResult', await p.budgetInquiry())
    const found = checked(
      'InquiryResult',
      await p.transactionInquiry({ clientReferences: [cashin.clientReferenceId, refused.referenceId] }),
    )
    expect(found.results).toHaveLength(2)
    for (const t of found.results) is('PaymobTransaction', t)

    for (const body of [
      { disbursement_status: 'failed', status_code: '618', status_description: 'x', client_transaction_reference: 'r' },
      { status: 'FAILED', reason: 'APPROVAL_REJECTED', amount: '5' },
    ]) {
      checked('ParsedCallback', parseCallback(body, { 'x-reference-id': randomUUID() }))
    }
  } finally {
    await world.sb.close()
  }
})

test('payouts results: summary, items, steps, verify, decisions, retryFailed', async () => {
  const w = await payoutsWorld()
  const [opened, payouts] = await Payouts.open(w.options())
  expect(opened).toBe(true)
  try {
    w.sb.setAccountHolder('46733120001', { givenName: 'John', familyName: 'Okafor' })
    w.sb.setAccountHolder('46733120003', { givenName: 'Amara', familyName: 'Mensah' })
    const items = [
      { ...momoItem('exact', '46733120001'), name: 'John Okafor' },
      { ...momoItem('mismatch', '46733120003'), name: 'Amara Traore' },
      { ...momoItem('missing', '46733123450'), name: 'Nobody Here' },
      momoItem('bad', '46733123457'),
      paymobItem('wallet'),
      paymobItem('bad2', '01000000618'),
    ]
    // submit adds whether it created the batch to the summary.
    const [submitted, { created, ...submittedSummary }] = await payouts.submit('types', items)
    expect([submitted, created]).toEqual([true, true])
    is('BatchSummary', submittedSummary)
    const verified = checked('VerifyResult', await payouts.verify('types'))
    expect(verified.held).toBe(2)
    for (const item of verified.items) {
      is('PayoutItemState', item)
      is('HeldReason', item.reason)
    }
    for (const u of verified.unverified) expect(Object.keys(u).sort()).toEqual(['key', 'reason'])
    const approved = checked('DecisionResult', await payouts.approve('types', ['mismatch'], { note: 'same person' }))
    for (const item of approved.items) is('PayoutItemState', item)
    checked('DecisionResult', await payouts.reject('types', ['missing'], 'not on the payroll'))

    const step = checked('PayoutStep', await payouts.process('types', 'exact'))
    expect(step.needsLookup).toEqual(expect.any(Boolean))
    const many = checked('ReconcileManyResult', await payouts.reconcileMany('types', ['exact', 'wallet']))
    for (const s of many.items) is('PayoutStep', s)

    const progress = []
    const summary = checked('BatchSummary', await payouts.run('types', { onProgress: (e) => progress.push(e) }))
    expect(summary.byStatus).toMatchObject({ successful: 3, failed: 2, refused: 1 })
    expect(progress.length).toBeGreaterThan(0)
    for (const e of progress) is('PayoutProgress', e)
    const [listed, rows] = await payouts.items('types')
    expect(listed).toBe(true)
    for (const row of rows) is('PayoutItemState', row)

    const retried = checked('RetryResult', await payouts.retryFailed('types'))
    expect(retried.retried).toBe(2)
    for (const item of retried.items) {
      expect(Object.keys(item).sort()).toEqual(['generation', 'key', 'previousReferenceId', 'referenceId'])
    }
    for (const s of retried.skipped) expect(Object.keys(s).sort()).toEqual(['key', 'why'])
    checked('BatchSummary', await payouts.summary('types'))
  } finally {
    await payouts.close()
    await w.cleanup()
  }
})

// After the tests above: what they met beyond the declared fields of the types with an
// index signature is the provider's other fields (or, for items, what was submitted), so
// a declared field misspelt or dropped would show up here.
test('the keys left to index signatures are the ones the declarations leave out', () => {
  const paymob = [
    'accept_balance_transfer_id',
    'created_at',
    'fees',
    'full_name',
    'msisdn',
    'reference_id',
    'updated_at',
    'vat',
  ]
  const submitted = ['issuer', 'msisdn', 'name', 'note', 'party']
  expect(Object.fromEntries(Object.entries(undeclared).map(([name, keys]) => [name, [...keys].sort()]))).toEqual({
    BasicUserInfo: ['name', 'sub', 'updated_at'],
    UserInfo: [
      'active',
      'address',
      'city_of_birth',
      'country_of_birth',
      'credit_score',
      'email_verified',
      'employer_name',
      'identification_type',
      'identification_value',
      'occupation',
      'phone_number_verified',
      'region_of_birth',
      'updated_at',
    ],
    InvoiceResult: ['payee', 'payeeFirstName', 'payeeLastName'],
    PreApprovalDetails: ['approvedTime', 'createdTime', 'expiryTime', 'message'],
    PaymobTransaction: paymob,
    CashinResult: paymob,
    PayoutItemState: submitted,
    PayoutStep: submitted,
  })
})
