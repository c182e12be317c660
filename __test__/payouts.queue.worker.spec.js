'use strict'
// The handle work() resolves: an EventEmitter with BullMQ's events (completed, failed,
// progress, error) and close(); the queue and the workers take a Redis connection as
// BullMQ does (a URL, ioredis options, or an ioredis instance that stays its owner's).
const { inspect } = require('node:util')
const { EventEmitter } = require('node:events')
const { Queue } = require('bullmq')
const IORedis = require('ioredis')
const { Payouts } = require('../index.js')
const { expectLedgersAgree } = require('./support/payouts')
const { REDIS_URL, mixedItems, tracked, until } = require('./support/payouts-queue')

jest.setTimeout(120000)

const t = tracked()

async function open(redis) {
  const o = t.w.options({ momo: { timeoutMs: 1500 }, paymob: { timeoutMs: 1500 } })
  const [ok, p] = await Payouts.open({ ...o, ledger: t.s.ledger, queue: { redis, prefix: t.s.prefix, name: 'evt' } })
  if (!ok) throw new Error(JSON.stringify(p))
  t.defer(() => p.close())
  return p
}

test('work() resolves an EventEmitter: completed for each item, progress up to the total, failed for a job that cannot run', async () => {
  if (!(await t.start('payouts.queue worker events'))) return
  // The queue on a shared ioredis instance; the workers on ioredis options of their own.
  const shared = new IORedis(REDIS_URL, { maxRetriesPerRequest: null })
  t.defer(() => shared.disconnect())
  const p = await open(shared)
  const { hostname, port } = new URL(REDIS_URL)
  const [wok, worker] = await p.work({ concurrency: 4, connection: { host: hostname, port: Number(port || 6379) } })
  expect(wok).toBe(true)
  expect(worker).toBeInstanceOf(EventEmitter)
  const completed = []
  const progress = []
  const failed = []
  worker.on('completed', (item) => completed.push(item))
  worker.on('progress', (event) => progress.push(event))
  worker.on('failed', (job, error) => failed.push([job, error]))
  worker.on('error', () => {})

  const [ok, sub] = await p.submit('events', mixedItems(12))
  expect([ok, sub.enqueued]).toEqual([true, 12])
  const summary = await until('the batch closed', async () => {
    const [, sum] = await p.summary('events')
    return sum.finishedAt ? sum : null
  })
  await until('a completed event per item', async () => completed.length >= 12)
  const [, rows] = await p.items('events')
  await expectLedgersAgree(t.w.sb, rows)
  expect(completed.map((i) => i.key).sort()).toEqual(rows.map((r) => r.key).sort())
  for (const item of completed) expect(['successful', 'failed', 'refused']).toContain(item.status)
  // progress: { batchId, key, status, referenceId, done, total }, as run()'s onProgress.
  expect(progress.length).toBeGreaterThanOrEqual(12)
  for (const e of progress) {
    expect(e).toEqual({
      batchId: 'events',
      key: expect.any(String),
      status: expect.any(String),
      referenceId: expect.any(String),
      done: expect.any(Number),
      total: 12,
    })
  }
  expect(Math.max(...progress.map((e) => e.done))).toBe(summary.total)

  // A job for an item the ledger does not have: failed (item, error), once, not retried.
  const momo = new Queue('evt-momo', { connection: { url: REDIS_URL }, prefix: t.s.prefix })
  t.defer(() => momo.close())
  await momo.add('pay', { batchId: 'events', key: 'nobody', total: 12 }, { jobId: 'stray' })
  await until('the failed event', async () => failed.length === 1)
  const [job, error] = failed[0]
  expect(job).toEqual({ batchId: 'events', key: 'nobody', attemptsMade: expect.any(Number) })
  expect(error).toBeInstanceOf(Error)
  expect(error.message).toMatch(/nobody|not found|NotFound/i)

  // Nothing of the connection shows; close() resolves [true, null], twice as well.
  expect(inspect(worker)).toBe('PayoutsWorker { concurrency: 4, closed: false }')
  expect(p.toJSON().queue).toEqual({ name: 'evt', prefix: t.s.prefix, providers: ['momo', 'paymob'] })
  expect(inspect(p)).not.toMatch(/redis:|127\.0\.0\.1:6379/)
  expect(await worker.close()).toEqual([true, null])
  expect(await worker.close()).toEqual([true, null])
  expect(await p.close()).toEqual([true, null])
  // The shared instance is its owner's: still connected after close.
  expect(await shared.ping()).toBe('PONG')
})

test('work() and open() check the connection they are given', async () => {
  if (!(await t.start('payouts.queue connection options'))) return
  for (const redis of ['http://127.0.0.1:6379', 42, null, ['redis://127.0.0.1']]) {
    const o = t.w.options({})
    const [ok, f] = await Payouts.open({ ...o, ledger: t.s.ledger, queue: { redis } })
    expect([ok, f.error, f.field]).toEqual([false, 'InvalidData', 'queue.redis'])
  }
  const p = await open(REDIS_URL)
  const [wok, f] = await p.work({ connection: 'ftp://nowhere' })
  expect([wok, f.error, f.field]).toEqual([false, 'InvalidData', 'connection'])
  // Without a queue, work() says what it needs.
  const [eok, embedded] = await Payouts.open({ ...t.w.options({}), ledger: t.s.ledger })
  expect(eok).toBe(true)
  t.defer(() => embedded.close())
  const [nok, none] = await embedded.work()
  expect([nok, none.error, none.field]).toEqual([false, 'InvalidData', 'queue'])
})
