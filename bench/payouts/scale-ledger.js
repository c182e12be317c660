'use strict'
// Where `npm run bench:scale --postgres URL` keeps its batch: a PostgreSQL schema of its
// own and (`--queue REDIS_URL`) a BullMQ key prefix of its own, paid by `--workers`
// worker processes started before submit; each removed after.
const { Payouts } = require('../..')

// Opens Payouts there and calls fn(payouts, where); `where.settle` waits for the batch
// to close (the workers pay it).
async function withScaleLedger(f, momo, fn) {
  // The test helpers read both URLs when they load.
  process.env.DATABASE_URL = f.postgres
  if (f.queue) process.env.REDIS_URL = f.queue
  const { scope, startWorker, stopWorker, until } = require('../../__test__/support/payouts-queue')
  const s = await scope()
  const children = []
  try {
    const options = {
      ledger: s.ledger.replace('pool_size=4', 'pool_size=8'),
      secret: 'benchmark-secret-of-some-length',
      // MTN's 10 lookups a second would make this a benchmark of that limit.
      momo: { ...momo, lookupsPerSecond: 100000 },
      ...(f.queue ? { queue: { redis: f.queue, prefix: s.prefix } } : {}),
    }
    const [opened, p] = await Payouts.open(options)
    if (!opened) throw new Error(`Payouts.open: ${p.message}`)
    // The workers pay while the producer still enqueues; with --run 0 they are stopped
    // once submit, the reads and the report are measured.
    if (f.queue) {
      for (let i = 0; i < f.workers; i++) children.push(await startWorker(options, { concurrency: f.concurrency }))
    }
    const settle = async (payouts, batchId) => {
      const summary = await until(
        'the batch closed',
        async () => {
          const [, sum] = await payouts.summary(batchId)
          return sum.finishedAt ? sum : null
        },
        24 * 3600 * 1000,
        1000,
      )
      return [true, summary]
    }
    return await fn(p, { queue: Boolean(f.queue), settle })
  } finally {
    for (const c of children) await stopWorker(c)
    await s.cleanup(f.queue || undefined)
  }
}

module.exports = { withScaleLedger }
