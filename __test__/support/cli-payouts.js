'use strict'
// Shared by the `mobilemoney-native payouts` specs: the CLI run in a child process as a
// user would, against a sandbox started here (so its ledger can be read across runs), with
// the credentials in the environment and the payouts ledger in a temporary directory.
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { parse } = require('csv-parse/sync')
const { KEY, momoWorld } = require('./helpers')
const { CREDENTIALS } = require('./paymob')

const CLI = path.join(__dirname, '..', '..', 'bin', 'cli.js')
const SECRET = 'cli-spec-payouts-secret-0123456789'

// The children's environment: none of the developer's provider or payouts settings.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MOMO_|PAYMOB_|PAYOUTS_)/.test(k)))

/**
 * Run the CLI. `onStart(child)` is called once it is spawned (to send it a signal at the
 * right moment). Resolves `{ code, signal, stdout, stderr }`.
 */
function run(args, { env = {}, cwd, onStart } = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cleanEnv, ...env }, cwd })
    if (onStart) onStart(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

/** A sandbox with a provisioned MoMo user, a temp dir, and the environment for the CLI. */
async function payoutsWorld(sandboxOptions = {}) {
  const world = await momoWorld({ logRequests: false, ...sandboxOptions })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilemoney-cli-payouts-'))
  const env = {
    PAYOUTS_SECRET: SECRET,
    MOMO_SUBSCRIPTION_KEY: KEY,
    MOMO_API_USER: world.apiUser,
    MOMO_API_KEY: world.apiKey,
    PAYMOB_CLIENT_ID: CREDENTIALS.clientId,
    PAYMOB_CLIENT_SECRET: CREDENTIALS.clientSecret,
    PAYMOB_USERNAME: CREDENTIALS.username,
    PAYMOB_PASSWORD: CREDENTIALS.password,
  }
  const ledger = `sqlite:${path.join(dir, 'payouts.db')}`
  return {
    ...world,
    dir,
    env,
    ledger,
    /** The provider flags pointing at this sandbox. */
    urls: ['--momo-base-url', world.sb.url, '--paymob-base-url', `${world.sb.url}/api/secure/`],
    /**
     * `payouts run FILE --batch BATCH --ledger LEDGER FLAGS…` against this sandbox, with
     * this world's environment; the ledger is the world's unless `options.ledger` names one.
     */
    runBatch(file, batch, flags = [], { ledger: which = ledger, ...options } = {}) {
      const args = ['payouts', 'run', file, '--batch', batch, '--ledger', which, ...flags, ...this.urls]
      return run(args, { env, ...options })
    },
    /**
     * A batch the CLI must refuse whole: `header` and `rows` written to NAME.csv, run as batch NAME
     * with a ledger of its own (NAME.db), which must exit 1 having sent nothing.
     * Resolves the run and that ledger.
     */
    async refusedRun(name, header, rows) {
      const file = this.csv(`${name}.csv`, [header, ...rows].join('\n'))
      const own = `sqlite:${path.join(dir, `${name}.db`)}`
      const before = (await world.sb.stats()).requests
      const r = await this.runBatch(file, name, [], { ledger: own })
      expect(r.code).toBe(1)
      expect((await world.sb.stats()).requests).toBe(before)
      return { r, ledger: own }
    },
    /** Writes a CSV file in the temp dir; returns its path. */
    csv(name, text) {
      const file = path.join(dir, name)
      fs.writeFileSync(file, text)
      return file
    },
    async close() {
      await world.sb.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** The `line N: problem` lines of a refused file's message, as `[N, problem]`. */
const problems = (stderr) => [...stderr.matchAll(/^ {2}line (\d+): (.*)$/gm)].map((m) => [Number(m[1]), m[2]])

/** A CSV of `count` rows: MoMo payees (every tenth a documented failure), some Paymob wallets. */
function batchCsv(count, { paymobEvery = 5 } = {}) {
  const lines = ['key,provider,amount,currency,party,note,issuer,msisdn']
  const expected = {} // key -> final status
  for (let i = 1; i <= count; i++) {
    const key = `emp-${String(i).padStart(5, '0')}`
    if (i % paymobEvery === 0) {
      lines.push(`${key},paymob,${10 + (i % 7)},EGP,,,vodafone,01023456789`)
      expected[key] = 'successful'
    } else {
      // 467331234 51 ends FAILED APPROVAL_REJECTED; any other number is paid.
      const fails = i % 10 === 1
      const party = fails ? '46733123451' : `4673${String(2000000 + i).padStart(7, '0')}`
      lines.push(`${key},momo,${(i % 50) + 1}.50,EUR,${party},"pay, week ${i % 4}",,`)
      expected[key] = fails ? 'failed' : 'successful'
    }
  }
  return { text: `${lines.join('\n')}\n`, expected }
}

/** `payouts report --csv` output as row objects. */
const parseReport = (text) => parse(text, { columns: true })

/** Every reference in the sandbox's ledger appears once: no payout was made twice. */
function referencesOnce(ledger) {
  const counts = new Map()
  for (const e of ledger) counts.set(e.referenceId, (counts.get(e.referenceId) || 0) + 1)
  return [...counts].filter(([, n]) => n > 1)
}

module.exports = { run, payoutsWorld, batchCsv, parseReport, referencesOnce, problems, SECRET }
