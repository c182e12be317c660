'use strict'
// Callbacks: really sent (X-Callback-Url), once, with the final result, to a local listener.
const { parseCallback } = require('..')
const { momoWorld, transferBody, callbackListener, randomUUID, sleep, withWorld } = require('./support/helpers')

let listener
beforeAll(async () => {
  listener = await callbackListener()
})
afterAll(() => listener.close())

test('transfer callbacks arrive once, with the final result, by PUT by default', async () => {
  await withWorld(momoWorld, async (world) => {
    const d = world.managed()
    const ok = randomUUID()
    const rejected = randomUUID()
    expect(
      (await d.transfer(ok, null, 'sandbox', transferBody('46733123499', '7'), `${listener.url}/cb/${ok}`))[0],
    ).toBe(true)
    expect(
      (
        await d.transfer(rejected, null, 'sandbox', transferBody('46733123451', '7'), `${listener.url}/cb/${rejected}`)
      )[0],
    ).toBe(true)
    const [first] = await listener.waitFor(`/cb/${ok}`)
    expect(first.method).toBe('PUT')
    expect(first.headers['content-type']).toMatch(/application\/json/)
    const body = JSON.parse(first.body)
    expect(body).toMatchObject({
      status: 'SUCCESSFUL',
      amount: '7',
      currency: 'EUR',
      financialTransactionId: expect.any(String),
    })
    const [second] = await listener.waitFor(`/cb/${rejected}`)
    const [parsedOk, parsed] = parseCallback(second.body, second.headers)
    expect(parsedOk).toBe(true)
    expect(parsed).toMatchObject({
      provider: 'momo',
      status: 'FAILED',
      referenceId: rejected,
      reason: { code: 'APPROVAL_REJECTED' },
    })
    await sleep(300)
    expect(listener.received.filter((r) => r.url === `/cb/${ok}`)).toHaveLength(1)
    expect((await world.sb.stats()).callbacksSent).toBeGreaterThanOrEqual(2)
  })
})

test('options.callbackUrl is the default; POST when the sandbox is told so; object reasons', async () => {
  await withWorld(
    () => momoWorld({ momo: { callbackMethod: 'POST', reasonShape: 'object' } }),
    async (world) => {
      const ref = randomUUID()
      const d = world.managed({ callbackUrl: `${listener.url}/default/${ref}` })
      expect((await d.deposit(ref, null, 'sandbox', transferBody('46733123452', '3')))[0]).toBe(true)
      const [cb] = await listener.waitFor(`/default/${ref}`)
      expect(cb.method).toBe('POST')
      const body = JSON.parse(cb.body)
      expect(body.reason).toEqual({ code: 'EXPIRED', message: expect.any(String) })
      const [, parsed] = parseCallback(JSON.parse(cb.body))
      expect(parsed.reason.code).toBe('EXPIRED')
    },
  )
})

test('a pending payout calls back when it settles, not before', async () => {
  await withWorld(
    () => momoWorld({ settleAfterMs: 400 }),
    async (world) => {
      const ref = randomUUID()
      const d = world.managed()
      await d.transfer(ref, null, 'sandbox', transferBody('46733123499'), `${listener.url}/late/${ref}`)
      await sleep(150)
      expect(listener.received.filter((r) => r.url === `/late/${ref}`)).toHaveLength(0)
      const [cb] = await listener.waitFor(`/late/${ref}`)
      expect(JSON.parse(cb.body).status).toBe('SUCCESSFUL')
    },
  )
})

test("a callback host that is not the API user's is refused, and nothing is paid", async () => {
  await withWorld(momoWorld, async (world) => {
    const ref = randomUUID()
    const d = world.managed()
    const [ok, f] = await d.transfer(ref, null, 'sandbox', transferBody('46733123499'), 'http://attacker.example/cb')
    expect(ok).toBe(false)
    expect(f).toMatchObject({
      error: 'MomoServerError',
      status: 500,
      code: 'INVALID_CALLBACK_URL_HOST',
      referenceId: ref,
      retryable: false,
    })
    expect(await world.sb.ledger()).toHaveLength(0)
    const requests = await world.sb.requests()
    expect(requests.at(-1).headers['x-callback-url']).toBe('http://attacker.example/cb')
  })
})

test('without a callback URL, no callback is sent', async () => {
  await withWorld(momoWorld, async (world) => {
    await world.managed().transfer(randomUUID(), null, 'sandbox', transferBody('46733123499'))
    await sleep(200)
    expect((await world.sb.stats()).callbacksSent).toBe(0)
  })
})
