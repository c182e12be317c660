'use strict'
// Every method, every kind of wrong argument: [false, failure] and no request sent.
const { Disbursements, Client } = require('..')
const { specWorld, momoWorld, transferBody, randomUUID } = require('./support/helpers')

const world = specWorld(momoWorld)

const cyclic = {}
cyclic.self = cyclic
let deep = {}
for (let i = 0; i < 300; i++) deep = { deep }
const wrongKinds = [
  ['undefined', undefined],
  ['null', null],
  ['number', 42],
  ['NaN', NaN],
  ['boolean', true],
  ['object', { a: 1 }],
  ['array', ['x']],
  ['function', () => 1],
  ['symbol', Symbol('s')],
  ['bigint', 10n],
  ['cyclic', cyclic],
  ['300 levels deep', deep],
  [
    'throwing getter',
    {
      get amount() {
        throw new Error('getter')
      },
    },
  ],
  [
    'throwing toJSON',
    {
      toJSON() {
        throw new Error('toJSON')
      },
    },
  ],
  [
    'throwing proxy',
    new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('proxy')
        },
      },
    ),
  ],
  ['date', new Date(0)],
  ['2 MB object', { note: 'x'.repeat(2 << 20) }],
  ['huge string', 'x'.repeat(1 << 20)],
  ['path traversal', '../../v1_0/apiuser'],
  ['encoded traversal', '%2e%2e%2f'],
  ['CRLF', 'sandbox\r\nX-Injected: 1'],
  ['empty string', ''],
]

const uuid = () => randomUUID()
const auth = 'Bearer valid.token.value'
const good = {
  uuid: () => uuid(),
  authorization: () => auth,
  basic: () => 'Basic dXNlcjprZXk=',
  target: () => 'sandbox',
  body: () => transferBody('46733123499'),
  refundBody: () => ({ amount: '1', currency: 'EUR', referenceIdToRefund: uuid() }),
  msisdn: () => '46733123499',
  currency: () => 'EUR',
  account: () => '46733123499',
  accountType: () => 'msisdn',
  callback: () => 'http://127.0.0.1/cb',
}

// [method, argument names in order]; names index `good`.
const methods = [
  ['createAccessToken', ['basic']],
  ['getAccountBalance', ['authorization', 'target']],
  ['getAccountBalanceIn', ['currency', 'authorization', 'target']],
  ['getBasicUserInfo', ['msisdn', 'authorization', 'target']],
  ['askUserInfo', ['authorization', 'target']],
  ['deposit', ['uuid', 'authorization', 'target', 'body', 'callback']],
  ['transfer', ['uuid', 'authorization', 'target', 'body', 'callback']],
  ['refund', ['uuid', 'authorization', 'target', 'refundBody', 'callback']],
  ['getDepositStatus', ['uuid', 'authorization', 'target']],
  ['getTransferStatus', ['uuid', 'authorization', 'target']],
  ['getRefundStatus', ['uuid', 'authorization', 'target']],
  ['isActive', ['account', 'accountType', 'authorization', 'target']],
]

// Arguments where `undefined` is a valid choice (defaults), so it is skipped for them.
const optional = new Set(['target', 'callback', 'accountType'])
// Values that are valid for some arguments ('' is never valid; a plain object is a valid body).
function isValidFor(name, label) {
  if (optional.has(name) && (label === 'undefined' || label === 'null')) return true
  if ((name === 'body' || name === 'refundBody') && label === 'object') return false
  return false
}

describe.each(methods)('%s', (method, names) => {
  const d = () => new Disbursements('test-subscription-key', { baseUrl: world.sb.url })
  test.each(names.map((n, i) => [n, i]))('wrong %s', async (name, index) => {
    world.sb.clearRequests()
    for (const [label, value] of wrongKinds) {
      if (isValidFor(name, label)) continue
      const args = names.map((n) => good[n]())
      args[index] = value
      let result
      await expect(
        (async () => {
          result = await d()[method](...args)
        })(),
      ).resolves.toBeUndefined()
      expect(Array.isArray(result)).toBe(true)
      expect(result).toHaveLength(2)
      const [ok, f] = result
      if (ok) throw new Error(`${method}: ${name} = ${label} was accepted`)
      expect(typeof f.error).toBe('string')
      expect(typeof f.message).toBe('string')
      expect(f.retryable).toBe(false)
      expect(f.field).toEqual(expect.any(String))
    }
    expect((await world.sb.stats()).requests).toBe(0)
  })
})

test('body fields of every wrong type are caught locally', async () => {
  const d = new Disbursements('test-subscription-key', { baseUrl: world.sb.url })
  world.sb.clearRequests()
  const bad = [
    [{ amount: -5 }, 'body.amount'],
    [{ amount: '1e3' }, 'body.amount'],
    [{ amount: '0.001' }, 'body.amount'],
    [{ amount: { v: 1 } }, 'body.amount'],
    [{ currency: 'euro' }, 'body.currency'],
    [{ currency: 5 }, 'body.currency'],
    [{ payee: 'x' }, 'body.payee'],
    [{ payee: { partyIdType: 'MSISDN', partyId: '../x' } }, 'body.payee.partyId'],
    [{ payee: { partyIdType: 'PHONE', partyId: '1234567' } }, 'body.payee.partyIdType'],
    [{ payerMessage: 'x'.repeat(161) }, 'body.payerMessage'],
    [{ payeeNote: 'a\r\nb' }, 'body.payeeNote'],
    [{ externalId: { nested: true } }, 'body.externalId'],
  ]
  for (const [patch, field] of bad) {
    const [ok, f] = await d.transfer(randomUUID(), auth, 'sandbox', { ...transferBody('46733123499'), ...patch })
    expect(ok).toBe(false)
    expect(f).toMatchObject({ error: 'InvalidData', field })
  }
  expect((await world.sb.stats()).requests).toBe(0)
})

test('the specific error kinds of the old library', async () => {
  const d = new Disbursements('test-subscription-key', { baseUrl: world.sb.url })
  expect((await d.transfer('not-a-uuid', auth, 'sandbox', transferBody('1234567')))[1].error).toBe(
    'InvalidUniqueIDVersion',
  )
  // A version 1 UUID is refused too.
  expect((await d.getTransferStatus('c232ab00-9414-11ec-b3c8-9f6bdeced846', auth, 'sandbox'))[1].error).toBe(
    'InvalidUniqueIDVersion',
  )
  expect((await d.createAccessToken('dXNlcjprZXk='))[1].error).toBe('InvalidBasicToken')
  expect((await d.getAccountBalance('abc', 'sandbox'))[1].error).toBe('InvalidBearerToken')
  expect((await d.getAccountBalance(undefined, 'sandbox'))[1]).toMatchObject({
    error: 'InvalidBearerToken',
    field: 'authorization',
  })
})

test('bad options throw at construction; bad client arguments resolve failures', async () => {
  // A programming error is reported once, by the constructor (options.spec.js has the table).
  expect(() => new Disbursements(undefined, { baseUrl: world.sb.url })).toThrow(/^subscriptionKey must be a string/)
  expect(() => new Disbursements('k', { baseUrl: 'http://example.com' })).toThrow(/baseUrl must use https/)
  // The mobilemoney.js way, client.disbursements(key), takes any key: each call says what is wrong.
  const bad = new Client({ baseUrl: world.sb.url }).disbursements(undefined)
  expect((await bad.getAccountBalance(auth, 'sandbox'))[1]).toMatchObject({
    error: 'InvalidData',
    field: 'subscriptionKey',
  })
  const noTarget = new Disbursements('k', { baseUrl: world.sb.url, environment: 'production' })
  expect((await noTarget.getAccountBalance(auth))[1]).toMatchObject({ error: 'InvalidData', field: 'target' })
  const client = new Client({ baseUrl: world.sb.url })
  world.sb.clearRequests()
  for (const value of [undefined, 5, 'nope', {}]) {
    expect((await client.createApiUser(value, 'k'))[0]).toBe(false)
    expect((await client.getApiUser(value, 'k'))[0]).toBe(false)
    expect((await client.createApiKey(value, 'k'))[0]).toBe(false)
  }
  expect((await client.createApiUser(randomUUID(), 'k', 'bad host/with/path'))[1].field).toBe('callbackHost')
  expect((await world.sb.stats()).requests).toBe(0)
})
