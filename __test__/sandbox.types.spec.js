'use strict'
// The sandbox's generated TypeScript (binding.d.ts, from src/sandbox_types.rs) against
// what the addon really accepts and returns: every declared fault kind, reason shape and
// callback method is accepted, and ledger entries, stats and logged requests have exactly
// the declared fields.
const fs = require('node:fs')
const path = require('node:path')
const { Sandbox, PaymobPayouts } = require('..')
const { momoWorld, transferBody, randomUUID } = require('./support/helpers')
const { CREDENTIALS } = require('./support/paymob')
const { union, body, fields, fieldUnion, conforms } = require('./support/dts')

let world
afterAll(() => world && world.sb.close())

test('the sandbox types are generated, not hand-written in the header', () => {
  const header = fs.readFileSync(path.join(__dirname, '..', 'types', 'header.d.ts'), 'utf8')
  for (const name of [
    'SandboxOptions',
    'MomoSandboxOptions',
    'PaymobSandboxOptions',
    'LedgerEntry',
    'SandboxStats',
    'LoggedRequest',
    'FaultRule',
    'FaultRateOptions',
  ]) {
    expect(header).not.toMatch(new RegExp(`interface ${name}\\b`))
    expect(Object.keys(fields(name)).length).toBeGreaterThan(0)
  }
  expect(fieldUnion('FaultRule', 'kind')).toEqual([])
  expect(body('FaultRule')).toMatch(/kind: FaultKind\n/)
})

test('every declared fault kind is accepted, and nothing else', async () => {
  world = await momoWorld()
  const kinds = union('FaultKind')
  expect(kinds).toHaveLength(11)
  for (const kind of kinds) world.sb.injectFault({ kind, path: '/never-matches', times: 1 })
  world.sb.setFaultRate({ rate: 0.5, kinds, provider: 'paymob' })
  world.sb.clearFaults()
  expect(() => world.sb.injectFault({ kind: 'explode' })).toThrow(/invalid fault rule/)
  expect(fieldUnion('FaultRule', 'provider')).toEqual(['momo', 'paymob'])
  for (const provider of fieldUnion('FaultRule', 'provider'))
    world.sb.injectFault({ kind: 'stall', provider, path: '/never-matches' })
  world.sb.clearFaults()
})

test('every declared reason shape and callback method starts a sandbox', async () => {
  const shapes = fieldUnion('MomoSandboxOptions', 'reasonShape')
  const methods = fieldUnion('MomoSandboxOptions', 'callbackMethod')
  expect([shapes, methods]).toEqual([
    ['string', 'object'],
    ['PUT', 'POST'],
  ])
  for (const reasonShape of shapes) {
    for (const callbackMethod of methods) {
      const sb = await Sandbox.start({ momo: { reasonShape, callbackMethod } })
      await sb.close()
    }
  }
  await expect(Sandbox.start({ momo: { reasonShape: 'xml' } })).rejects.toThrow(/invalid sandbox options/)
  await expect(Sandbox.start({ settleAfterMs: -1 })).rejects.toThrow(/invalid sandbox options/)
})

test('ledger entries, stats and logged requests have exactly the declared fields', async () => {
  world = world || (await momoWorld())
  const d = world.managed()
  expect((await d.transfer(randomUUID(), null, 'sandbox', transferBody('46733123499', '5')))[0]).toBe(true)
  const p = new PaymobPayouts({ ...CREDENTIALS, baseUrl: `${world.sb.url}/api/secure/` })
  expect((await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 5 }))[0]).toBe(true)

  const ledger = await world.sb.ledger()
  expect(ledger.map((e) => [e.provider, e.product])).toEqual([
    ['momo', 'disbursement'],
    ['paymob', undefined],
  ])
  expect(fieldUnion('LedgerEntry', 'product')).toEqual(['collection', 'disbursement', 'remittance'])
  expect(fieldUnion('LedgerEntry', 'provider')).toEqual(['momo', 'paymob'])
  expect(fieldUnion('LoggedRequest', 'provider')).toEqual(['momo', 'paymob'])
  for (const entry of ledger) conforms(entry, fields('LedgerEntry'))

  const stats = await world.sb.stats()
  conforms(stats, fields('SandboxStats'))
  expect(Object.keys(stats).sort()).toEqual(Object.keys(fields('SandboxStats')).sort())

  const requests = await world.sb.requests()
  expect(requests.length).toBeGreaterThan(2)
  for (const r of requests) conforms(r, fields('LoggedRequest'))
  expect(requests.map((r) => r.query)).toContain(null)
})
