'use strict'
// `mobilemoney-native payouts run | status | report`, run as a user would (a child
// process), paying through the embedded sandbox started here, whose ledger tells what was
// really paid.
const fs = require('node:fs')
const path = require('node:path')
const { run, payoutsWorld, batchCsv, parseReport, referencesOnce, problems, SECRET } = require('./support/cli-payouts')
const { specWorld } = require('./support/helpers')

const world = specWorld(payoutsWorld, (world) => world.close())

const noSecrets = (r) => {
  const text = r.stdout + r.stderr
  for (const secret of [SECRET, world.apiKey, world.env.PAYMOB_PASSWORD, world.env.PAYMOB_CLIENT_SECRET]) {
    expect(text).not.toContain(secret)
  }
}

describe('help', () => {
  test('payouts --help lists run, status, report and resolve', async () => {
    const r = await run(['payouts', '--help'])
    expect(r.code).toBe(0)
    for (const command of ['run', 'status', 'report', 'resolve'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'))
  })

  test('payouts run --help documents the CSV columns, the options and the environment', async () => {
    const r = await run(['payouts', 'run', '--help'])
    expect(r.code).toBe(0)
    for (const text of [
      '<file>',
      '--batch',
      '--ledger',
      '--sandbox',
      '--concurrency',
      '--progress',
      'key',
      'provider',
      'amount',
      'currency',
      'party',
      'issuer',
      'msisdn',
      'bankCardNumber',
      '--paymob-inquiries-per-minute',
      'PAYOUTS_SECRET',
      'MOMO_API_KEY',
      'PAYMOB_PASSWORD',
      'line numbers',
    ]) {
      expect(r.stdout).toContain(text)
    }
  })
})

describe('a file with bad rows', () => {
  test('lists every problem with its line number and sends nothing', async () => {
    const { r, ledger } = await world.refusedRun('bad-1', 'key,provider,amount,currency,party,issuer,msisdn', [
      'a1,momo,100,EUR,46733123499,,',
      'a2,momo,-5,EUR,46733123499,,',
      '',
      'a3,mtn,10,EUR,46733123499,,',
      'a1,momo,10,EURO,,,',
      'a4,paymob,10,,,,01023456789',
      'a5,momo,10,EUR',
      'a6,momo,12.345,EUR,46733123499,,',
    ])
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('has 7 problem(s); nothing was sent')
    expect(problems(r.stderr)).toEqual([
      [3, expect.stringContaining('amount "-5"')],
      [5, expect.stringContaining('provider must be momo or paymob')],
      [6, expect.stringContaining('currency "EURO"')],
      [6, expect.stringContaining('party')],
      [7, 'issuer is empty'],
      [8, '4 fields where the header has 7'],
      [9, expect.stringContaining('amount "12.345"')],
    ])
    // Nothing reached the sandbox (refusedRun checks), and no ledger was written.
    expect(fs.existsSync(ledger.slice('sqlite:'.length))).toBe(false)
  })

  test('rows the payout rules refuse (bad wallet numbers, a missing bank field) are named by their lines; nothing is sent', async () => {
    const { r, ledger } = await world.refusedRun(
      'bad-2',
      'key,provider,amount,issuer,msisdn,fullName,bankCardNumber,bankCode',
      [
        'w1,paymob,10,vodafone,01023456789,,,',
        'w2,paymob,10,vodafone,12345,,,',
        'w3,paymob,10,etisalat,01123456789,,,',
        'w4,paymob,10,bank_card,,Mona Adel,1111222233334444,CIB',
        'w5,paymob,10,orange,999,,,',
      ],
    )
    expect(r.stderr).toMatch(
      /has 3 problem\(s\); nothing was sent:\n {2}line 3: msisdn .*\n {2}line 5: bankTransactionType .*\n {2}line 6: msisdn /,
    )
    // The batch was not created: status says so.
    const s = await run(['payouts', 'status', 'bad-2', '--ledger', ledger], { env: world.env })
    expect(s.code).toBe(1)
    expect(s.stderr).toMatch(/NotFound/)
  })

  test.each([
    ['an unknown column', 'key,provider,amount,iban\n', 'line 1: unknown column(s) iban'],
    ['a missing column', 'key,provider\nk,momo\n', 'line 1: the header lacks the column(s) amount'],
    ['an empty file', '', 'line 1: the file is empty'],
    ['an unclosed quote', 'key,provider,amount,currency,party\nk1,momo,5,EUR,"4673\n', 'line 2: Quote Not Closed'],
  ])('%s', async (_, text, message) => {
    const r = await run(['payouts', 'run', world.csv('x.csv', text), '--batch', 'bad-3', '--ledger', world.ledger], {
      env: world.env,
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(message)
  })

  test('MoMo rows without MoMo credentials: names the variables to set, sends nothing', async () => {
    const file = world.csv('momo.csv', 'key,provider,amount,currency,party\nm1,momo,5,EUR,46733123499\n')
    const env = { ...world.env, MOMO_API_KEY: '' }
    const r = await run(['payouts', 'run', file, '--batch', 'creds', '--ledger', world.ledger, ...world.urls], { env })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('the file has MoMo rows (the first on line 2): set MOMO_API_KEY')
  })

  test('without PAYOUTS_SECRET: asks for it', async () => {
    const file = world.csv('momo.csv', 'key,provider,amount,currency,party\nm1,momo,5,EUR,46733123499\n')
    const r = await run(['payouts', 'run', file, '--batch', 'nosecret', '--ledger', world.ledger, ...world.urls], {
      env: { ...world.env, PAYOUTS_SECRET: '' },
    })
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('set PAYOUTS_SECRET')
  })
})

describe('a 1 000-row file, then status and report', () => {
  const BATCH = 'payroll-1000'
  const { text, expected } = batchCsv(1000)
  let file
  let result
  let summary

  beforeAll(async () => {
    file = world.csv('payroll.csv', text)
    result = await world.runBatch(file, BATCH, ['--concurrency', '32', '--lookups-per-second', '1000'])
    const s = await run(['payouts', 'status', BATCH, '--ledger', world.ledger, '--json'], { env: world.env })
    summary = JSON.parse(s.stdout)
  }, 120000)

  test('runs to the end: exit 0, plain progress lines (not a terminal), then the summary', () => {
    expect(result.stderr).not.toMatch(/error/i)
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(`payouts: batch ${BATCH} submitted: 1000 items`)
    expect(result.stderr).toContain('payouts: starting: 1000 items, 0 already final')
    const tenths = [...result.stderr.matchAll(/^payouts: (\d+)\/1000 final \((\d+)%\)/gm)].map((m) => Number(m[2]))
    expect(tenths).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    noSecrets(result)
  })

  test('the summary printed matches the ledger and the expected outcome of each payee', () => {
    const want = Object.values(expected)
    const successful = want.filter((s) => s === 'successful').length
    expect(summary).toEqual(
      expect.objectContaining({
        batchId: BATCH,
        total: 1000,
        byStatus: expect.objectContaining({
          successful,
          failed: 1000 - successful,
          queued: 0,
          sending: 0,
          pending: 0,
          unknown: 0,
        }),
        finishedAt: expect.any(String),
      }),
    )
    expect(result.stdout).toMatch(
      new RegExp(
        `^batch ${BATCH}\\n\\s+items\\s+1000\\n\\s+successful\\s+${successful}\\n\\s+failed\\s+${1000 - successful}\\n`,
      ),
    )
    expect(result.stdout).toMatch(/^\s+EUR\s+requested [\d.]+, paid [\d.]+$/m)
    expect(result.stdout).toMatch(/^\s+EGP\s+requested 2[\d.]+, paid [\d.]+$/m)
    expect(result.stdout).toMatch(/^\s+finished\s+\d{4}-/m)
  })

  test('status prints the same summary for humans', async () => {
    const r = await run(['payouts', 'status', BATCH, '--ledger', world.ledger])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(result.stdout)
  })

  test('report --csv: one row per item with its status and reference, each paid once in the sandbox', async () => {
    const r = await run(['payouts', 'report', BATCH, '--ledger', world.ledger, '--csv'], { env: world.env })
    expect(r.code).toBe(0)
    const rows = parseReport(r.stdout)
    expect(rows).toHaveLength(1000)
    expect(Object.keys(rows[0])).toEqual([
      'key',
      'provider',
      'issuer',
      'payee',
      'amount',
      'currency',
      'status',
      'reason',
      'referenceId',
      'transactionId',
      'generation',
      'updatedAt',
      'awaitingOperator',
      'resolutionNote',
      'resolvedBy',
      'resolvedAt',
    ])
    for (const row of rows) expect(row.status).toBe(expected[row.key])
    expect(rows.find((row) => row.status === 'failed').reason).toContain('APPROVAL_REJECTED')
    // Every reference is in the sandbox's ledger exactly once, under the same status.
    const ledger = await world.sb.ledger()
    expect(referencesOnce(ledger)).toEqual([])
    const byRef = new Map(ledger.map((e) => [e.referenceId, e]))
    for (const row of rows) {
      expect(row.referenceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(byRef.get(row.referenceId)).toEqual(expect.objectContaining({ provider: row.provider }))
      expect(byRef.get(row.referenceId).status.toLowerCase()).toBe(row.status)
    }
    noSecrets(r)
  })

  test('report --status failed (JSON) lists only the failed items', async () => {
    const r = await run(['payouts', 'report', BATCH, '--ledger', world.ledger, '--status', 'failed'])
    expect(r.code).toBe(0)
    const items = JSON.parse(r.stdout)
    expect(items.length).toBe(Object.values(expected).filter((s) => s === 'failed').length)
    for (const item of items) expect(item).toEqual(expect.objectContaining({ status: 'failed', party: '46733123451' }))
  })

  test('running the same file again sends nothing: the batch is already finished', async () => {
    const before = (await world.sb.stats()).requests
    const r = await world.runBatch(file, BATCH)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('was submitted before with the same items: resuming it')
    expect(r.stdout).toBe(result.stdout)
    expect((await world.sb.stats()).requests).toBe(before)
  })

  test('the same batch id with other rows is refused (Conflict), nothing sent', async () => {
    const other = world.csv('other.csv', 'key,provider,amount,currency,party\nx1,momo,5,EUR,46733123499\n')
    const r = await world.runBatch(other, BATCH)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^error: could not submit batch payroll-1000: .*Conflict/m)
  })

  test('status of a ledger that does not exist: exit 1, and no file is created', async () => {
    const ledger = path.join(world.dir, 'nothing-here.db')
    const r = await run(['payouts', 'status', BATCH, '--ledger', `sqlite:${ledger}`])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain(`there is no ledger at ${ledger}`)
    expect(fs.existsSync(ledger)).toBe(false)
  })

  test('status and report of an unknown batch exit 1', async () => {
    for (const command of ['status', 'report']) {
      const r = await run(['payouts', command, 'no-such-batch', '--ledger', world.ledger])
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/no-such-batch.*NotFound/)
    }
  })
})

describe('progress modes', () => {
  const { text } = batchCsv(50)

  test('--progress bar draws the bar (cli-progress) even in a pipe, ending at 100%', async () => {
    const file = world.csv('bar.csv', text)
    const r = await world.runBatch(file, 'bar-50', ['--progress', 'bar', '--lookups-per-second', '1000'])
    expect(r.code).toBe(0)
    expect(r.stderr).toMatch(/^payouts [█░]{40} 0% \| 0\/50 final \| 0 successful, 0 failed/m)
    expect(r.stderr).toMatch(/^payouts █{40} 100% \| 50\/50 final \| \d+ successful, \d+ failed/m)
    expect(r.stderr).not.toMatch(/final \(\d+%\)/)
  })

  test('--progress none --json: only the JSON summary', async () => {
    const file = world.csv('none.csv', text)
    const r = await world.runBatch(file, 'none-50', ['--progress', 'none', '--json', '--lookups-per-second', '1000'])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('payouts: batch none-50 submitted: 50 items\n')
    expect(JSON.parse(r.stdout)).toEqual(
      expect.objectContaining({ batchId: 'none-50', total: 50, finishedAt: expect.any(String) }),
    )
  })
})

describe('on a terminal', () => {
  const { spawnSync, spawn } = require('node:child_process')
  // util-linux `script` gives the CLI a pseudo-terminal, as a user's shell would.
  const hasScript = spawnSync('script', ['--version']).status === 0
  const maybe = hasScript ? test : test.skip
  if (!hasScript) console.log('skipped the terminal test: `script` (util-linux) is not installed')

  maybe('the default (--progress auto) draws the bar, not plain lines', async () => {
    const { text } = batchCsv(50)
    const file = world.csv('tty.csv', text)
    const cli = path.join(__dirname, '..', 'bin', 'cli.js')
    const command = [
      process.execPath,
      cli,
      'payouts',
      'run',
      file,
      '--batch',
      'tty-50',
      '--ledger',
      world.ledger,
      '--lookups-per-second',
      '1000',
      ...world.urls,
    ].join(' ')
    const out = await new Promise((resolve) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        env: { ...process.env, ...world.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let text = ''
      child.stdout.on('data', (c) => (text += c))
      child.on('close', (code) => resolve({ code, text }))
    })
    expect(out.code).toBe(0)
    expect(out.text).toMatch(/payouts █{40} 100% \| 50\/50 final/)
    expect(out.text).not.toMatch(/final \(\d+%\)/)
    expect(out.text).toMatch(/batch tty-50\r?\n\s+items\s+50/)
  })
})
