'use strict'
// Paymob beyond a single cash-in: the budget, inquiries and their rate limit, Aman
// cancellations, one token shared by concurrent calls, and the options checked at
// construction (against the embedded sandbox).
const { PaymobPayouts } = require('..')
const { CREDENTIALS, paymobWorld } = require('./support/paymob')
const { randomUUID, withWorld } = require('./support/helpers')

describe('budget, inquiries, rate limit, Aman', () => {
  test('the budget runs out', async () => {
    await withWorld(
      () => paymobWorld({ paymob: { budget: 100 } }),
      async ({ sb, payouts }) => {
        const p = payouts()
        expect((await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 80 }))[0]).toBe(true)
        const [ok, f] = await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 30 })
        expect(ok).toBe(false)
        expect(f).toMatchObject({ error: 'InvalidData', status: 400 })
        expect(f.message).toMatch(/budget/)
        const [, budget] = await p.budgetInquiry()
        expect(budget).toMatchObject({
          current_balance: 20,
          currency: 'EGP',
          current_budget: expect.stringContaining('20'),
        })
        expect((await sb.ledger()).filter((e) => e.status === 'successful')).toHaveLength(1)
      },
    )
  })

  test('inquiry by transaction id and by client reference', async () => {
    await withWorld(paymobWorld, async ({ sb, payouts }) => {
      const p = payouts()
      const ref = randomUUID()
      const [, paid] = await p.instantCashin({
        issuer: 'vodafone',
        msisdn: '01023456789',
        amount: 7,
        clientReferenceId: ref,
      })
      const [ok, byId] = await p.transactionInquiry({ transactionIds: [paid.transaction_id] })
      expect(ok).toBe(true)
      expect(byId).toMatchObject({ count: 1, next: null, previous: null })
      expect(byId.results[0]).toMatchObject({ transaction_id: paid.transaction_id, disbursement_status: 'successful' })
      const [ok2, byRef] = await p.transactionInquiry({ clientReferences: [ref] })
      expect(ok2).toBe(true)
      expect(byRef.results[0].transaction_id).toBe(paid.transaction_id)
      const paths = (await sb.requests()).map((r) => r.path)
      expect(paths).toContain('/api/secure/transaction/inquire/')
      expect(paths).toContain('/api/secure/transaction/inquire/by-reference/')
      const [bad, f] = await p.transactionInquiry({})
      expect(bad).toBe(false)
      expect(f.error).toBe('InvalidData')
    })
  })

  test('5 inquiries a minute: the client stops itself; another instance meets the server 429', async () => {
    await withWorld(paymobWorld, async ({ sb, payouts }) => {
      const p = payouts()
      for (let i = 0; i < 5; i++) expect((await p.budgetInquiry())[0]).toBe(true)
      const before = (await sb.stats()).paymobRequests
      const [ok, f] = await p.transactionInquiry({ transactionIds: [randomUUID()] })
      expect(ok).toBe(false)
      expect(f).toMatchObject({ error: 'RateLimited', retryable: true })
      expect((await sb.stats()).paymobRequests).toBe(before)
      const other = payouts({ maxRetries: 0 })
      const [ok2, g] = await other.budgetInquiry()
      expect(ok2).toBe(false)
      expect(g).toMatchObject({ error: 'RateLimited', status: 429, code: '429', retryable: true })
    })
  })

  test('an Aman transaction can be cancelled and its amount returns to the budget', async () => {
    await withWorld(paymobWorld, async ({ sb, payouts }) => {
      const p = payouts()
      const [, b0] = await p.budgetInquiry()
      const [ok, aman] = await p.instantCashin({
        issuer: 'aman',
        msisdn: '01023456789',
        firstName: 'Mona',
        lastName: 'Ali',
        email: 'mona@example.com',
        amount: 50,
      })
      expect(ok).toBe(true)
      expect(aman.aman_cashing_details).toMatchObject({ is_paid: false, is_cancelled: false })
      const [okC, cancelled] = await p.cancelAmanTransaction(aman.transaction_id)
      expect(okC).toBe(true)
      expect(cancelled.aman_cashing_details.is_cancelled).toBe(true)
      const [, b1] = await p.budgetInquiry()
      expect(b1.current_balance).toBe(b0.current_balance)
      expect((await sb.ledger())[0].status).toBe('cancelled')
      const [okMissing, nf] = await p.cancelAmanTransaction(randomUUID())
      expect(okMissing).toBe(false)
      expect(nf).toMatchObject({ error: 'NotFound', status: 404 })
    })
  })
})

test('50 concurrent cash-ins share one token request', async () => {
  await withWorld(paymobWorld, async ({ sb, payouts }) => {
    const p = payouts()
    const refs = Array.from({ length: 50 }, () => randomUUID())
    const results = await Promise.all(
      refs.map((clientReferenceId, i) =>
        p.instantCashin({ issuer: 'vodafone', msisdn: `0102${String(1000000 + i)}`, amount: 1 + i, clientReferenceId }),
      ),
    )
    results.forEach(([ok, data], i) => {
      expect(ok).toBe(true)
      expect(data.clientReferenceId).toBe(refs[i])
      expect(data.msisdn).toBe(`0102${String(1000000 + i)}`)
    })
    expect((await sb.stats()).paymobTokenRequests).toBe(1)
    const ledger = await sb.ledger()
    expect(ledger).toHaveLength(50)
    expect(new Set(ledger.map((e) => e.referenceId)).size).toBe(50)
  })
})

test('bad options throw one TypeError at construction', () => {
  for (const options of [
    undefined,
    null,
    5,
    {},
    { ...CREDENTIALS, baseUrl: 'http://example.com/api/secure/' },
    { ...CREDENTIALS, environment: 'moon' },
  ]) {
    // The addon's TypeError is of Node's main realm, not Jest's: compared by name.
    expect(() => new PaymobPayouts(options)).toThrow(expect.objectContaining({ name: 'TypeError' }))
  }
})
