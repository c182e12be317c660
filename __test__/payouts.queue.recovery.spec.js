'use strict'
// Jobs that failed for good (a worker with the wrong secret) are queued again by the next
// submit; a batch partly paid by run() elsewhere still closes; work() checks its options.
const { Queue, Worker } = require('bullmq')
const { Payouts } = require('../index.js')
const { momoItem, expectLedgersAgree } = require('./support/payouts')
const { REDIS_URL, mixedItems, momoTransfers429, tracked, until } = require('./support/payouts-queue')

jest.setTimeout(120000)

const t = tracked()

async function open(extra = {}) {
  const o = t.w.options({ momo: { timeoutMs: 1500 }, paymob: { timeoutMs: 1500 } })
  const [ok, p] = await Payouts.open({
    ...o,
    ledger: t.s.ledger,
    queue: { redis: REDIS_URL, prefix: t.s.prefix },
    ...extra,
  })
  if (!ok) throw new Error(JSON.stringify(p))
  t.defer(() => p.close())
  return p
}

async function failedJobs() {
  let n = 0
  for (const name of ['payouts-momo', 'payouts-paymob']) {
    const q = new Queue(name, { connection: { url: REDIS_URL }, prefix: t.s.prefix })
    n += (await q.getJobCounts('failed')).failed
    await q.close()
  }
  return n
}

async function closed(p, batchId) {
  return until(`batch ${batchId} closed`, async () => {
    const [, sum] = await p.summary(batchId)
    return sum.finishedAt ? sum : null
  })
}

test('jobs failed for good by a worker with the wrong secret are queued again by submit, then every item is paid once', async () => {
  if (!(await t.start('payouts.queue recovery'))) return
  const producer = await open()
  const batch = mixedItems(20)
  const [ok, sub] = await producer.submit('lost', batch)
  expect([ok, sub.enqueued]).toEqual([true, 20])
  const wrong = await open({ secret: 'another-secret-0123456789abcdef' })
  const [wok, bad] = await wrong.work({ concurrency: 4 })
  expect(wok).toBe(true)
  await until('every job failed', async () => (await failedJobs()) === 20)
  await bad.close()
  const [, before] = await producer.summary('lost')
  expect(before.byStatus.queued).toBe(20)
  expect(await t.w.sb.ledger()).toEqual([])

  const [aok, again] = await producer.submit('lost', batch)
  expect([aok, again.created, again.enqueued]).toEqual([true, false, 20])
  expect(await failedJobs()).toBe(0)
  const [gok, good] = await producer.work({ concurrency: 4 })
  expect(gok).toBe(true)
  const summary = await closed(producer, 'lost')
  await good.close()
  expect(summary.byStatus.successful).toBe(20)
  const [, rows] = await producer.items('lost')
  await expectLedgersAgree(t.w.sb, rows)
  expect((await t.w.sb.ledger()).length).toBe(20)
  // Submitted once more: nothing is queued again.
  const [, third] = await producer.submit('lost', batch)
  expect(third.enqueued).toBe(0)
})

test('a batch partly paid outside the queue closes once the queue pays the rest', async () => {
  if (!(await t.start('payouts.queue mixed'))) return
  const batch = mixedItems(10)
  // Half of it paid item by item by an instance without a queue.
  const [pok, plain] = await Payouts.open({ ...t.w.options(), ledger: t.s.ledger })
  expect(pok).toBe(true)
  t.defer(() => plain.close())
  expect((await plain.submit('mixed', batch))[0]).toBe(true)
  for (const item of batch.slice(0, 5)) {
    let [ok, step] = await plain.process('mixed', item.key)
    while (ok && step.needsLookup) [ok, step] = await plain.reconcile('mixed', item.key)
    expect([ok, step.status]).toEqual([true, 'successful'])
  }
  const producer = await open()
  const [sok, sub] = await producer.submit('mixed', batch)
  expect([sok, sub.created, sub.enqueued]).toEqual([true, false, 5])
  const [wok, worker] = await producer.work({ concurrency: 2 })
  expect(wok).toBe(true)
  const summary = await closed(producer, 'mixed')
  await worker.close()
  expect(summary.byStatus.successful).toBe(10)
  expect((await t.w.sb.ledger()).length).toBe(10)
})

test('a 429 holds the workers as long as its Retry-After says, and the item is then paid once', async () => {
  if (!(await t.start('payouts.queue retry-after'))) return
  const o = t.w.options({ momo: { timeoutMs: 1500, maxRetries: 0 } })
  const p = await open({ momo: o.momo, paymob: undefined })
  const [ok, sub] = await p.submit('slow', [momoItem('m0', '46733120000')])
  expect([ok, sub.enqueued]).toEqual([true, 1])
  momoTransfers429(t.w.sb, 1, 2)
  const rateLimit = jest.spyOn(Worker.prototype, 'rateLimit')
  try {
    const [wok, worker] = await p.work({ concurrency: 1 })
    expect(wok).toBe(true)
    const summary = await closed(p, 'slow')
    await worker.close()
    expect(rateLimit.mock.calls).toEqual([[2000]])
    expect(summary.byStatus.successful).toBe(1)
    expect((await t.w.sb.ledger()).length).toBe(1)
  } finally {
    rateLimit.mockRestore()
  }
})

test('work() checks maxStalledCount, lockDuration and stalledInterval before starting anything', async () => {
  if (!(await t.start('payouts.queue work options'))) return
  const p = await open()
  for (const [field, value] of [
    ['maxStalledCount', 0],
    ['maxStalledCount', 1.5],
    ['lockDuration', -1],
    ['lockDuration', 'x'],
    ['stalledInterval', 0],
    ['stalledInterval', Infinity],
  ]) {
    const [ok, f] = await p.work({ [field]: value })
    expect([ok, f.error, f.field]).toEqual([false, 'InvalidData', field])
  }
})
