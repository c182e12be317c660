'use strict'
// Options are checked when a client is made: a programming error (an unknown name, a wrong
// type, an unsafe URL, `baseUrl: undefined`) throws one TypeError naming the option, instead
// of failing every call later. What mobilemoney.js accepted is still accepted, and async
// methods still resolve [ok, data].
const { Client, Collection, Disbursements, PaymobPayouts, Payouts, Remittance, Sandbox } = require('..')
const { CREDENTIALS } = require('./support/paymob')
const { KEY, randomUUID } = require('./support/helpers')

let sb
beforeAll(async () => {
  sb = await Sandbox.start({ port: 0 })
})
afterAll(() => sb.close())

const momo = (extra) => ({ baseUrl: sb.url, ...extra })

// [what, construct, the message]
const WRONG = [
  ['no subscription key', () => new Disbursements(), /^subscriptionKey must be a string, got undefined$/],
  [
    'a number as timeoutMs',
    () => new Disbursements(KEY, momo({ timeoutMs: 'fast' })),
    /^options\.timeoutMs must be a number$/,
  ],
  [
    'a typo of timeoutMs',
    () => new Disbursements(KEY, momo({ timeOutMs: 5000 })),
    /^options\.timeOutMs is not an option of Disbursements; did you mean timeoutMs\?$/,
  ],
  [
    'plain http to another host',
    () => new Collection(KEY, { baseUrl: 'http://example.com' }),
    /^baseUrl must use https \(plain http is allowed only for loopback hosts, or with allowInsecureHttp\)$/,
  ],
  [
    'baseUrl: undefined',
    () => new Remittance(KEY, { baseUrl: undefined }),
    /^options\.baseUrl is undefined: give the URL, or leave the option out for the default host$/,
  ],
  [
    'maxRetries out of range',
    () => new Remittance(KEY, momo({ maxRetries: 50 })),
    /^options\.maxRetries must be a number from 0 to 10$/,
  ],
  [
    'an environment',
    () => new Collection(KEY, momo({ environment: 'live' })),
    /^options\.environment must be "sandbox" or "production"$/,
  ],
  [
    'apiUser without apiKey',
    () => new Disbursements(KEY, momo({ apiUser: randomUUID() })),
    /^options\.apiUser and options\.apiKey go together$/,
  ],
  [
    'onEvent not a function',
    () => new Disbursements(KEY, momo({ onEvent: 'log' })),
    /^options\.onEvent must be a function$/,
  ],
  [
    'a BigInt option',
    () => new Disbursements(KEY, momo({ timeoutMs: 10n })),
    /^options\.timeoutMs must be a plain value, got bigint$/,
  ],
  ['options not an object', () => new Disbursements(KEY, 'fast'), /^options must be an object, got string$/],
  [
    'a typo in Client',
    () => new Client({ baseURL: sb.url }),
    /^options\.baseURL is not an option of Client; did you mean baseUrl\?$/,
  ],
  ['an unsafe Client URL', () => new Client({ baseUrl: 'http://10.0.0.1' }), /^baseUrl must use https/],
  ['Client baseUrl: undefined', () => new Client({ baseUrl: undefined }), /^options\.baseUrl is undefined/],
  ['no Paymob credentials', () => new PaymobPayouts({}), /^clientId is required$/],
  [
    'no Paymob options',
    () => new PaymobPayouts(),
    /^options must be an object with clientId, clientSecret, username and password, got undefined$/,
  ],
  [
    'a typo in PaymobPayouts',
    () => new PaymobPayouts({ ...CREDENTIALS, baseUrl: sb.paymobUrl, inquiriesPerMinut: 3 }),
    /^options\.inquiriesPerMinut is not an option of PaymobPayouts; did you mean inquiriesPerMinute\?$/,
  ],
  [
    'a Paymob environment',
    () => new PaymobPayouts({ ...CREDENTIALS, environment: 'moon' }),
    /^environment must be 'staging' or 'production'$/,
  ],
]

test.each(WRONG)('%s throws one TypeError naming the option', (_, construct, message) => {
  let thrown
  try {
    construct()
  } catch (e) {
    thrown = e
  }
  // The addon's TypeError belongs to Node's main realm, not to Jest's sandbox: compare names.
  expect(thrown.constructor.name).toBe('TypeError')
  expect(thrown.code).toBe('ERR_INVALID_ARG_VALUE')
  expect(thrown.message).toMatch(message)
  // One line, no secret.
  expect(thrown.message).not.toMatch(/\n/)
  expect(thrown.message).not.toContain(CREDENTIALS.password)
})

test('what mobilemoney.js accepted is still accepted, and calls still resolve [ok, data]', async () => {
  const client = new Client()
  expect(client.toJSON()).toEqual({ sandbox: false, baseUrl: null })
  // mobilemoney.js took any subscription key in client.disbursements(key): the call says what is wrong.
  const viaClient = new Client({ baseUrl: sb.url }).disbursements(undefined)
  sb.clearRequests()
  const [ok, failure] = await viaClient.getAccountBalance('Bearer x', 'sandbox')
  expect(ok).toBe(false)
  expect(failure).toMatchObject({ error: 'InvalidData', field: 'subscriptionKey' })
  expect((await sb.stats()).requests).toBe(0)
  // Options that are absent, null or undefined (other than baseUrl) are fine.
  for (const options of [undefined, null, {}, { timeoutMs: undefined, maxRetries: null }]) {
    expect(new Disbursements(KEY, options).toJSON().baseUrl).toBe('https://sandbox.momodeveloper.mtn.com')
  }
  // Every documented option at once.
  const all = new Collection(KEY, {
    baseUrl: sb.url,
    environment: 'sandbox',
    targetEnvironment: 'sandbox',
    apiUser: randomUUID(),
    apiKey: 'k',
    callbackUrl: 'https://example.com/cb',
    timeoutMs: 1000,
    maxRetries: 1,
    retryBackoffMs: 10,
    maxConcurrentRequests: 8,
    allowInsecureHttp: false,
    onEvent: () => {},
  })
  expect(all.toJSON()).toMatchObject({ baseUrl: sb.url, managedTokens: true })
  const paymob = new PaymobPayouts({
    client_id: CREDENTIALS.clientId,
    client_secret: CREDENTIALS.clientSecret,
    username: CREDENTIALS.username,
    password: CREDENTIALS.password,
    base_url: sb.paymobUrl,
  })
  expect((await paymob.generateToken())[0]).toBe(true)
})

test('Payouts.open reports a wrong option as [false, failure], never a throw', async () => {
  const base = {
    ledger: `sqlite:${require('node:os').tmpdir()}/options-${randomUUID()}.db`,
    secret: 'a-secret-of-sixteen-chars',
  }
  const cases = [
    [{ ...base, ledgr: 'x', momo: { subscriptionKey: KEY } }, 'ledgr', /did you mean ledger\?$/],
    [
      { ...base, momo: { subscriptionKey: KEY, baseUrl: sb.url, ratePerSecnd: 3 } },
      'momo.ratePerSecnd',
      /^options\.momo\.ratePerSecnd is not an option of Payouts; did you mean momo\.ratePerSecond\?$/,
    ],
    [
      { ...base, momo: { subscriptionKey: KEY, baseUrl: undefined } },
      'momo.baseUrl',
      /^options\.momo\.baseUrl is undefined/,
    ],
    [
      { ...base, paymob: { ...CREDENTIALS, timeOutMs: 5 } },
      'paymob.timeOutMs',
      /^options\.paymob\.timeOutMs is not an option of Payouts; did you mean paymob\.timeoutMs\?$/,
    ],
    [
      { ...base, momo: { subscriptionKey: KEY }, logger: { info() {} } },
      'logger',
      /^options\.logger must be an object/,
    ],
  ]
  for (const [options, field, message] of cases) {
    const [ok, failure] = await Payouts.open(options)
    expect(ok).toBe(false)
    expect(failure).toMatchObject({ error: 'InvalidData', field })
    expect(failure.message).toMatch(message)
  }
})

test('Sandbox.start names a mistyped option', async () => {
  // A TypeError, made by the JavaScript entry: compared by name, as the first test file of a
  // Jest worker to load the entry makes it in its own realm.
  await expect(Sandbox.start({ port: 'eighty' })).rejects.toThrow(expect.objectContaining({ name: 'TypeError' }))
  await expect(Sandbox.start({ prot: 0 })).rejects.toThrow(
    'invalid sandbox options: options.prot is not an option of Sandbox; did you mean port?',
  )
  await expect(Sandbox.start({ momo: { subscriptionKey: ['k'] } })).rejects.toThrow(
    'invalid sandbox options: options.momo.subscriptionKey is not an option of Sandbox; did you mean momo.subscriptionKeys?',
  )
})
