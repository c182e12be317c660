'use strict'
// Managed tokens per product: each product its own subscription key and its own token
// endpoint; one token request serves concurrent calls; a product's token is not another's.
const { Collection, Remittance } = require('..')
const { specWorld, momoWorld } = require('./support/helpers')

const world = specWorld(() =>
  momoWorld({ momo: { productKeys: { collection: ['collection-key'], remittance: ['remittance-key'] } } }),
)
beforeEach(() => world.sb.clearRequests())

const managed = (Class, key) =>
  new Class(key, { baseUrl: world.sb.url, apiUser: world.apiUser, apiKey: world.apiKey, retryBackoffMs: 20 })

test('each product fetches its own token once with its own key, for any number of concurrent calls', async () => {
  const c = managed(Collection, 'collection-key')
  const r = managed(Remittance, 'remittance-key')
  const results = await Promise.all([...Array(10)].flatMap(() => [c.getAccountBalance(), r.getAccountBalance()]))
  expect(results.every(([ok]) => ok)).toBe(true)
  const tokens = (await world.sb.requests()).filter((q) => q.method === 'POST' && q.path.endsWith('/token/'))
  expect(tokens.map((q) => q.path).sort()).toEqual(['/collection/token/', '/remittance/token/'])
})

test("a product refuses another product's subscription key", async () => {
  const [ok, failure] = await managed(Collection, 'remittance-key').getAccountBalance()
  expect(ok).toBe(false)
  expect(failure).toMatchObject({ error: 'Unauthorized', status: 401 })
  expect(JSON.stringify(failure)).not.toContain('remittance-key')
})

test('a Collection token is not a Remittance token', async () => {
  const [ok, token] = await new Collection('collection-key', { baseUrl: world.sb.url }).createAccessToken(world.basic)
  expect(ok).toBe(true)
  const [rOk, failure] = await new Remittance('remittance-key', { baseUrl: world.sb.url }).getAccountBalance(
    `Bearer ${token.access_token}`,
    'sandbox',
  )
  expect(rOk).toBe(false)
  expect(failure).toMatchObject({ error: 'Unauthorized', status: 401 })
  expect(JSON.stringify(failure)).not.toContain(token.access_token)
})

test('the Disbursement key keeps working for Disbursements', async () => {
  expect((await world.managed().getAccountBalance())[0]).toBe(true)
})
