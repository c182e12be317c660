'use strict'
// What every benchmark client process shares: the flags, the fixed inputs, the warm-up and
// measured phases, and the one JSON line it prints. A client module gives `setup(flags)`,
// which resolves `call()`: one request, resolving true when the answer is the expected one.
//
//   node bench/clients/<name>.js --url http://127.0.0.1:PORT --op status|transfer \
//     --concurrency N --seconds S --warmup W

const { randomUUID } = require('node:crypto')
const { performance } = require('node:perf_hooks')
const common = require('../common')

// The same fixed inputs as crates/bench/src/bin/ceiling.rs.
const BEARER = 'Bearer bench-access-token'
const SUBSCRIPTION_KEY = '0123456789abcdef0123456789abcdef'
const TARGET = 'sandbox'
const STATUS_ID = '6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b'
const TRANSFER_BODY = Object.freeze({
  amount: '100',
  currency: 'EUR',
  externalId: 'bench-1',
  payee: Object.freeze({ partyIdType: 'MSISDN', partyId: '46733123450' }),
  payerMessage: 'bench',
  payeeNote: 'bench',
})

/**
 * The measured call of a Disbursements client with mobilemoney.js' method signatures
 * (this package's and mobilemoney.js' own): a status lookup or a transfer.
 */
function disbursementsCall(momo, op) {
  if (op === 'status') {
    return async () => {
      const [ok, data] = await momo.getTransferStatus(STATUS_ID, BEARER, TARGET)
      return ok && data.status === 'SUCCESSFUL'
    }
  }
  return async () => {
    const [ok] = await momo.transfer(randomUUID(), BEARER, TARGET, TRANSFER_BODY)
    return ok
  }
}

function parseFlags(argv) {
  const flags = common.parseFlags(argv, { url: '', op: 'status', concurrency: 1, seconds: 3, warmup: 1 })
  flags.url = flags.url.replace(/\/+$/, '')
  if (!flags.url) throw new Error('--url is required')
  if (flags.op !== 'status' && flags.op !== 'transfer') throw new Error('--op must be status or transfer')
  if (!(flags.concurrency >= 1)) throw new Error('--concurrency must be at least 1')
  return flags
}

async function phase(call, concurrency, seconds) {
  const cpu = process.cpuUsage()
  const started = performance.now()
  const end = started + seconds * 1000
  const latencies = []
  let calls = 0
  let errors = 0
  async function worker() {
    while (performance.now() < end) {
      const t0 = performance.now()
      let ok
      try {
        ok = await call()
      } catch {
        ok = false
      }
      latencies.push(performance.now() - t0)
      calls++
      if (ok !== true) errors++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  const elapsed = (performance.now() - started) / 1000
  const used = process.cpuUsage(cpu)
  return { calls, errors, latencies, elapsed, cpuUs: used.user + used.system }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0
  const rank = Math.min(Math.max(Math.ceil(p * sorted.length), 1), sorted.length) - 1
  return sorted[rank]
}

const round = (x, places) => Math.round(x * 10 ** places) / 10 ** places

async function main(client, setup) {
  const flags = parseFlags(process.argv.slice(2))
  const call = await setup(flags)
  if (flags.warmup > 0) await phase(call, flags.concurrency, flags.warmup)
  const { calls, errors, latencies, elapsed, cpuUs } = await phase(call, flags.concurrency, flags.seconds)
  const sorted = Float64Array.from(latencies).sort()
  const line = {
    client,
    op: flags.op,
    concurrency: flags.concurrency,
    calls,
    errors,
    seconds: round(elapsed, 3),
    callsPerSec: round(calls / elapsed, 1),
    p50Ms: round(percentile(sorted, 0.5), 3),
    p99Ms: round(percentile(sorted, 0.99), 3),
    // CPU time of this process (all threads) per call: less sensitive to a busy machine.
    cpuUsPerCall: round(cpuUs / Math.max(calls, 1), 2),
    // maxRSS is in kilobytes.
    peakRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
  }
  process.stdout.write(JSON.stringify(line) + '\n')
}

function run(client, setup) {
  common.runMain(client, () => main(client, setup))
}

module.exports = { run, parseFlags, disbursementsCall, BEARER, SUBSCRIPTION_KEY, TARGET, STATUS_ID, TRANSFER_BODY }
