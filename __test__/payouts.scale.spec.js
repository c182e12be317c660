'use strict'
// Payouts for batches of any size: submit from any source of items (iterables, async
// iterables, object-mode Readables) with every bad item reported at once, items read a
// page at a time (`after`, `limit`, `iterate`), and a ledger opened read-only.
const { Readable } = require('node:stream')
const { Payouts } = require('..')
const { payoutsWorld, momoItem } = require('./support/payouts')
const { specWorld } = require('./support/helpers')

const w = specWorld(payoutsWorld, (w) => w.cleanup())

async function open(options = w.options()) {
  const [ok, payouts] = await Payouts.open(options)
  if (!ok) throw new Error(JSON.stringify(payouts))
  return payouts
}

const party = (i) => `4673${String(3000000 + i).padStart(7, '0')}`
const itemsOf = (n, prefix = 'k') => Array.from({ length: n }, (_, i) => momoItem(`${prefix}${i}`, party(i), '2'))

async function all(iterable) {
  const out = []
  for await (const x of iterable) out.push(x)
  return out
}

describe('submit from any source', () => {
  test('a generator, an async generator and a Readable make the same batch, in any order', async () => {
    const payouts = await open()
    const items = itemsOf(12001, 'g')
    function* generated() {
      yield* items
    }
    const [ok, first] = await payouts.submit('sources', generated())
    expect(ok).toBe(true)
    expect(first).toMatchObject({ total: 12001, created: true })
    // Another order, through an async generator: the same batch, nothing written.
    async function* reversed() {
      for (let i = items.length - 1; i >= 0; i--) yield items[i]
    }
    const [ok2, again] = await payouts.submit('sources', reversed())
    expect([ok2, again.created, again.total]).toEqual([true, false, 12001])
    const [ok3, third] = await payouts.submit('sources', Readable.from(items))
    expect([ok3, third.created]).toEqual([true, false])
    // One item changed: another batch under the same id.
    const changed = items.map((i, n) => (n === 5000 ? { ...i, amount: '3' } : i))
    const [ok4, conflict] = await payouts.submit('sources', Readable.from(changed))
    expect([ok4, conflict.error]).toEqual([false, 'Conflict'])
    const [, rows] = await payouts.items('sources')
    expect(rows.map((r) => r.key)).toEqual(items.map((i) => i.key))
    await payouts.close()
  })

  test('every bad item is reported in one failure, with its index and field; nothing is written', async () => {
    const payouts = await open()
    const items = itemsOf(7000, 'b')
    items[3] = { ...items[3], amount: '-1' }
    items[6000] = { ...items[6000], party: 'abc' }
    items[6500] = { ...items[6500], key: 'b10' }
    items[6999] = { ...items[6999], currency: 'EURO' }
    const [ok, failure] = await payouts.submit('bad', Readable.from(items))
    expect(ok).toBe(false)
    expect(failure).toMatchObject({ error: 'InvalidData', field: 'items[3].amount' })
    expect(failure.message).toMatch(/^items\[3\]\.amount .*and 3 more bad items/)
    expect(failure.body.count).toBe(4)
    expect(failure.body.errors.map((e) => [e.index, e.field])).toEqual([
      [3, 'items[3].amount'],
      [6000, expect.stringMatching(/^items\[6000\]\./)],
      [6999, 'items[6999].currency'],
      [6500, 'items[6500].key'],
    ])
    expect(failure.body.errors[3].message).toContain('"b10" appears twice')
    const [found, missing] = await payouts.summary('bad')
    expect([found, missing.error]).toEqual([false, 'NotFound'])
    await payouts.close()
  })

  test('more than a thousand bad items: the first thousand listed, all counted', async () => {
    const payouts = await open()
    const items = itemsOf(1500, 'c').map((i) => ({ ...i, amount: 'x' }))
    const [ok, failure] = await payouts.submit('many-bad', items)
    expect(ok).toBe(false)
    expect(failure.body.count).toBe(1500)
    expect(failure.body.errors).toHaveLength(1000)
    expect(failure.message).toContain('the first 1000')
  })

  test('a source that fails halfway submits nothing', async () => {
    const payouts = await open()
    async function* broken() {
      yield* itemsOf(6000, 'x')
      throw new Error('disk gone')
    }
    const [ok, failure] = await payouts.submit('broken', broken())
    expect(ok).toBe(false)
    expect(failure).toMatchObject({ error: 'InvalidData', field: 'items' })
    expect(failure.message).toContain('disk gone')
    const [found] = await payouts.summary('broken')
    expect(found).toBe(false)
    // The same id submitted whole afterwards is a new batch.
    const [ok2, batch] = await payouts.submit('broken', itemsOf(10, 'x'))
    expect([ok2, batch.created, batch.total]).toEqual([true, true, 10])
    await payouts.close()
  })

  test('no items, or something that is no source of items, is refused', async () => {
    const payouts = await open()
    const [ok, empty] = await payouts.submit('empty', [])
    expect([ok, empty.field]).toEqual([false, 'items'])
    const [ok2, notItems] = await payouts.submit('empty', 42)
    expect([ok2, notItems.field]).toEqual([false, 'items'])
    await payouts.close()
  })
})

describe('paged reads', () => {
  let payouts
  const items = itemsOf(2500, 'p')
  beforeAll(async () => {
    payouts = await open()
    const [ok] = await payouts.submit('paged', items)
    expect(ok).toBe(true)
    // Two paid, so that a status filter has something to find.
    for (const key of ['p7', 'p2000']) {
      await payouts.process('paged', key)
      const [ok2, step] = await payouts.reconcile('paged', key)
      expect([ok2, step.status]).toEqual([true, 'successful'])
    }
  })
  afterAll(() => payouts.close())

  test('items(batchId, { after, limit }) pages by key in submission order', async () => {
    const [ok, page] = await payouts.items('paged', { limit: 1000 })
    expect(ok).toBe(true)
    expect(page.map((i) => i.key)).toEqual(items.slice(0, 1000).map((i) => i.key))
    const [, next] = await payouts.items('paged', { after: page[999].key, limit: 1000 })
    expect(next[0].key).toBe('p1000')
    const [, last] = await payouts.items('paged', { after: 'p1999', limit: 1000 })
    expect(last.map((i) => i.key)).toEqual(items.slice(2000).map((i) => i.key))
    const [, none] = await payouts.items('paged', { after: 'p2499', limit: 10 })
    expect(none).toEqual([])
    // Without a limit: every row after the key.
    const [, rest] = await payouts.items('paged', { after: 'p2489' })
    expect(rest).toHaveLength(10)
    const [, paid] = await payouts.items('paged', { status: 'successful', limit: 1 })
    expect(paid.map((i) => i.key)).toEqual(['p7'])
    const [, paidAfter] = await payouts.items('paged', { status: 'successful', after: 'p7', limit: 5 })
    expect(paidAfter.map((i) => i.key)).toEqual(['p2000'])
  })

  test('a bad page is refused with its field', async () => {
    const [ok, f] = await payouts.items('paged', { after: 'no-such-key', limit: 5 })
    expect([ok, f.field]).toEqual([false, 'after'])
    const [ok2, f2] = await payouts.items('paged', { limit: 0 })
    expect([ok2, f2.field]).toEqual([false, 'limit'])
  })

  test('iterate(batchId, { status }) walks the whole batch a page at a time', async () => {
    const keys = (await all(payouts.iterate('paged'))).map((i) => i.key)
    expect(keys).toEqual(items.map((i) => i.key))
    const queued = await all(payouts.iterate('paged', { status: 'queued', pageSize: 700 }))
    expect(queued).toHaveLength(2498)
    const paid = await all(payouts.iterate('paged', { status: ['successful'] }))
    expect(paid.map((i) => i.key)).toEqual(['p7', 'p2000'])
    await expect(all(payouts.iterate('no-such-batch'))).rejects.toMatchObject({ error: 'NotFound' })
  })

  test('summary counts by status and amount', async () => {
    const [ok, s] = await payouts.summary('paged')
    expect(ok).toBe(true)
    expect(s.byStatus).toMatchObject({ queued: 2498, successful: 2 })
    expect(s.amounts.EUR).toEqual({ requested: 5000, paid: 4 })
  })
})

describe('Payouts.open({ ledger }) alone', () => {
  test('reads summary, items and iterate; every step that sends or writes says why not', async () => {
    const writer = await open()
    await writer.submit('ro', itemsOf(30, 'r'))
    await writer.close()
    const [opened, reader] = await Payouts.open({ ledger: `sqlite:${w.db}` })
    expect(opened).toBe(true)
    expect(reader.toJSON()).toMatchObject({ readOnly: true })
    const [ok, s] = await reader.summary('ro')
    expect([ok, s.total]).toEqual([true, 30])
    const [ok2, rows] = await reader.items('ro', { limit: 5 })
    expect([ok2, rows.length]).toEqual([true, 5])
    expect(await all(reader.iterate('ro'))).toHaveLength(30)
    for (const [name, call] of [
      ['submit', () => reader.submit('ro2', itemsOf(1))],
      ['run', () => reader.run('ro')],
      ['retryFailed', () => reader.retryFailed('ro')],
      ['process', () => reader.process('ro', 'r1')],
      ['resolve', () => reader.resolve('ro', 'r1', { status: 'failed', note: 'n' })],
    ]) {
      const [sent, failure] = await call()
      expect([name, sent]).toEqual([name, false])
      expect(failure.message).toMatch(/^this Payouts was opened read-only .* to submit, send or settle$/)
    }
    await reader.close()
  })

  test('a secret without accounts, or accounts without a secret, is still refused', async () => {
    const [ok, f] = await Payouts.open({ ledger: `sqlite:${w.db}`, secret: 'a-secret-long-enough-1234' })
    expect([ok, f.field]).toEqual([false, 'options'])
    const [ok2, f2] = await Payouts.open({ ledger: `sqlite:${w.db}`, momo: w.options().momo })
    expect([ok2, f2.field]).toEqual([false, 'secret'])
  })
})
