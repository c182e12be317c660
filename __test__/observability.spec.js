'use strict'
// onEvent, and the documented callback listener (examples/callback-listener.js).
const http = require('node:http')
const Module = require('node:module')
const path = require('node:path')
const { specWorld, momoWorld, transferBody, randomUUID, eventually } = require('./support/helpers')

const world = specWorld(momoWorld)

test('onEvent reports every attempt: method, path, status, time, attempt and reference', async () => {
  const events = []
  const d = world.managed({ onEvent: (e) => events.push(e) })
  const ref = randomUUID()
  world.sb.injectFault({ kind: 'status_503', path: '/v1_0/transfer', method: 'POST' })
  expect((await d.transfer(ref, null, 'sandbox', transferBody('46733123499')))[0]).toBe(true)
  await eventually(() => events.length >= 3, 2000)
  expect(events[0]).toMatchObject({
    provider: 'momo',
    method: 'POST',
    path: '/disbursement/token/',
    status: 200,
    attempt: 1,
  })
  const transfers = events.filter((e) => e.path === '/disbursement/v1_0/transfer')
  expect(transfers).toEqual([
    expect.objectContaining({ method: 'POST', status: 503, attempt: 1, referenceId: ref, error: null }),
    expect.objectContaining({ method: 'POST', status: 202, attempt: 2, referenceId: ref, error: null }),
  ])
  for (const e of events) expect(e.elapsedMs).toBeGreaterThanOrEqual(0)
  // Events carry no credentials.
  expect(JSON.stringify(events)).not.toContain(world.apiKey)
})

test('the example callback listener confirms by lookup, once, and ignores forged callbacks', async () => {
  // The example requires 'mobilemoney-native'; resolve it to this package.
  const original = Module._resolveFilename
  Module._resolveFilename = function (request, ...rest) {
    return original.call(this, request === 'mobilemoney-native' ? path.join(__dirname, '..') : request, ...rest)
  }
  const { startCallbackListener } = require('../examples/callback-listener')
  Module._resolveFilename = original

  const confirmed = []
  const d = world.managed()
  const server = await startCallbackListener({
    disbursements: d,
    onConfirmed: (ref, r) => confirmed.push([ref, r.status]),
  })
  const url = `http://127.0.0.1:${server.address().port}/momo/callback`
  try {
    const good = randomUUID()
    const rejected = randomUUID()
    await d.transfer(good, null, 'sandbox', transferBody('46733123499'), url)
    await d.transfer(rejected, null, 'sandbox', transferBody('46733123451'), url)
    await eventually(() => confirmed.length === 2, 5000)
    expect(confirmed).toEqual(
      expect.arrayContaining([
        [good, 'SUCCESSFUL'],
        [rejected, 'FAILED'],
      ]),
    )
    // A forged "SUCCESSFUL" callback for the rejected payout changes nothing.
    const forged = JSON.stringify({ status: 'SUCCESSFUL', amount: '100', currency: 'EUR' })
    await new Promise((resolve, reject) => {
      const req = http.request(
        url,
        { method: 'PUT', headers: { 'content-type': 'application/json', 'x-reference-id': rejected } },
        (res) => {
          res.resume()
          res.on('end', resolve)
        },
      )
      req.on('error', reject)
      req.end(forged)
    })
    await new Promise((r) => setTimeout(r, 200))
    expect(confirmed).toHaveLength(2)
    expect(confirmed.find(([ref]) => ref === rejected)[1]).toBe('FAILED')
  } finally {
    await new Promise((r) => server.close(r))
  }
})
