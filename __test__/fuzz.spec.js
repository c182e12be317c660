'use strict'
// Hostile input: every method called with random JavaScript values. The process survives,
// every call resolves [false, failure] or a valid result, and no malformed request reaches
// the server. Fixed seed in `npm test`; FUZZ_RUNS=5000 npm test -- fuzz for a larger run.
const fc = require('fast-check')
const { Disbursements, Client, PaymobPayouts, parseCallback } = require('..')
const { specWorld, momoWorld } = require('./support/helpers')

const RUNS = Number(process.env.FUZZ_RUNS || 60)
const SEED = Number(process.env.FUZZ_SEED || 20261121)

const world = specWorld(momoWorld)

// Values chosen to hurt: path tricks, header injection, unicode, huge strings, odd types.
const nasty = fc.oneof(
  fc.constantFrom(
    '../../v1_0/apiuser',
    '%2e%2e%2f%2e%2e',
    'sandbox\r\nX-Injected: yes',
    'Bearer abc\r\nHost: evil',
    'Basic \u0000\u0001',
    '\u202e\u0000',
    '𝕊𝕒𝕟𝕕𝕓𝕠𝕩',
    '',
    ' ',
    '46733123450/../..',
    'http://attacker.example/cb',
    'ftp://x',
    'EUR',
    '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    'msisdn',
    'Bearer ok.token',
    '01023456789',
  ),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.integer({ min: 1000, max: 2_000_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom(NaN, Infinity, -0, 1e308, -1, 0, 10n, Symbol('s'), () => 1, new Date(0), /re/, new Map([[1, 2]])),
  fc.anything({
    maxDepth: 4,
    withBigInt: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withDate: true,
    withNullPrototype: true,
  }),
)

const argsOf = (n) => fc.array(nasty, { minLength: 0, maxLength: n })

const momoMethods = [
  'createAccessToken',
  'getAccountBalance',
  'getAccountBalanceIn',
  'getBasicUserInfo',
  'askUserInfo',
  'deposit',
  'transfer',
  'refund',
  'getDepositStatus',
  'getTransferStatus',
  'getRefundStatus',
  'isActive',
]
const clientMethods = ['createApiUser', 'getApiUser', 'createApiKey']
const paymobMethods = [
  'generateToken',
  'refreshToken',
  'instantCashin',
  'budgetInquiry',
  'transactionInquiry',
  'cancelAmanTransaction',
]

function assertPair(result) {
  expect(Array.isArray(result)).toBe(true)
  expect(result).toHaveLength(2)
  const [ok, data] = result
  expect(typeof ok).toBe('boolean')
  if (!ok) {
    expect(typeof data.error).toBe('string')
    expect(typeof data.message).toBe('string')
    expect(typeof data.retryable).toBe('boolean')
  }
}

// A well-formed request: a known path, nothing but safe characters, no traversal.
const SAFE_PATH =
  /^\/(disbursement\/(token\/|v[12]_0\/[A-Za-z0-9_./@-]+|oauth2\/v1_0\/userinfo)|v1_0\/apiuser(\/[0-9a-f-]{36}(\/apikey)?)?|api\/secure\/[a-z_/-]+\/)$/

test('Disbursements, Client and PaymobPayouts survive random arguments', async () => {
  const d = world.managed({ timeoutMs: 2000, maxRetries: 0 })
  const plain = new Disbursements('key', { baseUrl: world.sb.url, maxRetries: 0 })
  const client = new Client({ baseUrl: world.sb.url, maxRetries: 0 })
  const paymob = PaymobPayouts
    ? new PaymobPayouts({
        clientId: 'sandbox-client-id',
        clientSecret: 'sandbox-client-secret',
        username: 'sandbox-user',
        password: 'sandbox-password',
        baseUrl: `${world.sb.url}/api/secure/`,
        maxRetries: 0,
        inquiriesPerMinute: 1000,
      })
    : null
  world.sb.clearRequests()
  await fc.assert(
    fc.asyncProperty(
      fc.nat(momoMethods.length + clientMethods.length + paymobMethods.length - 1),
      argsOf(6),
      async (i, args) => {
        let target
        let name
        if (i < momoMethods.length) {
          target = i % 2 ? d : plain
          name = momoMethods[i]
        } else if (i < momoMethods.length + clientMethods.length) {
          target = client
          name = clientMethods[i - momoMethods.length]
        } else {
          if (!paymob) return
          target = paymob
          name = paymobMethods[i - momoMethods.length - clientMethods.length]
        }
        assertPair(await target[name](...args))
      },
    ),
    { seed: SEED, numRuns: RUNS * 20 },
  )
  // Constructors throw nothing but a TypeError naming what is wrong; helpers never throw.
  const constructs = (make) => {
    try {
      make().toJSON()
    } catch (e) {
      expect(e.name).toBe('TypeError') // of Node's main realm, not Jest's
      expect(e.message).toMatch(/\S/)
    }
  }
  await fc.assert(
    fc.property(argsOf(3), (args) => {
      constructs(() => new Disbursements(...args))
      constructs(() => new Client(...args))
      if (PaymobPayouts) constructs(() => new PaymobPayouts(...args))
      assertPair(parseCallback(...args))
    }),
    { seed: SEED, numRuns: RUNS * 5 },
  )
  const requests = await world.sb.requests()
  const malformed = requests.filter(
    (r) => !SAFE_PATH.test(r.path) || r.path.includes('..') || Object.values(r.headers).some((v) => /[\r\n\0]/.test(v)),
  )
  expect(malformed).toEqual([])
  // No money moved from random input.
  expect(await world.sb.ledger()).toEqual([])
})
