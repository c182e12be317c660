'use strict'
// npm run bench:payouts [-- --items 10000 --concurrency 64 --latency-ms 50 --repeat 1]
//
// Bulk payouts against the embedded sandbox answering after `latency-ms` (like a real
// network), the sandbox in a process of its own. Two contenders, one after the other,
// each in a fresh process (bench/payouts/client.js):
//   payouts  N MoMo items through `Payouts`: submit, then run (durable SQLite ledger)
//   plain    the loop users write: `transfer`, then `getTransferStatus` until final,
//            `concurrency` at a time, no ledger
// Reports items/s of each (the median run by items/s with --repeat), payouts/plain, and
// each one's peak RSS. Targets: payouts/plain >= 0.8, peak RSS of payouts < 200 MB.
// Writes bench/payouts-results.json; --markdown prints its table for the README.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..', '..')
const RESULTS = path.join(__dirname, '..', 'payouts-results.json')
const MODES = ['plain', 'payouts']

function parseFlags(argv) {
  const flags = { items: 10000, concurrency: 64, latencyMs: 50, repeat: 1 }
  for (let i = 0; i < argv.length; i += 2) {
    const value = Number(argv[i + 1])
    if (!Number.isFinite(value) || value < 0) throw new Error(`${argv[i]} needs a number`)
    switch (argv[i]) {
      case '--items': flags.items = value; break
      case '--concurrency': flags.concurrency = value; break
      case '--latency-ms': flags.latencyMs = value; break
      case '--repeat': flags.repeat = Math.max(1, Math.floor(value)); break
      default: throw new Error(`unknown flag ${argv[i]}`)
    }
  }
  return flags
}

function startSandbox(latencyMs) {
  return new Promise((resolve, reject) => {
    // stdin stays open as a pipe: the sandbox exits when this process goes away.
    const child = spawn(process.execPath, [path.join(__dirname, 'sandbox.js'), '--latency-ms', String(latencyMs)],
      { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening`)))
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = /listening (\S+)/.exec(out)
      if (m) {
        child.removeAllListeners('exit')
        resolve({ child, url: m[1] })
      }
    })
  })
}

/** One client run; resolves the JSON of its last stdout line. */
function runClient(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'client.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 600000)
    child.stdout.on('data', (chunk) => { out += chunk })
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      const last = out.trim().split('\n').pop()
      if (code !== 0 || !last) return reject(new Error(`client ${args.join(' ')} failed (${signal || code})`))
      resolve(JSON.parse(last))
    })
  })
}

const round = (x, places = 2) => Math.round(x * 10 ** places) / 10 ** places

function median(runs) {
  const sorted = [...runs].sort((a, b) => a.itemsPerSec - b.itemsPerSec)
  return { ...sorted[Math.floor((sorted.length - 1) / 2)], runs: runs.length, itemsPerSecMin: sorted[0].itemsPerSec, itemsPerSecMax: sorted[sorted.length - 1].itemsPerSec }
}

function markdown(report) {
  const s = report.settings
  const lines = [
    `${s.items} MoMo items, concurrency ${s.concurrency}, sandbox latency ${s.latencyMs} ms, ${report.machine.cpus} CPUs, median of ${s.repeat} run(s):`,
    '',
    '| contender | items/s (min–max) | seconds | requests/item | client CPU ms/item | peak RSS MB |',
    '|---|---:|---:|---:|---:|---:|',
  ]
  for (const r of report.results) {
    lines.push(`| ${r.mode === 'payouts' ? '`Payouts` (SQLite ledger)' : 'plain loop (no ledger)'} | ${Math.round(r.itemsPerSec)} (${Math.round(r.itemsPerSecMin)}–${Math.round(r.itemsPerSecMax)}) | ${r.seconds} | ${r.requestsPerItem} | ${r.cpuMsPerItem} | ${r.peakRssMb} |`)
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
  const { child: sandbox, url } = await startSandbox(flags.latencyMs)
  const stop = () => sandbox.kill()
  process.once('exit', stop)
  console.log(`bench:payouts: sandbox at ${url} (latency ${flags.latencyMs} ms); ${flags.items} items at concurrency ${flags.concurrency}, ${flags.repeat} run(s) each`)
  const loadBefore = os.loadavg().map((l) => round(l))
  const runs = { plain: [], payouts: [] }
  for (let rep = 0; rep < flags.repeat; rep++) {
    // Alternated, so that a change in the machine's load touches both alike.
    for (const mode of MODES) {
      const line = await runClient(['--url', url, '--mode', mode, '--items', String(flags.items), '--concurrency', String(flags.concurrency)])
      console.log(`  ${mode}: ${Math.round(line.itemsPerSec)} items/s in ${line.seconds} s, ${line.successful} successful, peak RSS ${line.peakRssMb} MB`)
      runs[mode].push(line)
    }
  }
  stop()
  const results = MODES.map((m) => median(runs[m]))
  const [plain, payouts] = results
  const ratio = round(payouts.itemsPerSec / plain.itemsPerSec)
  const report = {
    date: new Date().toISOString(),
    settings: flags,
    machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadBefore, loadAfter: os.loadavg().map((l) => round(l)) },
    results,
    ratio,
    targets: [
      { target: 'Payouts / plain loop >= 0.8', value: ratio, met: ratio >= 0.8 },
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
