'use strict'
// Markets: a sandbox started as a production market (`market: 'mtnghana'`) answers as that
// market does (its X-Target-Environment, its currency, its country's numbers), and the
// client refuses a local-format number or a currency outside ISO 4217 before sending.
const { momoWorld, transferBody, randomUUID, withWorld } = require('./support/helpers')
const { Sandbox } = require('..')

const GHANA = '233241234567'

/** A GHS transfer body to `partyId`. */
const cedis = (partyId, amount = '25', extra = {}) => transferBody(partyId, amount, { currency: 'GHS', ...extra })

/** The money POSTs the sandbox received. */
async function transfersReceived(sb) {
  return (await sb.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/v1_0/transfer'))
}

describe("a sandbox started with market: 'mtnghana'", () => {
  let world
  beforeAll(async () => {
    world = await momoWorld({ market: 'mtnghana' })
  })
  afterAll(() => world.sb.close())

  test('takes a GHS transfer to a 233… number on X-Target-Environment: mtnghana', async () => {
    const d = world.managed()
    const ref = randomUUID()
    const [ok, accepted] = await d.transfer(ref, null, 'mtnghana', cedis(GHANA, '25'))
    expect([ok, accepted]).toEqual([true, expect.objectContaining({ referenceId: ref })])
    const [, status] = await d.getTransferStatus(ref, null, 'mtnghana')
    expect(status).toEqual(
      expect.objectContaining({
        status: 'SUCCESSFUL',
        amount: '25',
        currency: 'GHS',
        payee: { partyIdType: 'MSISDN', partyId: GHANA },
      }),
    )

    const sent = (await transfersReceived(world.sb)).find((r) => r.headers['x-reference-id'] === ref)
    expect(sent.headers['x-target-environment']).toBe('mtnghana')
    const entry = (await world.sb.ledger()).find((e) => e.referenceId === ref)
    expect(entry).toEqual(
      expect.objectContaining({ provider: 'momo', status: 'SUCCESSFUL', currency: 'GHS', amount: 25, party: GHANA }),
    )

    // The balance is in the market's currency, and only GHS is a known currency.
    expect(await d.getAccountBalance(null, 'mtnghana')).toEqual([
      true,
      { availableBalance: String(10_000_000 - 25), currency: 'GHS' },
    ])
    expect(await d.getAccountBalanceIn('GHS', null, 'mtnghana')).toEqual([
      true,
      { availableBalance: String(10_000_000 - 25), currency: 'GHS' },
    ])
    const [eurOk, eur] = await d.getAccountBalanceIn('EUR', null, 'mtnghana')
    expect([eurOk, eur.code]).toEqual([false, 'INVALID_CURRENCY'])
    const control = await fetch(`${world.sb.url}/_sandbox/momo/balance`).then((r) => r.json())
    expect(control).toEqual({ amount: 10_000_000 - 25, currency: 'GHS' })
  })

  /** A transfer the sandbox refuses with HTTP 500 `code`, recording nothing; resolves the client. */
  async function refusedTransfer(target, body, code) {
    const d = world.managed()
    const ref = randomUUID()
    const [ok, f] = await d.transfer(ref, null, target, body)
    expect(ok).toBe(false)
    expect(f).toMatchObject({ error: 'MomoServerError', status: 500, code })
    expect((await world.sb.ledger()).some((e) => e.referenceId === ref)).toBe(false)
    return d
  }

  test('refuses EUR with INVALID_CURRENCY and records nothing', async () => {
    await refusedTransfer('mtnghana', transferBody(GHANA, '5'), 'INVALID_CURRENCY')
  })

  test("refuses the 'sandbox' target with NOT_ALLOWED_TARGET_ENVIRONMENT", async () => {
    const d = await refusedTransfer('sandbox', cedis(GHANA, '5'), 'NOT_ALLOWED_TARGET_ENVIRONMENT')
    const [balanceOk, g] = await d.getAccountBalance(null, 'mtnuganda')
    expect([balanceOk, g.code]).toEqual([false, 'NOT_ALLOWED_TARGET_ENVIRONMENT'])
  })

  test('a number of another country is not a Ghanaian subscriber: FAILED PAYEE_NOT_FOUND', async () => {
    const d = world.managed()
    const ref = randomUUID()
    // The sandbox's own test number, valid in international form but Swedish.
    expect((await d.transfer(ref, null, 'mtnghana', cedis('46733123499', '5')))[0]).toBe(true)
    const [, status] = await d.getTransferStatus(ref, null, 'mtnghana')
    expect(status).toEqual(
      expect.objectContaining({ status: 'FAILED', reason: expect.objectContaining({ code: 'PAYEE_NOT_FOUND' }) }),
    )
  })
})

test('a list of markets answers each on its own target, in its own currency', async () => {
  await withWorld(
    () => momoWorld({ market: ['sandbox', 'mtnuganda'] }),
    async (world) => {
      const d = world.managed()
      const home = randomUUID()
      const uganda = randomUUID()
      expect((await d.transfer(home, null, 'sandbox', transferBody('46733123499', '7')))[0]).toBe(true)
      const ugx = transferBody('256771234567', '5000', { currency: 'UGX' })
      expect((await d.transfer(uganda, null, 'mtnuganda', ugx))[0]).toBe(true)
      expect((await d.getTransferStatus(home, null, 'sandbox'))[1]).toMatchObject({
        status: 'SUCCESSFUL',
        currency: 'EUR',
      })
      expect((await d.getTransferStatus(uganda, null, 'mtnuganda'))[1]).toMatchObject({
        status: 'SUCCESSFUL',
        currency: 'UGX',
      })
      const [ok, f] = await d.transfer(randomUUID(), null, 'mtnghana', cedis(GHANA))
      expect([ok, f.code]).toEqual([false, 'NOT_ALLOWED_TARGET_ENVIRONMENT'])
      const [euroOk, euro] = await d.transfer(randomUUID(), null, 'mtnuganda', transferBody('256771234567'))
      expect([euroOk, euro.code]).toEqual([false, 'INVALID_CURRENCY'])
    },
  )
})

test('an unknown market is refused at start, naming the markets', async () => {
  await expect(Sandbox.start({ port: 0, market: 'mtnkenya' })).rejects.toThrow(/unknown market "mtnkenya".*mtnghana/)
  await expect(Sandbox.start({ port: 0, market: [] })).rejects.toThrow(/at least one/)
})

describe('the client checks numbers and currencies before sending anything', () => {
  let world
  beforeAll(async () => {
    world = await momoWorld({ market: 'mtnghana' })
  })
  afterAll(() => world.sb.close())

  test.each([
    ['a local-format number', cedis('0241234567'), 'body.payee.partyId'],
    ['a number with its +', cedis('+233241234567'), 'body.payee.partyId'],
    ['a currency outside ISO 4217', cedis(GHANA, '5', { currency: 'GHC' }), 'body.currency'],
    ['a lower-case currency', cedis(GHANA, '5', { currency: 'ghs' }), 'body.currency'],
  ])('%s is InvalidData naming its field', async (_, body, field) => {
    const before = (await world.sb.requests()).length
    const [ok, f] = await world.managed().transfer(randomUUID(), null, 'mtnghana', body)
    expect(ok).toBe(false)
    expect(f).toMatchObject({ error: 'InvalidData', field })
    // One sentence naming the field.
    expect(f.message.startsWith(`${field} must be `)).toBe(true)
    expect(f.message.split('. ')).toHaveLength(1)
    expect(await world.sb.requests()).toHaveLength(before)
    expect(await transfersReceived(world.sb)).toHaveLength(0)
  })

  test('the account-holder lookup refuses a local-format number too', async () => {
    const before = (await world.sb.requests()).length
    const [ok, f] = await world.managed().getBasicUserInfo('0241234567', null, 'mtnghana')
    expect([ok, f.error, f.field]).toEqual([false, 'InvalidData', 'msisdn'])
    expect(await world.sb.requests()).toHaveLength(before)
  })
})
