'use strict'
// Redis restarted (a redis-server of the test's own) and PostgreSQL connections dropped
// while workers pay a batch: it completes, nothing paid twice.
const { Payouts } = require('../index.js')
const { payoutsWorld, momoItem, paymobItem, expectLedgersAgree } = require('./support/payouts')
const { services, scope, startWorker, stopWorker, ownRedis, until } = require('./support/payouts-queue')

jest.setTimeout(300000)

test('Redis restarted and PostgreSQL connections dropped mid-batch: the batch completes, nothing paid twice', async () => {
  if (!(await services('payouts.queue failures', { redis: false }))) return
  const w = await payoutsWorld({ latencyMs: 5 })
  const s = await scope()
  const redis = await ownRedis()
  const children = []
  let producer = null
  try {
    const options = () => ({
      ...w.options({ momo: { timeoutMs: 1500 }, paymob: { timeoutMs: 1500 } }),
      ledger: s.ledger,
      queue: { redis: redis.url, prefix: s.prefix },
    })
    const [ok, p] = await Payouts.open(options())
    expect(ok).toBe(true)
    producer = p
    const batch = []
    for (let i = 0; i < 1500; i++)
      batch.push(i % 2 ? paymobItem(`p${i}`) : momoItem(`m${i}`, `4673312${String(i % 50).padStart(4, '0')}`))
    const [sok, sub] = await producer.submit('bumpy', batch)
    expect([sok, sub.enqueued]).toEqual([true, 1500])
    for (let i = 0; i < 2; i++)
      children.push(await startWorker(options(), { concurrency: 16, lockDuration: 3000, stalledInterval: 1000 }))
    const finals = async () => {
      const [, sum] = await producer.summary('bumpy')
      return sum.byStatus.successful + sum.byStatus.failed + sum.byStatus.refused
    }
    await until('a fifth of the batch', async () => (await finals()) >= 300)
    await redis.restart()
    await until('two fifths of the batch', async () => (await finals()) >= 600)
    let dropped = 0
    for (let i = 0; i < 5; i++) {
      dropped += await s.terminate()
      await new Promise((r) => setTimeout(r, 200))
    }
    expect(dropped).toBeGreaterThan(0)
    const summary = await until('the batch closed', async () => {
      const [, sum] = await producer.summary('bumpy')
      return sum.finishedAt ? sum : null
    })
    expect(summary.byStatus.successful).toBe(1500)
    const [, rows] = await producer.items('bumpy')
    await expectLedgersAgree(w.sb, rows)
    expect((await w.sb.ledger()).length).toBe(1500)
  } finally {
    for (const c of children) await stopWorker(c)
    if (producer) await producer.close()
    await s.cleanup(redis.url)
    await redis.close()
    await w.cleanup()
  }
})
