'use strict'
// The accounts `payouts run` pays from: the environment's (MTN MoMo and Paymob
// credentials, never the command line's), or with --sandbox a rehearsal's embedded
// sandbox kept beside its ledger.
const fs = require('node:fs')
const { Sandbox, Client } = require('..')
const { PAYMOB_SANDBOX_CREDENTIALS, defined } = require('./common.js')

// With --sandbox the references are keyed with this value unless PAYOUTS_SECRET is set:
// the sandbox moves no real money.
const SANDBOX_SECRET = 'mobilemoney-native-sandbox-only-secret'

const ENVIRONMENT = `
Environment (secrets are read from here only, never from the command line):
  PAYOUTS_SECRET        keys the payout references (at least 16 characters; keep it: a
                        resumed batch needs the same one)
  PAYOUTS_LEDGER        the ledger URL when --ledger is not given (a URL with a password
                        goes here, or its password in PGPASSWORD: --ledger refuses one)
  PGPASSWORD            the PostgreSQL ledger's password when its URL has none
  MOMO_SUBSCRIPTION_KEY, MOMO_API_USER, MOMO_API_KEY                MTN MoMo Disbursements
  PAYMOB_CLIENT_ID, PAYMOB_CLIENT_SECRET, PAYMOB_USERNAME, PAYMOB_PASSWORD   Paymob payouts`

const env = (name) => process.env[name] || undefined

/**
 * Where a rehearsal keeps its sandbox beside its ledger: the sandbox's state (its book,
 * balances and users) and the port and MoMo user it was reached at, so that a rehearsal
 * stopped with Ctrl-C resumes on the same sandbox, as a real run resumes on MTN's (a batch
 * is bound to the account and URL it was first sent to).
 */
function sandboxFiles(ledgerUrl) {
  const file = /^sqlite:/.test(ledgerUrl) ? ledgerUrl.replace(/^sqlite:(\/\/)?/, '') : './payouts-sandbox.db'
  const base = file.replace(/\.[^./\\]*$/, '')
  return { state: `${base}.sandbox-state.json`, reach: `${base}.sandbox.json` }
}

/** The rehearsal's embedded sandbox with a provisioned MoMo API user: `{ sb, momo, paymob }`. */
async function sandboxAccounts(opts, ledgerUrl) {
  const files = sandboxFiles(ledgerUrl)
  let reach = {}
  try {
    reach = JSON.parse(fs.readFileSync(files.reach, 'utf8'))
  } catch {
    // First rehearsal on this ledger: a new sandbox.
  }
  let sb
  try {
    sb = await Sandbox.start(
      defined({ port: reach.port || 0, stateFile: files.state, logRequests: false, latencyMs: opts.sandboxLatencyMs }),
    )
  } catch (e) {
    throw new Error(
      `the rehearsal's sandbox could not start on port ${reach.port} (${e.message}); free the port, or delete ${files.reach} and ${files.state} to start afresh`,
      { cause: e },
    )
  }
  const subscriptionKey = 'sandbox-subscription-key'
  let { apiUser, apiKey } = reach
  if (!apiUser || !apiKey) {
    const client = new Client({ baseUrl: sb.url })
    apiUser = client.getReferenceId()
    const [userOk, user] = await client.createApiUser(apiUser, subscriptionKey, '127.0.0.1')
    const [keyOk, created] = userOk ? await client.createApiKey(apiUser, subscriptionKey) : [false, user]
    if (!keyOk) {
      await sb.close()
      throw Object.assign(new Error('sandbox provisioning failed'), { failure: created })
    }
    apiKey = created.apiKey
  }
  // A sandbox's own test credentials, no real account's: kept so the next run finds them.
  fs.writeFileSync(files.reach, JSON.stringify({ port: Number(new URL(sb.url).port), apiUser, apiKey }) + '\n', {
    mode: 0o600,
  })
  const again = reach.port ? "the rehearsal's" : 'a fresh'
  process.stderr.write(
    `payouts: ${again} embedded sandbox on ${sb.url}, its state in ${files.state} (no real money moves)\n`,
  )
  return {
    sb,
    momo: { subscriptionKey, apiUser, apiKey, baseUrl: sb.url },
    paymob: { ...PAYMOB_SANDBOX_CREDENTIALS, baseUrl: `${sb.url}/api/secure/` },
  }
}

/** The accounts from the environment; a usage problem (string) when one that is needed lacks a setting. */
function environmentAccounts(opts, needed) {
  const accounts = {}
  if (needed.momo) {
    const momo = defined({
      subscriptionKey: env('MOMO_SUBSCRIPTION_KEY'),
      apiUser: opts.momoApiUser || env('MOMO_API_USER'),
      apiKey: env('MOMO_API_KEY'),
      baseUrl: opts.momoBaseUrl,
      targetEnvironment: opts.momoTarget,
    })
    const missing = [
      ['subscriptionKey', 'MOMO_SUBSCRIPTION_KEY'],
      ['apiUser', 'MOMO_API_USER'],
      ['apiKey', 'MOMO_API_KEY'],
    ]
      .filter(([k]) => !momo[k])
      .map(([, name]) => name)
    if (missing.length)
      return `the file has MoMo rows (the first on line ${needed.momo}): set ${missing.join(', ')} (or use --sandbox)`
    accounts.momo = momo
  }
  if (needed.paymob) {
    const names = {
      clientId: 'PAYMOB_CLIENT_ID',
      clientSecret: 'PAYMOB_CLIENT_SECRET',
      username: 'PAYMOB_USERNAME',
      password: 'PAYMOB_PASSWORD',
    }
    const paymob = defined({ baseUrl: opts.paymobBaseUrl, environment: opts.paymobEnv })
    const missing = []
    for (const [key, name] of Object.entries(names)) {
      if (env(name)) paymob[key] = env(name)
      else missing.push(name)
    }
    if (missing.length)
      return `the file has Paymob rows (the first on line ${needed.paymob}): set ${missing.join(', ')} (or use --sandbox)`
    accounts.paymob = paymob
  }
  return accounts
}

module.exports = { ENVIRONMENT, SANDBOX_SECRET, environmentAccounts, sandboxAccounts }
