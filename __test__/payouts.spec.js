'use strict'
// Payouts through the real addon, the embedded sandbox and a SQLite ledger.
const { inspect } = require('node:util')
const { Payouts, parseCallback } = require('..')
const { callbackListener } = require('./support/helpers')
const { SECRET, payoutsWorld, momoItem, paymobItem, expectLedgersAgree } = require('./support/payouts')

let w
afterEach(async () => {
  if (w) await w.cleanup()
  w = undefined
})

async function open(extra) {
  const [ok, payouts] = await Payouts.open(w.options(extra))
  if (!ok) throw new Error(JSON.stringify(payouts))
  return payouts
}

test('2 000 items with a 10 % fault rate: every item final, each reference paid at most once, ledgers agree', async () => {
  w = await payoutsWorld()
  const payouts = await open({ momo: { timeoutMs: 1500 }, paymob: { timeoutMs: 1500 } })
  const items = []
  for (let i = 0; i < 2000; i++) {
    items.push(i % 4 === 3 ? paymobItem(`p${i}`) : momoItem(`m${i}`, `4673312${String(i % 50).padStart(4, '0')}`))
  }
  const [ok, sub] = await payouts.submit('big', items)
  expect(ok).toBe(true)
  expect(sub).toMatchObject({ total: 2000, created: true })
  w.sb.setFaultRate({ rate: 0.1, delayMs: 2000 })
  const events = []
  const [ok2, summary] = await payouts.run('big', { concurrency: 32, onProgress: (e) => events.push(e) })
  // The failure itself when the run fails, not just `false`.
  expect(ok2 ? 'ok' : summary).toBe('ok')
  w.sb.setFaultRate(null)
  // One run ends it: whatever the faults left unestablished was looked up until final.
  const final = summary
  expect(final.byStatus.successful + final.byStatus.failed + final.byStatus.refused).toBe(2000)
  expect(final.byStatus.failed).toBe(0)
  expect(final.byStatus.refused).toBe(0)
  expect(summary.total).toBe(2000)
  expect(events.length).toBeGreaterThanOrEqual(2000)
  const [, rows] = await payouts.items('big')
  expect(rows).toHaveLength(2000)
  const byRef = await expectLedgersAgree(w.sb, rows)
  // Item by item: the same references, and nothing paid outside the batch.
  expect(new Set(rows.map((r) => r.referenceId))).toEqual(new Set(byRef.keys()))
  expect(rows.every((r) => r.generation === 0)).toBe(true)
  expect(final.amounts.EUR).toEqual({ requested: 15000, paid: 15000 })
  expect(final.amounts.EGP).toEqual({ requested: 2500, paid: 2500 })
  await payouts.close()
}, 180000)

test('the same batch twice is one batch; other items under its id are a Conflict', async () => {
  w = await payoutsWorld()
  const payouts = await open()
  const items = [momoItem('a'), momoItem('b', '46733120002'), paymobItem('c')]
  const [ok, first] = await payouts.submit('twice', items)
  expect([ok, first.created]).toEqual([true, true])
  const [ok2, second] = await payouts.submit(
    'twice',
    items.map((i) => ({ ...i })),
  )
  expect([ok2, second.created, second.total]).toEqual([true, false, 3])
  // The same items in another order are the same batch.
  const [okR, reordered] = await payouts.submit('twice', [...items].reverse())
  expect([okR, reordered.created]).toEqual([true, false])
  const [ok3, conflict] = await payouts.submit('twice', [momoItem('a', '46733120009')])
  expect(ok3).toBe(false)
  expect(conflict.error).toBe('Conflict')
  await payouts.run('twice')
  await payouts.submit('twice', items)
  await payouts.run('twice')
  const entries = await w.sb.ledger()
  expect(entries).toHaveLength(3)
  await payouts.close()
})

test('retryFailed: new references only for confirmed failures', async () => {
  w = await payoutsWorld()
  const payouts = await open()
  const items = [momoItem('ok1'), momoItem('bad', '46733123457'), paymobItem('ok2'), paymobItem('bad2', '01000000618')]
  await payouts.submit('retry', items)
  const [, s1] = await payouts.run('retry')
  expect(s1.byStatus).toMatchObject({ successful: 2, failed: 2 })
  const [, before] = await payouts.items('retry')
  const [ok, again] = await payouts.retryFailed('retry')
  expect(ok).toBe(true)
  expect(again.retried).toBe(2)
  expect(again.items.map((i) => i.key).sort()).toEqual(['bad', 'bad2'])
  const [, queued] = await payouts.items('retry', { status: 'queued' })
  expect(queued.map((i) => i.key).sort()).toEqual(['bad', 'bad2'])
  await payouts.run('retry')
  const [, after] = await payouts.items('retry')
  for (const [a, b] of before.map((r, i) => [r, after[i]])) {
    if (a.status === 'failed') {
      expect(b.referenceId).not.toBe(a.referenceId)
      expect(b.generation).toBe(1)
    } else {
      expect(b).toMatchObject({ referenceId: a.referenceId, generation: 0, status: 'successful' })
    }
  }
  expect(await w.sb.ledger()).toHaveLength(6)
  await expectLedgersAgree(w.sb, after)
  await payouts.close()
})

test('running out of balance and budget pauses the batch; a top-up resumes it', async () => {
  w = await payoutsWorld({ momo: { balance: 35 }, paymob: { budget: 12 } })
  const payouts = await open()
  const items = []
  for (let i = 0; i < 6; i++) items.push(momoItem(`m${i}`, `4673312000${i}`))
  for (let i = 0; i < 4; i++) items.push(paymobItem(`p${i}`))
  await payouts.submit('funds', items)
  const [ok, paused] = await payouts.run('funds', { concurrency: 1 })
  expect(ok).toBe(true)
  expect(paused.paused).toBe('insufficient_funds')
  expect(paused.byStatus.failed).toBe(0)
  expect(paused.byStatus.successful).toBeLessThan(10)
  w.sb.setMomoBalance(1000)
  w.sb.setPaymobBudget(1000)
  // One run after the top-up: MoMo payouts that failed for lack of funds before it get a
  // new generation without pausing the batch again.
  const [, summary] = await payouts.run('funds', { concurrency: 1 })
  expect(summary.paused).toBeUndefined()
  expect(summary.byStatus.successful).toBe(10)
  expect(summary.amounts).toEqual({ EGP: { requested: 20, paid: 20 }, EUR: { requested: 60, paid: 60 } })
  const [, rows] = await payouts.items('funds')
  await expectLedgersAgree(w.sb, rows)
  await payouts.close()
})

test('a 429 storm holds the sends and fails nothing', async () => {
  w = await payoutsWorld()
  const payouts = await open({ momo: { ratePerSecond: 200 } })
  w.sb.injectFault({
    kind: 'status_429',
    path: '/disbursement/v1_0/transfer',
    method: 'POST',
    times: 60,
    retryAfterSeconds: 0,
  })
  w.sb.injectFault({ kind: 'status_429', path: '/disburse/', times: 30, retryAfterSeconds: 0 })
  const items = []
  for (let i = 0; i < 30; i++) items.push(momoItem(`m${i}`), paymobItem(`p${i}`))
  items.forEach((it, i) => (it.key = `k${i}`))
  await payouts.submit('storm', items)
  const [ok, summary] = await payouts.run('storm', { concurrency: 8 })
  expect(ok).toBe(true)
  expect(summary.byStatus.successful).toBe(60)
  const [, rows] = await payouts.items('storm')
  await expectLedgersAgree(w.sb, rows)
  await payouts.close()
})

test('per-item steps: process sends once, reconcile follows, a second process sends nothing', async () => {
  w = await payoutsWorld({ settleAfterMs: 200 })
  const payouts = await open()
  await payouts.submit('steps', [momoItem('one')])
  const [ok, step] = await payouts.process('steps', 'one')
  expect(ok).toBe(true)
  expect(step).toMatchObject({ key: 'one', status: 'pending', needsLookup: true, generation: 0 })
  const [, again] = await payouts.process('steps', 'one')
  expect(again.status).toBe('pending')
  let last = again
  for (let i = 0; i < 50 && last.status === 'pending'; i++) {
    await new Promise((r) => setTimeout(r, 50))
    ;[, last] = await payouts.reconcile('steps', 'one')
  }
  expect(last).toMatchObject({ status: 'successful', needsLookup: false, referenceId: step.referenceId })
  expect(await w.sb.ledger()).toHaveLength(1)
  const [ok2, missing] = await payouts.process('steps', 'nope')
  expect([ok2, missing.error]).toEqual([false, 'NotFound'])
  await payouts.close()
})

test('callbacks: the handler passes each to payouts.callback, which confirms it by lookup', async () => {
  w = await payoutsWorld({ settleAfterMs: 300 })
  const listener = await callbackListener()
  try {
    const payouts = await open({ momo: { callbackUrl: `${listener.url}/payouts` } })
    await payouts.submit('cb', [momoItem('a'), momoItem('b', '46733120002'), momoItem('c', '46733123457')])
    for (const key of ['a', 'b', 'c']) {
      const [, step] = await payouts.process('cb', key)
      expect(step.status).toBe('pending')
    }
    const received = await listener.waitFor('/payouts', 3, 10000)
    expect(received).toHaveLength(3)
    for (const r of received) {
      const [ok, step] = await payouts.callback('cb', parseCallback(r.body, r.headers))
      expect(ok).toBe(true)
      expect(step.needsLookup).toBe(false)
    }
    const [, rows] = await payouts.items('cb')
    expect(rows.map((r) => [r.key, r.status])).toEqual([
      ['a', 'successful'],
      ['b', 'successful'],
      ['c', 'failed'],
    ])
    const [ok, f] = await payouts.callback('cb', { status: 'SUCCESSFUL', externalId: 'nobody' })
    expect([ok, f.error]).toEqual([false, 'NotFound'])
    // Paymob's callback names the reference: the item is found by it, and confirmed.
    const card = {
      key: 'card',
      provider: 'paymob',
      issuer: 'bank_card',
      bankCardNumber: '1111222233334444',
      bankCode: 'CIB',
      bankTransactionType: 'salary',
      fullName: 'Mona Ali',
      amount: 60,
    }
    await payouts.submit('cb2', [card])
    const [, sent] = await payouts.process('cb2', 'card')
    expect(sent.status).toBe('pending')
    const claimed = {
      disbursement_status: 'successful',
      status_code: '200',
      client_transaction_reference: sent.referenceId,
    }
    // The callback is only a hint: the item is what the inquiry says (pending until the
    // sandbox settles it, then successful).
    let late
    for (let i = 0; i < 100; i++) {
      ;[, late] = await payouts.callback('cb2', parseCallback(JSON.stringify(claimed)))
      if (late.status !== 'pending') break
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(late).toMatchObject({ key: 'card', status: 'successful', needsLookup: false })
    expect(late.lookups).toBeGreaterThanOrEqual(1)
    await payouts.close()
  } finally {
    await listener.close()
  }
})

test('bad input resolves [false, failure] and sends nothing; the secret is never shown', async () => {
  w = await payoutsWorld()
  for (const bad of [
    undefined,
    null,
    1,
    {},
    { secret: SECRET },
    { ...w.options(), secret: 'short' },
    { ...w.options(), ledger: 'postgres://u:pw@127.0.0.1/x' },
  ]) {
    const [ok, f] = await Payouts.open(bad)
    expect(ok).toBe(false)
    expect(typeof f.message).toBe('string')
    expect(f.message).not.toContain('pw')
  }
  const payouts = await open()
  for (const [id, items, field] of [
    ['', [momoItem('a')], 'batchId'],
    ['b', 'nope', 'items'],
    ['b', [], 'items'],
    ['b', [{ ...momoItem('a'), amount: '-3' }], 'items[0].amount'],
    ['b', [momoItem('a'), momoItem('a')], 'items[1].key'],
    ['b', [{ ...momoItem('a'), provider: 'x' }], 'items[0].provider'],
    ['b', [{ key: 'p', provider: 'paymob', issuer: 'nope', amount: 1, msisdn: '01023456789' }], undefined],
  ]) {
    const [ok, f] = await payouts.submit(id, items)
    expect(ok).toBe(false)
    expect(f.error).toBe('InvalidData')
    if (field) expect(f.field).toBe(field)
  }
  const [ok, f] = await payouts.run('never-submitted')
  expect([ok, f.error]).toEqual([false, 'NotFound'])
  expect(await w.sb.ledger()).toHaveLength(0)
  const shown = inspect(payouts) + JSON.stringify(payouts)
  expect(shown).not.toContain(SECRET)
  expect(shown).toContain('[redacted]')
  await payouts.submit('s', [momoItem('a')])
  await payouts.run('s')
  await payouts.close()
  // Neither the payouts secret nor a credential reaches the ledger's files.
  const fs = require('node:fs')
  const path = require('node:path')
  for (const f of fs.readdirSync(w.dir)) {
    const bytes = fs.readFileSync(path.join(w.dir, f))
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false)
    expect(bytes.includes(Buffer.from(w.apiKey))).toBe(false)
  }
})
