'use strict'
// `mobilemoney-native payouts` at scale, run as a user would (a child process): a CSV of
// 100 000 rows streamed into submit and paid through the embedded sandbox, its report
// compared line by line with the ledger read a page at a time; bad rows of a file named
// by line and by the file's own columns, in one pass.
const fs = require('node:fs')
const path = require('node:path')
const { Payouts } = require('..')
const { run, payoutsWorld, parseReport, referencesOnce, problems } = require('./support/cli-payouts')
const { specWorld } = require('./support/helpers')

const ROWS = 100000

const world = specWorld(payoutsWorld, (world) => world.close())

const party = (i) => `4673${String(4000000 + i).padStart(7, '0')}`

test(`${ROWS} rows: streamed in, paid once each, the report is the ledger line by line`, async () => {
  const file = path.join(world.dir, 'big.csv')
  const lines = ['key,provider,amount,currency,party']
  for (let i = 0; i < ROWS; i++) lines.push(`row-${i},momo,${(i % 9) + 1},EUR,${party(i)}`)
  fs.writeFileSync(file, `${lines.join('\n')}\n`)
  const ledger = `sqlite:${path.join(world.dir, 'big.db')}`
  const flags = ['--ledger', ledger, '--concurrency', '64', '--lookups-per-second', '100000', '--progress', 'none']
  const r = await run(['payouts', 'run', file, '--batch', 'big', ...flags, ...world.urls], { env: world.env })
  expect(r.stderr).toContain(`batch big submitted: ${ROWS} items`)
  expect(r.code).toBe(0)

  // The report, read without the secret (an unrelated short one is set): every line is
  // the ledger's item, in order.
  const report = await run(['payouts', 'report', 'big', '--csv', '--ledger', ledger], {
    env: { PAYOUTS_SECRET: 'short' },
  })
  expect(report.code).toBe(0)
  const rows = parseReport(report.stdout)
  expect(rows).toHaveLength(ROWS)
  const [opened, reader] = await Payouts.open({ ledger })
  expect(opened).toBe(true)
  let n = 0
  for await (const item of reader.iterate('big')) {
    const row = rows[n++]
    expect([row.key, row.status, row.referenceId, row.amount, row.payee]).toEqual([
      item.key,
      'successful',
      item.referenceId,
      item.amount,
      item.party,
    ])
  }
  expect(n).toBe(ROWS)
  const [, summary] = await reader.summary('big')
  expect(summary.byStatus.successful).toBe(ROWS)
  expect(summary.amounts.EUR.paid).toBe(rows.reduce((sum, row) => sum + Number(row.amount), 0))
  await reader.close()
  // Each payout reached the sandbox once, under the reference the ledger shows.
  expect(referencesOnce(await world.sb.ledger())).toEqual([])
  const status = await run(['payouts', 'status', 'big', '--ledger', ledger, '--json'], {
    env: { PAYOUTS_SECRET: 'short' },
  })
  expect(status.code).toBe(0)
  expect(JSON.parse(status.stdout)).toMatchObject({ total: ROWS, byStatus: { successful: ROWS } })
}, 600000)

test('rows the payout rules refuse are named by line and CSV column in one pass; a repeated key too', async () => {
  const { r } = await world.refusedRun('rules', 'key,provider,amount,currency,party', [
    'r1,momo,10,EUR,46733123499',
    'r2,momo,10,EUR,12',
    'r3,momo,10,EUR,46733123499',
    'r1,momo,10,EUR,46733123499',
    'r5,momo,10,EUR,46733123499',
  ])
  expect(problems(r.stderr)).toEqual([
    [3, expect.stringMatching(/^party /)],
    [5, 'key "r1" appears twice in the batch'],
  ])
  expect(r.stderr).toContain('has 2 problem(s); nothing was sent')
  expect(r.stderr).not.toContain('payee.partyId')
})
