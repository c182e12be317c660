'use strict'
// Verified on an embedded instance, paid through the queue: held items get no job; an
// approved one is queued and paid, a rejected one counts final, and the batch closes.
const { Payouts } = require('../index.js')
const { momoItem } = require('./support/payouts')
const { REDIS_URL, tracked, until } = require('./support/payouts-queue')

jest.setTimeout(120000)

const t = tracked()

async function open(queue) {
  const o = t.w.options({ momo: { timeoutMs: 1500 } })
  const [ok, p] = await Payouts.open({ ...o, ledger: t.s.ledger, ...(queue ? { queue } : {}) })
  if (!ok) throw new Error(JSON.stringify(p))
  t.defer(() => p.close())
  return p
}

test('held items wait outside the queue: approve queues one and it is paid, reject closes the batch', async () => {
  if (!(await t.start('payouts.queue verify'))) return
  t.w.sb.setAccountHolder('46733120011', { givenName: 'Ama', familyName: 'Mensah' })
  t.w.sb.setAccountHolder('46733120012', { givenName: 'Kofi', familyName: 'Boateng' })
  t.w.sb.setAccountHolder('46733120013', { givenName: 'Yaw', familyName: 'Owusu' })
  const batch = [
    { ...momoItem('ok', '46733120011'), name: 'Ama Mensah' },
    { ...momoItem('to-approve', '46733120012'), name: 'Kofi Asante' },
    { ...momoItem('to-reject', '46733120013'), name: 'Kwame Nkrumah' },
  ]
  const embedded = await open(null)
  expect((await embedded.submit('b', batch))[0]).toBe(true)
  const [vok, verified] = await embedded.verify('b')
  expect(vok).toBe(true)
  expect(verified.items.map((i) => i.key).sort()).toEqual(['to-approve', 'to-reject'])

  const queued = await open({ redis: REDIS_URL, prefix: t.s.prefix, name: 'verify' })
  const [sok, submitted] = await queued.submit('b', batch)
  expect([sok, submitted.enqueued]).toEqual([true, 1])
  const [wok, worker] = await queued.work({ concurrency: 2 })
  expect(wok).toBe(true)
  worker.on('error', () => {})
  t.defer(() => worker.close())

  const [aok, approved] = await queued.approve('b', ['to-approve'], { note: 'same person, new surname', actor: 'ops' })
  expect([aok, approved.enqueued]).toEqual([true, 1])
  const [rok] = await queued.reject('b', ['to-reject'], 'not the employee')
  expect(rok).toBe(true)

  const summary = await until('the batch closed', async () => {
    const [, sum] = await queued.summary('b')
    return sum.finishedAt ? sum : null
  })
  expect(summary.byStatus).toMatchObject({ successful: 2, refused: 1, held: 0 })
  const paid = (await t.w.sb.ledger()).filter((e) => e.status === 'SUCCESSFUL').map((e) => e.party)
  expect(paid.sort()).toEqual(['46733120011', '46733120012'])
})
