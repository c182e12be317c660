'use strict'
// Money safety for every new money call: requestToPay, withdraw, payment,
// Remittance transfer and cash transfer. A retry keeps the reference; a 409 after an
// uncertain attempt is our own and is looked up; a lookup that cannot tell resolves
// UnknownOutcome; a reference the caller reuses is a Conflict, not a second payment.
const { specWorld, randomUUID } = require('./support/helpers')
const { productsWorld, payBody, paymentBody, cashTransferBody, party } = require('./support/momo-products')

const world = specWorld(productsWorld)
beforeEach(() => {
  world.sb.clearFaults()
  world.sb.clearRequests()
})

const remittanceTransfer = () => ({ amount: '5', currency: 'EUR', externalId: 'r', payee: party('46733123499') })
// [product, method, path, body, the status path when it is not path + '/']
const CALLS = [
  ['collection', 'requestToPay', '/collection/v1_0/requesttopay', () => payBody('46733123499', '5')],
  [
    'collection',
    'withdraw',
    '/collection/v2_0/requesttowithdraw',
    () => payBody('46733123499', '5'),
    '/collection/v1_0/requesttowithdraw/',
  ],
  ['collection', 'createPayment', '/collection/v2_0/payment', () => paymentBody('5')],
  ['remittance', 'transfer', '/remittance/v1_0/transfer', remittanceTransfer],
  ['remittance', 'cashTransfer', '/remittance/v2_0/cashtransfer', () => cashTransferBody('46733123499', '5')],
].map(([product, method, path, body, statusPath = `${path}/`]) => [
  `${product[0].toUpperCase()}${product.slice(1)}.${method}`,
  product,
  method,
  path,
  statusPath,
  // Collection takes (authorization, reference) as mobilemoney.js does; Remittance the reverse.
  product === 'collection' ? (ref, a) => [a, ref] : (ref, a) => [ref, a],
  body,
])

const posts = async (path) => (await world.sb.requests()).filter((r) => r.method === 'POST' && r.path === path)
const entries = async (ref) => (await world.sb.ledger()).filter((e) => e.referenceId === ref)

async function client(product) {
  const k = world[product]({ timeoutMs: 1000 })
  await k.getAccountBalance() // the token first, so the faults hit the payment
  world.sb.clearRequests()
  return k
}

describe.each(CALLS)('%s', (_name, product, method, path, statusPath, order, body) => {
  const call = (k, ref) => k[method](...order(ref, null), 'sandbox', body())

  test('reset before processing: sent again with the same reference, recorded once', async () => {
    const k = await client(product)
    world.sb.injectFault({ kind: 'reset_before', method: 'POST', path })
    const ref = randomUUID()
    expect(await call(k, ref)).toEqual([true, { referenceId: ref }])
    const sent = await posts(path)
    expect(sent.map((r) => r.headers['x-reference-id'])).toEqual([ref, ref])
    expect(await entries(ref)).toHaveLength(1)
  })

  test('reset after it was recorded: the retry meets 409 for our own reference, and the lookup reports it', async () => {
    const k = await client(product)
    world.sb.injectFault({ kind: 'reset_after', method: 'POST', path })
    const ref = randomUUID()
    const [ok, data] = await call(k, ref)
    expect(ok).toBe(true)
    expect(data).toMatchObject({ referenceId: ref, recovered: true, transaction: expect.any(Object) })
    expect(await posts(path)).toHaveLength(2)
    expect(await entries(ref)).toHaveLength(1)
  })

  test('no answer and a lookup that fails: UnknownOutcome with the reference, nothing sent under another one', async () => {
    const k = await client(product)
    world.sb.injectFault({ kind: 'reset_after', method: 'POST', path, times: 10 })
    world.sb.injectFault({ kind: 'status_500', method: 'GET', path: statusPath, times: 100 })
    const ref = randomUUID()
    const [ok, failure] = await call(k, ref)
    expect(ok).toBe(false)
    expect(failure).toMatchObject({ error: 'UnknownOutcome', referenceId: ref, retryable: true })
    expect(failure.message.split('. ').length).toBe(1)
    for (const r of await posts(path)) expect(r.headers['x-reference-id']).toBe(ref)
    expect(await entries(ref)).toHaveLength(1)
  })

  test('a reference the caller already used: Conflict, no second payment', async () => {
    const k = await client(product)
    const ref = randomUUID()
    expect((await call(k, ref))[0]).toBe(true)
    const [ok, failure] = await call(k, ref)
    expect(ok).toBe(false)
    expect(failure).toMatchObject({ error: 'Conflict', status: 409, referenceId: ref })
    expect(await entries(ref)).toHaveLength(1)
  })
})
