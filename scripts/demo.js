#!/usr/bin/env node
'use strict'
// `npm run demo`: the whole job end to end, offline, on the embedded sandbox.
//
//   1. start the sandbox and a local listener for MoMo callbacks
//   2. provision a MoMo API user and key, take a token, check the balance
//   3. pay several sandbox test numbers with `transfer`, each with a callback URL
//   4. wait for the callbacks, and confirm each payout with `getTransferStatus`
//      (callbacks are not signed: the lookup is the truth)
//   5. pay out through Paymob: a wallet success, a wallet failure, a pending bank card
//   6. print a summary table and the sandbox's ledger
//   7. pay a small batch of both providers through `Payouts` (its ledger in a temporary
//      directory), print the batch summary, and run it again: nothing is paid twice
//
// Every call resolves `[ok, data]` and never throws: the demo checks `ok` each time.
// It needs no account and no network (everything is on 127.0.0.1).

const http = require('node:http')
const { Sandbox, Client, Disbursements, PaymobPayouts, parseCallback } = require('..')
const { bulk, tableLines } = require('./demo-payouts.js')

const SUBSCRIPTION_KEY = 'demo-subscription-key' // the sandbox accepts any non-empty key
const PAYMOB_CREDENTIALS = {
  // The embedded sandbox's default Paymob credentials.
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  username: 'sandbox-user',
  password: 'sandbox-password',
}
const CALLBACK_TIMEOUT_MS = 10000

// MoMo sandbox test numbers: the payee decides the outcome (docs/sandbox-and-testing.md).
const MOMO_PAYOUTS = [
  { party: '46733123499', amount: '1500', note: 'salary' },
  { party: '56733123453', amount: '250.50', note: 'refund of order 1042' },
  { party: '46733123451', amount: '80', note: 'payee rejects the approval' },
  { party: '46733123455', amount: '12000', note: 'payer account short of funds' },
  { party: '46733123457', amount: '40', note: 'unknown payee' },
  { party: '46733123461', amount: '60', note: 'refused at once: currency' },
]

// Paymob: the issuer and number decide the outcome in the sandbox.
const PAYMOB_PAYOUTS = [
  { issuer: 'vodafone', msisdn: '01023456789', amount: 100 },
  { issuer: 'vodafone', msisdn: '01000000618', amount: 100 },
  {
    issuer: 'bank_card',
    amount: 2500,
    fullName: 'Mona Adel',
    bankCardNumber: '1111222233334444',
    bankCode: 'CIB',
    bankTransactionType: 'cash_transfer',
  },
]

const step = (text) => console.log(`\n> ${text}`)
const info = (text) => console.log(`  ${text}`)
const short = (ref) => (ref ? ref.slice(0, 8) : '-') // enough to tell rows apart
const maskCard = (n) => `card *${String(n).slice(-4)}`

/** Print the failure of a step that the rest depends on, and stop. */
class StepFailed extends Error {}
function required([ok, data], what) {
  if (!ok) throw new StepFailed(`${what} failed: ${data.error}: ${data.message}`)
  return data
}

/**
 * A local HTTP server for MoMo callbacks. Each payout gets its own URL
 * (`/momo/<referenceId>`), so a callback is matched to its payout even before parsing.
 */
async function startCallbackListener() {
  const received = new Map() // referenceId -> { method, callback }
  const waiting = new Set()
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', () => {
      res.writeHead(200).end() // answer at once; work after
      const referenceId = decodeURIComponent(req.url.replace(/^\/momo\//, ''))
      const [ok, callback] = parseCallback(raw, req.headers)
      // Callbacks may arrive twice: keep the first.
      if (ok && !received.has(referenceId)) received.set(referenceId, { method: req.method, callback })
      for (const wake of waiting) wake()
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${server.address().port}`
  return {
    base,
    urlFor: (referenceId) => `${base}/momo/${referenceId}`,
    received,
    /** Resolve once every reference has a callback, or when the timeout passes. */
    async waitFor(referenceIds, timeoutMs) {
      const deadline = Date.now() + timeoutMs
      while (!referenceIds.every((r) => received.has(r)) && Date.now() < deadline) {
        await new Promise((wake) => {
          waiting.add(wake)
          setTimeout(wake, 100)
        }).finally(() => waiting.clear())
      }
      return referenceIds.filter((r) => received.has(r)).length
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  }
}

async function momo(sb, listener, rows) {
  step('MTN MoMo: provision an API user and key (as `mobilemoney-native provision` does)')
  const client = new Client({ baseUrl: sb.url })
  const apiUser = client.getReferenceId()
  required(await client.createApiUser(apiUser, SUBSCRIPTION_KEY, '127.0.0.1'), 'createApiUser')
  const { apiKey } = required(await client.createApiKey(apiUser, SUBSCRIPTION_KEY), 'createApiKey')
  info(`API user ${apiUser} created, callback host 127.0.0.1; API key created`)

  // With apiUser + apiKey the client fetches, caches and renews bearer tokens itself:
  // calls below pass `null` as their authorization.
  const d = new Disbursements(SUBSCRIPTION_KEY, { baseUrl: sb.url, apiUser, apiKey })

  step('Take an access token (explicitly here, to show the step)')
  const token = required(await d.createAccessToken(client.basicToken(apiUser, apiKey)), 'createAccessToken')
  info(`token obtained (${token.token_type}, valid ${token.expires_in} s); not shown, it is a secret`)

  step('Check the balance')
  const balance = required(await d.getAccountBalance(null, 'sandbox'), 'getAccountBalance')
  info(`available: ${balance.availableBalance} ${balance.currency}`)

  step(`Pay ${MOMO_PAYOUTS.length} people with transfer(), each with a callback URL`)
  const accepted = []
  for (const payout of MOMO_PAYOUTS) {
    const referenceId = client.getReferenceId() // X-Reference-Id: the payout's identity
    const body = {
      amount: payout.amount,
      currency: 'EUR', // the MoMo sandbox accepts EUR only
      externalId: `demo-${payout.party}`,
      payee: { partyIdType: 'MSISDN', partyId: payout.party },
      payerMessage: 'Payout from the demo',
      payeeNote: payout.note,
    }
    const [ok, data] = await d.transfer(referenceId, null, 'sandbox', body, listener.urlFor(referenceId))
    const row = { referenceId, provider: 'MoMo', party: payout.party, amount: `${payout.amount} EUR` }
    if (ok) {
      info(`${payout.party}  accepted   ${referenceId}`)
      accepted.push(row)
    } else {
      // Refused outright: nothing was paid, and no callback will come.
      info(`${payout.party}  refused    ${data.error} ${data.code || ''} (HTTP ${data.status})`)
      Object.assign(row, { status: 'REFUSED', reason: data.code || data.error, callback: '-' })
    }
    rows.push(row)
  }

  step(`Wait for the callbacks (at most ${CALLBACK_TIMEOUT_MS / 1000} s)`)
  const refs = accepted.map((r) => r.referenceId)
  const count = await listener.waitFor(refs, CALLBACK_TIMEOUT_MS)
  info(`${count} of ${refs.length} callbacks received`)

  step('Confirm each payout with getTransferStatus (a callback is a hint, the lookup is the truth)')
  for (const row of accepted) {
    const [ok, tx] = await d.getTransferStatus(row.referenceId, null, 'sandbox')
    const cb = listener.received.get(row.referenceId)
    row.callback = cb ? `yes (${cb.method})` : 'no'
    if (ok) {
      row.status = tx.status
      row.reason = tx.reason ? tx.reason.code : ''
      // A disagreement would mean the callback lied or came early: the lookup wins.
      if (cb && cb.callback.status !== tx.status) row.callback += `, said ${cb.callback.status}`
    } else {
      row.status = 'UNKNOWN'
      row.reason = `${tx.error}: ${tx.message}`
    }
    info(`${row.party}  ${row.status}${row.reason ? ` ${row.reason}` : ''}`)
  }
  return { subscriptionKey: SUBSCRIPTION_KEY, apiUser, apiKey, baseUrl: sb.url }
}

async function paymob(sb, rows) {
  step('Paymob: instant cash-in to a wallet, a failing wallet and a bank card')
  // Tokens (password grant, then refresh) are managed by the instance.
  const p = new PaymobPayouts({ ...PAYMOB_CREDENTIALS, baseUrl: `${sb.url}/api/secure/` })
  for (const request of PAYMOB_PAYOUTS) {
    const [ok, data] = await p.instantCashin(request)
    const party = request.msisdn || maskCard(request.bankCardNumber)
    const row = { provider: 'Paymob', party, amount: `${request.amount} EGP`, callback: 'n/a' }
    if (ok) {
      Object.assign(row, {
        referenceId: data.clientReferenceId,
        status: data.disbursement_status,
        // Paymob's status code says why a payout is not (yet) successful, e.g. 8000 for
        // "dispatched to the bank".
        reason: data.disbursement_status === 'successful' ? '' : String(data.status_code),
      })
    } else {
      // A business failure comes back as ProviderError with Paymob's status code.
      Object.assign(row, { referenceId: data.referenceId, status: 'failed', reason: data.code || data.error })
    }
    info(`${request.issuer.padEnd(9)} ${party.padEnd(14)} ${row.status} ${row.reason}`)
    rows.push(row)
  }
}

function printSummary(rows) {
  const columns = [
    ['reference', (r) => short(r.referenceId)],
    ['provider', (r) => r.provider],
    ['party', (r) => r.party],
    ['amount', (r) => r.amount],
    ['final status', (r) => r.status],
    ['reason', (r) => r.reason || '-'],
    ['callback', (r) => r.callback],
  ]
  console.log('')
  for (const line of tableLines(columns, rows, { rule: true })) console.log(line)
}

async function main() {
  console.log('mobilemoney-native demo: payouts on the embedded sandbox (no account, no network)')

  // A short settlement delay, so payouts really go PENDING -> final, as live.
  const sb = await Sandbox.start({ port: 0, settleAfterMs: 200 })
  const listener = await startCallbackListener()
  console.log(`\nSandbox on ${sb.url}; callback listener on ${listener.base}`)

  const rows = []
  try {
    const momoAccount = await momo(sb, listener, rows)
    await paymob(sb, rows)

    step('Summary')
    printSummary(rows)

    const ledger = await sb.ledger()
    const by = (provider) => ledger.filter((e) => e.provider === provider).length
    console.log(`\nSandbox ledger: ${ledger.length} payouts recorded (MoMo ${by('momo')}, Paymob ${by('paymob')})`)

    const paymobAccount = { ...PAYMOB_CREDENTIALS, baseUrl: `${sb.url}/api/secure/` }
    await bulk(sb, { momo: momoAccount, paymob: paymobAccount }, { step, info, required })
  } finally {
    await listener.close()
    await sb.close()
  }
}

main().catch((e) => {
  console.error(`\ndemo stopped: ${e instanceof StepFailed ? e.message : e.stack}`)
  process.exitCode = 1
})
