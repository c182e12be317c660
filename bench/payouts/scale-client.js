'use strict'
// The measured process of `npm run bench:scale`: a CSV file of N MoMo items streamed into
// `Payouts.submit` (SQLite ledger in a temporary directory, removed after), run to the
// end against the sandbox (in a process of its own, answering at once), then `summary`,
// one page of 1 000 items and the whole CSV report streamed to nowhere. Prints one JSON
// line: the time of each phase, run items/s and this process's CPU per item while it
// ran, and the peak RSS over all of them.
// With `--run 0` the batch is not run (submit, reads and report of a queued batch only:
// what a machine too busy to run a million items in time can still measure).
// With `--postgres URL` the ledger is PostgreSQL (a schema of its own, dropped after);
// with `--queue REDIS_URL` as well, submit also enqueues the items' BullMQ jobs (a key
// prefix of its own, deleted after), and the batch is paid by `--workers N` worker
// processes started before submit instead of `run` (with `--run 0` they are stopped once
// the rest is measured).
//   node bench/payouts/scale-client.js --url URL --csv FILE --items N [--concurrency 64] [--run 0]
//     [--postgres URL [--queue REDIS_URL --workers 4]]

const fs = require('node:fs')
const { Readable, Transform, Writable } = require('node:stream')
const { pipeline } = require('node:stream/promises')
const { performance } = require('node:perf_hooks')
const { parse } = require('csv-parse')
const { stringify } = require('csv-stringify')
const { parseFlags, runMain } = require('../common')
const { account, withPayouts } = require('./client.js')
const { withScaleLedger } = require('./scale-ledger.js')

function flags() {
  const f = parseFlags(process.argv.slice(2), {
    url: '',
    csv: '',
    items: 0,
    concurrency: 64,
    run: 1,
    postgres: '',
    queue: '',
    workers: 4,
  })
  if (!f.url || !f.csv || !f.items) throw new Error('--url, --csv and --items are required')
  if (f.queue && !f.postgres) throw new Error('--queue needs --postgres (the workers share the ledger)')
  return f
}

const seconds = (since) => (performance.now() - since) / 1000
const rssMb = () => process.resourceUsage().maxRSS / 1024

/** The median of `n` timings of `fn`, in ms. */
async function medianMs(n, fn) {
  const times = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    const [ok, data] = await fn()
    if (!ok) throw new Error(data.message)
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(n / 2)]
}

async function main() {
  const f = flags()
  const momo = await account(f.url)
  if (f.postgres) await withScaleLedger(f, momo, (p, where) => measure(f, p, where))
  else await withPayouts('mobilemoney-scale-', momo, (p) => measure(f, p, null))
}

// `where`: the PostgreSQL ledger and queue (null for SQLite and run()).
async function measure(f, p, where) {
  const batchId = `scale-${f.items}`

  let t = performance.now()
  const records = fs.createReadStream(f.csv).pipe(parse({ columns: true }))
  const [submitted, batch] = await p.submit(batchId, records)
  if (!submitted) throw new Error(`submit: ${batch.message}`)
  const submitSeconds = seconds(t)
  const rssSubmit = rssMb()
  // Each phase as it ends (stderr), for a run too long to wait for in silence.
  process.stderr.write(`scale client: ${f.items} items submitted in ${submitSeconds.toFixed(1)} s\n`)

  let ran = null
  if (f.run) {
    t = performance.now()
    const cpu = process.cpuUsage()
    const [ok, summary] =
      where && where.queue ? await where.settle(p, batchId) : await p.run(batchId, { concurrency: f.concurrency })
    if (!ok) throw new Error(`run: ${summary.message}`)
    const runSeconds = seconds(t)
    const used = process.cpuUsage(cpu)
    if (summary.byStatus.successful !== f.items) throw new Error(`run: ${JSON.stringify(summary.byStatus)}`)
    ran = {
      runSeconds,
      itemsPerSec: f.items / runSeconds,
      // With a queue the workers pay, not this process.
      cpuMsPerItem: where && where.queue ? undefined : (used.user + used.system) / 1000 / f.items,
      rssRunMb: rssMb(),
    }
  }

  const summaryMs = await medianMs(5, () => p.summary(batchId))
  const middle = `k${Math.floor(f.items / 2)}`
  const pageMs = await medianMs(5, () => p.items(batchId, { after: middle, limit: 1000 }))
  process.stderr.write(`scale client: summary ${summaryMs.toFixed(1)} ms, page ${pageMs.toFixed(1)} ms\n`)

  t = performance.now()
  let lines = 0
  const count = new Writable({
    write(chunk, _, done) {
      lines += chunk.toString().split('\n').length - 1
      done()
    },
  })
  const rows = Readable.from(p.iterate(batchId))
  const toRecord = new Transform({
    objectMode: true,
    transform(i, _, done) {
      done(null, [i.key, i.status, i.amount, i.currency, i.referenceId])
    },
  })
  await pipeline(rows, toRecord, stringify(), count)
  if (lines !== f.items) throw new Error(`report: ${lines} lines`)
  const reportSeconds = seconds(t)
  await p.close()
  process.stdout.write(
    JSON.stringify({
      items: f.items,
      ledger: f.postgres ? (f.queue ? `postgres + queue (${f.workers} workers)` : 'postgres') : 'sqlite',
      submitSeconds,
      ...ran,
      summaryMs,
      pageMs,
      reportSeconds,
      rssSubmitMb: rssSubmit,
      peakRssMb: rssMb(),
    }) + '\n',
  )
}

runMain('scale bench client', main)
