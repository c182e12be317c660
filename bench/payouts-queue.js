'use strict'
// npm run bench:queue [-- --items 20000 --latency 50 --workers 1,4 --concurrency 16]
//
// Payouts through BullMQ: one batch of N items (half MoMo, half Paymob) on a PostgreSQL
// ledger (DATABASE_URL) and Redis (REDIS_URL), paid by W worker processes × C
// concurrency against one embedded sandbox answering after --latency ms. The clock runs
// from submit (the ledger rows and the jobs) until the batch's close job has run. Also
// the CPU seconds the workers, PostgreSQL and Redis used, which tell what limits it.
// Not a test: run it on a quiet machine; the release addon (npm run build) is used as
// built.
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const { Payouts } = require('../index.js')
const { payoutsWorld, momoItem, paymobItem } = require('../__test__/support/payouts')
const { REDIS_URL, services, scope, startWorker, stopWorker, until } = require('../__test__/support/payouts-queue')

function flag(name, fallback) {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}
const N = Number(flag('items', 20000))
const LATENCY = Number(flag('latency', 50))
const WORKERS = String(flag('workers', '1,4')).split(',').map(Number)
const CONCURRENCY = Number(flag('concurrency', 16))
const TICK = 100 // clock ticks a second in /proc/PID/stat

function cpuOfPid(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(f[11]) + Number(f[12])) / TICK
  } catch {
    return 0
  }
}

// CPU seconds of every process with this command name (postgres, redis-server).
function cpuOf(command) {
  try {
    const pids = execFileSync('ps', ['-C', command, '-o', 'pid='], { encoding: 'utf8' })
      .trim()
      .split(/\s+/)
      .filter(Boolean)
    return pids.reduce((sum, pid) => sum + cpuOfPid(pid), 0)
  } catch {
    return 0
  }
}

async function once(workers) {
  const w = await payoutsWorld({ latencyMs: LATENCY, settleAfterMs: 0 })
  const s = await scope()
  const options = {
    ...w.options({ momo: { timeoutMs: 10000 }, paymob: { timeoutMs: 10000 } }),
    ledger: s.ledger.replace('pool_size=4', 'pool_size=8'),
    queue: { redis: REDIS_URL, prefix: s.prefix },
  }
  const children = []
  try {
    for (let i = 0; i < workers; i++) children.push(await startWorker(options, { concurrency: CONCURRENCY }))
    const [ok, producer] = await Payouts.open(options)
    if (!ok) throw new Error(JSON.stringify(producer))
    const items = []
    for (let i = 0; i < N; i++)
      items.push(i % 2 ? paymobItem(`p${i}`) : momoItem(`m${i}`, `4673312${String(i % 50).padStart(4, '0')}`))
    const cpu0 = {
      pg: cpuOf('postgres'),
      redis: cpuOf('redis-server'),
      workers: children.reduce((x, c) => x + cpuOfPid(c.pid), 0),
      sandbox: cpuOfPid(process.pid),
    }
    const t0 = performance.now()
    const [sok, sub] = await producer.submit('bench', items)
    if (!sok) throw new Error(JSON.stringify(sub))
    const submitted = performance.now() - t0
    const summary = await until(
      'the batch closed',
      async () => {
        const [, sum] = await producer.summary('bench')
        return sum.finishedAt ? sum : null
      },
      1800000,
      1000,
    )
    const seconds = (performance.now() - t0) / 1000
    // The CPU of this run's own PostgreSQL backends (the server may serve others too).
    const backends = await s.admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [s.schema])
    const ours = backends.rows.reduce((x, r) => x + cpuOfPid(r.pid), 0)
    const cpu = {
      pg: cpuOf('postgres') - cpu0.pg,
      pgBackends: ours,
      redis: cpuOf('redis-server') - cpu0.redis,
      workers: children.reduce((x, c) => x + cpuOfPid(c.pid), 0) - cpu0.workers,
      // This process: the sandbox (which answers every provider request) and the producer.
      sandbox: cpuOfPid(process.pid) - cpu0.sandbox,
    }
    await producer.close()
    return {
      workers,
      concurrency: CONCURRENCY,
      items: N,
      latencyMs: LATENCY,
      seconds,
      itemsPerSecond: N / seconds,
      submitMs: submitted,
      successful: summary.byStatus.successful,
      cpuSeconds: cpu,
    }
  } finally {
    for (const c of children) await stopWorker(c)
    await s.cleanup()
    await w.cleanup()
  }
}

async function main() {
  if (!(await services('bench:queue'))) process.exit(1)
  const rows = []
  for (const n of WORKERS) {
    const r = await once(n)
    rows.push(r)
    console.log(
      `${n} worker process(es) × ${CONCURRENCY}: ${N} items in ${r.seconds.toFixed(1)} s = ${r.itemsPerSecond.toFixed(0)} items/s ` +
        `(submit ${(r.submitMs / 1000).toFixed(1)} s; CPU s: workers ${r.cpuSeconds.workers.toFixed(1)}, PostgreSQL ${r.cpuSeconds.pg.toFixed(1)} (this run's backends ${r.cpuSeconds.pgBackends.toFixed(1)}), ` +
        `Redis ${r.cpuSeconds.redis.toFixed(1)}, sandbox+producer ${r.cpuSeconds.sandbox.toFixed(1)}; load ${os.loadavg()[0].toFixed(1)})`,
    )
  }
  if (rows.length > 1)
    console.log(`scaling: ${(rows[rows.length - 1].itemsPerSecond / rows[0].itemsPerSecond).toFixed(2)}×`)
  fs.writeFileSync(`${__dirname}/payouts-queue-results.json`, `${JSON.stringify(rows, null, 2)}\n`)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
