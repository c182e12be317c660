'use strict'
// Resident memory of this package with many calls in flight at once: `--calls` (10 000)
// getTransferStatus calls are started without awaiting any, then all are awaited.
//   node bench/clients/inflight.js --url http://127.0.0.1:PORT [--calls 10000]
const path = require('node:path')
const { performance } = require('node:perf_hooks')
const h = require('./harness')

async function main() {
  const argv = process.argv.slice(2)
  const flag = (name, fallback) => {
    const i = argv.indexOf(name)
    return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback
  }
  const url = flag('--url', '')
  const calls = Number(flag('--calls', '10000'))
  if (!url) throw new Error('--url is required')
  const { Disbursements } = require(path.join(__dirname, '..', '..'))
  const momo = new Disbursements(h.SUBSCRIPTION_KEY, { baseUrl: url, targetEnvironment: h.TARGET })
  const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10
  const rssBefore = process.memoryUsage().rss
  let rssSampled = rssBefore
  const sample = setInterval(() => {
    rssSampled = Math.max(rssSampled, process.memoryUsage().rss)
  }, 5)
  const started = performance.now()
  const pending = []
  for (let i = 0; i < calls; i++) pending.push(momo.getTransferStatus(h.STATUS_ID, h.BEARER, h.TARGET))
  const rssDispatched = process.memoryUsage().rss
  const results = await Promise.all(pending)
  clearInterval(sample)
  const seconds = (performance.now() - started) / 1000
  const ok = results.filter(([done]) => done === true).length
  process.stdout.write(
    JSON.stringify({
      calls,
      ok,
      seconds: Math.round(seconds * 1000) / 1000,
      rssBeforeMb: mb(rssBefore),
      rssDispatchedMb: mb(rssDispatched),
      rssSampledMaxMb: mb(Math.max(rssSampled, rssDispatched)),
      // The process's high-water mark, in kilobytes: the figure compared with the target.
      peakRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    }) + '\n',
  )
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`inflight: ${e && e.stack ? e.stack : e}\n`)
    process.exit(1)
  },
)
