#!/usr/bin/env node
'use strict'
// npm run soak -- [--payouts 10000] [--fault-rate 0.1] [--concurrency 64]
//
// Thousands of payouts across both providers through the embedded sandbox while it injects
// faults at random; then reconciles the sandbox ledger with what the client reported.
// Exit code 1 if anything was paid twice or lost.
const { randomUUID } = require('node:crypto')
const { parseArgs } = require('node:util')
const { Client, Disbursements, PaymobPayouts, Sandbox } = require('..')

const { values: flags } = parseArgs({
  options: {
    payouts: { type: 'string', default: '10000' },
    'fault-rate': { type: 'string', default: '0.1' },
    concurrency: { type: 'string', default: '64' },
    'timeout-ms': { type: 'string', default: '1000' },
  },
})
const PAYOUTS = Number(flags.payouts)
const FAULT_RATE = Number(flags['fault-rate'])
const CONCURRENCY = Number(flags.concurrency)
const TIMEOUT_MS = Number(flags['timeout-ms'])

async function main() {
  const sb = await Sandbox.start({
    port: 0,
    paymob: { inquiryLimitPerMinute: 1_000_000 },
  })
  const key = 'soak-subscription-key'
  const client = new Client({ baseUrl: sb.url })
  const apiUser = randomUUID()
  await client.createApiUser(apiUser, key, '127.0.0.1')
  const [, { apiKey }] = await client.createApiKey(apiUser, key)
  const common = { timeoutMs: TIMEOUT_MS, maxRetries: 3, retryBackoffMs: 20 }
  const momo = new Disbursements(key, { baseUrl: sb.url, apiUser, apiKey, ...common })
  const paymob = new PaymobPayouts({
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    username: 'sandbox-user',
    password: 'sandbox-password',
    baseUrl: `${sb.url}/api/secure/`,
    inquiriesPerMinute: 1_000_000,
    ...common,
  })
  // Stalls last longer than the client's timeout.
  sb.setFaultRate({ rate: FAULT_RATE, delayMs: TIMEOUT_MS + 500 })

  const reports = new Map() // referenceId -> { provider, outcome }
  const tally = { confirmed: 0, failed: 0, unknown: 0, noReference: 0 }
  let next = 0
  const started = Date.now()

  async function payOne(i) {
    const provider = i % 2 === 0 ? 'momo' : 'paymob'
    const ref = randomUUID()
    const amount = 1 + (i % 100)
    let result
    if (provider === 'momo') {
      const msisdn = `2567${String(10000000 + i).slice(-8)}`
      result = await momo.transfer(ref, undefined, 'sandbox', {
        amount: String(amount),
        currency: 'EUR',
        externalId: `soak-${i}`,
        payee: { partyIdType: 'MSISDN', partyId: msisdn },
      })
    } else {
      const msisdn = `010${String(20000000 + i).slice(-8)}`
      result = await paymob.instantCashin({ issuer: 'vodafone', msisdn, amount, clientReferenceId: ref })
    }
    const [ok, data] = result
    let outcome
    if (ok) outcome = 'confirmed'
    else if (data.error === 'UnknownOutcome') outcome = 'unknown'
    else outcome = 'failed'
    if (!ok && data.referenceId !== ref) tally.noReference += 1
    tally[outcome] += 1
    reports.set(ref, { provider, outcome, error: ok ? null : data.error })
  }

  async function worker() {
    while (next < PAYOUTS) {
      const i = next++
      await payOne(i)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker))
  const elapsed = (Date.now() - started) / 1000
  sb.setFaultRate(null)
  // Let stalled requests that were still being processed finish before reading the ledger.
  await new Promise((r) => setTimeout(r, TIMEOUT_MS + 1000))

  const ledger = await sb.ledger()
  const byRef = new Map()
  for (const e of ledger) byRef.set(e.referenceId, (byRef.get(e.referenceId) || []).concat(e))
  let paidTwice = 0
  let lost = 0
  let phantom = 0
  const paid = (e) => !['FAILED', 'failed', 'rejected', 'returned', 'cancelled'].includes(e.status)
  for (const [ref, entries] of byRef) {
    if (entries.filter(paid).length > 1) paidTwice += 1
    const report = reports.get(ref)
    // Money moved that the client reported as a definite failure, or never reported.
    if (entries.some(paid) && (!report || report.outcome === 'failed')) lost += 1
  }
  for (const [ref, r] of reports) if (r.outcome === 'confirmed' && !byRef.has(ref)) phantom += 1
  const stats = await sb.stats()
  await sb.close()

  const failedKinds = {}
  for (const r of reports.values()) if (r.outcome === 'failed') failedKinds[r.error] = (failedKinds[r.error] || 0) + 1
  const lines = [
    ['payouts requested', PAYOUTS],
    ['confirmed', tally.confirmed],
    ['reported failed', `${tally.failed} ${JSON.stringify(failedKinds)}`],
    ['reported unknown (with reference)', tally.unknown],
    ['failures without their reference', tally.noReference],
    ['paid twice', paidTwice],
    ['lost', lost],
    ['confirmed but not in the ledger', phantom],
    ['faults injected', stats.faultsInjected],
    ['requests', stats.requests],
    ['elapsed', `${elapsed.toFixed(1)} s (${Math.round(PAYOUTS / elapsed)} payouts/s)`],
  ]
  console.log(`soak: ${PAYOUTS} payouts, fault rate ${FAULT_RATE}, concurrency ${CONCURRENCY}`)
  for (const [k, v] of lines) console.log(`  ${k.padEnd(36)} ${v}`)
  process.exit(paidTwice === 0 && lost === 0 && phantom === 0 && tally.noReference === 0 ? 0 : 1)
}

main().catch((e) => {
  console.error(e)
  process.exit(2)
})
