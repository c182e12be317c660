'use strict'
// `payouts run` interrupted by Ctrl-C (SIGINT) mid-way, then run again: it resumes, and
// the sandbox's ledger shows every payout made once; and `--sandbox`, which needs no
// credentials.
const fs = require('node:fs')
const path = require('node:path')
const { run, payoutsWorld, batchCsv, parseReport, referencesOnce } = require('./support/cli-payouts')
const { eventually } = require('./support/helpers')

/** How many items of the rehearsal's SQLite ledger have been sent at least once. */
async function ledgerRows(ledgerUrl) {
  const { Payouts } = require('..')
  const [ok, p] = await Payouts.open({
    ledger: ledgerUrl,
    secret: 'mobilemoney-native-sandbox-only-secret',
    momo: { subscriptionKey: 'k', baseUrl: 'http://127.0.0.1:9' },
  })
  if (!ok) return 0
  try {
    const [found, items] = await p.items('rehearsal')
    return found ? items.filter((i) => i.sends > 0).length : 0
  } finally {
    await p.close()
  }
}

describe('Ctrl-C, then a second run', () => {
  const BATCH = 'interrupted-600'
  const { text, expected } = batchCsv(600, { paymobEvery: 1e9 })
  let world
  let first
  let second
  let paidBeforeInterrupt
  let file

  beforeAll(async () => {
    // Each answer 10 ms late, like a network: the sends last long enough to be interrupted.
    world = await payoutsWorld({ latencyMs: 10 })
    file = world.csv('payroll.csv', text)
    const flags = ['--concurrency', '4', '--lookups-per-second', '1000']
    first = await world.runBatch(file, BATCH, flags, {
      // Interrupted while the payouts are being sent: a quarter of them reached the sandbox.
      onStart: async (child) => {
        await eventually(async () => (await world.sb.ledger()).length >= 150, 60000, 10)
        paidBeforeInterrupt = (await world.sb.ledger()).length
        child.kill('SIGINT')
      },
    })
    second = await world.runBatch(file, BATCH, flags)
  }, 120000)
  afterAll(async () => {
    if (world) await world.close()
  })

  test('the first run stops on SIGINT: exit 130, says how to resume, prints the summary so far', () => {
    expect(first.signal).toBeNull()
    expect(first.code).toBe(130)
    expect(first.stderr).toContain('payouts: interrupted; stopping.')
    expect(first.stderr).toContain('run the same command again to resume')
    // Interrupted mid-way: some items not sent yet.
    expect(paidBeforeInterrupt).toBeLessThan(600)
    expect(Number(/^\s+queued\s+(\d+)$/m.exec(first.stdout)[1])).toBeGreaterThan(0)
    expect(first.stdout).toMatch(/^batch interrupted-600\n\s+items\s+600\n/)
    expect(first.stdout).not.toMatch(/finished/)
    // Stopped gracefully: the sends in flight were recorded, none is left `sending`
    // (so the next run has nothing to wait for).
    expect(first.stdout).not.toMatch(/^\s+sending\s/m)
  })

  test('the second run resumes the batch and finishes it', () => {
    expect(second.code).toBe(0)
    expect(second.stderr).toContain(`batch ${BATCH} was submitted before with the same items: resuming it`)
    expect(second.stderr).toMatch(/payouts: starting: 600 items, \d+ already final/)
    const successful = Object.values(expected).filter((s) => s === 'successful').length
    expect(second.stdout).toMatch(new RegExp(`^\\s+successful\\s+${successful}$`, 'm'))
    expect(second.stdout).toMatch(new RegExp(`^\\s+failed\\s+${600 - successful}$`, 'm'))
    expect(second.stdout).toMatch(/^\s+finished\s+\d{4}-/m)
  })

  test('0 paid twice, 0 lost: one sandbox payout per item, under its one reference', async () => {
    const r = await run(['payouts', 'report', BATCH, '--ledger', world.ledger, '--csv'])
    const rows = parseReport(r.stdout)
    expect(rows).toHaveLength(600)
    const ledger = await world.sb.ledger()
    expect(referencesOnce(ledger)).toEqual([])
    expect(ledger).toHaveLength(600)
    const byRef = new Map(ledger.map((e) => [e.referenceId, e]))
    for (const row of rows) {
      expect(row.status).toBe(expected[row.key])
      // The reference never changed: Ctrl-C makes no new generation.
      expect(row.generation).toBe('0')
      expect(byRef.get(row.referenceId)).toEqual(expect.objectContaining({ externalId: row.key }))
    }
  })
})

describe('--sandbox', () => {
  test('pays a file of both providers on a fresh embedded sandbox, no credentials needed', async () => {
    const world = await payoutsWorld()
    try {
      const file = world.csv(
        'both.csv',
        [
          'key,provider,amount,currency,party,issuer,msisdn,fullName,bankCardNumber,bankCode,bankTransactionType',
          'm1,momo,100,EUR,46733123499,,,,,,',
          'm2,momo,25.50,EUR,46733123451,,,,,,',
          'p1,paymob,50,,,vodafone,01023456789,,,,',
          'p2,paymob,75,EGP,,etisalat,01123456789,,,,',
        ].join('\n'),
      )
      const ledger = `sqlite:${path.join(world.dir, 'sandbox.db')}`
      // No credentials at all in the environment; PAYOUTS_SECRET neither.
      const r = await run(['payouts', 'run', file, '--batch', 'try-it', '--sandbox', '--ledger', ledger, '--json'])
      expect(r.stderr).toMatch(/a fresh embedded sandbox on http:\/\/127\.0\.0\.1:\d+/)
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual(
        expect.objectContaining({
          batchId: 'try-it',
          total: 4,
          byStatus: expect.objectContaining({ successful: 3, failed: 1 }),
          amounts: { EUR: { requested: 125.5, paid: 100 }, EGP: { requested: 125, paid: 125 } },
        }),
      )
      // This sandbox was not the one started here: it received nothing.
      expect(await world.sb.ledger()).toEqual([])
    } finally {
      await world.close()
    }
  }, 60000)

  test('a rehearsal stopped with Ctrl-C resumes on the same sandbox and pays each row once', async () => {
    const world = await payoutsWorld()
    try {
      const rows = Array.from({ length: 400 }, (_, i) => `r${i},momo,10,EUR,4673310${1000 + i}`)
      const file = world.csv('rehearsal.csv', `key,provider,amount,currency,party\n${rows.join('\n')}\n`)
      const ledger = `sqlite:${path.join(world.dir, 'rehearsal.db')}`
      const args = [
        'payouts',
        'run',
        file,
        '--batch',
        'rehearsal',
        '--sandbox',
        '--ledger',
        ledger,
        '--concurrency',
        '2',
        '--sandbox-latency-ms',
        '50',
        '--lookups-per-second',
        '1000',
      ]
      const stateFile = path.join(world.dir, 'rehearsal.sandbox-state.json')
      const first = await run(args, {
        onStart: async (child) => {
          // Stopped once the first payouts are in the sandbox's book (it keeps it on disk).
          await eventually(
            async () => {
              try {
                return JSON.parse(fs.readFileSync(stateFile, 'utf8')) !== null && (await ledgerRows(ledger)) >= 20
              } catch {
                return false
              }
            },
            60000,
            100,
          )
          child.kill('SIGINT')
        },
      })
      expect(first.code).toBe(130)
      expect(first.stderr).toMatch(/a fresh embedded sandbox on http:\/\/127\.0\.0\.1:\d+/)
      const second = await run([...args, '--json'])
      expect(second.stderr).toMatch(/the rehearsal's embedded sandbox on http:\/\/127\.0\.0\.1:\d+/)
      expect(second.code).toBe(0)
      const summary = JSON.parse(second.stdout)
      expect(summary.byStatus.successful).toBe(400)
      // The sandbox's book, as the resumed rehearsal left it on disk: one payout per row.
      const { Sandbox } = require('..')
      const sb = await Sandbox.start({ port: 0, stateFile })
      try {
        const book = await sb.ledger()
        expect(book).toHaveLength(400)
        expect(new Set(book.map((e) => e.referenceId)).size).toBe(400)
      } finally {
        await sb.close()
      }
    } finally {
      await world.close()
    }
  }, 120000)
})

describe('out of balance', () => {
  test('the run pauses (exit 2, says to top up); after a top-up running the same command again finishes it', async () => {
    // 100 EUR pays three of ten 30 EUR payouts. Each stays PENDING 1.5 s and five are sent
    // a second, so the last ones sent before the pause are still pending (then FAILED for
    // want of funds) when the resumed run first looks them up.
    const world = await payoutsWorld({ momo: { balance: 100 }, settleAfterMs: 1500 })
    try {
      const rows = Array.from({ length: 10 }, (_, i) => `m${i},momo,30,EUR,4673300${1000 + i}`)
      const file = world.csv('short.csv', `key,provider,amount,currency,party\n${rows.join('\n')}\n`)
      const flags = ['--concurrency', '1', '--rate-per-second', '5', '--lookups-per-second', '1000']
      const paused = await world.runBatch(file, 'short', flags)
      expect(paused.code).toBe(2)
      expect(paused.stdout).toMatch(/^\s+paused\s+insufficient_funds$/m)
      expect(paused.stderr).toContain(
        'the batch is paused (insufficient_funds): the account ran out of balance or budget; top it up, then run the same command again to continue.',
      )
      expect(paused.stdout).not.toMatch(/finished/)

      world.sb.setMomoBalance(1000)
      // One run after the top-up: payouts sent before it and found failed for want of funds
      // get a new reference and are paid, without pausing the batch again.
      const resumed = await world.runBatch(file, 'short', flags)
      expect(resumed.stdout).not.toMatch(/paused/)
      expect(resumed.code).toBe(0)
      expect(resumed.stdout).toMatch(/^\s+successful\s+10$/m)
      expect(resumed.stdout).toMatch(/^\s+EUR\s+requested 300, paid 300$/m)
      const ledger = await world.sb.ledger()
      expect(referencesOnce(ledger.filter((e) => e.status === 'SUCCESSFUL'))).toEqual([])
      expect(ledger.filter((e) => e.status === 'SUCCESSFUL')).toHaveLength(10)
    } finally {
      await world.close()
    }
  }, 60000)
})
