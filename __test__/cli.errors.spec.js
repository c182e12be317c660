'use strict'
// The CLI's file, pipe and usage errors: one line on stderr, a non-zero exit, never a
// stack trace, and never the whole help after a usage error.
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { run } = require('./support/cli-payouts')

const CLI = path.join(__dirname, '..', 'bin', 'cli.js')
const STACK_LINE = /^\s+at /m

let dir
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilemoney-cli-errors-'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const ledger = () => `sqlite:${path.join(dir, 'ledger.db')}`

test.each([
  ['a file that does not exist', () => path.join(dir, 'nope.csv'), 'no such file or directory'],
  ['a directory', () => dir, 'is a directory, not a file'],
])('payouts run on %s: one line, exit 1', async (_, file, reason) => {
  const r = await run(['payouts', 'run', file(), '--batch', 'b', '--sandbox', '--ledger', ledger()])
  expect(r.code).toBe(1)
  expect(r.stderr).toBe(`error: cannot read ${file()}: ${reason}\n`)
  expect(r.stdout).toBe('')
})

test.each([
  [['payouts', 'run', '--batch', 'b'], "error: missing required argument 'file'"],
  [['payouts', 'run', 'x.csv'], "error: required option '--batch <id>' not specified"],
  [['launch'], "error: unknown command 'launch'"],
  [['payouts', 'run', 'x.csv', '--batch', 'b', '--paymob-env', 'moon'], 'Allowed choices are staging, production.'],
  [['sandbox', '--port', 'abc'], '--port must be a whole number'],
])('usage error %j: short, with a pointer to --help', async (args, first) => {
  const r = await run(args)
  expect(r.code).not.toBe(0)
  const lines = r.stderr.trimEnd().split('\n')
  expect(lines[0]).toContain(first)
  expect(lines).toEqual([lines[0], '(see --help)'])
  expect(r.stderr).not.toMatch(STACK_LINE)
})

test('payouts report into a pipe closed by its reader: no stack trace, the shell code of a broken pipe', async () => {
  const file = path.join(dir, 'small.csv')
  fs.writeFileSync(file, 'key,provider,amount,currency,party\nm1,momo,5,EUR,46733123499\nm2,momo,6,EUR,46733123499\n')
  const paid = await run(['payouts', 'run', file, '--batch', 'piped', '--sandbox', '--ledger', ledger(), '--json'])
  expect(paid.code).toBe(0)
  // `true` exits at once, long before node has started: every write of the report meets EPIPE.
  const reportCommand = [process.execPath, CLI, 'payouts', 'report', 'piped', '--csv', '--ledger', ledger()]
  const quoted = reportCommand.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ')
  const r = await new Promise((resolve) => {
    const child = spawn('bash', ['-c', `set -o pipefail; ${quoted} | true`])
    let stderr = ''
    child.stderr.on('data', (c) => (stderr += c))
    child.on('close', (code) => resolve({ code, stderr }))
  })
  expect(r.stderr).not.toMatch(STACK_LINE)
  expect(r.stderr).not.toMatch(/EPIPE|Error:/)
  expect(r.code).toBe(141)
})

test('a stopped run says so in its summary', () => {
  const { printSummary } = require('../bin/payouts-ledger.js')
  const written = []
  const write = process.stdout.write
  process.stdout.write = (chunk) => written.push(String(chunk))
  try {
    printSummary(
      { batchId: 'b', total: 3, byStatus: { successful: 1, queued: 2 }, startedAt: 't0', stopped: true },
      false,
    )
  } finally {
    process.stdout.write = write
  }
  expect(written.join('')).toMatch(/^ {2}stopped +yes: run the same command again to resume$/m)
})

test('a Paymob login refusal tells a CLI user to run the command again, not to call generateToken()', () => {
  const { fail } = require('../bin/common.js')
  const written = []
  const write = process.stderr.write
  process.stderr.write = (chunk) => written.push(String(chunk))
  try {
    fail('batch b stopped', {
      error: 'Unauthorized',
      status: 401,
      message:
        'Paymob refused the login earlier (401); automatic logins are paused so that the account is not locked: check clientId, clientSecret, username and password, then call generateToken()',
    })
  } finally {
    process.stderr.write = write
    process.exitCode = 0
  }
  expect(written.join('')).toBe(
    'error: batch b stopped: Paymob refused the login earlier (401); automatic logins are paused so that the account is not locked: check clientId, clientSecret, username and password, then run the command again (Unauthorized)\n',
  )
})

test('payouts run --help documents --paymob-env', async () => {
  const r = await run(['payouts', 'run', '--help'])
  expect(r.stdout).toMatch(/--paymob-env <env>/)
})
