'use strict'
// The sandbox's run-time controls through the addon: latencyMs and setLatency, the MoMo
// balance and the Paymob budget running out and topped up, a request landing late, driven
// by the real clients.
const { momoWorld, transferBody, randomUUID, eventually, sleep } = require('./support/helpers')
const { CREDENTIALS, walletCashin } = require('./support/paymob')
const { PaymobPayouts } = require('..')

// Each test starts a world of its own (its options differ); it is closed after the test.
let world
afterEach(async () => {
  if (world) await world.sb.close()
  world = undefined
})

describe('latency', () => {
  test('latencyMs holds every answer back at least that long; setLatency changes it', async () => {
    world = await momoWorld({ latencyMs: 120 })
    const d = world.managed()
    let started = process.hrtime.bigint()
    const [ok, balance] = await d.getAccountBalance(null, 'sandbox')
    expect([ok, balance.currency]).toEqual([true, 'EUR'])
    // Two requests (token, balance), each held back: a lower bound, never flaky.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeGreaterThanOrEqual(240)

    world.sb.setLatency(300)
    started = process.hrtime.bigint()
    expect((await d.getAccountBalance(null, 'sandbox'))[0]).toBe(true)
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeGreaterThanOrEqual(300)
    world.sb.setLatency(0)

    const control = await fetch(`${world.sb.url}/_sandbox/latency`).then((r) => r.json())
    expect(control).toEqual({ ms: 0 })
  })

  test('bad values throw and change nothing', async () => {
    world = await momoWorld()
    for (const bad of [-1, NaN, Infinity]) {
      expect(() => world.sb.setLatency(bad)).toThrow(/invalid latency/)
      expect(() => world.sb.setMomoBalance(bad)).toThrow(/invalid MoMo balance/)
      expect(() => world.sb.setPaymobBudget(bad)).toThrow(/invalid Paymob budget/)
    }
    expect(() => world.sb.setLatency('5')).toThrow()
    const balance = await fetch(`${world.sb.url}/_sandbox/momo/balance`).then((r) => r.json())
    expect(balance).toEqual({ amount: 10_000_000, currency: 'EUR' })
  })
})

describe('running out of money', () => {
  test('MoMo: a transfer beyond the balance ends FAILED NOT_ENOUGH_FUNDS; after a top-up it is paid', async () => {
    world = await momoWorld()
    const d = world.managed()
    world.sb.setMomoBalance(150)
    expect(await d.getAccountBalance(null, 'sandbox')).toEqual([true, { availableBalance: '150', currency: 'EUR' }])

    const first = randomUUID()
    const second = randomUUID()
    expect((await d.transfer(first, null, 'sandbox', transferBody('46733123499', '100')))[0]).toBe(true)
    expect((await d.transfer(second, null, 'sandbox', transferBody('46733123499', '100')))[0]).toBe(true)
    const [, paid] = await d.getTransferStatus(first, null, 'sandbox')
    const [, short] = await d.getTransferStatus(second, null, 'sandbox')
    expect(paid.status).toBe('SUCCESSFUL')
    expect(short.status).toBe('FAILED')
    expect(short.reason.code).toBe('NOT_ENOUGH_FUNDS')

    // The CLI and other HTTP clients top up through the control endpoint.
    const topUp = await fetch(`${world.sb.url}/_sandbox/momo/balance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 1000 }),
    }).then((r) => r.json())
    expect(topUp).toEqual({ amount: 1000, currency: 'EUR' })
    const third = randomUUID()
    expect((await d.transfer(third, null, 'sandbox', transferBody('46733123499', '100')))[0]).toBe(true)
    expect((await d.getTransferStatus(third, null, 'sandbox'))[1].status).toBe('SUCCESSFUL')

    const ledger = await world.sb.ledger()
    const status = (ref) => ledger.find((e) => e.referenceId === ref).status
    expect([first, second, third].map(status)).toEqual(['SUCCESSFUL', 'FAILED', 'SUCCESSFUL'])
    expect(await d.getAccountBalance(null, 'sandbox')).toEqual([true, { availableBalance: '900', currency: 'EUR' }])
  })

  test("Paymob: a cash-in beyond the budget is refused with Paymob's budget error; after a top-up it is paid", async () => {
    world = await momoWorld()
    const p = new PaymobPayouts({ ...CREDENTIALS, baseUrl: `${world.sb.url}/api/secure/`, retryBackoffMs: 20 })
    world.sb.setPaymobBudget(100)
    const cashin = () => p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 60 })
    expect((await cashin())[0]).toBe(true)
    const [ok, failure] = await cashin()
    expect(ok).toBe(false)
    expect(failure).toMatchObject({ error: 'InvalidData', status: 400 })
    expect(failure.message).not.toMatch(/sandbox-password|sandbox-client-secret/)
    expect(JSON.stringify(failure.body)).toContain('exceeds you budget limit')

    world.sb.setPaymobBudget(500)
    expect((await cashin())[0]).toBe(true)
    const ledger = await world.sb.ledger()
    expect(ledger.filter((e) => e.provider === 'paymob').map((e) => e.status)).toEqual(['successful', 'successful'])
    const budget = await fetch(`${world.sb.url}/_sandbox/paymob/budget`).then((r) => r.json())
    expect(budget).toEqual({ amount: 440, currency: 'EGP' })
  })
})

describe('a request that lands late', () => {
  // As a provider: the request was received, so it is booked after the client gave up.
  test('MoMo: the client times out and hears nothing; the transfer is booked once, later', async () => {
    world = await momoWorld()
    const d = world.managed({ timeoutMs: 300, maxRetries: 0 })
    await d.getAccountBalance() // token first, so the fault hits the payment
    world.sb.injectFault({ kind: 'land_late', method: 'POST', path: '/v1_0/transfer', delayMs: 1500 })
    const ref = randomUUID()
    const [ok, failure] = await d.transfer(ref, null, 'sandbox', transferBody('46733123499', '7'))
    expect(ok).toBe(false)
    expect(['UnknownOutcome', 'Timeout']).toContain(failure.error)
    expect(failure.retryable).toBe(true)
    const entries = async () => (await world.sb.ledger()).filter((e) => e.referenceId === ref)
    expect(await entries()).toHaveLength(0)

    expect(await eventually(async () => (await entries()).length > 0, 4000)).toBe(true)
    await sleep(200)
    expect(await entries()).toHaveLength(1)
    const [found, status] = await d.getTransferStatus(ref, null, 'sandbox')
    expect(found).toBe(true)
    expect(status.externalId).toBe('ext-46733123499')
  })

  test('Paymob: the cash-in times out unanswered and is booked once, later', async () => {
    world = await momoWorld()
    const p = new PaymobPayouts({
      ...CREDENTIALS,
      baseUrl: `${world.sb.url}/api/secure/`,
      timeoutMs: 300,
      maxRetries: 0,
      inquiriesPerMinute: 1000,
    })
    expect((await p.generateToken())[0]).toBe(true)
    world.sb.injectFault({ kind: 'land_late', provider: 'paymob', path: '/disburse/', delayMs: 1500 })
    const ref = randomUUID()
    const [ok, failure] = await p.instantCashin(walletCashin(ref))
    expect(ok).toBe(false)
    expect(['UnknownOutcome', 'Timeout']).toContain(failure.error)
    const entries = async () => (await world.sb.ledger()).filter((e) => e.referenceId === ref)
    expect(await entries()).toHaveLength(0)

    expect(await eventually(async () => (await entries()).length > 0, 4000)).toBe(true)
    await sleep(200)
    expect(await entries()).toHaveLength(1)
  })
})
