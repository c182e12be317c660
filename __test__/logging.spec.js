'use strict'
// Logs where users want them: DEBUG with the `debug` package's namespace rules, a `logger`
// option taking pino (or anything with debug/info/warn/error), and the provider's request
// id of each attempt on events and failures.
const { spawn } = require('node:child_process')
const path = require('node:path')
const { Writable } = require('node:stream')
const pino = require('pino')
const { Disbursements } = require('..')
const { specWorld, momoWorld, transferBody, randomUUID, eventually } = require('./support/helpers')

const ROOT = path.join(__dirname, '..')
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const world = specWorld(momoWorld)

/** One status lookup in a fresh process with this DEBUG; resolves its stderr. */
function lookUpWithDebug(debug) {
  const source = `
    const { Disbursements } = require(${JSON.stringify(ROOT)})
    const d = new Disbursements('k', { baseUrl: ${JSON.stringify(world.sb.url)}, maxRetries: 0 })
    d.getTransferStatus(${JSON.stringify(randomUUID())}, 'Bearer t', 'sandbox').then(() => {})
  `
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', source], { env: { ...process.env, DEBUG: debug } })
    let stderr = ''
    child.stderr.on('data', (c) => (stderr += c))
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

test.each([
  ['mobilemoney-native', true],
  ['mobilemoney-native*', true],
  ['mobilemoney-native:*', true],
  ['*', true],
  ['express:*,mobilemoney-native*', true],
  ['express:* mobilemoney-*', true],
  ['*,-mobilemoney-native*', false],
  ['mobilemoney-native*,-mobilemoney-native*', false],
  ['express:*', false],
  ['mobilemoney', false],
])('DEBUG=%s prints the request lines: %s', async (debug, printed) => {
  const { code, stderr } = await lookUpWithDebug(debug)
  expect(code).toBe(0)
  const lines = stderr.split('\n').filter((l) => l.startsWith('mobilemoney-native '))
  if (printed) {
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^mobilemoney-native momo GET \/disbursement\/v1_0\/transfer\/[0-9a-f-]+ -> 401 [\d.]+ms attempt=1 ref=[0-9a-f-]+ id=[0-9a-f-]{36}$/,
    )
  } else {
    expect(lines).toEqual([])
  }
})

/** A pino logger at debug level writing JSON lines into `lines`. */
function pinoInto(lines) {
  const stream = new Writable({
    write(chunk, _, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  return pino({ level: 'debug' }, stream)
}

test('a pino logger gets each attempt: debug for answers, warn for server errors, with the request id', async () => {
  const lines = []
  const d = world.managed({ logger: pinoInto(lines) })
  const ref = randomUUID()
  world.sb.injectFault({ kind: 'status_503', path: '/v1_0/transfer', method: 'POST' })
  expect((await d.transfer(ref, null, 'sandbox', transferBody('46733123499')))[0]).toBe(true)
  await eventually(() => lines.length >= 3, 5000)
  const transfers = lines.filter((l) => l.path === '/disbursement/v1_0/transfer')
  expect(transfers).toEqual([
    expect.objectContaining({ level: 40, status: 503, attempt: 1, referenceId: ref, provider: 'momo' }),
    expect.objectContaining({ level: 20, status: 202, attempt: 2, referenceId: ref, provider: 'momo' }),
  ])
  for (const l of lines) {
    expect(l.requestId).toMatch(UUID)
    expect(l.msg).toMatch(/^mobilemoney-native momo (POST|GET) \//)
  }
  // Each attempt has its own id; no credential is logged.
  expect(new Set(lines.map((l) => l.requestId)).size).toBe(lines.length)
  expect(JSON.stringify(lines)).not.toContain(world.apiKey)
})

test("a failure carries its attempt's request id, the same as the event's", async () => {
  const events = []
  const d = world.managed({ onEvent: (e) => events.push(e) })
  const ref = randomUUID()
  const [ok, failure] = await d.getTransferStatus(ref)
  expect(ok).toBe(false)
  expect(failure).toMatchObject({ error: 'NotFound', status: 404, referenceId: ref })
  expect(failure.requestId).toMatch(UUID)
  await eventually(() => events.some((e) => e.referenceId === ref), 5000)
  expect(events.find((e) => e.referenceId === ref).requestId).toBe(failure.requestId)
})

test('console is a logger too; an object without the four methods is refused at construction', () => {
  expect(() => new Disbursements('k', { baseUrl: world.sb.url, logger: console })).not.toThrow()
  expect(() => new Disbursements('k', { baseUrl: world.sb.url, logger: null, onEvent: null })).not.toThrow()
  for (const logger of [{}, { debug() {}, info() {}, warn() {} }, 'pino']) {
    expect(() => new Disbursements('k', { baseUrl: world.sb.url, logger })).toThrow(
      'options.logger must be an object with debug, info, warn and error methods (pino, winston or console)',
    )
  }
})

test('Payouts.open takes a logger too: each attempt of a run is logged with its reference', async () => {
  const { Payouts } = require('..')
  const { payoutsWorld, momoItem } = require('./support/payouts')
  const w = await payoutsWorld()
  const lines = []
  const [ok, payouts] = await Payouts.open({ ...w.options(), logger: pinoInto(lines) })
  expect(ok).toBe(true)
  try {
    expect((await payouts.submit('logged', [momoItem('m1', '46733123499')]))[0]).toBe(true)
    const [ran, summary] = await payouts.run('logged')
    expect([ran, summary.byStatus.successful]).toEqual([true, 1])
    const [, [item]] = await payouts.items('logged')
    await eventually(() => lines.some((l) => l.path === '/disbursement/v1_0/transfer'), 5000)
    const send = lines.find((l) => l.path === '/disbursement/v1_0/transfer')
    expect(send).toMatchObject({ level: 20, method: 'POST', status: 202, referenceId: item.referenceId })
    expect(send.requestId).toMatch(UUID)
  } finally {
    await payouts.close()
    await w.sb.close()
  }
})
