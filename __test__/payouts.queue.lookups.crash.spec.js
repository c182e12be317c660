'use strict'
// A worker SIGKILLed in the middle of a grouped Paymob lookup: another worker takes the
// lookup job over once its lock lapses and looks the same keys up at once (not after their
// 5-minute lease); every item ends final and none is sent twice.
const { Payouts } = require('../index.js')
const { payoutsWorld, expectLedgersAgree } = require('./support/payouts')
const h = require('./support/payouts-queue')

jest.setTimeout(180000)

// Orange wallets: the sandbox answers `pending`, then settles the payout.
const pendingItem = (key) => ({ key, provider: 'paymob', issuer: 'orange', amount: 5, msisdn: '01223456789' })

const isInquiry = (r) => r.provider === 'paymob' && r.path.includes('/transaction/inquire')
const isSend = (r) => r.provider === 'paymob' && r.method === 'POST' && r.path.includes('/disburse')

test('a worker killed mid-inquiry: another worker looks its keys up again within seconds, every item final, none sent twice', async () => {
  if (!(await h.services('payouts.queue lookup crash'))) return
  const w = await payoutsWorld({ settleAfterMs: 100 })
  const s = await h.scope()
  const children = []
  let producer = null
  try {
    // The client waits out the stalled inquiry below, so the worker is killed while it is
    // in flight.
    const options = h.queueOptions(w, s, 20000)
    const [ok, p] = await Payouts.open(options)
    expect(ok).toBe(true)
    producer = p
    const batch = []
    for (let i = 0; i < 60; i++) batch.push(pendingItem(`p${i}`))
    const [sok, sub] = await producer.submit('crash', batch)
    expect([sok, sub.enqueued]).toEqual([true, 60])
    w.sb.injectFault({ provider: 'paymob', path: '/transaction/inquire', kind: 'stall', delayMs: 15000, times: 1 })

    const work = { concurrency: 16, lockDuration: 2000, stalledInterval: 1000 }
    children.push(await h.startWorker(options, work))
    const first = await h.until('the first inquiry', async () => (await w.sb.requests()).find(isInquiry), 60000, 10)
    await h.killWorker(children[0])
    const claimed = JSON.parse(first.body).references_list
    expect(claimed.length).toBeGreaterThan(0)
    const [, mid] = await producer.summary('crash')
    expect(mid.finishedAt).toBeUndefined()

    children.push(await h.startWorker(options, work))
    // Closed well within the claim's 5-minute lease: the keys were taken over, not waited
    // out (waiting them out would time out here).
    const summary = await h.batchClosed(producer, 'crash', 90000)
    expect(summary.byStatus.successful).toBe(60)

    const requests = await w.sb.requests()
    // The killed worker's keys were looked up again by the other one.
    const later = requests.filter(isInquiry).slice(1)
    const lookedAgain = new Set(later.flatMap((r) => JSON.parse(r.body).references_list))
    for (const ref of claimed) expect(lookedAgain.has(ref)).toBe(true)
    // One send per item, none twice.
    const sends = requests.filter(isSend).map((r) => JSON.parse(r.body).client_reference_id)
    expect(sends.length).toBe(60)
    expect(new Set(sends).size).toBe(60)
    const [, rows] = await producer.items('crash')
    expect(new Set(sends)).toEqual(new Set(rows.map((r) => r.referenceId)))
    await expectLedgersAgree(w.sb, rows)
    expect((await w.sb.ledger()).length).toBe(60)
  } finally {
    for (const c of children) await h.stopWorker(c)
    if (producer) await producer.close()
    await s.cleanup()
    await w.cleanup()
  }
})
