'use strict'
// The twelve Disbursements methods and the Client surface, through the embedded sandbox.
const { Client, Disbursements } = require('..')
const {
  KEY,
  momoWorld,
  specWorld,
  bearerWorld,
  transferBody,
  randomUUID,
  eventually,
  withWorld,
} = require('./support/helpers')

const world = specWorld(bearerWorld)

describe('Client (mobilemoney.js surface)', () => {
  test('provisioning: createApiUser, getApiUser, createApiKey', async () => {
    const id = world.client.getReferenceId()
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(await world.client.createApiUser(id, KEY, 'example.com')).toEqual([
      true,
      { referenceId: id, providerCallbackHost: 'example.com' },
    ])
    const [ok, user] = await world.client.getApiUser(id, KEY)
    expect(ok).toBe(true)
    expect(user).toEqual({ providerCallbackHost: 'example.com', targetEnvironment: 'sandbox' })
    const [okKey, key] = await world.client.createApiKey(id, KEY)
    expect(okKey).toBe(true)
    expect(key.apiKey).toMatch(/^[0-9a-f]{32}$/)
    const [dup, conflict] = await world.client.createApiUser(id, KEY, 'example.com')
    expect(dup).toBe(false)
    expect(conflict).toMatchObject({ error: 'Conflict', status: 409, code: 'RESOURCE_ALREADY_EXIST', retryable: false })
    const [missing, nf] = await world.client.getApiUser(randomUUID(), KEY)
    expect(missing).toBe(false)
    expect(nf).toMatchObject({ error: 'NotFound', status: 404 })
  })

  test('token helpers and disbursements() on the client host', async () => {
    expect(world.client.basicToken('user', 'key')).toBe(`Basic ${Buffer.from('user:key').toString('base64')}`)
    expect(world.client.bearerToken('abc')).toBe('Bearer abc')
    const d = world.client.disbursements(KEY)
    expect(d).toBeInstanceOf(Disbursements)
    const [ok, token] = await d.createAccessToken(world.basic)
    expect(ok).toBe(true)
    expect(token).toMatchObject({ token_type: 'access_token', expires_in: 3600 })
    const [okBal, bal] = await d.getAccountBalance(`Bearer ${token.access_token}`, 'sandbox')
    expect(okBal).toBe(true)
    expect(bal.currency).toBe('EUR')
  })

  test('a live Client points at the production host', () => {
    const c = new Client()
    expect(c.toJSON()).toMatchObject({ sandbox: false })
    const d = c.disbursements(KEY)
    expect(d.toJSON()).toMatchObject({ baseUrl: 'https://proxy.momoapi.mtn.com', environment: 'production' })
  })
})

describe('Disbursements', () => {
  test('createAccessToken gives a token; bad credentials are Unauthorized', async () => {
    const d = world.plain()
    const [ok, token] = await d.createAccessToken(world.basic)
    expect(ok).toBe(true)
    expect(typeof token.access_token).toBe('string')
    const [bad, f] = await d.createAccessToken(world.client.basicToken(world.apiUser, 'wrong-key'))
    expect(bad).toBe(false)
    expect(f).toMatchObject({ error: 'Unauthorized', status: 401 })
  })

  test('getAccountBalance and getAccountBalanceIn', async () => {
    const d = world.plain()
    const [ok, bal] = await d.getAccountBalance(world.auth, 'sandbox')
    expect(ok).toBe(true)
    expect(bal).toEqual({ availableBalance: expect.any(String), currency: 'EUR' })
    expect(Number(bal.availableBalance)).toBeGreaterThan(0)
    expect(await d.getAccountBalanceIn('EUR', world.auth, 'sandbox')).toEqual([true, bal])
    const [okUsd, usd] = await d.getAccountBalanceIn('USD', world.auth, 'sandbox')
    expect(okUsd).toBe(false)
    expect(usd).toMatchObject({ error: 'MomoServerError', status: 500, code: 'INVALID_CURRENCY', retryable: false })
  })

  test('getBasicUserInfo and askUserInfo', async () => {
    const d = world.plain()
    const [ok, info] = await d.getBasicUserInfo('46733123450', world.auth, 'sandbox')
    expect(ok).toBe(true)
    expect(info).toMatchObject({ given_name: 'Sand', family_name: 'Box' })
    const [ok2, consent] = await d.askUserInfo(world.auth, 'sandbox')
    expect(ok2).toBe(true)
    expect(consent).toMatchObject({ given_name: 'Sand', family_name: 'Box' })
  })

  /**
   * `pay` (a method name) with a new reference and an explicit token, accepted, then read
   * back with `read`; resolves the client, the reference and what the read returned.
   */
  async function payThenRead(pay, read, body) {
    const d = world.plain()
    const ref = randomUUID()
    expect(await d[pay](ref, world.auth, 'sandbox', body)).toEqual([true, { referenceId: ref }])
    const [ok, result] = await d[read](ref, world.auth, 'sandbox')
    expect(ok).toBe(true)
    return { d, ref, result }
  }

  test('transfer, then getTransferStatus', async () => {
    const { ref, result } = await payThenRead('transfer', 'getTransferStatus', transferBody('46733123499', '25'))
    expect(result).toMatchObject({
      amount: '25',
      currency: 'EUR',
      status: 'SUCCESSFUL',
      financialTransactionId: expect.any(String),
      payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
    })
    const ledger = await world.sb.ledger()
    expect(ledger.filter((e) => e.referenceId === ref)).toEqual([
      expect.objectContaining({
        provider: 'momo',
        kind: 'transfer',
        amount: 25,
        currency: 'EUR',
        party: '46733123499',
        status: 'SUCCESSFUL',
      }),
    ])
  })

  test('a body is read as JSON.stringify reads it, as mobilemoney.js sent it', async () => {
    const d = world.plain()
    const ref = randomUUID()
    // A class instance with toJSON, and a field that is undefined: what JSON sends.
    class Payout {
      toJSON() {
        return { ...transferBody('46733123499', '12'), payerMessage: undefined }
      }
    }
    expect(await d.transfer(ref, world.auth, 'sandbox', new Payout())).toEqual([true, { referenceId: ref }])
    const sent = (await world.sb.requests()).find((r) => r.method === 'POST' && r.headers['x-reference-id'] === ref)
    const body = JSON.parse(sent.body)
    expect(body).toMatchObject({
      amount: '12',
      currency: 'EUR',
      payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
    })
    expect(body).not.toHaveProperty('payerMessage')
  })

  test('deposit reads its own resource (not the transfer one)', async () => {
    const { d, ref, result } = await payThenRead('deposit', 'getDepositStatus', transferBody('46733123498', '10'))
    expect(result.status).toBe('SUCCESSFUL')
    const [okT, asTransfer] = await d.getTransferStatus(ref, world.auth, 'sandbox')
    expect(okT).toBe(false)
    expect(asTransfer).toMatchObject({ error: 'NotFound', status: 404 })
    const requests = await world.sb.requests()
    expect(requests.some((r) => r.method === 'POST' && r.path === '/disbursement/v2_0/deposit')).toBe(true)
    expect(requests.some((r) => r.method === 'GET' && r.path === `/disbursement/v1_0/deposit/${ref}`)).toBe(true)
  })

  test('refund of a transfer', async () => {
    const d = world.plain()
    const original = randomUUID()
    await d.transfer(original, world.auth, 'sandbox', transferBody('46733123497', '30'))
    const ref = randomUUID()
    const body = {
      amount: '30',
      currency: 'EUR',
      externalId: 'refund-1',
      referenceIdToRefund: original,
      payerMessage: 'sorry',
      payeeNote: 'refund',
    }
    expect(await d.refund(ref, world.auth, 'sandbox', body)).toEqual([true, { referenceId: ref }])
    const [ok, result] = await d.getRefundStatus(ref, world.auth, 'sandbox')
    expect(ok).toBe(true)
    expect(result.status).toBe('SUCCESSFUL')
    const requests = await world.sb.requests()
    expect(requests.some((r) => r.method === 'POST' && r.path === '/disbursement/v2_0/refund')).toBe(true)
  })

  test('isActive in the documented order and in the old code order', async () => {
    const d = world.plain()
    expect(await d.isActive('46733123499', 'msisdn', world.auth, 'sandbox')).toEqual([true, { result: true }])
    expect(await d.isActive('46733123499', world.auth, 'msisdn', 'sandbox')).toEqual([true, { result: true }])
    expect(await d.isActive('46733123451', 'msisdn', world.auth, 'sandbox')).toEqual([true, { result: false }])
    expect(await d.isActive('someone@example.com', 'email', world.auth, 'sandbox')).toEqual([true, { result: true }])
    const requests = await world.sb.requests()
    expect(requests.some((r) => r.path === '/disbursement/v1_0/accountholder/email/someone@example.com/active')).toBe(
      true,
    )
  })

  test('a reused reference is a Conflict; an unknown one is NotFound', async () => {
    const d = world.plain()
    const ref = randomUUID()
    expect((await d.transfer(ref, world.auth, 'sandbox', transferBody('46733123496')))[0]).toBe(true)
    const [ok, f] = await d.transfer(ref, world.auth, 'sandbox', transferBody('46733123496'))
    expect(ok).toBe(false)
    expect(f).toMatchObject({ error: 'Conflict', status: 409, code: 'RESOURCE_ALREADY_EXIST' })
    expect(f).toMatchObject({ referenceId: ref, retryable: false })
    const [ok2, nf] = await d.getTransferStatus(randomUUID(), world.auth, 'sandbox')
    expect(ok2).toBe(false)
    expect(nf).toMatchObject({ error: 'NotFound', status: 404, code: 'RESOURCE_NOT_FOUND' })
    const entries = (await world.sb.ledger()).filter((e) => e.referenceId === ref)
    expect(entries).toHaveLength(1)
  })

  test('non-EUR and a foreign target environment are refused by the server', async () => {
    const d = world.plain()
    const [ok, f] = await d.transfer(
      randomUUID(),
      world.auth,
      'sandbox',
      transferBody('46733123495', '5', { currency: 'USD' }),
    )
    expect(ok).toBe(false)
    expect(f).toMatchObject({ error: 'MomoServerError', status: 500, code: 'INVALID_CURRENCY', retryable: false })
    const [ok2, g] = await d.getAccountBalance(world.auth, 'mtnuganda')
    expect(ok2).toBe(false)
    expect(g).toMatchObject({ error: 'MomoServerError', code: 'NOT_ALLOWED_TARGET_ENVIRONMENT' })
  })

  test('settlement: PENDING first, then the final state', async () => {
    await withWorld(
      () => momoWorld({ settleAfterMs: 300 }),
      async (slow) => {
        const d = slow.managed()
        const ref = randomUUID()
        expect((await d.transfer(ref, null, 'sandbox', transferBody('46733123494')))[0]).toBe(true)
        const [, first] = await d.getTransferStatus(ref)
        expect(first.status).toBe('PENDING')
        expect(first.financialTransactionId).toBeUndefined()
        const settled = await eventually(async () => {
          const [, r] = await d.getTransferStatus(ref)
          return r.status === 'SUCCESSFUL' && r
        })
        expect(settled.financialTransactionId).toEqual(expect.any(String))
      },
    )
  })

  test('the balance is drawn down, and NOT_ENOUGH_FUNDS when it runs out', async () => {
    await withWorld(
      () => momoWorld({ momo: { balance: 100 } }),
      async (poor) => {
        const d = poor.managed()
        const first = randomUUID()
        await d.transfer(first, undefined, undefined, transferBody('46733123493', '60'))
        const [, bal] = await d.getAccountBalance()
        expect(Number(bal.availableBalance)).toBe(40)
        const second = randomUUID()
        expect((await d.transfer(second, undefined, undefined, transferBody('46733123493', '60')))[0]).toBe(true)
        const [, result] = await d.getTransferStatus(second)
        expect(result.status).toBe('FAILED')
        expect(result.reason).toEqual({ code: 'NOT_ENOUGH_FUNDS', message: expect.any(String) })
        const [, after] = await d.getAccountBalance()
        expect(Number(after.availableBalance)).toBe(40)
      },
    )
  })
})
