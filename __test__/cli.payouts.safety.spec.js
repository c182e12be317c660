'use strict'
// The money-safety guarantees of docs/bulk-payouts.md through the CLI: a sandbox run keeps
// a ledger of its own, a password never reaches the screen, and an item waiting on an
// operator is said so and settled with `payouts resolve`.
const fs = require('node:fs')
const path = require('node:path')
const { Payouts } = require('..')
const cli = require('./support/cli-payouts')
const { KEY } = require('./support/helpers')
const { services, scope } = require('./support/payouts-queue')

jest.setTimeout(60000)

const TRANSFER = '/disbursement/v1_0/transfer'
const transferPosts = async (sb) => (await sb.requests()).filter((r) => r.method === 'POST' && r.path === TRANSFER)
let cw = null
afterEach(async () => {
  if (cw) await cw.close()
  cw = null
})
const PAYROLL = 'key,provider,amount,currency,party\ne1,momo,100,EUR,46733120001\ne2,momo,50,EUR,46733120002\n'

test('run --sandbox keeps a ledger of its own: the real run after it pays the batch for real', async () => {
  cw = await cli.payoutsWorld()
  const file = cw.csv('payroll.csv', PAYROLL)
  const real = path.join(cw.dir, 'real.db')
  // Even with PAYOUTS_LEDGER set, the rehearsal writes payouts-sandbox.db in the working directory.
  const rehearsal = await cli.run(['payouts', 'run', file, '--batch', 'payroll', '--sandbox', '--json'], {
    cwd: cw.dir,
    env: { PAYOUTS_LEDGER: `sqlite:${real}` },
  })
  expect(rehearsal.code).toBe(0)
  expect(JSON.parse(rehearsal.stdout).byStatus.successful).toBe(2)
  expect(fs.existsSync(path.join(cw.dir, 'payouts-sandbox.db'))).toBe(true)
  expect(fs.existsSync(path.join(cw.dir, 'payouts.db'))).toBe(false)
  expect(fs.existsSync(real)).toBe(false)
  const none = await cli.run(['payouts', 'status', 'payroll'], { cwd: cw.dir })
  expect([none.code, none.stderr]).toEqual([1, expect.stringContaining('there is no ledger at ./payouts.db')])

  // The real run at the default path finds no such batch: it submits it and pays it.
  const paid = await cli.run(
    [
      'payouts',
      'run',
      file,
      '--batch',
      'payroll',
      '--ledger',
      'sqlite:./payouts.db',
      '--lookups-per-second',
      '1000',
      ...cw.urls,
    ],
    { cwd: cw.dir, env: cw.env },
  )
  expect(paid.code).toBe(0)
  expect(paid.stderr).toContain('payouts: batch payroll submitted: 2 items')
  const book = await cw.sb.ledger()
  expect(book.map((e) => [e.party, e.amount, e.status]).sort()).toEqual([
    ['46733120001', 100, 'SUCCESSFUL'],
    ['46733120002', 50, 'SUCCESSFUL'],
  ])
  // Each ledger reads as its own: the real one's references are those the sandbox paid,
  // the rehearsal's (read with --sandbox) none of them.
  const report = async (...extra) =>
    JSON.parse((await cli.run(['payouts', 'report', 'payroll', ...extra], { cwd: cw.dir })).stdout)
  const paidRefs = book.map((e) => e.referenceId).sort()
  expect((await report()).map((r) => r.referenceId).sort()).toEqual(paidRefs)
  const rehearsed = await report('--sandbox')
  expect(rehearsed.map((r) => r.status)).toEqual(['successful', 'successful'])
  for (const r of rehearsed) expect(paidRefs).not.toContain(r.referenceId)
}, 60000)

test('a password in --ledger is refused in one line, never echoed; PGPASSWORD and PAYOUTS_LEDGER carry it instead', async () => {
  cw = await cli.payoutsWorld()
  const file = cw.csv('payroll.csv', PAYROLL)
  const before = (await cw.sb.stats()).requests
  for (const url of [
    'postgres://ops:hunter2-Secret@127.0.0.1:5432/test',
    'postgresql://ops@127.0.0.1/test?sslmode=disable&password=hunter2-Secret',
  ]) {
    for (const args of [
      ['run', file, '--batch', 'b', ...cw.urls],
      ['status', 'b'],
      ['report', 'b', '--csv'],
      ['resolve', 'b', 'e1', '--status', 'failed', '--note', 'n'],
    ]) {
      const r = await cli.run(['payouts', ...args, '--ledger', url], { env: cw.env, cwd: cw.dir })
      expect([args[0], r.code, r.stdout]).toEqual([args[0], 1, ''])
      expect(r.stderr).toMatch(
        /^error: --ledger must not carry a password [^\n]*PGPASSWORD[^\n]*PAYOUTS_LEDGER[^\n]*\n$/,
      )
      expect(r.stderr).not.toContain('hunter2')
    }
  }
  expect((await cw.sb.stats()).requests).toBe(before)
  expect(fs.readdirSync(cw.dir)).toEqual(['payroll.csv'])

  if (!(await services('CLI ledger password from the environment', { redis: false }))) return
  const s = await scope()
  try {
    // The server's own password if DATABASE_URL has one (else trust: any password will do).
    const url = new URL(s.ledger)
    const password = decodeURIComponent(url.password) || 'hunter2-Secret'
    url.password = encodeURIComponent(password)
    const withPassword = url.toString()
    url.password = ''
    const withoutPassword = url.toString()
    const fromEnv = await cli.run(['payouts', 'status', 'nothing-here'], { env: { PAYOUTS_LEDGER: withPassword } })
    expect([fromEnv.code, fromEnv.stderr]).toEqual([
      1,
      expect.stringMatching(/^error: no summary for batch nothing-here: .*NotFound/),
    ])
    const fromPg = await cli.run(['payouts', 'status', 'nothing-here', '--ledger', withoutPassword], {
      env: { PGPASSWORD: password },
    })
    expect([fromPg.code, fromPg.stderr]).toEqual([
      1,
      expect.stringMatching(/^error: no summary for batch nothing-here: .*NotFound/),
    ])
    for (const r of [fromEnv, fromPg]) expect(r.stdout + r.stderr).not.toContain(password)
  } finally {
    await s.cleanup()
  }
}, 60000)

test('payouts resolve: run says who waits on an operator and how to settle it; status and report show the resolution', async () => {
  cw = await cli.payoutsWorld()
  const rows = [{ key: 'lost', provider: 'momo', amount: '5', currency: 'EUR', party: '46733120001' }]
  const file = cw.csv('ops.csv', 'key,provider,amount,currency,party\nlost,momo,5,EUR,46733120001\n')
  // The same ledger, secret and account as the CLI's: five sends the sandbox never records.
  const [ok, payouts] = await Payouts.open({
    ledger: cw.ledger,
    secret: cli.SECRET,
    momo: {
      subscriptionKey: KEY,
      apiUser: cw.apiUser,
      apiKey: cw.apiKey,
      baseUrl: cw.sb.url,
      maxRetries: 0,
      lookupsPerSecond: 1000,
    },
  })
  if (!ok) throw new Error(JSON.stringify(payouts))
  await payouts.submit('ops', rows)
  cw.sb.injectFault({ provider: 'momo', method: 'POST', path: TRANSFER, kind: 'reset_before', times: 5 })
  const [, first] = await payouts.run('ops')
  expect(first.awaitingOperator).toBe(1)
  await payouts.close()

  const args = ['--ledger', cw.ledger]
  const resumed = await cli.run(
    ['payouts', 'run', file, '--batch', 'ops', ...args, '--lookups-per-second', '1000', ...cw.urls],
    { env: cw.env },
  )
  expect(resumed.code).toBe(2)
  expect(resumed.stdout).toMatch(/^\s+awaiting operator\s+1 \(lost\)$/m)
  expect(resumed.stderr).toContain('payouts: 1 item(s) wait on an operator (lost); nothing more is sent for them.')
  expect(resumed.stderr).toContain(`(payouts report ops --status unknown --ledger ${cw.ledger})`)
  expect(resumed.stderr).toContain(
    `mobilemoney-native payouts resolve ops lost --status successful|failed --note "…" --ledger ${cw.ledger}`,
  )
  expect(resumed.stderr).not.toMatch(/not final yet/)
  const report = cli.parseReport((await cli.run(['payouts', 'report', 'ops', '--csv', ...args])).stdout)
  expect(report).toEqual([
    expect.objectContaining({ key: 'lost', status: 'unknown', awaitingOperator: 'yes', resolutionNote: '' }),
  ])

  const resolved = await cli.run(
    [
      'payouts',
      'resolve',
      'ops',
      'lost',
      '--status',
      'failed',
      '--note',
      'not in the MoMo portal',
      '--actor',
      'amina',
      ...args,
    ],
    { env: cw.env },
  )
  expect(resolved.code).toBe(0)
  expect(resolved.stdout).toMatch(
    /^batch ops item lost: failed \(resolved by amina at \d{4}-\d\d-\d\dT[\d:.]+Z: "not in the MoMo portal"\)\n$/,
  )
  const twice = await cli.run([
    'payouts',
    'resolve',
    'ops',
    'lost',
    '--status',
    'successful',
    '--note',
    'again',
    ...args,
  ])
  expect(twice.code).toBe(1)
  expect(twice.stderr).toMatch(/^error: could not resolve item lost of batch ops: .*\(Conflict\)\n$/)
  const missingNote = await cli.run(['payouts', 'resolve', 'ops', 'lost', '--status', 'failed', ...args])
  expect(missingNote.code).toBe(1)
  expect(missingNote.stderr).toContain("required option '--note <text>' not specified")

  const status = await cli.run(['payouts', 'status', 'ops', ...args])
  expect(status.stdout).toMatch(/^\s+failed\s+1$/m)
  expect(status.stdout).toMatch(/^\s+resolved by operator\s+1$/m)
  expect(status.stdout).not.toMatch(/awaiting operator/)
  expect(status.stdout).toMatch(/^\s+finished\s+\d{4}-/m)
  const [after] = cli.parseReport((await cli.run(['payouts', 'report', 'ops', '--csv', ...args])).stdout)
  expect(after).toMatchObject({
    status: 'failed',
    awaitingOperator: '',
    resolutionNote: 'not in the MoMo portal',
    resolvedBy: 'amina',
    resolvedAt: expect.stringMatching(/^\d{4}-/),
  })
  const [json] = JSON.parse((await cli.run(['payouts', 'report', 'ops', ...args])).stdout)
  expect(json.resolution).toEqual({
    status: 'failed',
    note: 'not in the MoMo portal',
    actor: 'amina',
    at: after.resolvedAt,
  })
  // Nothing was paid for it, and the CLI sent nothing more once it waited on an operator.
  expect(await cw.sb.ledger()).toEqual([])
  expect((await transferPosts(cw.sb)).length).toBe(5)
}, 60000)
