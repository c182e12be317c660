'use strict'
// Payouts is one JavaScript class (lib/payouts.js) over the native handle: every method the
// docs name is on it, each resolves [ok, data] whatever its arguments, an instance made
// with `new` is not open, and nothing of the handle or the secret shows.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { inspect } = require('node:util')
const { Payouts } = require('..')
const { Payouts: FromIndex } = require('../index.js')

const SECRET = 'a-secret-that-must-never-show-1234'
const ASYNC = [
  'submit',
  'run',
  'items',
  'summary',
  'retryFailed',
  'resolve',
  'process',
  'reconcile',
  'callback',
  'work',
  'close',
]

let dir
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmn-payouts-class-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

function options(name) {
  return {
    ledger: `sqlite:${path.join(dir, `${name}.db`)}`,
    secret: SECRET,
    momo: {
      subscriptionKey: 'sub-key-never-shown',
      apiUser: '00000000-0000-4000-8000-000000000000',
      apiKey: 'api-key-never-shown',
      baseUrl: 'http://127.0.0.1:9',
    },
  }
}

test('a class of its own with every method of the contract, exported by index.js', () => {
  expect(typeof Payouts).toBe('function')
  expect(Payouts).toBe(FromIndex)
  expect(typeof Payouts.open).toBe('function')
  for (const name of [...ASYNC, 'stop', 'toJSON']) expect(typeof Payouts.prototype[name]).toBe('function')
  expect(typeof Payouts.prototype[inspect.custom]).toBe('function')
})

test('an instance made with `new` is not open: each method resolves InvalidData, stop() is 0', async () => {
  const p = new Payouts(options('new'))
  for (const name of ASYNC) {
    const [ok, f] = await p[name]('b1', 'k', {})
    expect([name, ok, f.error]).toEqual([name, false, 'InvalidData'])
    expect(f.message).toContain('Payouts.open')
  }
  expect(p.stop('b1')).toBe(0)
  expect(p.toJSON()).toEqual({ open: false, secret: '[redacted]' })
  expect(fs.existsSync(path.join(dir, 'new.db'))).toBe(false)
})

test('open: bad options resolve [false, failure] (never a throw)', async () => {
  for (const bad of [undefined, null, 42, 'sqlite:x', { secret: 'short' }, { ...options('bad'), queue: 'redis://x' }]) {
    const [ok, f] = await Payouts.open(bad)
    expect([ok, f.error]).toEqual([false, 'InvalidData'])
  }
})

test('an open instance: any arguments resolve [ok, data]; nothing of the handle or the secrets shows', async () => {
  const [ok, p] = await Payouts.open(options('open'))
  expect(ok).toBe(true)
  const weird = [undefined, null, 42, {}, [], 'b', Symbol('s'), () => {}]
  for (const name of ASYNC.filter((n) => n !== 'close')) {
    for (const a of weird) {
      const result = await p[name](a, a, a)
      expect(Array.isArray(result) && result.length === 2 && typeof result[0] === 'boolean').toBe(true)
    }
  }
  for (const a of weird) expect(typeof p.stop(a)).toBe('number')
  // run's signal must be an AbortSignal.
  const [rok, rf] = await p.run('b1', { signal: 'abort' })
  expect([rok, rf.field]).toEqual([false, 'options.signal'])
  // work() without a queue says what it needs.
  const [wok, wf] = await p.work({ concurrency: 2 })
  expect([wok, wf.error, wf.field]).toEqual([false, 'InvalidData', 'queue'])

  expect(Object.keys(p)).toEqual([])
  const shown = `${inspect(p, { depth: 10, showHidden: true })} ${JSON.stringify(p)}`
  expect(shown).toMatch(/^Payouts \{/)
  for (const secret of [SECRET, 'sub-key-never-shown', 'api-key-never-shown']) expect(shown).not.toContain(secret)
  expect(await p.close()).toEqual([true, null])
})
