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

test('bad arguments fail with the kind, field and message that name them', async () => {
  const [ok, p] = await Payouts.open(options('args'))
  expect(ok).toBe(true)
  const BATCH_ID = 'batchId must be a non-empty string of at most 200 characters'
  const KEY = 'key must be a non-empty string of at most 128 characters'
  const BODY = 'the callback body must be a JSON string or an object, got'
  for (const [name, call, field, message] of [
    ['summary(42)', () => p.summary(42), 'batchId', BATCH_ID],
    ['summary(201 chars)', () => p.summary('x'.repeat(201)), 'batchId', BATCH_ID],
    ['process(undefined)', () => p.process(undefined, 'k'), 'batchId', BATCH_ID],
    ['process(b, 1.5)', () => p.process('b1', 1.5), 'key', KEY],
    ['resolve(b, {})', () => p.resolve('b1', {}, { status: 'failed', note: 'n' }), 'key', KEY],
    ['items(b, 42)', () => p.items('b1', 42), 'query', 'query must be an object, got number'],
    ['items(b, fn)', () => p.items('b1', () => {}), 'query', 'query must be an object, got function'],
    ['run(b, 5)', () => p.run('b1', 5), 'options', 'options must be an object, got number'],
    ['verify(b, 5)', () => p.verify('b1', 5), 'options', 'options must be an object, got number'],
    ['reconcileMany(b, k)', () => p.reconcileMany('b1', 'k'), 'keys', 'keys must be an array of 1 to 1000 item keys'],
    ['approve(b, 5)', () => p.approve('b1', 5), 'keys', 'keys must be an item key or a non-empty list of item keys'],
    [
      'reject(b, k, 5)',
      () => p.reject('b1', 'k', 5),
      'note',
      'note is required: why the items are rejected, for whoever reads the ledger next',
    ],
    ['callback(b)', () => p.callback('b1'), 'body', `${BODY} undefined`],
    ['callback(b, pair)', () => p.callback('b1', [false, {}]), 'body', `${BODY} array`],
    ['callback(b, 5)', () => p.callback('b1', 5), 'body', `${BODY} number`],
    ['callback(b, text)', () => p.callback('b1', 'not json'), 'body', 'the callback body is not JSON'],
  ]) {
    const [done, f] = await call()
    expect([name, done, f.error, f.field, f.message]).toEqual([name, false, 'InvalidData', field, message])
  }
  // A whole number is a key, as submit takes it (JavaScript numbers reach the core as floats).
  const [, numeric] = await p.process('b1', 7)
  expect([numeric.error, numeric.message]).toEqual(['NotFound', 'batch b1 has no item with key 7'])
  await p.close()
  for (const [bad, got] of [
    [42, 'number'],
    ['sqlite:x', 'string'],
  ]) {
    const [done, f] = await Payouts.open(bad)
    expect([done, f.field, f.message]).toEqual([
      false,
      'options',
      `options must be an object with secret and momo or paymob, got ${got}`,
    ])
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
