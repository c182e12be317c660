'use strict'
// A graceful stop of `run`: `run(batchId, { signal })` with an AbortController, and
// `payouts.stop(batchId)`. Nothing more is claimed, the sends under way are recorded (no
// item is left `sending`), and the next run finishes the batch, each reference paid once.
const { Payouts } = require('..')
const { payoutsWorld, momoItem, expectLedgersAgree } = require('./support/payouts')

let w
afterEach(async () => {
  if (w) await w.cleanup()
  w = undefined
})

async function open() {
  const [ok, payouts] = await Payouts.open(w.options())
  if (!ok) throw new Error(JSON.stringify(payouts))
  return payouts
}

const items = (n) => Array.from({ length: n }, (_, i) => momoItem(`m${i}`, `4673312${String(i % 40).padStart(4, '0')}`))

test('aborting the signal mid-run: stopped, nothing left sending, the next run finishes it once', async () => {
  // Each answer 10 ms late: the sends last long enough to be stopped half-way.
  w = await payoutsWorld({ latencyMs: 10 })
  const payouts = await open()
  await payouts.submit('stop', items(300))
  const controller = new AbortController()
  let seen = 0
  const [ok, stopped] = await payouts.run('stop', {
    concurrency: 8,
    signal: controller.signal,
    onProgress: () => {
      if (++seen === 40) controller.abort()
    },
  })
  expect(ok).toBe(true)
  expect(stopped.stopped).toBe(true)
  expect(stopped.finishedAt).toBeUndefined()
  expect(stopped.byStatus.queued).toBeGreaterThan(0)
  expect(stopped.byStatus.sending || 0).toBe(0)
  const [, sending] = await payouts.items('stop', { status: 'sending' })
  expect(sending).toEqual([])
  // Every send that left before the stop was recorded: the sandbox holds no more payouts
  // than the ledger has references sent.
  const [, sent] = await payouts.items('stop', { status: ['pending', 'successful', 'failed'] })
  expect((await w.sb.ledger()).length).toBe(sent.length)

  const [ok2, summary] = await payouts.run('stop', { concurrency: 8 })
  expect(ok2).toBe(true)
  expect(summary.stopped).toBeUndefined()
  expect(summary.byStatus.successful).toBe(300)
  const [, rows] = await payouts.items('stop')
  await expectLedgersAgree(w.sb, rows)
  expect(await w.sb.ledger()).toHaveLength(300)
  await payouts.close()
}, 60000)

test('an already aborted signal sends nothing; stop(batchId) reaches the runs of that batch only', async () => {
  w = await payoutsWorld({ latencyMs: 10 })
  const payouts = await open()
  await payouts.submit('a', items(100))
  const [ok, none] = await payouts.run('a', { signal: AbortSignal.abort() })
  expect(ok).toBe(true)
  expect(none).toMatchObject({ stopped: true, byStatus: expect.objectContaining({ queued: 100 }) })
  expect(await w.sb.ledger()).toEqual([])

  expect(payouts.stop('a')).toBe(0)
  let seen = 0
  let stops
  const [, summary] = await payouts.run('a', {
    concurrency: 4,
    onProgress: () => {
      if (++seen === 10) stops = [payouts.stop('other'), payouts.stop('a')]
    },
  })
  expect(stops).toEqual([0, 1])
  expect(summary.stopped).toBe(true)
  expect(summary.byStatus.sending || 0).toBe(0)
  expect(payouts.stop()).toBe(0)
  await payouts.close()
}, 60000)

test('a signal that is not an AbortSignal is refused and nothing is sent', async () => {
  w = await payoutsWorld()
  const payouts = await open()
  await payouts.submit('b', items(3))
  const [ok, failure] = await payouts.run('b', { signal: { aborted: 'no' } })
  expect(ok).toBe(false)
  expect(failure).toMatchObject({ error: 'InvalidData', field: 'options.signal' })
  expect(await w.sb.ledger()).toEqual([])
  await payouts.close()
})
