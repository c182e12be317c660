'use strict'
// The package loads as CommonJS and as ESM, with the same named exports (the same
// objects, so `instanceof` works across both), and keeps the error classes of
// mobilemoney.js with their old inheritance.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const cjs = require('..')

const CLASSES = ['Disbursements', 'Collection', 'Remittance', 'Client', 'PaymobPayouts', 'Sandbox', 'Payouts']
const FUNCTIONS = ['parseCallback', 'toError', 'payoutRails', 'payoutStatuses']
const HTTP_ERRORS = ['MomoServerError', 'Unauthorized', 'InvalidData', 'NotFound', 'Conflict']
const INPUT_ERRORS = ['InvalidUniqueIDVersion', 'InvalidBasicToken', 'InvalidBearerToken']
const ERRORS = ['MomoError', 'HTTPError', ...HTTP_ERRORS, ...INPUT_ERRORS]
const EXPECTED = [...CLASSES, ...FUNCTIONS, ...ERRORS]

// napi-rs stamps this marker on every generated binding; it is not part of the API.
const INTERNAL = new Set(['__napiBindingTarget'])

let esm
beforeAll(() => {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'fixtures', 'exports.mjs')], {
    cwd: path.join(__dirname, '..'),
    encoding: 'utf8',
  })
  esm = JSON.parse(out)
})

describe('require("..")', () => {
  test.each(EXPECTED)('exports %s', (name) => {
    expect(typeof cjs[name]).toBe('function')
  })

  test('parseCallback is synchronous and returns [true, parsed] for a MoMo callback', () => {
    const body = JSON.stringify({ status: 'FAILED', reason: 'APPROVAL_REJECTED', amount: '5', currency: 'EUR' })
    const result = cjs.parseCallback(body, { 'x-reference-id': 'ref-1' })
    expect(result).toEqual([
      true,
      expect.objectContaining({
        provider: 'momo',
        status: 'FAILED',
        referenceId: 'ref-1',
        reason: expect.objectContaining({ code: 'APPROVAL_REJECTED' }),
      }),
    ])
    expect(cjs.parseCallback('not json')).toEqual([false, expect.objectContaining({ error: 'InvalidData' })])
  })

  test('exports nothing unexpected', () => {
    const extra = Object.keys(cjs).filter((n) => !EXPECTED.includes(n) && !INTERNAL.has(n))
    expect(extra).toEqual([])
  })
})

describe('import("../index.mjs")', () => {
  test('has a named export for every CommonJS export, and the same objects', () => {
    const cjsNames = Object.keys(cjs).filter((n) => !INTERNAL.has(n))
    expect(esm.esmNames.sort()).toEqual(expect.arrayContaining(cjsNames))
    expect(esm.sameAsCjs.sort()).toEqual([...esm.esmNames].sort())
    expect(esm.defaultIsCjs).toBe(true)
  })

  test('has every export of the contract, each defined', () => {
    expect(esm.esmNames).toEqual(expect.arrayContaining(EXPECTED))
    expect(esm.esmDefined).toEqual(expect.arrayContaining(EXPECTED))
  })

  test('"mobilemoney-native" by name resolves to the same module (package "exports")', () => {
    expect(esm.byNameIsSame).toBe(true)
  })

  test('ESM classes work: bad input resolves [false, failure] without a request', () => {
    expect(esm.calls.momo).toEqual([
      false,
      expect.objectContaining({ error: 'InvalidUniqueIDVersion', retryable: false }),
    ])
    expect(esm.calls.paymob).toEqual([false, expect.objectContaining({ error: 'InvalidData', retryable: false })])
    expect(esm.calls.callback).toEqual([true, expect.objectContaining({ provider: 'paymob', status: 'pending' })])
  })
})

describe('error classes keep the inheritance of mobilemoney.js', () => {
  test('HTTPError extends MomoError extends Error', () => {
    expect(esm.chains.HTTPError).toEqual(['HTTPError', 'MomoError', 'Error'])
    expect(new cjs.HTTPError('x')).toBeInstanceOf(cjs.MomoError)
    expect(new cjs.MomoError('x')).toBeInstanceOf(Error)
  })

  test.each(HTTP_ERRORS)('%s extends HTTPError', (name) => {
    expect(esm.chains[name]).toEqual([name, 'HTTPError', 'MomoError', 'Error'])
    const e = new cjs[name]('boom')
    expect(e).toBeInstanceOf(cjs.HTTPError)
    expect(e.name).toBe(name)
    expect(e.message).toBe('boom')
  })

  test.each(INPUT_ERRORS)('%s extends Error but not MomoError', (name) => {
    const e = new cjs[name]('bad input')
    expect(e).toBeInstanceOf(Error)
    expect(e).not.toBeInstanceOf(cjs.MomoError)
    expect(e.name).toBe(name)
    expect(esm.chains[name]).toContain('Error')
    expect(esm.chains[name]).not.toContain('MomoError')
  })
})

describe('toError', () => {
  test('maps a failure to the class mobilemoney.js would have thrown, keeping the failure', () => {
    const failure = { error: 'NotFound', message: 'no such transfer', status: 404, retryable: false }
    const e = cjs.toError(failure)
    expect(e).toBeInstanceOf(cjs.NotFound)
    expect(e).toBeInstanceOf(cjs.HTTPError)
    expect(e.message).toBe('no such transfer')
    expect(e.failure).toBe(failure)
  })

  test('input failures become input errors, outside MomoError', () => {
    const e = cjs.toError({ error: 'InvalidBearerToken', message: 'no Bearer prefix', retryable: false })
    expect(e).toBeInstanceOf(cjs.InvalidBearerToken)
    expect(e).not.toBeInstanceOf(cjs.MomoError)
  })

  test('other kinds: HTTPError when a status came back, MomoError otherwise', () => {
    const rate = cjs.toError({ error: 'RateLimited', message: 'slow down', status: 429, retryable: true })
    expect(rate.constructor).toBe(cjs.HTTPError)
    const timeout = cjs.toError({ error: 'Timeout', message: 'no answer', retryable: true })
    expect(timeout.constructor).toBe(cjs.MomoError)
  })

  test('a real [false, failure] from a call converts', async () => {
    const d = new cjs.Disbursements('key')
    const [ok, failure] = await d.getTransferStatus('123', 'Bearer x', 'sandbox')
    expect(ok).toBe(false)
    expect(cjs.toError(failure)).toBeInstanceOf(cjs.InvalidUniqueIDVersion)
  })
})

describe('payoutRails()', () => {
  test('lists the rails Payouts.open knows by name, from the core', () => {
    expect(cjs.payoutRails()).toEqual(['momo', 'paymob'])
  })
})

describe('payoutStatuses()', () => {
  test("lists an item's statuses and the final ones, from the core", () => {
    expect(cjs.payoutStatuses()).toEqual({
      all: ['queued', 'sending', 'pending', 'successful', 'failed', 'refused', 'unknown', 'held'],
      final: ['successful', 'failed', 'refused'],
    })
  })

  test('the declared PayoutStatus type has exactly those members', () => {
    const dts = fs.readFileSync(path.join(__dirname, '..', 'binding.d.ts'), 'utf8')
    const union = dts.match(/export type PayoutStatus =([\s\S]*?)\n\n/)
    expect(union).not.toBeNull()
    const declared = [...union[1].matchAll(/'([^']+)'/g)].map((m) => m[1])
    expect(declared.sort()).toEqual([...cjs.payoutStatuses().all].sort())
  })
})
