'use strict'
// Issue 17 through the addon and the CLI: each MoMo product is its own account,
// Sandbox#paymobUrl, and a sandbox whose ledger, accounts and users outlive a restart
// (Sandbox.start({ stateFile }) and `sandbox --state FILE`, stopped with SIGINT).
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { Sandbox, PaymobPayouts, Client, Collection, Remittance, Disbursements } = require('..')
const { KEY, momoWorld, transferBody, randomUUID } = require('./support/helpers')
const { CREDENTIALS } = require('./support/paymob')

const CLI = path.join(__dirname, '..', 'bin', 'cli.js')
const tmpFile = () => path.join(os.tmpdir(), `mobilemoney-sandbox-${randomUUID()}.json`)

describe('per-product accounts', () => {
  let world
  afterEach(() => world.sb.close())

  test('Collection credits its own account; Remittance draws on its own', async () => {
    world = await momoWorld({ momo: { balance: 500, balances: { remittance: 100 } } })
    expect(world.sb.momoBalances()).toEqual({ collection: 500, disbursement: 500, remittance: 100 })
    const creds = { baseUrl: world.sb.url, apiUser: world.apiUser, apiKey: world.apiKey, retryBackoffMs: 20 }
    const c = new Collection(KEY, creds)
    const r = new Remittance(KEY, creds)

    const rtp = randomUUID()
    const payer = { partyIdType: 'MSISDN', partyId: '46733123499' }
    expect(
      (await c.requestToPay(null, rtp, 'sandbox', { amount: '75', currency: 'EUR', externalId: 'o-1', payer }))[0],
    ).toBe(true)
    expect((await c.getRequestToPayStatus(null, rtp, 'sandbox'))[1].status).toBe('SUCCESSFUL')

    // 25 out of Remittance's 100: the 75 collected does not raise it.
    const sent = randomUUID()
    expect((await r.transfer(sent, null, 'sandbox', transferBody('46733123499', '25')))[0]).toBe(true)
    expect((await r.getTransferStatus(sent, null, 'sandbox'))[1].status).toBe('SUCCESSFUL')
    expect(world.sb.momoBalances()).toEqual({ collection: 575, disbursement: 500, remittance: 75 })
    expect(await r.getAccountBalance(null, 'sandbox')).toEqual([true, { availableBalance: '75', currency: 'EUR' }])
    expect(await c.getAccountBalance(null, 'sandbox')).toEqual([true, { availableBalance: '575', currency: 'EUR' }])

    // One product drained: its payouts fail, the others' are paid.
    world.sb.setMomoBalance(10, 'remittance')
    const short = randomUUID()
    await r.transfer(short, null, 'sandbox', transferBody('46733123499', '20'))
    expect((await r.getTransferStatus(short, null, 'sandbox'))[1].reason.code).toBe('NOT_ENOUGH_FUNDS')
    const d = world.managed()
    const paid = randomUUID()
    await d.transfer(paid, null, 'sandbox', transferBody('46733123499', '20'))
    expect((await d.getTransferStatus(paid, null, 'sandbox'))[1].status).toBe('SUCCESSFUL')
    expect(() => world.sb.setMomoBalance(10, 'wallet')).toThrow(/invalid MoMo product/)

    const control = await fetch(`${world.sb.url}/_sandbox/momo/balances`).then((x) => x.json())
    expect(control).toEqual({ balances: { collection: 575, disbursement: 480, remittance: 10 }, currency: 'EUR' })
  })
})

test('Sandbox#paymobUrl is the base URL PaymobPayouts takes', async () => {
  const sb = await Sandbox.start({ port: 0 })
  try {
    expect(sb.paymobUrl).toBe(`${sb.url}/api/secure/`)
    const p = new PaymobPayouts({ ...CREDENTIALS, baseUrl: sb.paymobUrl, retryBackoffMs: 20 })
    expect((await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 60 }))[0]).toBe(true)
    expect((await sb.ledger()).map((e) => [e.provider, e.amount])).toEqual([['paymob', 60]])
  } finally {
    await sb.close()
  }
})

test('Sandbox.start({ stateFile }) resumes its ledger, accounts and users', async () => {
  const stateFile = tmpFile()
  try {
    const first = await momoWorld({ stateFile, settleAfterMs: 60_000 })
    const d = first.managed()
    const pending = randomUUID()
    expect((await d.transfer(pending, null, 'sandbox', transferBody('46733123499', '30')))[0]).toBe(true)
    first.sb.setMomoBalance(1234, 'collection')
    await first.sb.close()
    expect(fs.existsSync(stateFile)).toBe(true)
    expect(fs.existsSync(`${stateFile}.tmp`)).toBe(false)

    const sb = await Sandbox.start({ port: 0, stateFile })
    try {
      // The same API user, on a new port: a new client fetches a token and finds the payout.
      const again = new Disbursements(KEY, {
        baseUrl: sb.url,
        apiUser: first.apiUser,
        apiKey: first.apiKey,
        retryBackoffMs: 20,
      })
      const [ok, status] = await again.getTransferStatus(pending, null, 'sandbox')
      expect([ok, status.status, status.amount]).toEqual([true, 'PENDING', '30'])
      expect((await sb.ledger()).map((e) => [e.referenceId, e.status])).toEqual([[pending, 'PENDING']])
      expect(sb.momoBalances()).toEqual({ collection: 1234, disbursement: 10_000_000 - 30, remittance: 10_000_000 })
    } finally {
      await sb.close()
    }
  } finally {
    fs.rmSync(stateFile, { force: true })
  }
})

/** `cli sandbox …` in the background; resolves once it printed its URL. */
function startCli(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sandbox', '--port', '0', '--quiet', ...args])
    const out = { stdout: '', stderr: '' }
    const exited = new Promise((r) => child.on('close', (code, signal) => r({ code, signal })))
    child.stderr.on('data', (c) => (out.stderr += c))
    child.stdout.on('data', (c) => {
      out.stdout += c
      const m = out.stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
      if (m) resolve({ child, out, url: m[1], exited })
    })
    child.on('error', reject)
  })
}

test('sandbox --state FILE: stopped with SIGINT, restarted, the pending payout settles', async () => {
  const stateFile = tmpFile()
  try {
    const first = await startCli(['--state', stateFile, '--settle-after-ms', '60000'])
    expect(first.out.stdout).toContain(`State     ${stateFile}`)
    const client = new Client({ baseUrl: first.url })
    const apiUser = randomUUID()
    expect((await client.createApiUser(apiUser, KEY, '127.0.0.1'))[0]).toBe(true)
    const [, { apiKey }] = await client.createApiKey(apiUser, KEY)
    const d = new Disbursements(KEY, { baseUrl: first.url, apiUser, apiKey, retryBackoffMs: 20 })
    const ref = randomUUID()
    expect((await d.transfer(ref, null, 'sandbox', transferBody('46733123499', '5')))[0]).toBe(true)
    first.child.kill('SIGINT')
    expect(await first.exited).toEqual({ code: 0, signal: null })

    // Restarted: the payout keeps its original due time (a minute), so it is still pending;
    // the ledger and the API user are still known.
    const second = await startCli(['--state', stateFile])
    try {
      const d2 = new Disbursements(KEY, { baseUrl: second.url, apiUser, apiKey, retryBackoffMs: 20 })
      expect((await d2.getTransferStatus(ref, null, 'sandbox'))[1].status).toBe('PENDING')
      const ledger = await fetch(`${second.url}/_sandbox/ledger`).then((x) => x.json())
      expect(ledger.map((e) => [e.referenceId, e.amount, e.status])).toEqual([[ref, 5, 'PENDING']])
    } finally {
      second.child.kill('SIGINT')
    }
    expect(await second.exited).toEqual({ code: 0, signal: null })
  } finally {
    fs.rmSync(stateFile, { force: true })
  }
})
