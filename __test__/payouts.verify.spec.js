'use strict'
// payouts.verify through the real addon over HTTP to the sandbox: who is held and why,
// nothing sent before verification, approvals and rejections, and no registered name kept.
const fs = require('node:fs')
const { Payouts } = require('..')
const { payoutsWorld, momoItem, paymobItem } = require('./support/payouts')

let w
afterEach(() => w && w.cleanup())

const open = async () => {
  const [opened, payouts] = await Payouts.open(w.options())
  expect(opened).toBe(true)
  return payouts
}

const named = (key, party, name) => ({ ...momoItem(key, party), name })
const transfers = (requests) => requests.filter((r) => r.method === 'POST' && r.path.includes('/transfer'))
const holderInfo = (requests) => requests.filter((r) => r.path.includes('/basicuserinfo'))

// The test numbers of the sandbox: …3450 has no account holder, …3451 is not active.
const NOT_FOUND = '46733123450'
const NOT_ACTIVE = '46733123451'

async function stage() {
  w = await payoutsWorld()
  w.sb.setAccountHolder('46733120001', { givenName: 'John', familyName: 'Okafor' })
  w.sb.setAccountHolder('46733120002', { givenName: 'José María', familyName: 'Núñez' })
  w.sb.setAccountHolder('46733120003', { givenName: 'Amara', familyName: 'Mensah' })
  w.sb.setAccountHolder('46733120004', { givenName: 'Kofi', familyName: 'Boateng' })
  w.sb.setAccountHolder('46733120006', { givenName: 'Esi', familyName: 'Owusu', active: false })
  return [
    named('exact', '46733120001', 'John Okafor'),
    named('tolerated', '46733120002', 'nunez JOSE'),
    named('mismatch', '46733120003', 'Amara Traore'),
    named('initials', '46733120004', 'K. Boateng'),
    momoItem('noname', '46733120005'),
    named('inactive', NOT_ACTIVE, 'Ama Asante'),
    named('unknown', NOT_FOUND, 'Yaw Osei'),
    named('dormant', '46733120006', 'Esi Owusu'),
    paymobItem('paymob'),
  ]
}

test('verify holds the mismatched, inactive and unknown; approve and reject decide; run pays the rest', async () => {
  const items = await stage()
  const payouts = await open()
  const [ok, sub] = await payouts.submit('verified', items)
  expect([ok, sub.total]).toEqual([true, 9])
  w.sb.clearRequests()
  const [okV, v] = await payouts.verify('verified', { concurrency: 4 })
  expect(okV).toBe(true)
  expect(v).toMatchObject({ batchId: 'verified', checked: 9, verified: 5, held: 4 })
  expect(v.unverified).toEqual([])
  const held = Object.fromEntries(v.items.map((i) => [i.key, i]))
  expect(Object.keys(held).sort()).toEqual(['dormant', 'inactive', 'mismatch', 'unknown'])
  expect(held.mismatch.status).toBe('held')
  expect(held.mismatch.reason).toMatchObject({
    error: 'name_mismatch',
    rule: 'surname_differs',
    registeredName: 'A**** M*****',
  })
  expect(held.mismatch.reason.score).toBeGreaterThan(0)
  expect(held.mismatch.reason.score).toBeLessThan(1)
  expect(held.inactive.reason.error).toBe('inactive')
  expect(held.dormant.reason.error).toBe('inactive')
  expect(held.unknown.reason.error).toBe('not_found')
  // Nothing was sent: lookups only, and the sandbox booked no payout.
  const requests = await w.sb.requests()
  expect(transfers(requests)).toEqual([])
  expect(await w.sb.ledger()).toEqual([])
  // `active` for every MoMo item, the registered name only for an active one that names
  // its payee; nothing for Paymob (its issuer's number format was checked at submit).
  expect(requests.filter((r) => r.path.includes('/active'))).toHaveLength(8)
  expect(holderInfo(requests)).toHaveLength(4)

  // A second verify looks nothing up again.
  w.sb.clearRequests()
  const [, again] = await payouts.verify('verified')
  expect([again.checked, again.held]).toEqual([0, 4])
  expect(await w.sb.requests()).toEqual([])

  // Only held items are decided; a decision is a compare-and-set.
  const [okA0, notHeld] = await payouts.approve('verified', ['exact'])
  expect([okA0, notHeld.error]).toEqual([false, 'Conflict'])
  const [okA, approved] = await payouts.approve('verified', 'dormant', {
    note: 'new SIM, confirmed by phone',
    actor: 'ops@example.com',
  })
  expect(okA).toBe(true)
  expect(approved.approved).toBe(1)
  expect(approved.items[0]).toMatchObject({ key: 'dormant', status: 'queued' })
  expect(approved.items[0].reason).toMatchObject({
    decision: 'approved',
    held: 'inactive',
    note: 'new SIM, confirmed by phone',
    actor: 'ops@example.com',
  })
  expect(approved.items[0].reason.at).toMatch(/^\d{4}-\d\d-\d\dT/)
  const [okR0, noNote] = await payouts.reject('verified', ['mismatch'])
  expect([okR0, noNote.field]).toEqual([false, 'note'])
  const [okR, rejected] = await payouts.reject('verified', ['mismatch', 'unknown'], 'not on the payroll')
  expect([okR, rejected.rejected]).toEqual([true, 2])
  expect(rejected.items.map((i) => [i.key, i.status, i.reason.error, i.reason.message])).toEqual([
    ['mismatch', 'refused', 'Rejected', 'not on the payroll'],
    ['unknown', 'refused', 'Rejected', 'not on the payroll'],
  ])
  const [okR2, twice] = await payouts.reject('verified', 'mismatch', 'again')
  expect([okR2, twice.error]).toEqual([false, 'Conflict'])
  // An approved item stays approved when verification runs again.
  const [, third] = await payouts.verify('verified')
  expect(third.items.map((i) => i.key)).toEqual(['inactive'])

  const [okRun, summary] = await payouts.run('verified')
  expect(okRun).toBe(true)
  expect(summary.byStatus).toMatchObject({ successful: 6, refused: 2, held: 1, queued: 0 })
  const [, rows] = await payouts.items('verified')
  const status = Object.fromEntries(rows.map((r) => [r.key, r.status]))
  expect(status).toMatchObject({ inactive: 'held', mismatch: 'refused', unknown: 'refused', dormant: 'successful' })
  // The held and the rejected were never sent: five MoMo transfers, one Paymob cash-in.
  expect(transfers(await w.sb.requests())).toHaveLength(5)
  expect(await w.sb.ledger()).toHaveLength(6)
  await payouts.close()

  // The registered names never reached the ledger: only what was expected and masks.
  const bytes = Buffer.concat(
    [w.db, `${w.db}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)),
  ).toString('latin1')
  expect(bytes).toContain('Amara Traore')
  expect(bytes).toContain('A**** M*****')
  expect(bytes).not.toContain('Mensah')
  expect(JSON.stringify([v, again, third, rows])).not.toContain('Mensah')
})

test('run({ verify: true }) verifies first and never sends a held item', async () => {
  const items = await stage()
  const payouts = await open()
  await payouts.submit('at-once', items)
  w.sb.clearRequests()
  const [ok, summary] = await payouts.run('at-once', { verify: true })
  expect(ok).toBe(true)
  expect(summary.byStatus).toMatchObject({ successful: 5, held: 4, queued: 0 })
  const requests = await w.sb.requests()
  // Every lookup came before the first transfer.
  const firstSend = requests.findIndex((r) => r.method === 'POST' && r.path.includes('/transfer'))
  const lastLookup = requests.map((r) => r.path.includes('/accountholder/')).lastIndexOf(true)
  expect(firstSend).toBeGreaterThan(lastLookup)
  const [, rows] = await payouts.items('at-once', { status: 'held' })
  expect(rows.map((r) => r.key).sort()).toEqual(['dormant', 'inactive', 'mismatch', 'unknown'])
  await payouts.close()
})

test('bad input sends nothing', async () => {
  w = await payoutsWorld()
  const payouts = await open()
  const [ok, f] = await payouts.verify('nope')
  expect([ok, f.error]).toEqual([false, 'NotFound'])
  await payouts.submit('b', [momoItem('a')])
  const [ok2, f2] = await payouts.approve('b', [])
  expect([ok2, f2.field]).toEqual([false, 'keys'])
  const [ok3, f3] = await payouts.approve('b', ['missing'])
  expect([ok3, f3.error]).toEqual([false, 'NotFound'])
  const [ok4, f4] = await payouts.verify('b', { concurrency: 0 })
  expect([ok4, f4.error]).toEqual([false, 'InvalidData'])
  expect(transfers(await w.sb.requests())).toEqual([])
  await payouts.close()
})

test('an item sent once and back in the queue is never held by a later verify: that send may still land', async () => {
  w = await payoutsWorld()
  w.sb.setAccountHolder('46733120021', { givenName: 'Ama', familyName: 'Mensah' })
  const [opened, payouts] = await Payouts.open(w.options({ momo: { timeoutMs: 500, maxRetries: 0 } }))
  expect(opened).toBe(true)
  expect((await payouts.submit('late', [named('x', '46733120021', 'Kofi Boateng')]))[0]).toBe(true)
  // The transfer is booked 1.5 s after it arrived: the client has given up and its lookup
  // finds nothing yet, so the item goes back to the queue under the same reference.
  w.sb.injectFault({ kind: 'land_late', delayMs: 1500, path: '/v1_0/transfer', method: 'POST', times: 1 })
  await payouts.process('late', 'x')
  await payouts.reconcile('late', 'x')
  const [, [afterSend]] = await payouts.items('late')
  expect(afterSend.status).toBe('queued')
  const [vok, verified] = await payouts.verify('late')
  expect([vok, verified.held]).toEqual([true, 0])
  const [rok, refused] = await payouts.reject('late', ['x'], 'not our employee')
  expect([rok, refused.error]).toEqual([false, 'Conflict'])
  await new Promise((r) => setTimeout(r, 2000))
  const [ran, summary] = await payouts.run('late')
  expect([ran, summary.byStatus.successful]).toEqual([true, 1])
  const booked = (await w.sb.ledger()).filter((e) => e.party === '46733120021')
  expect(booked).toHaveLength(1)
  await payouts.close()
})
