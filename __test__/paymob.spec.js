'use strict'
// PaymobPayouts through the embedded sandbox: tokens, every issuer, failures and bank
// settlement (the budget, inquiries and Aman in paymob.budget.spec.js).
const { paymobWorld } = require('./support/paymob')
const { randomUUID, eventually, sleep, withWorld } = require('./support/helpers')

describe('tokens', () => {
  test('generate, refresh with rotation, and the old refresh token is revoked', async () => {
    await withWorld(paymobWorld, async ({ sb, payouts }) => {
      const p = payouts()
      const [ok, token] = await p.generateToken()
      expect(ok).toBe(true)
      expect(token).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: expect.stringContaining('read') })
      const [ok2, rotated] = await p.refreshToken(token.refresh_token)
      expect(ok2).toBe(true)
      expect(rotated.refresh_token).not.toBe(token.refresh_token)
      expect(rotated.access_token).not.toBe(token.access_token)
      const [ok3, reused] = await p.refreshToken(token.refresh_token)
      expect(ok3).toBe(false)
      expect(reused).toMatchObject({ status: 400, code: 'invalid_grant' })
      // Without an argument, the cached (rotated) refresh token is used.
      const [ok4] = await p.refreshToken()
      expect(ok4).toBe(true)
      const requests = (await sb.requests()).filter((r) => r.path === '/api/secure/o/token/')
      expect(requests).toHaveLength(4)
      expect(requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded')
      expect(requests[0].headers.authorization).toBe('Basic [redacted]')
      expect(requests[0].body).toMatch(/grant_type=password/)
      expect(requests[1].body).toMatch(/grant_type=refresh_token/)
    })
  })

  test('tokens expire and are renewed automatically with the refresh grant', async () => {
    await withWorld(
      () => paymobWorld({ tokenTtlSeconds: 1 }),
      async ({ sb, payouts }) => {
        const p = payouts()
        expect((await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 5 }))[0]).toBe(true)
        await sleep(1200)
        expect((await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 5 }))[0]).toBe(true)
        const grants = (await sb.requests())
          .filter((r) => r.path === '/api/secure/o/token/')
          .map((r) => r.body.match(/grant_type=(\w+)/)[1])
        expect(grants).toEqual(['password', 'refresh_token'])
      },
    )
  })

  test('wrong credentials: no automatic retry of the password grant; five failures lock the user', async () => {
    await withWorld(paymobWorld, async ({ sb, payouts }) => {
      const bad = payouts({ password: 'wrong' })
      const [ok, f] = await bad.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 5 })
      expect(ok).toBe(false)
      expect(f.error).toBe('Unauthorized')
      expect(f.referenceId).toEqual(expect.any(String))
      // A second call does not send the password again.
      await bad.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 5 })
      expect((await sb.stats()).paymobTokenRequests).toBe(1)
      for (let i = 0; i < 4; i++) await bad.generateToken()
      const [okGood, locked] = await payouts().generateToken()
      expect(okGood).toBe(false)
      expect(locked).toMatchObject({ error: 'Forbidden', status: 403 })
      expect(await sb.ledger()).toEqual([])
    })
  })

  test('a wrong client secret is invalid_client', async () => {
    await withWorld(paymobWorld, async ({ payouts }) => {
      const [ok, f] = await payouts({ clientSecret: 'nope-nope' }).generateToken()
      expect(ok).toBe(false)
      expect(f).toMatchObject({ error: 'Unauthorized', status: 401, code: 'invalid_client' })
    })
  })
})

describe('instantCashin', () => {
  let world
  beforeAll(async () => {
    world = await paymobWorld({ settleAfterMs: 200, paymob: { inquiryLimitPerMinute: 1000 } })
  })
  afterAll(() => world.sb.close())

  const happy = [
    ['vodafone', { msisdn: '01023456789' }, 'successful'],
    ['etisalat', { msisdn: '01123456789' }, 'successful'],
    ['orange', { msisdn: '01223456789', fullName: 'Mona Ali' }, 'pending'],
    ['bank_wallet', { msisdn: '01123416789', fullName: 'Mona Ali' }, 'pending'],
    [
      'bank_card',
      {
        bankCardNumber: '1111222233334444',
        bankCode: 'CIB',
        bankTransactionType: 'cash_transfer',
        fullName: 'Mona Ali',
      },
      'pending',
    ],
    [
      'instant_bank',
      { bankCardNumber: 'EG829299835722904511873050307', bankCode: 'NBE', fullName: 'Mona Ali', amount: 150 },
      'pending',
    ],
    ['aman', { msisdn: '01023456789', firstName: 'Mona', lastName: 'Ali', email: 'mona@example.com' }, 'successful'],
  ]
  test.each(happy)('%s happy path', async (issuer, fields, status) => {
    const p = world.payouts()
    const clientReferenceId = randomUUID()
    const [ok, data] = await p.instantCashin({ issuer, amount: 100, clientReferenceId, ...fields })
    expect(ok).toBe(true)
    expect(data).toMatchObject({ disbursement_status: status, clientReferenceId, transaction_id: expect.any(String) })
    const entry = (await world.sb.ledger()).find((e) => e.referenceId === clientReferenceId)
    expect(entry).toMatchObject({ provider: 'paymob', kind: 'cashin', currency: 'EGP' })
    // A pending payout may already have settled (after 200 ms) on a slow machine.
    expect(status === 'pending' ? ['pending', 'successful'] : [status]).toContain(entry.status)
    const sent = (await world.sb.requests()).filter((r) => r.path === '/api/secure/disburse/').at(-1)
    const body = JSON.parse(sent.body)
    expect(body.issuer).toBe(issuer)
    expect(body.client_reference_id).toBe(clientReferenceId)
  })

  test('snake_case fields, pin and fees are accepted; a reference is generated when absent', async () => {
    const p = world.payouts()
    const [ok, data] = await p.instantCashin({
      issuer: 'VODAFONE',
      msisdn: '01023456789',
      amount: '12.50',
      pin: '123456',
      fees: 'No',
    })
    expect(ok).toBe(true)
    expect(data.clientReferenceId).toMatch(/^[0-9a-f-]{36}$/)
    const body = JSON.parse((await world.sb.requests()).filter((r) => r.path === '/api/secure/disburse/').at(-1).body)
    expect(body).toMatchObject({ issuer: 'vodafone', msisdn: '01023456789', pin: '123456', fees: 'No fees' })
    const [ok2] = await p.instantCashin({
      issuer: 'bank_card',
      bank_card_number: '1111 2222 3333 4444',
      bank_code: 'CIB',
      bank_transaction_type: 'salary',
      full_name: 'Mona Ali',
      amount: 10,
    })
    expect(ok2).toBe(true)
  })

  const invalid = [
    [{ issuer: 'vodafone', amount: 5 }, 'msisdn'],
    [{ issuer: 'vodafone', msisdn: '1023456789', amount: 5 }, 'msisdn'],
    [{ issuer: 'vodafone', msisdn: '01023456789' }, 'amount'],
    [{ issuer: 'vodafone', msisdn: '01023456789', amount: -1 }, 'amount'],
    [{ issuer: 'vodafone', msisdn: '01023456789', amount: 1.234 }, 'amount'],
    [{ issuer: 'carrier-pigeon', msisdn: '01023456789', amount: 5 }, 'issuer'],
    [{ msisdn: '01023456789', amount: 5 }, 'issuer'],
    [
      { issuer: 'bank_card', amount: 5, bankCode: 'CIB', bankTransactionType: 'salary', fullName: 'A B' },
      'bankCardNumber',
    ],
    [
      {
        issuer: 'bank_card',
        amount: 5,
        bankCardNumber: '1111222233334444',
        bankCode: 'NOPE',
        bankTransactionType: 'salary',
        fullName: 'A B',
      },
      'bankCode',
    ],
    [
      {
        issuer: 'bank_card',
        amount: 5,
        bankCardNumber: '1111222233334444',
        bankCode: 'CIB',
        bankTransactionType: 'gift',
        fullName: 'A B',
      },
      'bankTransactionType',
    ],
    [
      {
        issuer: 'bank_card',
        amount: 5,
        bankCardNumber: '1111222233334444',
        bankCode: 'CIB',
        bankTransactionType: 'salary',
        fullName: 'A <B>',
      },
      'fullName',
    ],
    [{ issuer: 'aman', amount: 5, msisdn: '01023456789', firstName: 'A', lastName: 'B' }, 'email'],
    [{ issuer: 'instant_bank', amount: 50, bankCardNumber: '123456789', bankCode: 'NBE', fullName: 'A B' }, 'amount'],
    [{ issuer: 'vodafone', msisdn: '01023456789', amount: 5, pin: '12' }, 'pin'],
    [{ issuer: 'vodafone', msisdn: '01023456789', amount: 5, fees: 'All' }, 'fees'],
    [{ issuer: 'vodafone', msisdn: '01023456789', amount: 5, clientReferenceId: 'not-a-uuid' }, 'clientReferenceId'],
  ]
  test.each(invalid)('invalid %j is caught locally (%s)', async (request, field) => {
    const p = world.payouts()
    world.sb.clearRequests()
    const [ok, f] = await p.instantCashin(request)
    expect(ok).toBe(false)
    expect(f.error).toBe('InvalidData')
    expect(f.field).toMatch(new RegExp(field, 'i'))
    expect(f.retryable).toBe(false)
    expect((await world.sb.stats()).requests).toBe(0)
  })

  const failures = [
    ['01000000618', '618'],
    ['01000006061', '6061'],
    ['01000006065', '6065'],
    ['01000000424', '424'],
  ]
  test.each(failures)('%s fails with ProviderError %s, and the budget is not drawn', async (msisdn, code) => {
    const p = world.payouts()
    const [, before] = await world.payouts({ inquiriesPerMinute: 100 }).budgetInquiry()
    const ref = randomUUID()
    const [ok, f] = await p.instantCashin({ issuer: 'vodafone', msisdn, amount: 10, clientReferenceId: ref })
    expect(ok).toBe(false)
    expect(f).toMatchObject({ error: 'ProviderError', code, referenceId: ref, retryable: false })
    expect(f.body).toMatchObject({ disbursement_status: 'failed', status_code: code })
    const [, after] = await world.payouts({ inquiriesPerMinute: 100 }).budgetInquiry()
    expect(after.current_balance).toBe(before.current_balance)
  })

  test('etisalat 90040 fails', async () => {
    const [ok, f] = await world.payouts().instantCashin({ issuer: 'etisalat', msisdn: '01100090040', amount: 10 })
    expect(ok).toBe(false)
    expect(f).toMatchObject({ error: 'ProviderError', code: '90040' })
  })

  test.each([
    ['01000000408', '408'],
    ['01000000501', '501'],
  ])('%s is an unknown outcome (%s), never a success', async (msisdn, code) => {
    const ref = randomUUID()
    const [ok, f] = await world
      .payouts()
      .instantCashin({ issuer: 'vodafone', msisdn, amount: 10, clientReferenceId: ref })
    expect(ok).toBe(false)
    expect(f).toMatchObject({ error: 'UnknownOutcome', code, referenceId: ref, retryable: true })
  })

  test('pending bank payouts settle; a rejected card returns its amount', async () => {
    const p = world.payouts({ inquiriesPerMinute: 100 })
    const good = randomUUID()
    const bad = randomUUID()
    await p.instantCashin({
      issuer: 'bank_card',
      amount: 40,
      clientReferenceId: good,
      bankCardNumber: '1111222233334444',
      bankCode: 'CIB',
      bankTransactionType: 'salary',
      fullName: 'Mona Ali',
    })
    const [, before] = await p.budgetInquiry()
    await p.instantCashin({
      issuer: 'bank_card',
      amount: 40,
      clientReferenceId: bad,
      bankCardNumber: '1111222233330000',
      bankCode: 'CIB',
      bankTransactionType: 'salary',
      fullName: 'Mona Ali',
    })
    const settled = await eventually(
      async () => {
        const [ok, r] = await p.transactionInquiry({ transactionIds: [good, bad], bank: true })
        return ok && r.results.length === 2 && r.results.every((t) => t.disbursement_status !== 'pending') && r
      },
      5000,
      100,
    )
    const byRef = Object.fromEntries(settled.results.map((t) => [t.client_transaction_reference, t]))
    expect(byRef[good]).toMatchObject({ disbursement_status: 'successful', status_code: '8333' })
    expect(byRef[bad]).toMatchObject({ disbursement_status: 'rejected', status_code: '000001' })
    const [, after] = await p.budgetInquiry()
    expect(after.current_balance).toBe(before.current_balance)
    const ledger = await world.sb.ledger()
    expect(ledger.find((e) => e.referenceId === bad).status).toBe('rejected')
  })
})
