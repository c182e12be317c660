'use strict'
// npm run bench:payouts [-- --items 10000 --concurrency 64 --latency-ms 50 --repeat 1]
//
// Bulk payouts against the embedded sandbox answering after `latency-ms` (like a real
// network); each run has a fresh sandbox in a process of its own. The contenders, one
// after the other, each in a fresh process (bench/payouts/client.js):
//   plain     the loop users write: `transfer`, then `getTransferStatus` until final,
//             `concurrency` items at a time (so at most that many requests in flight), no ledger
//   payouts   N MoMo items through `Payouts`, submit then run at `concurrency` (durable
//             SQLite ledger); its run sends `concurrency` at a time and follows the sent
//             ones with lookups alongside, so up to twice as many requests in flight
//   payouts/2 the same at half the concurrency: no more requests in flight than `plain`
// Reports items/s of each (the median run by items/s with --repeat), the ratios to the
// plain loop, and each one's peak RSS. Targets: payouts/plain >= 0.8, peak RSS of payouts
// < 200 MB. Writes bench/payouts-results.json; --markdown prints its table for the README.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const common = require('../common')
const { startSandbox } = require('./sandbox.js')

const ROOT = common.ROOT
const RESULTS = path.join(__dirname, '..', 'payouts-results.json')
const CONTENDERS = [
  { name: 'plain', mode: 'plain', label: 'plain loop (no ledger)', share: 1 },
  { name: 'payouts', mode: 'payouts', label: '`Payouts` (SQLite ledger)', share: 1 },
  { name: 'payouts/2', mode: 'payouts', label: '`Payouts` at half the concurrency', share: 0.5 },
]

function parseFlags(argv) {
  const flags = common.parseFlags(argv, { items: 10000, concurrency: 64, latencyMs: 50, repeat: 1 })
  flags.repeat = Math.max(1, Math.floor(flags.repeat))
  return flags
}

/** One client run; resolves the JSON of its last stdout line. */
const runClient = (args) => common.runJson(process.execPath, [path.join(__dirname, 'client.js'), ...args], 600000)

const round = (x, places = 2) => Math.round(x * 10 ** places) / 10 ** places

function median(runs) {
  const sorted = [...runs].sort((a, b) => a.itemsPerSec - b.itemsPerSec)
  const rss = runs.map((r) => r.peakRssMb)
  return {
    ...sorted[Math.floor((sorted.length - 1) / 2)],
    runs: runs.length,
    itemsPerSecMin: sorted[0].itemsPerSec,
    itemsPerSecMax: sorted[sorted.length - 1].itemsPerSec,
    peakRssMbMin: Math.min(...rss),
    peakRssMbMax: Math.max(...rss),
  }
}

function markdown(report) {
  const s = report.settings
  const lines = [
    `${s.items} MoMo items, concurrency ${s.concurrency}, sandbox latency ${s.latencyMs} ms, ${report.machine.cpus} CPUs, median of ${s.repeat} run(s):`,
    '',
    '| contender | concurrency | items/s (min–max) | × plain | seconds | requests/item | peak connections | client CPU ms/item | peak RSS MB (min–max) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of report.results) {
    lines.push(
      `| ${r.label} | ${r.concurrency} | ${Math.round(r.itemsPerSec)} (${Math.round(r.itemsPerSecMin)}–${Math.round(r.itemsPerSecMax)}) | ${r.overPlain} | ` +
        `${r.seconds} | ${r.requestsPerItem} | ${r.peakConnections} | ${r.cpuMsPerItem} | ${r.peakRssMb} (${r.peakRssMbMin}–${r.peakRssMbMax}) |`,
    )
  }
  lines.push('')
  for (const t of report.targets) lines.push(`- ${t.target}: ${t.value} (${t.met ? 'met' : 'NOT met'})`)
  return lines.join('\n')
}

async function main() {
  if (process.argv.includes('--markdown')) {
    console.log(markdown(JSON.parse(fs.readFileSync(RESULTS, 'utf8'))))
    return
  }
  const flags = parseFlags(process.argv.slice(2))
  console.log(
    `bench:payouts: sandbox latency ${flags.latencyMs} ms; ${flags.items} items at concurrency ${flags.concurrency}, ${flags.repeat} run(s) each`,
  )
  const loadBefore = os.loadavg().map((l) => round(l))
  const runs = Object.fromEntries(CONTENDERS.map((c) => [c.name, []]))
  for (let rep = 0; rep < flags.repeat; rep++) {
    // Alternated, so that a change in the machine's load touches all alike.
    for (const c of CONTENDERS) {
      const { child: sandbox, url } = await startSandbox(flags.latencyMs)
      const concurrency = Math.max(1, Math.round(flags.concurrency * c.share))
      try {
        const line = await runClient([
          '--url',
          url,
          '--mode',
          c.mode,
          '--items',
          String(flags.items),
          '--concurrency',
          String(concurrency),
        ])
        console.log(
          `  ${c.name} @${concurrency}: ${Math.round(line.itemsPerSec)} items/s in ${line.seconds} s, ${line.successful} successful, ` +
            `peak ${line.peakConnections} connections, peak RSS ${line.peakRssMb} MB`,
        )
        runs[c.name].push({ ...line, name: c.name, label: c.label })
      } finally {
        sandbox.kill()
      }
    }
  }
  const results = CONTENDERS.map((c) => median(runs[c.name]))
  const [plain, payouts, half] = results
  const ratio = round(payouts.itemsPerSec / plain.itemsPerSec)
  for (const r of results) r.overPlain = round(r.itemsPerSec / plain.itemsPerSec)
  const report = {
    date: new Date().toISOString(),
    settings: flags,
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      loadBefore,
      loadAfter: os.loadavg().map((l) => round(l)),
    },
    results,
    ratio,
    targets: [
      { target: 'Payouts / plain loop >= 0.8', value: ratio, met: ratio >= 0.8 },
      {
        target: 'Payouts at half the concurrency (no more requests in flight) / plain loop >= 0.8',
        value: half.overPlain,
        met: half.overPlain >= 0.8,
      },
      { target: 'Payouts peak RSS < 200 MB', value: payouts.peakRssMb, met: payouts.peakRssMb < 200 },
    ],
  }
  fs.writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n')
  console.log(`\n${markdown(report)}\n\nwrote ${path.relative(ROOT, RESULTS)}`)
}

main().catch((e) => {
  console.error(`bench:payouts: ${e && e.message ? e.message : e}`)
  process.exit(1)
})
