'use strict'
// Managed tokens: one request shared by concurrent calls, renewal before expiry, and 401s.
const { momoWorld, bearer, transferBody, randomUUID, sleep, withWorld } = require('./support/helpers')

test('50 concurrent calls with managed tokens make exactly one token request', async () => {
  await withWorld(momoWorld, async (world) => {
    const d = world.managed()
    world.sb.clearRequests()
    const refs = Array.from({ length: 50 }, () => randomUUID())
    const results = await Promise.all(
      refs.map((ref, i) => d.transfer(ref, undefined, undefined, transferBody(`4673312${String(3500 + i)}`, '1'))),
    )
    results.forEach(([ok, data], i) => expect([ok, data]).toEqual([true, { referenceId: refs[i] }]))
    const stats = await world.sb.stats()
    expect(stats.momoTokenRequests).toBe(1)
    expect(stats.momoRequests).toBe(51)
    // Each call read back its own reference: no mixed-up responses.
    const statuses = await Promise.all(refs.map((ref) => d.getTransferStatus(ref)))
    statuses.forEach(([ok, r], i) => {
      expect(ok).toBe(true)
      expect(r.payee.partyId).toBe(`4673312${String(3500 + i)}`)
    })
    expect((await world.sb.stats()).momoTokenRequests).toBe(1)
  })
})

test('a managed token is renewed before it expires', async () => {
  await withWorld(
    () => momoWorld({ tokenTtlSeconds: 1 }),
    async (world) => {
      const d = world.managed()
      world.sb.clearRequests()
      expect((await d.getAccountBalance())[0]).toBe(true)
      await sleep(1200)
      expect((await d.getAccountBalance())[0]).toBe(true)
      const stats = await world.sb.stats()
      expect(stats.momoTokenRequests).toBe(2)
      // No call failed with 401 on the way.
      const requests = await world.sb.requests()
      expect(requests.filter((r) => r.path.endsWith('/token/'))).toHaveLength(2)
    },
  )
})

test('an expired explicit token is Unauthorized; a foreign one too', async () => {
  await withWorld(
    () => momoWorld({ tokenTtlSeconds: 1 }),
    async (world) => {
      const d = world.plain()
      const auth = await bearer(world)
      expect((await d.getAccountBalance(auth, 'sandbox'))[0]).toBe(true)
      await sleep(1200)
      const [ok, f] = await d.getAccountBalance(auth, 'sandbox')
      expect(ok).toBe(false)
      expect(f).toMatchObject({ error: 'Unauthorized', status: 401, retryable: false })
      const [ok2, g] = await d.transfer(
        randomUUID(),
        'Bearer not-a-token-of-this-sandbox',
        'sandbox',
        transferBody('46733123499'),
      )
      expect(ok2).toBe(false)
      expect(g).toMatchObject({ error: 'Unauthorized', status: 401 })
      expect(await world.sb.ledger()).toHaveLength(0)
    },
  )
})

test('a bad subscription key is Unauthorized', async () => {
  await withWorld(
    () => momoWorld({ momo: { subscriptionKeys: ['test-subscription-key'] } }),
    async (world) => {
      const { Disbursements } = require('..')
      const d = new Disbursements('another-key', {
        baseUrl: world.sb.url,
        apiUser: world.apiUser,
        apiKey: world.apiKey,
      })
      const [ok, f] = await d.getAccountBalance()
      expect(ok).toBe(false)
      expect(f).toMatchObject({ error: 'Unauthorized', status: 401 })
    },
  )
})
