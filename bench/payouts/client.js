'use strict'
// One measured contender of the payouts benchmark, in its own process (its peak RSS is
// its own): `--mode payouts` pays N MoMo items through `Payouts` (SQLite ledger in a
// temporary directory, removed after); `--mode plain` sends each `transfer` and looks it
// up with `getTransferStatus` until final, N items, `concurrency` at a time, no ledger.
// Prints one JSON line.
//   node bench/payouts/client.js --url URL --mode payouts|plain --items 10000 --concurrency 64

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { randomUUID } = require('node:crypto')
const { performance } = require('node:perf_hooks')
const { Client, Disbursements, Payouts } = require(path.join(__dirname, '..', '..'))
const { parseFlags, runMain } = require('../common')

const SUBSCRIPTION_KEY = 'bench-subscription-key'
const FINAL = new Set(['SUCCESSFUL', 'FAILED'])
// A lookup that finds a transfer still PENDING waits this long before the next one (the
// sandbox settles at once unless told otherwise, so it is rarely used).
const PENDING_WAIT_MS = 250

function flags() {
  const f = parseFlags(process.argv.slice(2), { url: '', mode: '', items: 10000, concurrency: 64 })
  if (!f.url || !['payouts', 'plain'].includes(f.mode)) throw new Error('--url and --mode payouts|plain are required')
  return f
}

/** A MoMo API user and key on the sandbox (each run its own). */
async function account(url) {
  const client = new Client({ baseUrl: url })
  const apiUser = client.getReferenceId()
  const [userOk, user] = await client.createApiUser(apiUser, SUBSCRIPTION_KEY, '127.0.0.1')
  if (!userOk) throw new Error(`createApiUser: ${user.message}`)
  const [keyOk, key] = await client.createApiKey(apiUser, SUBSCRIPTION_KEY)
  if (!keyOk) throw new Error(`createApiKey: ${key.message}`)
  return { subscriptionKey: SUBSCRIPTION_KEY, apiUser, apiKey: key.apiKey, baseUrl: url }
}

// Sandbox payees that are paid (the documented failing test numbers are avoided).
const party = (i) => `4673${String(1000000 + i).padStart(7, '0')}`

async function plain(f, momo) {
  const d = new Disbursements(SUBSCRIPTION_KEY, momo)
  let next = 0
  let successful = 0
  let errors = 0
  async function worker() {
    while (next < f.items) {
      const i = next++
      const referenceId = randomUUID()
      const body = {
        amount: '1',
        currency: 'EUR',
        externalId: `bench-${i}`,
        payee: { partyIdType: 'MSISDN', partyId: party(i) },
      }
      const [sent] = await d.transfer(referenceId, null, 'sandbox', body)
      if (!sent) {
        errors++
        continue
      }
      for (;;) {
        const [ok, tx] = await d.getTransferStatus(referenceId, null, 'sandbox')
        if (ok && FINAL.has(tx.status)) {
          if (tx.status === 'SUCCESSFUL') successful++
          break
        }
        if (!ok) {
          errors++
          break
        }
        await new Promise((r) => setTimeout(r, PENDING_WAIT_MS))
      }
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: f.concurrency }, worker))
  const seconds = (performance.now() - started) / 1000
  return { seconds, successful, errors }
}

/**
 * `fn(payouts)` on a `Payouts` with a SQLite ledger in a new temporary directory (removed
 * after), at a lookup rate no benchmark reaches.
 */
async function withPayouts(prefix, momo, fn) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  try {
    const [opened, p] = await Payouts.open({
      ledger: `sqlite:${path.join(dir, 'payouts.db')}`,
      secret: 'benchmark-secret-of-some-length',
      // MTN's 10 lookups a second would make this a benchmark of that limit.
      momo: { ...momo, lookupsPerSecond: 100000 },
    })
    if (!opened) throw new Error(`Payouts.open: ${p.message}`)
    return await fn(p)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

function payouts(f, momo) {
  return withPayouts('mobilemoney-bench-', momo, async (p) => {
    const items = Array.from({ length: f.items }, (_, i) => ({
      key: `employee-${i}`,
      provider: 'momo',
      amount: '1',
      currency: 'EUR',
      party: party(i),
    }))
    const batchId = `bench-${randomUUID()}`
    const started = performance.now()
    const [submitted, batch] = await p.submit(batchId, items)
    if (!submitted) throw new Error(`submit: ${batch.message}`)
    const submitSeconds = (performance.now() - started) / 1000
    const rssSubmitted = process.resourceUsage().maxRSS
    const [ran, summary] = await p.run(batchId, { concurrency: f.concurrency })
    const seconds = (performance.now() - started) / 1000
    if (!ran) throw new Error(`run: ${summary.message}`)
    await p.close()
    const byStatus = summary.byStatus
    return {
      seconds,
      submitSeconds,
      successful: byStatus.successful,
      errors: f.items - byStatus.successful,
      byStatus,
      peakRssSubmittedMb: rssSubmitted / 1024,
    }
  })
}

/** The sandbox's request counters (its control endpoint). */
async function stats(url) {
  return (await fetch(`${url}/_sandbox/stats`)).json()
}

async function main() {
  const f = flags()
  const momo = await account(f.url)
  const before = await stats(f.url)
  const cpu = process.cpuUsage()
  const r = f.mode === 'plain' ? await plain(f, momo) : await payouts(f, momo)
  const used = process.cpuUsage(cpu)
  const after = await stats(f.url)
  const round = (x, p = 1) => Math.round(x * 10 ** p) / 10 ** p
  process.stdout.write(
    JSON.stringify({
      mode: f.mode,
      items: f.items,
      concurrency: f.concurrency,
      ...r,
      seconds: round(r.seconds, 3),
      submitSeconds: r.submitSeconds === undefined ? undefined : round(r.submitSeconds, 3),
      itemsPerSec: round(f.items / r.seconds),
      peakRssSubmittedMb: r.peakRssSubmittedMb === undefined ? undefined : round(r.peakRssSubmittedMb),
      // Every request the sandbox saw from this run (payouts, lookups, tokens), per item.
      requestsPerItem: round((after.momoRequests - before.momoRequests) / f.items, 3),
      // The most connections open at once on the (fresh) sandbox: requests in flight.
      peakConnections: after.peakOpenConnections,
      cpuMsPerItem: round((used.user + used.system) / 1000 / f.items, 3),
      // maxRSS is in kilobytes: the process's high-water mark.
      peakRssMb: round(process.resourceUsage().maxRSS / 1024),
    }) + '\n',
  )
}

if (require.main === module) runMain('payouts bench client', main)

module.exports = { account, party, withPayouts }
