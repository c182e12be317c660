'use strict'
// mobilemoney-native/testing as users' Jest suites use it: useSandbox() in this file (one
// sandbox for the file, reset after each test), and a nested Jest run with one sandbox for
// the run (globalSetup/globalTeardown, controlled over HTTP: fixtures/testing-recipe/).
const { spawnSync } = require('node:child_process')
const path = require('node:path')
const { randomUUID } = require('node:crypto')
const { Client, Disbursements, PaymobPayouts } = require('..')
const testing = require('../testing.js')
const { KEY, transferBody } = require('./support/helpers')
const { CREDENTIALS: PAYMOB } = require('./support/paymob')

const sandbox = testing.useSandbox({ settleAfterMs: 0 })

async function disbursements() {
  const client = new Client({ baseUrl: sandbox.url })
  const apiUser = randomUUID()
  await client.createApiUser(apiUser, KEY, '127.0.0.1')
  const [, { apiKey }] = await client.createApiKey(apiUser, KEY)
  return new Disbursements(KEY, { baseUrl: sandbox.url, apiUser, apiKey, maxRetries: 0 })
}

function pay(d, reference) {
  return d.transfer(reference, null, 'sandbox', transferBody('46733123499'))
}

test('the handle gives both clients their base URLs', async () => {
  expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(sandbox.paymobUrl).toBe(`${sandbox.url}/api/secure/`)
  const reference = randomUUID()
  const [ok] = await pay(await disbursements(), reference)
  expect(ok).toBe(true)
  const paymob = new PaymobPayouts({ ...PAYMOB, baseUrl: sandbox.paymobUrl })
  const [okCashin, cashin] = await paymob.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 100 })
  expect(okCashin).toBe(true)
  expect(cashin.disbursement_status).toBe('successful')
  const ledger = await sandbox.sandbox.ledger()
  expect(ledger.map((entry) => [entry.provider, entry.referenceId])).toEqual(
    expect.arrayContaining([
      ['momo', reference],
      ['paymob', cashin.clientReferenceId],
    ]),
  )
})

// The next two tests run in this order: the second sees what the first left behind.
test('a fault injected in one test fails its transfer', async () => {
  const d = await disbursements()
  sandbox.sandbox.injectFault({ kind: 'status_503', method: 'POST', path: '/v1_0/transfer', times: 5 })
  sandbox.sandbox.setFaultRate({ rate: 1, kinds: ['status_503'], provider: 'paymob' })
  const [ok] = await pay(d, randomUUID())
  expect(ok).toBe(false)
  expect((await sandbox.sandbox.requests()).length).toBeGreaterThan(0)
})

test('is gone in the next test, with the fault rate and the request log', async () => {
  expect(await sandbox.sandbox.requests()).toEqual([])
  const [ok] = await pay(await disbursements(), randomUUID())
  expect(ok).toBe(true)
  const paymob = new PaymobPayouts({ ...PAYMOB, baseUrl: sandbox.paymobUrl })
  const [okCashin] = await paymob.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 100 })
  expect(okCashin).toBe(true)
})

test('connectSandbox controls the same sandbox over HTTP', async () => {
  const remote = testing.connectSandbox(sandbox.url)
  await remote.injectFault({ kind: 'status_503', method: 'POST', path: '/v1_0/transfer', times: 1 })
  const d = await disbursements()
  expect((await pay(d, randomUUID()))[0]).toBe(false)
  await remote.injectFault({ kind: 'status_503', method: 'POST', path: '/v1_0/transfer', times: 1 })
  await remote.reset()
  expect((await pay(d, randomUUID()))[0]).toBe(true)
  expect((await remote.requests()).length).toBeGreaterThan(0)
})

test('useSandbox outside a test runner says which hooks it needs', () => {
  const saved = globalThis.beforeAll
  globalThis.beforeAll = undefined
  try {
    expect(() => testing.useSandbox()).toThrow(/needs the test runner's beforeAll hooks/)
  } finally {
    globalThis.beforeAll = saved
  }
})

test('per run: globalSetup and globalTeardown share one sandbox with every test file', () => {
  const recipe = path.join(__dirname, 'fixtures', 'testing-recipe')
  const jest = require.resolve('jest/bin/jest')
  const run = spawnSync(process.execPath, [jest, '--config', path.join(recipe, 'jest.config.js'), '--ci'], {
    cwd: recipe,
    encoding: 'utf8',
    env: { ...process.env, MOBILEMONEY_SANDBOX_URL: '' },
  })
  expect(run.stderr).toMatch(/Tests:\s+2 passed, 2 total/)
  expect(run.status).toBe(0)
})

test('the declarations of mobilemoney-native/testing compile in typed use (strict)', () => {
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc')
  const config = path.join(__dirname, 'types', 'tsconfig.testing.json')
  const run = spawnSync(process.execPath, [tsc, '-p', config, '--pretty', 'false'], { encoding: 'utf8' })
  expect(`${run.stdout}${run.stderr}`.trim()).toBe('')
  expect(run.status).toBe(0)
})

test("node:test: useSandbox with node:test's own hooks", () => {
  const file = path.join(__dirname, 'fixtures', 'testing-recipe', 'node-test.recipe.mjs')
  const run = spawnSync(process.execPath, ['--test', file], { cwd: path.dirname(file), encoding: 'utf8' })
  expect(run.stdout).toMatch(/^# pass 1$/m)
  expect(run.stdout).toMatch(/^# fail 0$/m)
  expect(run.status).toBe(0)
})
