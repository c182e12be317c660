'use strict'
// npm run bench:verify [-- --items 10000 --lookups-per-second 5000 --concurrency 64 --sample 40]
//
// `payouts.verify` against the embedded sandbox (in a process of its own): `items` MoMo
// items that name their payee (two lookups each: `active`, then `basicuserinfo`) at a
// raised lookup rate (target: at least 1 000 items/s), then `sample` items at MTN's
// default 10 lookups a second, to show that verification keeps to the account's pacing:
// at that rate 10 000 items take 2 x 10 000 / 10 = 2 000 s.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Payouts } = require(path.join(__dirname, '..', '..'))
const { parseFlags } = require('../common')
const { account, party } = require('./client.js')
const { startSandbox } = require('./sandbox.js')

const flags = (argv) => parseFlags(argv, { items: 10000, lookupsPerSecond: 5000, concurrency: 64, sample: 40 })

/**
 * Registers the payees' names at the sandbox (before the clock starts): nine in ten as the
 * payroll has them, one in ten under another family name (held), as a real batch might.
 */
async function register(url, n) {
  for (let first = 0; first < n; first += 200) {
    const posts = []
    for (let i = first; i < Math.min(n, first + 200); i++) {
      const body = JSON.stringify({ givenName: 'Employee', familyName: i % 10 === 0 ? 'Stranger' : `Number${i}` })
      posts.push(fetch(`${url}/_sandbox/momo/accountholders/${party(i)}`, { method: 'POST', body }))
    }
    for (const r of await Promise.all(posts)) if (!r.ok) throw new Error(`setAccountHolder: HTTP ${r.status}`)
  }
}

/** Submits `n` named items and verifies them; resolves `{ seconds, result }`. */
async function verifyBatch(momo, dir, name, n, lookupsPerSecond, concurrency) {
  const [opened, payouts] = await Payouts.open({
    ledger: `sqlite:${path.join(dir, `${name}.db`)}`,
    secret: 'benchmark-secret-of-some-length',
    momo: { ...momo, lookupsPerSecond },
  })
  if (!opened) throw new Error(`Payouts.open: ${payouts.message}`)
  const items = Array.from({ length: n }, (_, i) => ({
    key: `employee-${i}`,
    provider: 'momo',
    amount: '1',
    currency: 'EUR',
    party: party(i),
    name: `Employee Number${i}`,
  }))
  const [submitted, s] = await payouts.submit(name, items)
  if (!submitted) throw new Error(`submit: ${s.message}`)
  const t0 = process.hrtime.bigint()
  const [ok, result] = await payouts.verify(name, { concurrency })
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  if (!ok) throw new Error(`verify: ${result.message}`)
  await payouts.close()
  return { seconds, result }
}

async function main() {
  const f = flags(process.argv.slice(2))
  const { child, url } = await startSandbox(0)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-verify-'))
  try {
    const momo = await account(url)
    await register(url, Math.max(f.items, f.sample))
    const raised = await verifyBatch(momo, dir, 'raised', f.items, f.lookupsPerSecond, f.concurrency)
    const rate = f.items / raised.seconds
    console.log(
      `${f.items} items at ${f.lookupsPerSecond} lookups/s: ${raised.seconds.toFixed(2)} s, ` +
        `${Math.round(rate)} items/s (target >= 1000); held ${raised.result.held}, unverified ${raised.result.unverified.length}`,
    )
    if (f.sample > 0) {
      const slow = await verifyBatch(momo, dir, 'default', f.sample, 10, f.concurrency)
      // The first lookup goes at once, each later one a tenth of a second after the last.
      const floor = (2 * f.sample - 1) / 10
      console.log(
        `${f.sample} items at MTN's default 10 lookups/s: ${slow.seconds.toFixed(2)} s ` +
          `(the pacing allows no less than about ${floor.toFixed(1)} s: two lookups an item)`,
      )
    }
    console.log(`at the default rate, ${f.items} items need about ${((2 * f.items) / 10).toFixed(0)} s of lookups`)
  } finally {
    child.stdin.end()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : e)
  process.exitCode = 1
})
