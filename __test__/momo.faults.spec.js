'use strict'
// Every fault kind against MoMo calls: results, retries, and the ledger (never paid twice).
const { Disbursements } = require('..')
const { specWorld, momoWorld, transferBody, randomUUID } = require('./support/helpers')

const world = specWorld(momoWorld)
beforeEach(() => {
  world.sb.clearFaults()
  world.sb.clearRequests()
})

const posts = async (path) => (await world.sb.requests()).filter((r) => r.method === 'POST' && r.path === path).length
const entries = async (ref) => (await world.sb.ledger()).filter((e) => e.referenceId === ref)

async function pay(fault, options = {}) {
  const d = world.managed({ timeoutMs: 1000, ...options })
  await d.getAccountBalance() // token first, so faults hit the payment
  world.sb.clearRequests()
  if (fault) world.sb.injectFault({ path: '/v1_0/transfer', method: 'POST', ...fault })
  const ref = randomUUID()
  const result = await d.transfer(ref, null, 'sandbox', transferBody('46733123499', '5'))
  return { d, ref, result }
}

test('reset before processing: retried with the same reference, paid once', async () => {
  const { ref, result } = await pay({ kind: 'reset_before' })
  expect(result).toEqual([true, { referenceId: ref }])
  expect(await posts('/disbursement/v1_0/transfer')).toBe(2)
  expect(await entries(ref)).toHaveLength(1)
})

test('reset after the payment was recorded: the retry meets 409 and the real state is reported', async () => {
  const { ref, result } = await pay({ kind: 'reset_after' })
  expect(result[0]).toBe(true)
  expect(result[1]).toMatchObject({ referenceId: ref, recovered: true, status: 'SUCCESSFUL' })
  expect(await posts('/disbursement/v1_0/transfer')).toBe(2)
  expect(await entries(ref)).toHaveLength(1)
})

test('a stall longer than the timeout before processing: retried, paid once', async () => {
  const { ref, result } = await pay({ kind: 'stall', delayMs: 1500 })
  expect(result[0]).toBe(true)
  expect(result[1].referenceId).toBe(ref)
  await new Promise((r) => setTimeout(r, 1700)) // let the stalled request finish
  expect(await entries(ref)).toHaveLength(1)
})

test('a stall after processing: the timeout is followed by a lookup, paid once', async () => {
  const { ref, result } = await pay({ kind: 'stall_after', delayMs: 1500 })
  expect(result[0]).toBe(true)
  expect(result[1]).toMatchObject({ referenceId: ref, recovered: true, status: 'SUCCESSFUL' })
  expect(await entries(ref)).toHaveLength(1)
})

test.each(['status_500', 'status_503'])('%s on the POST is retried', async (kind) => {
  const { ref, result } = await pay({ kind })
  expect(result).toEqual([true, { referenceId: ref }])
  expect(await posts('/disbursement/v1_0/transfer')).toBe(2)
  expect(await entries(ref)).toHaveLength(1)
})

test('429 with Retry-After is honoured', async () => {
  const started = Date.now()
  const { ref, result } = await pay({ kind: 'status_429', retryAfterSeconds: 1 })
  expect(result).toEqual([true, { referenceId: ref }])
  expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  expect(await entries(ref)).toHaveLength(1)
})

test.each(['malformed_json', 'truncated_json'])('%s on a status read is retried', async (kind) => {
  const d = world.managed({ timeoutMs: 1000 })
  const ref = randomUUID()
  await d.transfer(ref, null, 'sandbox', transferBody('46733123499', '2'))
  world.sb.clearRequests()
  world.sb.injectFault({ kind, path: `/transfer/${ref}` })
  const [ok, r] = await d.getTransferStatus(ref)
  expect(ok).toBe(true)
  expect(r.status).toBe('SUCCESSFUL')
  expect((await world.sb.requests()).filter((q) => q.path.endsWith(ref))).toHaveLength(2)
})

test('a wrong content type does not stop a JSON answer being read', async () => {
  const d = world.managed()
  world.sb.injectFault({ kind: 'wrong_content_type', path: '/account/balance' })
  const [ok, bal] = await d.getAccountBalance()
  expect(ok).toBe(true)
  expect(bal.currency).toBe('EUR')
})

test('truncated or malformed answers to the POST itself do not matter: 202 has no body', async () => {
  const { ref, result } = await pay({ kind: 'malformed_json' })
  expect(result[0]).toBe(true)
  expect(result[1].referenceId).toBe(ref)
  expect(await entries(ref)).toHaveLength(1)
})

test('when neither the POST nor the lookup answers: UnknownOutcome with the reference, and the truth later', async () => {
  const d = world.managed({ timeoutMs: 1000, maxRetries: 0 })
  await d.getAccountBalance()
  const ref = randomUUID()
  world.sb.injectFault({ kind: 'reset_after', path: '/v1_0/transfer', method: 'POST' })
  world.sb.injectFault({ kind: 'reset_before', path: `/transfer/${ref}`, times: 5 })
  const [ok, f] = await d.transfer(ref, null, 'sandbox', transferBody('46733123499', '9'))
  expect(ok).toBe(false)
  expect(f).toMatchObject({ error: 'UnknownOutcome', referenceId: ref, retryable: true })
  world.sb.clearFaults()
  const [okS, status] = await d.getTransferStatus(ref)
  expect(okS).toBe(true)
  expect(status.status).toBe('SUCCESSFUL')
  // Repeating the call with the same reference is safe: the provider deduplicates.
  const [again, conflict] = await d.transfer(ref, null, 'sandbox', transferBody('46733123499', '9'))
  expect(again).toBe(false)
  expect(conflict.error).toBe('Conflict')
  expect(await entries(ref)).toHaveLength(1)
})

test('business errors are never retried', async () => {
  const d = world.managed()
  await d.getAccountBalance()
  world.sb.clearRequests()
  const [ok, f] = await d.transfer(randomUUID(), null, 'sandbox', transferBody('46733123461'))
  expect(ok).toBe(false)
  expect(f).toMatchObject({ code: 'INVALID_CURRENCY', retryable: false, attempts: 1 })
  expect(await posts('/disbursement/v1_0/transfer')).toBe(1)
})

test('Timeout: no complete answer within timeoutMs', async () => {
  const d = world.managed({ timeoutMs: 300, maxRetries: 0 })
  await d.getAccountBalance()
  world.sb.injectFault({ kind: 'stall', path: '/account/balance', delayMs: 2000 })
  const started = Date.now()
  const [ok, f] = await d.getAccountBalance()
  expect(ok).toBe(false)
  expect(f).toMatchObject({ error: 'Timeout', retryable: true })
  expect(Date.now() - started).toBeLessThan(1500)
})

test('NetworkError: nothing listens there', async () => {
  const d = new Disbursements('k', { baseUrl: 'http://127.0.0.1:9', maxRetries: 1, retryBackoffMs: 10 })
  const [ok, f] = await d.getAccountBalance('Bearer x', 'sandbox')
  expect(ok).toBe(false)
  expect(f).toMatchObject({ error: 'NetworkError', retryable: true, attempts: 2 })
  const [ok2, g] = await d.transfer(randomUUID(), 'Bearer x', 'sandbox', transferBody('46733123499'))
  expect(ok2).toBe(false)
  // Nothing could have been delivered: a plain network error, not an unknown outcome.
  expect(g).toMatchObject({ error: 'NetworkError', retryable: true })
})

test('the token request is retried after a reset', async () => {
  const d = world.managed()
  world.sb.injectFault({ kind: 'reset_before', path: '/token/' })
  const [ok] = await d.getAccountBalance()
  expect(ok).toBe(true)
})
