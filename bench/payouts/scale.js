'use strict'
// npm run bench:scale [-- --sizes 10000,100000,1000000 --concurrency 64 --run 0]
//   [--postgres URL [--queue REDIS_URL --workers 4]]
//
// A batch from a CSV file to the report, at growing sizes, so that the growth shows:
// for each size, a CSV of that many MoMo items is written to a temporary file, a fresh
// sandbox starts in a process of its own (answering at once), and a fresh process
// (bench/payouts/scale-client.js, the one measured) streams the file into submit, runs
// the batch, reads the summary and a page, and streams the CSV report. Prints a table
// and writes bench/payouts-scale-results.json. Targets (at 1 000 000 items): submit
// <= 20 s, peak RSS <= 250 MB, run >= 1 500 items/s, summary and page <= 50 ms.
// `--postgres URL` puts the ledger on PostgreSQL (a schema of its own) and `--queue
// REDIS_URL` submits through BullMQ, paid by `--workers` processes started before submit
// (target: 1 000 000 items submitted in <= 60 s with 4 workers); results then go to
// bench/payouts-scale-postgres-results.json.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const common = require('../common')
const { startSandbox } = require('./sandbox.js')
const { party } = require('./client.js')

const resultsFile = (f) => path.join(__dirname, '..', `payouts-scale${f.postgres ? '-postgres' : ''}-results.json`)

function parseFlags(argv) {
  const f = common.parseFlags(argv, {
    sizes: [10000, 100000, 1000000],
    concurrency: 64,
    run: 1,
    postgres: '',
    queue: '',
    workers: 4,
  })
  if (f.sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sizes takes whole numbers')
  return f
}

/** A payouts CSV of `n` MoMo items, written a block at a time. */
async function writeCsv(file, n) {
  const out = fs.createWriteStream(file)
  out.write('key,provider,amount,currency,party\n')
  for (let i = 0; i < n;) {
    let block = ''
    for (const end = Math.min(n, i + 10000); i < end; i++) block += `k${i},momo,1,EUR,${party(i)}\n`
    if (!out.write(block)) await new Promise((r) => out.once('drain', r))
  }
  await new Promise((resolve, reject) => out.end((e) => (e ? reject(e) : resolve())))
}

const runClient = (args) => common.runJson(process.execPath, [path.join(__dirname, 'scale-client.js'), ...args])

const r = (x, places = 1) => Math.round(x * 10 ** places) / 10 ** places

function table(results) {
  const lines = [
    '| items | submit s | run items/s | engine CPU ms/item | summary ms | page of 1 000 ms | report s | peak RSS MB (submit / run / all) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  const or = (x, f) => (x === undefined ? 'not run' : f(x))
  for (const x of results) {
    lines.push(
      `| ${x.items.toLocaleString('en')} | ${r(x.submitSeconds)} | ${or(x.itemsPerSec, Math.round)} | ${or(x.cpuMsPerItem, (c) => r(c, 2))} | ` +
        `${r(x.summaryMs, 2)} | ${r(x.pageMs, 1)} | ${r(x.reportSeconds)} | ${Math.round(x.rssSubmitMb)} / ${or(x.rssRunMb, Math.round)} / ${Math.round(x.peakRssMb)} |`,
    )
  }
  return lines.join('\n')
}

async function main() {
  const f = parseFlags(process.argv.slice(2))
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilemoney-scale-csv-'))
  const results = []
  try {
    for (const n of f.sizes) {
      const csv = path.join(dir, `${n}.csv`)
      await writeCsv(csv, n)
      const { child, url } = await startSandbox(0)
      try {
        const load = os.loadavg()[0]
        const x = await runClient([
          '--url',
          url,
          '--csv',
          csv,
          '--items',
          String(n),
          '--concurrency',
          String(f.concurrency),
          '--run',
          String(f.run),
          ...(f.postgres ? ['--postgres', f.postgres] : []),
          ...(f.queue ? ['--queue', f.queue, '--workers', String(f.workers)] : []),
        ])
        results.push({ ...x, loadBefore: r(load, 2) })
        console.log(JSON.stringify(results[results.length - 1]))
      } finally {
        child.stdin.end()
      }
      fs.rmSync(csv, { force: true })
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
  const report = { date: new Date().toISOString(), cpus: os.cpus().length, concurrency: f.concurrency, results }
  if (f.queue) report.workers = f.workers
  fs.writeFileSync(resultsFile(f), JSON.stringify(report, null, 2) + '\n')
  console.log(table(results))
}

main().catch((e) => {
  console.error(`bench:scale: ${e && e.message ? e.message : e}`)
  process.exit(1)
})
