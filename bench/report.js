'use strict'
// What bench/run.js reports: each cell's median run, the ratios between the clients, the
// targets they meet, and the tables (for the terminal, and for the README as Markdown).

const LETTER = { native: 'a', 'mobilemoney.js': 'b', undici: 'c', ceiling: 'd' }

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const fixed = (x, places) => (typeof x === 'number' ? x.toFixed(places) : '–')
const round = (x, places = 2) => (x == null || !Number.isFinite(x) ? null : Math.round(x * 10 ** places) / 10 ** places)

function requireLine(r) {
  return (
    `require('mobilemoney-native'): ${r.medianMs} ms (median of 5: ${r.samplesMs.join(', ')}); ` +
    `${r.modules} modules, ${r.queueModules ? `${r.queueModules} of them bullmq/ioredis` : 'no queue code'}`
  )
}

function summarise(runs) {
  // The run with the median throughput stands for the cell; the others give the spread.
  const byRate = [...runs].sort((x, y) => x.callsPerSec - y.callsPerSec)
  const chosen = byRate[Math.floor((byRate.length - 1) / 2)]
  return {
    ...chosen,
    runs: runs.length,
    callsPerSecMin: byRate[0].callsPerSec,
    callsPerSecMax: byRate[byRate.length - 1].callsPerSec,
  }
}

function ratiosFor(results, ops, concurrencies) {
  const find = (client, op, c) => results.find((r) => r.client === client && r.op === op && r.concurrency === c)
  const ratios = []
  for (const op of ops) {
    for (const c of concurrencies) {
      const a = find('native', op, c)
      if (!a) continue
      const b = find('mobilemoney.js', op, c)
      const cc = find('undici', op, c)
      const d = find('ceiling', op, c)
      ratios.push({
        op,
        concurrency: c,
        aOverB: b ? round(a.callsPerSec / b.callsPerSec) : null,
        aOverC: cc ? round(a.callsPerSec / cc.callsPerSec) : null,
        aOverD: d ? round(a.callsPerSec / d.callsPerSec) : null,
        p50AOverD: d ? round(a.p50Ms / d.p50Ms) : null,
      })
    }
  }
  return ratios
}

function targetsFor(ratios, extras) {
  const t = []
  const add = (name, value, ok) => t.push({ target: name, value, met: value == null ? null : ok(value) })
  for (const r of ratios) {
    const at = `${r.op} @${r.concurrency}`
    if (r.concurrency === 1) {
      add(`a/c >= 1.1 (${at})`, r.aOverC, (v) => v >= 1.1)
      add(`a/b >= 1.8 (${at})`, r.aOverB, (v) => v >= 1.8)
      add(`p50 a/d <= 1.15 (${at})`, r.p50AOverD, (v) => v <= 1.15)
    } else {
      add(`a/c >= 1.3 (${at})`, r.aOverC, (v) => v >= 1.3)
      if (r.concurrency === 64) add(`a/d >= 0.85 (${at})`, r.aOverD, (v) => v >= 0.85)
    }
  }
  if (extras.require) add('require < 30 ms', extras.require.medianMs, (v) => v < 30)
  if (extras.require && extras.require.queueModules != null)
    add('require loads no queue code (modules)', extras.require.queueModules, (v) => v === 0)
  if (extras.inflight) add('10 000 in flight < 150 MB RSS', extras.inflight.peakRssMb, (v) => v < 150)
  return t
}

function pad(s, n, right = false) {
  s = String(s ?? '-')
  return right ? s.padEnd(n) : s.padStart(n)
}

function printTable(report) {
  const spread = report.settings.repeat > 1
  console.log('')
  console.log(
    `${pad('op', 8, true)} ${pad('conc', 4)}  ${pad('client', 18, true)} ${pad('calls/s', 9)}` +
      `${spread ? ` ${pad('(min-max)', 15)}` : ''} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('RSS MB', 6)} ${pad('cpu us', 6)} ${pad('err', 4)}`,
  )
  for (const r of report.results) {
    const range = spread ? ` ${pad(`${Math.round(r.callsPerSecMin)}-${Math.round(r.callsPerSecMax)}`, 15)}` : ''
    console.log(
      `${pad(r.op, 8, true)} ${pad(r.concurrency, 4)}  ${pad(`(${LETTER[r.client]}) ${r.client}`, 18, true)} ` +
        `${pad(Math.round(r.callsPerSec), 9)}${range} ${pad(fixed(r.p50Ms, 3), 7)} ${pad(fixed(r.p99Ms, 3), 7)} ` +
        `${pad(fixed(r.peakRssMb, 1), 6)} ${pad(fixed(r.cpuUsPerCall, 1), 6)} ${pad(r.errors, 4)}`,
    )
  }
  console.log('')
  console.log(
    `${pad('op', 8, true)} ${pad('conc', 4)}  ${pad('a/b', 5)} ${pad('a/c', 5)} ${pad('a/d', 5)} ${pad('p50 a/d', 7)}`,
  )
  for (const r of report.ratios) {
    console.log(
      `${pad(r.op, 8, true)} ${pad(r.concurrency, 4)}  ${pad(r.aOverB, 5)} ${pad(r.aOverC, 5)} ${pad(r.aOverD, 5)} ${pad(r.p50AOverD, 7)}`,
    )
  }
  for (const r of report.ratios.filter((x) => x.roundsAOverC)) {
    const cpu = r.cpuUsPerCall
    console.log(
      `  pinned ${r.op} @${r.concurrency}: a/c by round ${r.roundsAOverC.join(' ')}; a/d ${r.roundsAOverD.join(' ')}; ` +
        `CPU µs/call native ${cpu.native}, undici ${cpu.undici}, ceiling ${cpu.ceiling}`,
    )
  }
  if (report.require) console.log(`\n${requireLine(report.require)}`)
  if (report.inflight) {
    const f = report.inflight
    console.log(
      `${f.calls} getTransferStatus in flight: peak RSS ${f.peakRssMb} MB ` +
        `(before ${f.rssBeforeMb} MB, all dispatched ${f.rssDispatchedMb} MB), ${f.ok} ok in ${f.seconds} s`,
    )
  }
  console.log('\ntargets:')
  for (const t of report.targets) {
    console.log(`  ${t.met == null ? '?  ' : t.met ? 'met' : 'NOT'}  ${t.target}: ${t.value ?? 'not measured'}`)
  }
  console.log(
    `\nload average before ${report.machine.loadBefore.join(' ')}, after ${report.machine.loadAfter.join(' ')}`,
  )
}

/** The README's tables, from a results.json. */
function markdown(report) {
  const lines = []
  const spread = report.settings.repeat > 1
  lines.push(
    `| op | conc | client | calls/s${spread ? ' (min–max)' : ''} | p50 ms | p99 ms | peak RSS MB | client CPU µs/call |`,
  )
  lines.push(`|---|---:|---|---:|---:|---:|---:|---:|`)
  for (const r of report.results) {
    const rate = `${Math.round(r.callsPerSec)}${spread ? ` (${Math.round(r.callsPerSecMin)}–${Math.round(r.callsPerSecMax)})` : ''}`
    lines.push(
      `| ${r.op} | ${r.concurrency} | (${LETTER[r.client]}) ${r.client} | ${rate} | ${fixed(r.p50Ms, 3)} | ${fixed(r.p99Ms, 3)} | ${fixed(r.peakRssMb, 1)} | ${fixed(r.cpuUsPerCall, 1)} |`,
    )
  }
  lines.push('')
  lines.push('| op | conc | a/b | a/c | a/d | p50 a/d |')
  lines.push('|---|---:|---:|---:|---:|---:|')
  for (const r of report.ratios) {
    lines.push(
      `| ${r.op} | ${r.concurrency} | ${r.aOverB ?? '–'} | ${r.aOverC ?? '–'} | ${r.aOverD ?? '–'} | ${r.p50AOverD ?? '–'} |`,
    )
  }
  lines.push('')
  if (report.require) lines.push(`\`require\`: ${report.require.medianMs} ms (median of 5). `)
  if (report.inflight)
    lines.push(`${report.inflight.calls} getTransferStatus in flight: peak RSS ${report.inflight.peakRssMb} MB.`)
  return lines.join('\n')
}

module.exports = { median, fixed, round, requireLine, summarise, ratiosFor, targetsFor, printTable, markdown }
