'use strict'
// Payouts on BullMQ with a PostgreSQL ledger: worker processes against one sandbox, a
// worker killed and another stopped past its lock, and two producers at once.
const { Queue, Worker } = require('bullmq')
const { Payouts } = require('../index.js')
const { momoItem, paymobItem, expectLedgersAgree } = require('./support/payouts')
const {
  REDIS_URL,
  mixedItems,
  momoTransfers429,
  startWorker,
  stopWorker,
  tracked,
  until,
} = require('./support/payouts-queue')

jest.setTimeout(300000)

const children = []

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.signalCode === null && c.exitCode === null) c.kill('SIGCONT')
    await stopWorker(c)
  }
})
const t = tracked()

function options(extra = {}) {
  const o = t.w.options({ momo: { timeoutMs: 1500 }, paymob: { timeoutMs: 1500 } })
  return { ...o, ledger: t.s.ledger, queue: { redis: REDIS_URL, prefix: t.s.prefix }, ...extra }
}

async function open(o) {
  const [ok, p] = await Payouts.open(o)
  if (!ok) throw new Error(JSON.stringify(p))
  t.defer(() => p.close())
  return p
}

test('5 000 items over 4 worker processes at a 5 % fault rate, one SIGKILLed and one SIGSTOPped past its lock: every item final, paid at most once, ledgers agree', async () => {
  if (!(await t.start('payouts.queue 5 000 items', { latencyMs: 2 }))) return
  const producer = await open(options())
  const batch = mixedItems(5000)
  const [ok, sub] = await producer.submit('big', batch)
  expect([ok, sub.total, sub.enqueued]).toEqual([true, 5000, 5000])
  t.w.sb.setFaultRate({ rate: 0.05, delayMs: 1000 })

  const work = { concurrency: 16, lockDuration: 3000, stalledInterval: 1000 }
  for (let i = 0; i < 4; i++) children.push(await startWorker(options(), work))
  const finals = async () => {
    const [, sum] = await producer.summary('big')
    return sum.byStatus.successful + sum.byStatus.failed + sum.byStatus.refused
  }
  await until('a quarter of the batch', async () => (await finals()) >= 1250)
  children[0].kill('SIGKILL')
  children[1].kill('SIGSTOP')
  await new Promise((r) => setTimeout(r, 7000))
  children[1].kill('SIGCONT')
  await until('half the batch', async () => (await finals()) >= 2500)
  t.w.sb.setFaultRate(null)
  const summary = await until('the batch closed', async () => {
    const [, sum] = await producer.summary('big')
    return sum.finishedAt ? sum : null
  })
  expect(summary.total).toBe(5000)
  expect(summary.byStatus.successful + summary.byStatus.failed + summary.byStatus.refused).toBe(5000)
  const [, rows] = await producer.items('big')
  await expectLedgersAgree(t.w.sb, rows)
  // Item by item: successful in the ledger ⇔ paid (once) by the sandbox.
  const paid = new Map((await t.w.sb.ledger()).map((e) => [e.referenceId, e.status.toLowerCase()]))
  for (const r of rows) {
    expect([r.key, r.status === 'successful']).toEqual([r.key, /^success/.test(paid.get(r.referenceId) || '')])
  }
  // The close job ran once.
  const batches = new Queue('payouts-batches', { connection: { url: REDIS_URL }, prefix: t.s.prefix })
  await until('the close job', async () => (await batches.getJobCounts('completed')).completed === 1)
  await batches.close()
})

test('the same batch submitted by two producers at once: one batch, no duplicate jobs', async () => {
  if (!(await t.start('payouts.queue two producers'))) return
  const [a, b] = [await open(options()), await open(options())]
  const batch = mixedItems(600)
  const [ra, rb] = await Promise.all([a.submit('twice', batch), b.submit('twice', batch)])
  expect([ra[0], rb[0]]).toEqual([true, true])
  expect([ra[1].created, rb[1].created].sort()).toEqual([false, true])
  const counts = async (name) => {
    const q = new Queue(name, { connection: { url: REDIS_URL }, prefix: t.s.prefix })
    const c = await q.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')
    await q.close()
    return Object.values(c).reduce((x, y) => x + y, 0)
  }
  expect(await counts('payouts-momo')).toBe(300)
  expect(await counts('payouts-paymob')).toBe(300)
  // And again later: still nothing added.
  const [, again] = await a.submit('twice', batch)
  expect(again.created).toBe(false)
  expect((await counts('payouts-momo')) + (await counts('payouts-paymob'))).toBe(600)
  // Different items under the same id: Conflict, nothing queued.
  const [cok, conflict] = await b.submit('twice', mixedItems(3))
  expect([cok, conflict.error]).toEqual([false, 'Conflict'])
})

test('a 429 storm: jobs wait on the rate limit instead of spending attempts, every item paid once', async () => {
  if (!(await t.start('payouts.queue 429 storm'))) return
  // maxRetries 0: the client hands every 429 to the engine at once.
  const o = options()
  o.momo.maxRetries = 0
  o.paymob.maxRetries = 0
  const p = await open(o)
  const [ok, sub] = await p.submit('storm', mixedItems(200))
  expect([ok, sub.enqueued]).toEqual([true, 200])
  momoTransfers429(t.w.sb, 40, 0)
  t.w.sb.injectFault({ kind: 'status_429', path: '/disburse/', times: 40, retryAfterSeconds: 0 })
  // A spy that calls through: the worker really is rate-limited by BullMQ.
  const rateLimit = jest.spyOn(Worker.prototype, 'rateLimit')
  const [wok, worker] = await p.work({ concurrency: 8 })
  expect(wok).toBe(true)
  const summary = await until('the batch closed', async () => {
    const [, sum] = await p.summary('storm')
    return sum.finishedAt ? sum : null
  })
  await worker.close()
  expect(rateLimit).toHaveBeenCalled()
  rateLimit.mockRestore()
  expect(summary.byStatus.successful).toBe(200)
  const [, rows] = await p.items('storm')
  await expectLedgersAgree(t.w.sb, rows)
  const stats = await t.w.sb.stats()
  expect(stats.faultsInjected).toBeGreaterThanOrEqual(80)
  // No job failed and none used up an attempt on a 429.
  for (const name of ['payouts-momo', 'payouts-paymob']) {
    const q = new Queue(name, { connection: { url: REDIS_URL }, prefix: t.s.prefix })
    expect((await q.getJobCounts('failed')).failed).toBe(0)
    const done = await q.getJobs(['completed'], 0, 200)
    expect(done.length).toBe(100)
    expect(Math.max(...done.map((j) => j.attemptsMade))).toBeLessThanOrEqual(1)
    await q.close()
  }
})

test('retryFailed queues the new generations only, and the batch closes again', async () => {
  if (!(await t.start('payouts.queue retryFailed'))) return
  const p = await open(options())
  const batch = [...mixedItems(20), momoItem('m-fail', '46733123457')]
  const [ok, sub] = await p.submit('again', batch)
  expect([ok, sub.enqueued]).toEqual([true, 21])
  const [, worker] = await p.work({ concurrency: 4 })
  const closed = () =>
    until('the batch closed', async () => {
      const [, sum] = await p.summary('again')
      return sum.finishedAt ? sum : null
    })
  expect((await closed()).byStatus).toMatchObject({ successful: 20, failed: 1 })
  const [rok, retried] = await p.retryFailed('again')
  expect([rok, retried.retried, retried.enqueued]).toEqual([true, 1, 1])
  expect((await closed()).byStatus).toMatchObject({ successful: 20, failed: 1 })
  await worker.close()
  const [, rows] = await p.items('again')
  expect(rows.find((r) => r.key === 'm-fail').generation).toBe(1)
  await expectLedgersAgree(t.w.sb, rows)
  const batches = new Queue('payouts-batches', { connection: { url: REDIS_URL }, prefix: t.s.prefix })
  await until('two close jobs', async () => (await batches.getJobCounts('completed')).completed === 2)
  await batches.close()
})

test('an item that waits on an operator ends its job instead of being looked up forever; resolving it closes the batch', async () => {
  if (!(await t.start('payouts.queue awaiting operator'))) return
  const o = options()
  o.momo.maxRetries = 0
  const p = await open(o)
  const [ok, sub] = await p.submit('ops', [momoItem('lost', '46733120001'), paymobItem('paid')])
  expect([ok, sub.enqueued]).toEqual([true, 2])
  // The MoMo payout's five sends are dropped before the sandbox records them.
  t.w.sb.injectFault({
    provider: 'momo',
    method: 'POST',
    path: '/disbursement/v1_0/transfer',
    kind: 'reset_before',
    times: 5,
  })
  const [, worker] = await p.work({ concurrency: 2 })
  const momo = new Queue('payouts-momo', { connection: { url: REDIS_URL }, prefix: t.s.prefix })
  const batches = new Queue('payouts-batches', { connection: { url: REDIS_URL }, prefix: t.s.prefix })
  try {
    await until('the MoMo job ended', async () => (await momo.getJobCounts('completed')).completed === 1, 60000)
    const [, rows] = await p.items('ops')
    expect(rows.map((r) => [r.key, r.status, r.awaitingOperator])).toEqual([
      ['lost', 'unknown', true],
      ['paid', 'successful', undefined],
    ])
    const momoRequests = async () => (await t.w.sb.requests()).filter((r) => r.provider === 'momo').length
    const seen = await momoRequests()
    await new Promise((r) => setTimeout(r, 1500))
    expect(await momoRequests()).toBe(seen)
    expect(await momo.getJobCounts('delayed', 'waiting', 'active', 'failed')).toEqual({
      delayed: 0,
      waiting: 0,
      active: 0,
      failed: 0,
    })
    // Not closed while it waits.
    const [, open1] = await p.summary('ops')
    expect(open1.finishedAt).toBeUndefined()
    expect((await batches.getJobCounts('completed', 'waiting', 'active')).completed).toBe(0)

    const [rok, resolved] = await p.resolve('ops', 'lost', { status: 'failed', note: 'not in the portal' })
    expect([rok, resolved.status]).toEqual([true, 'failed'])
    await until('the close job', async () => (await batches.getJobCounts('completed')).completed === 1, 30000)
    const [, closed] = await p.summary('ops')
    expect(closed.finishedAt).toEqual(expect.any(String))
    const [, after] = await p.items('ops')
    await expectLedgersAgree(t.w.sb, after)
    expect(await t.w.sb.ledger()).toHaveLength(1)
  } finally {
    await worker.close()
    await momo.close()
    await batches.close()
  }
})
