'use strict'
// A sandbox with a provisioned MoMo user, Payouts options on a fresh SQLite file, and the
// comparison of the Payouts ledger with the sandbox's.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { randomUUID } = require('node:crypto')
const { momoWorld, KEY } = require('./helpers')
const { CREDENTIALS } = require('./paymob')

const SECRET = 'payouts-test-secret-0123456789'

async function payoutsWorld(sandboxOptions = {}) {
  const { paymob, ...rest } = sandboxOptions
  const world = await momoWorld({
    ...rest,
    paymob: { ...CREDENTIALS, inquiryLimitPerMinute: 1000000, ...(paymob || {}) },
  })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'payouts-'))
  const db = path.join(dir, 'ledger.db')
  const options = (extra = {}) => ({
    ledger: `sqlite:${db}`,
    secret: SECRET,
    momo: {
      subscriptionKey: KEY,
      apiUser: world.apiUser,
      apiKey: world.apiKey,
      baseUrl: world.sb.url,
      retryBackoffMs: 5,
      lookupsPerSecond: 1000,
      ...(extra.momo || {}),
    },
    paymob: {
      ...CREDENTIALS,
      baseUrl: `${world.sb.url}/api/secure/`,
      retryBackoffMs: 5,
      lookupsPerSecond: 1000,
      ...(extra.paymob || {}),
    },
  })
  const cleanup = async () => {
    await world.sb.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
  return { ...world, db, dir, options, cleanup }
}

const momoItem = (key, party = '46733120001', amount = '10') => ({
  key,
  provider: 'momo',
  amount,
  currency: 'EUR',
  party,
  note: 'payroll',
})

const paymobItem = (key, msisdn = '01023456789', amount = 5) => ({
  key,
  provider: 'paymob',
  issuer: 'vodafone',
  amount,
  msisdn,
})

/**
 * Every reference recorded at most once by the sandbox; every item the Payouts ledger
 * calls successful paid there under its reference, every failed one not paid; no
 * sandbox payment outside the batch's references.
 */
async function expectLedgersAgree(sb, items) {
  const entries = await sb.ledger()
  const byRef = new Map()
  for (const e of entries) byRef.set(e.referenceId, [...(byRef.get(e.referenceId) || []), e])
  for (const [ref, list] of byRef) expect([ref, list.length]).toEqual([ref, 1])
  for (const it of items) {
    const paid = byRef.get(it.referenceId)
    if (it.status === 'successful') {
      expect([it.key, paid && paid[0].status.toLowerCase()]).toEqual([it.key, expect.stringMatching(/^success/)])
    }
    if (it.status === 'failed' && paid) {
      expect([it.key, paid[0].status.toLowerCase()]).not.toEqual([it.key, expect.stringMatching(/^success/)])
    }
  }
  return byRef
}

module.exports = { SECRET, payoutsWorld, momoItem, paymobItem, expectLedgersAgree, randomUUID }
