'use strict'
// Every fault kind against Paymob calls: results, retries, the ledger (never paid twice).
const { paymobWorld, walletCashin } = require('./support/paymob')
const { specWorld, randomUUID } = require('./support/helpers')

const world = specWorld(() => paymobWorld({ paymob: { inquiryLimitPerMinute: 1000 } }))
beforeEach(() => {
  world.sb.clearFaults()
  world.sb.clearRequests()
})

const entries = async (ref) => (await world.sb.ledger()).filter((e) => e.referenceId === ref)
const disburses = async () => (await world.sb.requests()).filter((r) => r.path === '/api/secure/disburse/').length

async function cashin(fault, options = {}) {
  const p = world.payouts({ timeoutMs: 1000, inquiriesPerMinute: 1000, ...options })
  await p.generateToken()
  world.sb.clearRequests()
  if (fault) world.sb.injectFault({ provider: 'paymob', path: '/disburse/', ...fault })
  const ref = randomUUID()
  const result = await p.instantCashin(walletCashin(ref))
  return { p, ref, result }
}

test('reset before processing: retried with the same reference, paid once', async () => {
  const { ref, result } = await cashin({ kind: 'reset_before' })
  expect(result[0]).toBe(true)
  expect(result[1]).toMatchObject({ clientReferenceId: ref, disbursement_status: 'successful' })
  expect(await disburses()).toBe(2)
  expect(await entries(ref)).toHaveLength(1)
})

test('reset after processing: the retry is refused as "used before" and the inquiry tells the truth', async () => {
  const { ref, result } = await cashin({ kind: 'reset_after' })
  expect(result[0]).toBe(true)
  expect(result[1]).toMatchObject({ disbursement_status: 'successful', clientReferenceId: ref })
  expect(await entries(ref)).toHaveLength(1)
  const paths = (await world.sb.requests()).map((r) => r.path)
  expect(paths).toContain('/api/secure/transaction/inquire/')
})

test.each(['stall', 'stall_after'])('%s longer than the timeout: paid once, reported truthfully', async (kind) => {
  const { ref, result } = await cashin({ kind, delayMs: 1500 })
  expect(result[0]).toBe(true)
  expect(result[1].disbursement_status).toBe('successful')
  await new Promise((r) => setTimeout(r, 1700))
  expect(await entries(ref)).toHaveLength(1)
})

test.each(['status_500', 'status_503'])('%s on disburse/ is retried, paid once', async (kind) => {
  const { ref, result } = await cashin({ kind })
  expect(result[0]).toBe(true)
  expect(await entries(ref)).toHaveLength(1)
})

test('429 with Retry-After is honoured', async () => {
  const started = Date.now()
  const { ref, result } = await cashin({ kind: 'status_429', retryAfterSeconds: 1 })
  expect(result[0]).toBe(true)
  expect(Date.now() - started).toBeGreaterThanOrEqual(900)
  expect(await entries(ref)).toHaveLength(1)
})

test.each(['malformed_json', 'truncated_json'])('%s answer to disburse/: looked up, paid once', async (kind) => {
  const { ref, result } = await cashin({ kind })
  expect(result[0]).toBe(true)
  expect(result[1]).toMatchObject({ disbursement_status: 'successful', clientReferenceId: ref })
  expect(await entries(ref)).toHaveLength(1)
})

test('a wrong content type is still read', async () => {
  const { ref, result } = await cashin({ kind: 'wrong_content_type' })
  expect(result[0]).toBe(true)
  expect(await entries(ref)).toHaveLength(1)
})

test('when nothing can be established: UnknownOutcome with the reference', async () => {
  const p = world.payouts({ timeoutMs: 1000, maxRetries: 0, inquiriesPerMinute: 1000 })
  await p.generateToken()
  const ref = randomUUID()
  world.sb.injectFault({ provider: 'paymob', path: '/disburse/', kind: 'reset_after' })
  world.sb.injectFault({ provider: 'paymob', path: '/transaction/inquire/', kind: 'reset_before', times: 10 })
  const [ok, f] = await p.instantCashin(walletCashin(ref))
  expect(ok).toBe(false)
  expect(f).toMatchObject({ error: 'UnknownOutcome', referenceId: ref, retryable: true })
  world.sb.clearFaults()
  const [okI, found] = await p.transactionInquiry({ transactionIds: [ref] })
  expect(okI).toBe(true)
  expect(found.results[0]).toMatchObject({ disbursement_status: 'successful' })
  expect(await entries(ref)).toHaveLength(1)
})

test('business failures are never retried', async () => {
  const p = world.payouts()
  await p.generateToken()
  world.sb.clearRequests()
  const [ok, f] = await p.instantCashin({ issuer: 'vodafone', msisdn: '01000000618', amount: 10 })
  expect(ok).toBe(false)
  expect(f).toMatchObject({ error: 'ProviderError', retryable: false })
  expect(await disburses()).toBe(1)
})

test('reads are retried after faults', async () => {
  const p = world.payouts({ inquiriesPerMinute: 1000 })
  world.sb.injectFault({ provider: 'paymob', path: '/budget/inquire/', kind: 'truncated_json' })
  world.sb.injectFault({ provider: 'paymob', path: '/budget/inquire/', kind: 'status_503' })
  const [ok, budget] = await p.budgetInquiry()
  expect(ok).toBe(true)
  expect(budget.currency).toBe('EGP')
})

test('Timeout and NetworkError', async () => {
  const p = world.payouts({ timeoutMs: 300, maxRetries: 0, inquiriesPerMinute: 1000 })
  await p.generateToken()
  world.sb.injectFault({ provider: 'paymob', path: '/budget/inquire/', kind: 'stall', delayMs: 2000 })
  const [ok, f] = await p.budgetInquiry()
  expect(ok).toBe(false)
  expect(f).toMatchObject({ error: 'Timeout', retryable: true })
  const { PaymobPayouts } = require('..')
  const { CREDENTIALS } = require('./support/paymob')
  const dead = new PaymobPayouts({ ...CREDENTIALS, baseUrl: 'http://127.0.0.1:9/api/secure/', maxRetries: 0 })
  const [ok2, g] = await dead.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 1 })
  expect(ok2).toBe(false)
  expect(g).toMatchObject({ error: 'NetworkError', retryable: true })
  expect(g.referenceId).toEqual(expect.any(String))
})
