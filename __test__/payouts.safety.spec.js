'use strict'
// The money-safety guarantees of docs/bulk-payouts.md, as the review found them broken: each is driven
// through the real addon over HTTP to the embedded sandbox, and both ledgers (the Payouts
// ledger and the sandbox's book of what was really paid) are checked.
const path = require('node:path')
const { Payouts } = require('..')
const { payoutsWorld, momoItem, paymobItem, expectLedgersAgree } = require('./support/payouts')
const { eventually } = require('./support/helpers')

jest.setTimeout(60000)

const TRANSFER = '/disbursement/v1_0/transfer'
let worlds = []
const opened = []

afterEach(async () => {
  for (const p of opened.splice(0)) await p.close()
  for (const w of worlds.splice(0)) await w.cleanup()
})

async function world(options) {
  const w = await payoutsWorld(options)
  worlds.push(w)
  return w
}

async function open(options) {
  const [ok, payouts] = await Payouts.open(options)
  if (!ok) throw new Error(JSON.stringify(payouts))
  opened.push(payouts)
  return payouts
}

const byKey = (rows) => Object.fromEntries(rows.map((r) => [r.key, r]))
const transferPosts = async (sb) => (await sb.requests()).filter((r) => r.method === 'POST' && r.path === TRANSFER)

test('Paymob: a failing token endpoint is retried, then stops the run and refuses nothing; the next run pays each item once', async () => {
  const w = await world()
  const payouts = await open(w.options())
  const items = [paymobItem('p1', '01023456781'), paymobItem('p2', '01023456782'), paymobItem('p3', '01023456783')]
  await payouts.submit('token-503', items)
  // One 503 passes: the item goes back to the queue as it was, the account's requests wait
  // a little, and the run goes on. Nothing is refused.
  w.sb.injectFault({ provider: 'paymob', path: '/o/token/', kind: 'status_503' })
  const [passed, first] = await payouts.run('token-503', { concurrency: 1 })
  expect(passed).toBe(true)
  expect(first.byStatus).toMatchObject({ successful: 3, refused: 0, failed: 0, unknown: 0 })
  // A new instance (its first token still to fetch) against a token endpoint that keeps
  // failing: retried a few times, then the run stops.
  const fresh = await open(w.options())
  await fresh.submit('token-503b', [paymobItem('q1', '01023456784'), paymobItem('q2', '01023456785')])
  const stopsWith503 = async (options) => {
    w.sb.injectFault({ provider: 'paymob', path: '/o/token/', kind: 'status_503', times: 1000 })
    const [ok, failure] = await fresh.run('token-503b', options)
    w.sb.clearFaults()
    expect(ok).toBe(false)
    expect(failure).toMatchObject({ status: 503, message: expect.any(String) })
    return (await fresh.items('token-503b'))[1]
  }
  const stopped = await stopsWith503({ concurrency: 1 })
  expect(stopped.map((r) => [r.key, r.status, r.sends])).toEqual([
    ['q1', 'queued', 0],
    ['q2', 'queued', 0],
  ])
  const sent = (await w.sb.requests()).filter((r) => r.path.includes('/disburse/'))
  expect(sent).toHaveLength(3)
  expect(await w.sb.ledger()).toHaveLength(3)
  const again = await stopsWith503({ concurrency: 16 })
  expect(again.map((r) => [r.key, r.status, r.sends])).toEqual([
    ['q1', 'queued', 0],
    ['q2', 'queued', 0],
  ])

  const [ok2, summary] = await fresh.run('token-503b')
  expect(ok2).toBe(true)
  expect(summary.byStatus).toMatchObject({ successful: 2, refused: 0, failed: 0 })
  const rows = [...(await payouts.items('token-503'))[1], ...(await payouts.items('token-503b'))[1]]
  const paid = await expectLedgersAgree(w.sb, rows)
  expect(paid.size).toBe(5)
  expect([...paid.keys()].sort()).toEqual(rows.map((r) => r.referenceId).sort())
  expect(rows.every((r) => r.generation === 0 && r.sends === 1)).toBe(true)
})

test('MoMo: a transfer answered 500 INVALID_CURRENCY on its only send is refused with that code; retryFailed gives it a new reference', async () => {
  const w = await world()
  const payouts = await open(w.options({ momo: { maxRetries: 0 } }))
  // 467331234 61: the sandbox answers the transfer POST 500 INVALID_CURRENCY.
  await payouts.submit('currency', [momoItem('ok', '46733120001'), momoItem('bad', '46733123461')])
  const [ok, summary] = await payouts.run('currency')
  expect(ok).toBe(true)
  expect(summary.byStatus).toMatchObject({ successful: 1, refused: 1, unknown: 0 })
  expect(summary.finishedAt).toEqual(expect.any(String))
  const { bad } = byKey((await payouts.items('currency'))[1])
  expect(bad).toMatchObject({
    status: 'refused',
    sends: 1,
    generation: 0,
    reason: expect.objectContaining({ code: 'INVALID_CURRENCY' }),
  })
  const posts = (await transferPosts(w.sb)).filter((r) => r.headers['x-reference-id'] === bad.referenceId)
  expect(posts).toHaveLength(1)

  const [rok, retried] = await payouts.retryFailed('currency')
  expect(rok).toBe(true)
  expect(retried).toMatchObject({
    retried: 1,
    items: [{ key: 'bad', generation: 1, previousReferenceId: bad.referenceId }],
  })
  expect(retried.items[0].referenceId).not.toBe(bad.referenceId)
  const { bad: again } = byKey((await payouts.items('currency'))[1])
  expect(again).toMatchObject({ status: 'queued', generation: 1, referenceId: retried.items[0].referenceId })
  // Nothing was paid under either reference of the refused item.
  const [, rows] = await payouts.items('currency')
  expect((await expectLedgersAgree(w.sb, rows)).size).toBe(1)
})

test('Paymob: an item in USD is refused at submit, nothing is sent', async () => {
  const w = await world()
  const payouts = await open(w.options())
  const before = (await w.sb.stats()).requests
  const [ok, failure] = await payouts.submit('usd', [{ ...paymobItem('p'), currency: 'USD' }])
  expect(ok).toBe(false)
  expect(failure).toMatchObject({ error: 'InvalidData', field: 'items[0].currency' })
  const [found, missing] = await payouts.summary('usd')
  expect([found, missing.error]).toEqual([false, 'NotFound'])
  expect((await w.sb.stats()).requests).toBe(before)
})

test('two ledgers, one secret and batch id, other content: the second pays its own payout under its own reference', async () => {
  const w = await world()
  const first = await open(w.options())
  await first.submit('payroll', [momoItem('emp-1', '46733120001', '10')])
  const [, s1] = await first.run('payroll')
  expect(s1.byStatus.successful).toBe(1)
  const [, [one]] = await first.items('payroll')

  const second = await open({ ...w.options(), ledger: `sqlite:${path.join(w.dir, 'other.db')}` })
  await second.submit('payroll', [momoItem('emp-1', '46733120002', '950')])
  const [ok, s2] = await second.run('payroll')
  expect(ok).toBe(true)
  expect(s2.amounts.EUR).toEqual({ requested: 950, paid: 950 })
  const [, [two]] = await second.items('payroll')
  expect(two.referenceId).not.toBe(one.referenceId)
  expect(two).toMatchObject({ status: 'successful', sends: 1 })

  // The sandbox paid both: 10 to the first number, 950 to the second, each once.
  const book = await w.sb.ledger()
  expect(book.map((e) => [e.referenceId, e.party, e.amount, e.status]).sort()).toEqual(
    [
      [one.referenceId, '46733120001', 10, 'SUCCESSFUL'],
      [two.referenceId, '46733120002', 950, 'SUCCESSFUL'],
    ].sort(),
  )
  await expectLedgersAgree(w.sb, [one, two])
  // The second ledger's success is its own payment's, not the first's.
  expect(two.transactionId).not.toBe(one.transactionId)
})

test('a batch belongs to the account it was first sent to: another sandbox is refused (Conflict, field momo), nothing sent there', async () => {
  const a = await world()
  const b = await world()
  const onA = await open(a.options())
  await onA.submit('bound', [momoItem('x', '46733120001'), momoItem('y', '46733120002')])
  // One item sent on A: the batch is bound to A; the other is still queued.
  const [, step] = await onA.process('bound', 'x')
  expect(['pending', 'successful']).toContain(step.status)
  await onA.close()
  opened.splice(opened.indexOf(onA), 1)

  // The same ledger file, B's MoMo account and URL.
  const onB = await open({ ...b.options(), ledger: `sqlite:${a.db}` })
  const before = (await b.sb.stats()).requests
  const [ok, failure] = await onB.run('bound')
  expect(ok).toBe(false)
  expect(failure).toMatchObject({ error: 'Conflict', field: 'momo' })
  expect(failure.message).toContain(a.sb.url)
  for (const [name, call] of [
    ['process', () => onB.process('bound', 'y')],
    ['retryFailed', () => onB.retryFailed('bound')],
  ]) {
    const [cok, f] = await call()
    expect([name, cok, f.error, f.field]).toEqual([name, false, 'Conflict', 'momo'])
  }
  expect((await b.sb.stats()).requests).toBe(before)
  expect(await b.sb.ledger()).toEqual([])
  const [, rows] = await onB.items('bound')
  expect(rows.map((r) => [r.key, r.status])).toEqual([
    ['x', step.status],
    ['y', 'queued'],
  ])
  expect(await a.sb.ledger()).toHaveLength(1)
})

test('resolve: an item the provider never recorded after five sends waits on an operator, who settles it once', async () => {
  const w = await world()
  const payouts = await open(w.options({ momo: { maxRetries: 0 } }))
  await payouts.submit('ops', [momoItem('lost', '46733120001'), momoItem('paid', '46733120002')])
  const [, sPaid] = await payouts.process('ops', 'paid')
  expect(['pending', 'successful']).toContain(sPaid.status)
  // Each of the next five transfer POSTs is dropped before the sandbox records it.
  w.sb.injectFault({ provider: 'momo', method: 'POST', path: TRANSFER, kind: 'reset_before', times: 5 })
  const [ok, summary] = await payouts.run('ops')
  expect(ok).toBe(true)
  expect(summary).toMatchObject({
    awaitingOperator: 1,
    byStatus: expect.objectContaining({ unknown: 1, successful: 1 }),
  })
  expect(summary.finishedAt).toBeUndefined()
  const { lost } = byKey((await payouts.items('ops'))[1])
  expect(lost).toMatchObject({
    status: 'unknown',
    awaitingOperator: true,
    sends: 5,
    generation: 0,
    reason: expect.objectContaining({ operator: true }),
  })
  expect((await transferPosts(w.sb)).filter((r) => r.headers['x-reference-id'] === lost.referenceId)).toHaveLength(5)
  // Neither retried nor sent again: only an operator settles it.
  const [, retried] = await payouts.retryFailed('ops')
  expect(retried.retried).toBe(0)
  const [, step] = await payouts.process('ops', 'lost')
  expect(step).toMatchObject({ status: 'unknown', needsLookup: false, awaitingOperator: true, sends: 5 })

  const [bad, invalid] = await payouts.resolve('ops', 'lost', { status: 'failed' })
  expect([bad, invalid.error, invalid.field]).toEqual([false, 'InvalidData', 'note'])
  const [rok, resolved] = await payouts.resolve('ops', 'lost', {
    status: 'failed',
    note: 'not in the MoMo portal: never paid',
    actor: 'ops-amina',
  })
  expect(rok).toBe(true)
  expect(resolved).toMatchObject({
    key: 'lost',
    status: 'failed',
    referenceId: lost.referenceId,
    resolution: {
      status: 'failed',
      note: 'not in the MoMo portal: never paid',
      actor: 'ops-amina',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    },
  })
  expect(resolved.awaitingOperator).toBeUndefined()
  const { lost: after, paid } = byKey((await payouts.items('ops'))[1])
  expect(after).toEqual(resolved)
  expect(paid.status).toBe('successful')

  for (const key of ['lost', 'paid']) {
    const [again, conflict] = await payouts.resolve('ops', key, { status: 'successful', note: 'again' })
    expect([key, again, conflict.error]).toEqual([key, false, 'Conflict'])
  }
  const [, none] = await payouts.resolve('ops', 'nobody', { status: 'failed', note: 'x' })
  expect(none.error).toBe('NotFound')
  // An operator's `failed` is the operator's word, not the provider's: never re-referenced.
  const [, retried2] = await payouts.retryFailed('ops')
  expect(retried2.retried).toBe(0)
  const [, final] = await payouts.summary('ops')
  expect(final.finishedAt).toEqual(expect.any(String))
  expect(final.byStatus).toMatchObject({ successful: 1, failed: 1, unknown: 0 })
  const [, rows] = await payouts.items('ops')
  expect((await expectLedgersAgree(w.sb, rows)).size).toBe(1)
})

// The first send is held past the client's timeout and booked later (`land_late`); the
// lookup does not find it yet, so the same reference is sent again, and that resend is
// answered with an error (an HTTP 500 page from Paymob; MoMo's coded 500). The resend's
// answer proves nothing about the first send: the item stays unknown, retryFailed leaves
// it alone (a new reference would be paid a second time when the first lands), and once
// the first send lands a lookup settles it: one payment.
test.each([
  ['paymob', '/disburse/', undefined, () => paymobItem('late', '01023456777')],
  ['momo', TRANSFER, 'POST', () => momoItem('late', '46733120077')],
])(
  'a late landing (%s): a refused resend leaves the item unknown, retryFailed does not re-reference it, one payment',
  async (provider, faultPath, method, item) => {
    const w = await world()
    const payouts = await open(w.options({ [provider]: { maxRetries: 0, timeoutMs: 500 } }))
    await payouts.submit('late', [item()])
    const fault = { provider, path: faultPath, ...(method ? { method } : {}) }
    w.sb.injectFault({ ...fault, kind: 'land_late', delayMs: 2500 })
    const [, sent] = await payouts.process('late', 'late')
    expect(sent).toMatchObject({ status: 'unknown', sends: 1, needsLookup: true })
    const reference = sent.referenceId
    // Not booked yet: the lookup finds nothing, so the same reference may go out again.
    const [, looked] = await payouts.reconcile('late', 'late')
    expect(looked).toMatchObject({ status: 'queued', referenceId: reference })
    w.sb.injectFault({ ...fault, kind: 'status_500' })
    const [, resent] = await payouts.process('late', 'late')
    expect(resent).toMatchObject({
      status: 'unknown',
      sends: 2,
      generation: 0,
      referenceId: reference,
      needsLookup: true,
    })
    const [, retried] = await payouts.retryFailed('late')
    expect(retried.retried).toBe(0)
    const [, [still]] = await payouts.items('late')
    expect(still).toMatchObject({ status: 'unknown', generation: 0, referenceId: reference })
    expect(await w.sb.ledger()).toEqual([])

    // The first send lands; the run's lookup finds it.
    await eventually(async () => (await w.sb.ledger()).length === 1, 10000, 50)
    const [ok, summary] = await payouts.run('late')
    expect(ok).toBe(true)
    expect(summary.byStatus.successful).toBe(1)
    const [, rows] = await payouts.items('late')
    expect(rows[0]).toMatchObject({ status: 'successful', generation: 0, referenceId: reference, sends: 2 })
    const book = await w.sb.ledger()
    expect(book.map((e) => [e.referenceId, e.status.toLowerCase()])).toEqual([[reference, 'successful']])
    await expectLedgersAgree(w.sb, rows)
  },
)
