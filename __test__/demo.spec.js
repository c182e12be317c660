'use strict'
// `npm run demo` (node scripts/demo.js) runs end to end offline, exits 0, and its summary
// table shows the outcome each sandbox test number is documented to have.
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
const listing = () => [...fs.readdirSync(ROOT), ...fs.readdirSync(path.join(ROOT, 'scripts'))].sort()
let before
let run
let rows // summary rows by party: { reference, provider, party, amount, status, reason, callback }

beforeAll(async () => {
  before = listing()
  run = await new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'demo.js')], {
      cwd: ROOT,
      // No MOMO_* settings of the developer's: the demo needs none.
      env: Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MOMO_'))),
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), 45000)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

  // The table: a header line starting with "reference", a dashed line, then rows whose
  // columns are separated by two or more spaces.
  const lines = run.stdout.split('\n')
  const start = lines.findIndex((l) => /^reference\s+provider\s+party/.test(l))
  rows = {}
  if (start >= 0) {
    const names = lines[start].trim().split(/\s{2,}/)
    for (const line of lines.slice(start + 2)) {
      if (!line.trim()) break
      const cells = line.trim().split(/\s{2,}/)
      const row = Object.fromEntries(names.map((n, i) => [n, cells[i]]))
      rows[row.party] = row
    }
  }
}, 60000)

test('exits 0 on its own, closing everything, with nothing on stderr', () => {
  expect(run.signal).toBeNull()
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
})

test('never prints a token or credential header', () => {
  expect(run.stdout).toMatch(/token obtained/)
  expect(run.stdout).not.toMatch(/Bearer\s+\S|Basic\s+\S|access_token"|eyJ/)
})

test(`MoMo: each test number ends as documented, confirmed by lookup, with its callback`, () => {
  const expected = {
    46733123499: ['SUCCESSFUL', '-'],
    56733123453: ['SUCCESSFUL', '-'],
    46733123451: ['FAILED', 'APPROVAL_REJECTED'],
    46733123455: ['FAILED', 'NOT_ENOUGH_FUNDS'],
    46733123457: ['FAILED', 'PAYEE_NOT_FOUND'],
  }
  for (const [party, [status, reason]] of Object.entries(expected)) {
    expect(rows[party]).toEqual(
      expect.objectContaining({
        provider: 'MoMo',
        'final status': status,
        reason,
        callback: expect.stringMatching(/^yes \((PUT|POST)\)$/),
      }),
    )
    expect(rows[party].reference).toMatch(/^[0-9a-f]{8}$/)
  }
})

test(`MoMo: a payout refused at once (HTTP 500 INVALID_CURRENCY) has no callback`, () => {
  expect(rows['46733123461']).toEqual(
    expect.objectContaining({ provider: 'MoMo', 'final status': 'REFUSED', reason: 'INVALID_CURRENCY', callback: '-' }),
  )
  expect(run.stdout).toMatch(/5 of 5 callbacks received/)
})

test(`Paymob: a wallet success, a wallet failure (618) and a pending bank card`, () => {
  expect(rows['01023456789']).toEqual(
    expect.objectContaining({ provider: 'Paymob', 'final status': 'successful', reason: '-' }),
  )
  expect(rows['01000000618']).toEqual(
    expect.objectContaining({ provider: 'Paymob', 'final status': 'failed', reason: '618' }),
  )
  expect(rows['card *4444']).toEqual(
    expect.objectContaining({ provider: 'Paymob', 'final status': 'pending', reason: '8000' }),
  )
  for (const party of ['01023456789', '01000000618', 'card *4444']) {
    expect(rows[party]).toEqual(expect.objectContaining({ amount: expect.stringMatching(/ EGP$/), callback: 'n/a' }))
    expect(rows[party].reference).toMatch(/^[0-9a-f]{8}$/)
  }
  // The full card number is never printed.
  expect(run.stdout).not.toContain('1111222233334444')
})

test(`prints the sandbox ledger count: one entry per accepted payout`, () => {
  // 5 MoMo transfers accepted (the refused one is not recorded) and 3 Paymob payouts,
  // the failed one included (Paymob answered it).
  expect(run.stdout).toContain('Sandbox ledger: 8 payouts recorded (MoMo 5, Paymob 3)')
})

test(`bulk payouts: a batch of both providers through Payouts, summarised from its ledger`, () => {
  expect(run.stdout).toContain('batch demo-payroll-2026-11 submitted: 6 items')
  expect(run.stdout).toMatch(/^ {2}emp-003 +momo +46733123451 +80 EUR +failed +APPROVAL_REJECTED +[0-9a-f]{8}$/m)
  expect(run.stdout).toMatch(/^ {2}gig-103 +paymob +01000000618 +120 EGP +failed +618 +[0-9a-f]{8}$/m)
  expect(run.stdout).toContain(
    'batch demo-payroll-2026-11: 6 items, 3 successful, 2 failed, 1 held; EGP 750 paid of 870; EUR 1200 paid of 2230.5',
  )
})

test(`bulk payouts: verify holds the mismatched name before paying the rest`, () => {
  expect(run.stdout).toContain('verified 5, held 1 (nothing sent yet; sandbox payouts: 0)')
  expect(run.stdout).toMatch(
    /held emp-002: name_mismatch, registered as K\*{4} O\*{4} \(rule surname_differs, score 0\.\d+\)/,
  )
  expect(run.stdout).toMatch(/^ {2}emp-002 +momo +46733123410 +950\.50 EUR +held +name_mismatch +-$/m)
  // The registered name itself is never printed.
  expect(run.stdout).not.toContain('Owusu')
})

test(`bulk payouts: running the batch again pays nobody twice`, () => {
  const m = /submit again: already there, same items; sandbox payouts before (\d+), after (\d+)/.exec(run.stdout)
  expect(m).not.toBeNull()
  expect(m[2]).toBe(m[1])
})

test(`leaves no file behind in the clone (the ledger was in a temporary directory)`, () => {
  expect(listing()).toEqual(before)
})
