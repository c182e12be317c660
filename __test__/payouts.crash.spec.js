'use strict'
// kill -9 of the process running a batch, three times at random points; the next run
// completes it: nothing paid twice, nothing lost.
const { spawn } = require('node:child_process')
const path = require('node:path')
const { Payouts } = require('..')
const { payoutsWorld, momoItem, paymobItem, expectLedgersAgree } = require('./support/payouts')

const CHILD = path.join(__dirname, 'fixtures', 'payouts-run.js')

/** Starts the child and kills it with SIGKILL after `events` progress lines. */
function runAndKill(options, batchId, events) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(options), batchId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let seen = 0
    let buffered = ''
    let stderr = ''
    child.stdout.on('data', (chunk) => {
      buffered += chunk
      const lines = buffered.split('\n')
      buffered = lines.pop()
      seen += lines.filter((l) => l.startsWith('progress')).length
      if (seen >= events && child.exitCode === null) child.kill('SIGKILL')
    })
    child.stderr.on('data', (c) => (stderr += c))
    child.on('error', reject)
    child.on('exit', (code, signal) => resolve({ code, signal, seen, stderr }))
  })
}

test('three SIGKILLs at random points, then run: 0 paid twice, 0 lost', async () => {
  const w = await payoutsWorld({ latencyMs: 5 })
  try {
    // Default transport settings (a lease of about 19 minutes): what the kills left
    // `sending` is looked up as soon as the killed runner's heartbeat is stale (10 s).
    const options = w.options()
    const [ok, payouts] = await Payouts.open(options)
    expect(ok).toBe(true)
    const items = []
    for (let i = 0; i < 600; i++) {
      items.push(i % 3 === 2 ? paymobItem(`p${i}`) : momoItem(`m${i}`, `4673312${String(i % 90).padStart(4, '0')}`))
    }
    await payouts.submit('crash', items)
    let killed = 0
    for (let round = 0; round < 3; round++) {
      const at = 20 + Math.floor(Math.random() * 150)
      const r = await runAndKill(options, 'crash', at)
      if (r.signal === 'SIGKILL') killed++
      else expect(r.stderr).toBe('')
    }
    expect(killed).toBe(3)
    const [, mid] = await payouts.summary('crash')
    expect(mid.byStatus.successful).toBeLessThan(600)
    // The kills left requests in flight: items written `sending` whose answer never came.
    expect(mid.byStatus.sending + mid.byStatus.pending + mid.byStatus.unknown).toBeGreaterThan(0)
    const [ok2, summary] = await payouts.run('crash', { concurrency: 16 })
    expect(ok2).toBe(true)
    expect(summary.byStatus.successful).toBe(600)
    const [, rows] = await payouts.items('crash')
    const byRef = await expectLedgersAgree(w.sb, rows)
    expect(byRef.size).toBe(600)
    expect(new Set(rows.map((r) => r.referenceId))).toEqual(new Set(byRef.keys()))
    await payouts.close()
  } finally {
    await w.cleanup()
  }
}, 120000)
