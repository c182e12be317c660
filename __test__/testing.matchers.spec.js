'use strict'
// mobilemoney-native/testing: ready MoMo credentials from the sandbox (momoAccount), and
// the [ok, data] matchers installed with expect.extend, as users' Jest suites use them.
const { randomUUID } = require('node:crypto')
const { Collection, Disbursements, Remittance } = require('..')
const testing = require('../testing.js')
const { transferBody } = require('./support/helpers')

expect.extend(testing.matchers)
const sandbox = testing.useSandbox()

test('momoAccount(product) gives credentials a product client takes as they are', async () => {
  for (const [product, Product] of [
    ['disbursement', Disbursements],
    ['collection', Collection],
    ['remittance', Remittance],
  ]) {
    const account = await sandbox.momoAccount(product)
    expect(account).toEqual({
      subscriptionKey: `test-${product}-subscription-key`,
      apiUser: expect.stringMatching(/^[0-9a-f-]{36}$/),
      apiKey: expect.any(String),
      baseUrl: sandbox.url,
      targetEnvironment: 'sandbox',
    })
    // Managed tokens: no authorization argument anywhere.
    expect(await new Product(account.subscriptionKey, account).getAccountBalance()).toBeOk()
  }
  const remote = await testing.connectSandbox(sandbox.url).momoAccount('disbursements', { subscriptionKey: 'mine' })
  expect(remote.subscriptionKey).toBe('mine')
  await expect(sandbox.momoAccount('wallet')).rejects.toThrow(
    'momoAccount: product must be one of collection, disbursement, remittance, got wallet',
  )
})

test('toBeOk and toFailWith match results, and say what came back when they do not', async () => {
  const account = await sandbox.momoAccount('disbursement')
  const d = new Disbursements(account.subscriptionKey, account)
  const reference = randomUUID()
  expect(await d.transfer(reference, null, undefined, transferBody('46733123499'))).toBeOk()
  const again = await d.transfer(reference, null, undefined, transferBody('46733123499'))
  // A second call with a used reference is refused by MoMo: 409.
  expect(again).toFailWith('Conflict', { status: 409, code: 'RESOURCE_ALREADY_EXIST', referenceId: reference })
  expect(again).not.toFailWith('InvalidData')
  expect(again).not.toBeOk()
  const bad = await d.transfer(randomUUID(), null, undefined, transferBody('46733123499', 'lots'))
  expect(bad).toFailWith('InvalidData')
  expect(bad).toFailWith('InvalidData', { field: 'body.amount' })
  expect(bad).not.toBeOk()

  // The messages of failed assertions name the kind and message that came back.
  expect(() => expect(bad).toBeOk()).toThrow(
    /expected \[true, data\], got \[false, \{ error: 'InvalidData', message: '/,
  )
  expect(() => expect(bad).toFailWith('Conflict')).toThrow(
    /expected a Conflict failure, got \[false, \{ error: 'InvalidData'/,
  )
  expect(() => expect(bad).toFailWith('InvalidData', { field: 'payee' })).toThrow(/\(field: 'body\.amount'\)$/)
  expect(() => expect('nope').toBeOk()).toThrow("expected [true, data], got not an [ok, data] pair: 'nope'")
})

test('the handle says so when read before the sandbox started', () => {
  const early = []
  const hooks = { beforeAll: () => {}, afterAll: () => {}, afterEach: () => {} }
  const handle = testing.useSandbox({}, hooks)
  for (const read of [() => handle.url, () => handle.sandbox, () => handle.paymobUrl]) {
    try {
      read()
    } catch (e) {
      early.push(e.message)
    }
  }
  expect(early).toEqual([
    'sandbox.url is read before the sandbox started: use it inside a test or a hook (useSandbox starts it in beforeAll).',
    'sandbox.sandbox is read before the sandbox started: use it inside a test or a hook (useSandbox starts it in beforeAll).',
    'sandbox.paymobUrl is read before the sandbox started: use it inside a test or a hook (useSandbox starts it in beforeAll).',
  ])
})
