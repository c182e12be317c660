'use strict'
// A batch larger than what submit queues itself: the rest is queued by a chain of enqueue
// jobs the workers run, which resumes when the worker running it is SIGKILLed mid-chain.
const { Queue } = require('bullmq')
const { Payouts } = require('../index.js')
const { payoutsWorld, paymobItem, expectLedgersAgree } = require('./support/payouts')
const h = require('./support/payouts-queue')

jest.setTimeout(300000)

// Submit queues one ledger page (5 000) itself; three links of the chain read the rest.
const N = 20000

test('20 000 items: submit queues 5 000, a worker SIGKILLed mid-chain, another finishes the chain; every item paid once, one send each', async () => {
  if (!(await h.services('payouts.queue fan-out'))) return
  const w = await payoutsWorld()
  const s = await h.scope()
  const children = []
  const queues = []
  let producer = null
  try {
    const options = h.queueOptions(w, s)
    const queue = (name) => {
      const q = new Queue(name, { connection: { url: h.REDIS_URL }, prefix: s.prefix })
      queues.push(q)
      return q
    }
    const [paymob, links] = [queue('payouts-paymob'), queue('payouts-enqueue')]
    const jobs = async (q, ...states) => Object.values(await q.getJobCounts(...states)).reduce((x, y) => x + y, 0)
    const held = () => jobs(paymob, 'paused', 'waiting', 'active', 'delayed', 'completed', 'failed')
    // Nothing is paid until the chain is done, so the killed worker dies with no send in
    // flight and each item's sends can be counted.
    await paymob.pause()
    const [ok, p] = await Payouts.open(options)
    expect(ok).toBe(true)
    producer = p
    const batch = []
    for (let i = 0; i < N; i++) batch.push(paymobItem(`p${i}`))
    const [sok, sub] = await producer.submit('fanout', batch)
    expect([sok, sub.total, sub.enqueued, sub.enqueuing]).toEqual([true, N, 5000, N - 5000])
    expect(await held()).toBe(5000)

    const work = { concurrency: 16, lockDuration: 2000, stalledInterval: 1000 }
    children.push(await h.startWorker(options, work))
    await h.until('the chain under way', async () => (await held()) > 5000, 60000, 10)
    await h.killWorker(children[0])
    // Killed mid-chain: some of the rest was queued, not all of it.
    const atKill = await held()
    expect(atKill).toBeGreaterThan(5000)
    expect(atKill).toBeLessThan(N)

    children.push(await h.startWorker(options, work))
    await h.until('the chain done', async () => (await jobs(links, 'completed')) === 3, 120000)
    expect(await held()).toBe(N)
    expect(await jobs(links, 'failed', 'waiting', 'active', 'delayed')).toBe(0)

    await paymob.resume()
    children.push(await h.startWorker(options, work))
    const summary = await h.batchClosed(producer, 'fanout')
    expect(summary.byStatus.successful).toBe(N)
    const [, rows] = await producer.items('fanout')
    await expectLedgersAgree(w.sb, rows)
    expect((await w.sb.ledger()).length).toBe(N)
    // One send per item and no other request but tokens (no lookup was needed).
    const stats = await w.sb.stats()
    expect(stats.paymobRequests - stats.paymobTokenRequests).toBe(N)
  } finally {
    for (const c of children) await h.stopWorker(c)
    for (const q of queues) await q.close()
    if (producer) await producer.close()
    await s.cleanup()
    await w.cleanup()
  }
})
