'use strict'
// Payouts on a PostgreSQL ledger from JavaScript: the same batch behaviour as SQLite,
// two instances sharing the ledger, and no password in failures or inspect output.
const { inspect } = require('node:util')
const { Payouts } = require('../index.js')
const { payoutsWorld, momoItem, paymobItem, expectLedgersAgree } = require('./support/payouts')
const { services, scope, withParams, DATABASE_URL } = require('./support/payouts-queue')

jest.setTimeout(120000)

test('a batch runs on a PostgreSQL ledger from two instances at once: every item paid once', async () => {
  if (!(await services('payouts.postgres batch', { redis: false }))) return
  const w = await payoutsWorld()
  const s = await scope()
  try {
    const open = async () => {
      const [ok, p] = await Payouts.open({ ...w.options(), ledger: s.ledger })
      expect(ok).toBe(true)
      return p
    }
    const [a, b] = [await open(), await open()]
    expect(inspect(a)).toContain("ledger: 'postgres'")
    const batch = []
    for (let i = 0; i < 400; i++)
      batch.push(i % 2 ? paymobItem(`p${i}`) : momoItem(`m${i}`, `4673312${String(i % 50).padStart(4, '0')}`))
    batch.push(momoItem('m-fail', '46733123457'))
    const [ok, sub] = await a.submit('pg', batch)
    expect([ok, sub.created, sub.total]).toEqual([true, true, 401])
    // Two instances (as two machines would) run the same batch: claims keep them apart.
    const [[ok1], [ok2]] = await Promise.all([a.run('pg', { concurrency: 8 }), b.run('pg', { concurrency: 8 })])
    expect([ok1, ok2]).toEqual([true, true])
    const [, summary] = await a.summary('pg')
    expect(summary.byStatus).toMatchObject({ successful: 400, failed: 1 })
    expect(summary.finishedAt).toEqual(expect.any(String))
    const [, rows] = await b.items('pg')
    await expectLedgersAgree(w.sb, rows)
    expect((await w.sb.ledger()).length).toBe(401)
    const [, failed] = await a.items('pg', { status: 'failed' })
    expect(failed.map((r) => r.key)).toEqual(['m-fail'])
    await a.close()
    await b.close()
  } finally {
    await s.cleanup()
    await w.cleanup()
  }
})

test('a batch of 20 000 items (over 1 MB as JSON) is accepted, once', async () => {
  if (!(await services('payouts.postgres 20 000 items', { redis: false }))) return
  const w = await payoutsWorld()
  const s = await scope()
  try {
    const [ok, p] = await Payouts.open({ ...w.options(), ledger: s.ledger })
    expect(ok).toBe(true)
    const batch = []
    for (let i = 0; i < 20000; i++)
      batch.push(momoItem(`employee-${i}`, `4673312${String(i % 50).padStart(4, '0')}`, '1250.50'))
    expect(JSON.stringify(batch).length).toBeGreaterThan(1 << 20)
    const [sok, sub] = await p.submit('payroll', batch)
    expect([sok, sub.created, sub.total, sub.byStatus.queued]).toEqual([true, true, 20000, 20000])
    expect(sub.amounts.EUR.requested).toBe(25010000)
    const [aok, again] = await p.submit('payroll', batch)
    expect([aok, again.created]).toEqual([true, false])
    await p.close()
  } finally {
    await s.cleanup()
    await w.cleanup()
  }
})

test('a password in the ledger URL never shows in failures or inspect output', async () => {
  const w = await payoutsWorld()
  try {
    const url = 'postgres://someone:Sup3rSecretPw@127.0.0.1:1/test?connect_timeout=2'
    const [ok, f] = await Payouts.open({ ...w.options(), ledger: url })
    expect(ok).toBe(false)
    expect(f.error).toBe('NetworkError')
    expect(JSON.stringify(f)).not.toContain('Sup3rSecretPw')
    const [ok2, f2] = await Payouts.open({ ...w.options(), ledger: withParams(DATABASE_URL, 'sslmode=nonsense') })
    expect([ok2, f2.field]).toEqual([false, 'ledger'])
    const [ok3, f3] = await Payouts.open({ ...w.options(), queue: { redis: 'http://x' } })
    expect([ok3, f3.field]).toEqual([false, 'queue.redis'])
    if (await services('payouts.postgres inspect', { redis: false })) {
      const s = await scope()
      // Trust authentication ignores the password; the URL still carries it.
      const u = new URL(s.ledger)
      u.username = u.username || 'postgres'
      u.password = 'Sup3rSecretPw'
      const [ok4, p] = await Payouts.open({ ...w.options(), ledger: u.toString() })
      if (ok4) {
        expect(inspect(p)).not.toContain('Sup3rSecretPw')
        const [wok, wf] = await p.work()
        expect([wok, wf.field]).toEqual([false, 'queue'])
        await p.close()
      }
      await s.cleanup()
    }
  } finally {
    await w.cleanup()
  }
})
