'use strict'
// Paymob items in queue mode are looked up in groups: up to 50 references an inquiry,
// within Paymob's 5 inquiries a minute across every worker process. The sandbox keeps that
// budget itself (a sixth inquiry within a minute is answered 429, which would leave items
// pending and cost more inquiries), and its request log shows every inquiry made.
const IORedis = require('ioredis')
const { Payouts } = require('../index.js')
const { payoutsWorld, momoItem, expectLedgersAgree } = require('./support/payouts')
const { REDIS_URL, services, scope, startWorker, stopWorker, until } = require('./support/payouts-queue')

jest.setTimeout(300000)

// Orange wallets: the sandbox answers `pending`, then settles the payout.
const pendingItem = (key) => ({ key, provider: 'paymob', issuer: 'orange', amount: 5, msisdn: '01223456789' })

const isInquiry = (r) => r.provider === 'paymob' && r.path.includes('/transaction/inquire')

test('120 Paymob items left pending: a few inquiries of at most 50 references, at most 5 a minute, over two worker processes', async () => {
  if (!(await services('payouts.queue grouped lookups'))) return
  const w = await payoutsWorld({ settleAfterMs: 100, paymob: { inquiryLimitPerMinute: 5 } })
  const s = await scope()
  const children = []
  let producer = null
  let watching = true
  try {
    const options = () => {
      const o = w.options({ momo: { timeoutMs: 1500 }, paymob: { timeoutMs: 1500 } })
      // Paymob's own budget (the helpers' options lift it for the other tests).
      delete o.paymob.lookupsPerSecond
      return { ...o, ledger: s.ledger, queue: { redis: REDIS_URL, prefix: s.prefix } }
    }
    const [ok, p] = await Payouts.open(options())
    expect(ok).toBe(true)
    producer = p
    const batch = []
    for (let i = 0; i < 120; i++) batch.push(pendingItem(`p${i}`))
    for (let i = 0; i < 10; i++) batch.push(momoItem(`m${i}`, `4673312${String(i).padStart(4, '0')}`))
    const [sok, sub] = await producer.submit('grouped', batch)
    expect([sok, sub.enqueued]).toEqual([true, 130])

    // When each inquiry first shows in the sandbox's log (polled: the log keeps no time).
    const seenAt = []
    const watch = (async () => {
      while (watching) {
        const n = (await w.sb.requests()).filter(isInquiry).length
        while (seenAt.length < n) seenAt.push(Date.now())
        await new Promise((r) => setTimeout(r, 100))
      }
    })()
    for (let i = 0; i < 2; i++) children.push(await startWorker(options(), { concurrency: 16 }))
    const summary = await until('the batch closed', async () => {
      const [, sum] = await producer.summary('grouped')
      return sum.finishedAt ? sum : null
    })
    watching = false
    await watch
    expect(summary.byStatus.successful).toBe(130)
    const [, rows] = await producer.items('grouped')
    await expectLedgersAgree(w.sb, rows)
    expect((await w.sb.ledger()).length).toBe(130)

    const inquiries = (await w.sb.requests()).filter(isInquiry).map((r) => JSON.parse(r.body).references_list)
    // ceil(120 / 50) full pages, and one more when the first drain came before every item was due.
    expect(inquiries.length).toBeGreaterThanOrEqual(3)
    expect(inquiries.length).toBeLessThanOrEqual(4)
    for (const refs of inquiries) expect(refs.length).toBeLessThanOrEqual(50)
    const paymobRefs = rows.filter((r) => r.provider === 'paymob').map((r) => r.referenceId)
    expect(new Set(inquiries.flat())).toEqual(new Set(paymobRefs))
    // No six inquiries within a minute (the poll's slack allowed for).
    for (let i = 5; i < seenAt.length; i++) expect(seenAt[i] - seenAt[i - 5]).toBeGreaterThan(59000)
    // No key is left in the batch's set of keys due a lookup (Redis drops an empty set).
    const redis = new IORedis(REDIS_URL)
    try {
      expect(await redis.keys(`${s.prefix}:payouts:lookups-paymob:*`)).toEqual([])
    } finally {
      redis.disconnect()
    }
  } finally {
    watching = false
    for (const c of children) await stopWorker(c)
    if (producer) await producer.close()
    await s.cleanup()
    await w.cleanup()
  }
})

test('reconcileMany looks 60 pending Paymob items up in two requests and resolves each step in order', async () => {
  const w = await payoutsWorld({ settleAfterMs: 50 })
  try {
    const [ok, p] = await Payouts.open(w.options())
    expect(ok).toBe(true)
    const keys = []
    for (let i = 0; i < 60; i++) keys.push(`p${i}`)
    await p.submit('many', keys.map(pendingItem))
    for (const k of keys) {
      const [sok, step] = await p.process('many', k)
      expect([sok, step.status, step.needsLookup]).toEqual([true, 'pending', true])
    }
    await new Promise((r) => setTimeout(r, 100))
    await w.sb.clearRequests()
    const order = [...keys].reverse()
    const [rok, res] = await p.reconcileMany('many', order)
    expect(rok).toBe(true)
    expect(res.requests).toBe(2)
    expect(res.items.map((i) => i.key)).toEqual(order)
    for (const item of res.items) expect([item.status, item.needsLookup]).toEqual(['successful', false])
    const inquiries = (await w.sb.requests()).filter(isInquiry).map((r) => JSON.parse(r.body).references_list.length)
    expect(inquiries.sort()).toEqual([10, 50])
    // Final items need no request.
    const [, again] = await p.reconcileMany('many', ['p1', 'p2'])
    expect(again.requests).toBe(0)
    expect(await p.reconcileMany('many', [])).toEqual([
      false,
      expect.objectContaining({ error: 'InvalidData', field: 'keys' }),
    ])
    expect((await p.reconcileMany('many', ['nobody']))[1].error).toBe('NotFound')
    await p.close()
  } finally {
    await w.cleanup()
  }
})
