'use strict'
// The demo's last part: a small batch of both providers paid through `Payouts`, whose
// ledger (SQLite, in a temporary directory removed at the end) makes the batch durable:
// run it again and nothing is paid twice. Before anything is sent, `verify` checks each
// MoMo payee's account and registered name, and holds the one that is not who the payroll
// expects.

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Payouts } = require('..')

// Keys the references of the batch (HMAC): the same item always gets the same reference.
const DEMO_SECRET = 'demo-payouts-secret-not-for-production'
const BATCH_ID = 'demo-payroll-2026-11'
const STATUSES = ['successful', 'failed', 'refused', 'held', 'pending', 'unknown', 'sending', 'queued']

// MoMo test numbers decide the outcome (46733123451: the payee rejects the approval).
// The names MTN has registered for them, as the sandbox is told to answer: emp-002's
// number belongs to someone else than the payroll expects.
const HOLDERS = {
  46733123499: { givenName: 'Amara', familyName: 'Mensah' },
  46733123410: { givenName: 'Kwame', familyName: 'Owusu' },
  46733123451: { givenName: 'Esi', familyName: 'Asante' },
}
const ITEMS = [
  {
    key: 'emp-001',
    provider: 'momo',
    amount: '1200',
    currency: 'EUR',
    party: '46733123499',
    note: 'November salary',
    name: 'mensah amara',
  },
  {
    key: 'emp-002',
    provider: 'momo',
    amount: '950.50',
    currency: 'EUR',
    party: '46733123410',
    note: 'November salary',
    name: 'Kwame Boateng',
  },
  { key: 'emp-003', provider: 'momo', amount: '80', currency: 'EUR', party: '46733123451', note: 'expenses' },
  { key: 'gig-101', provider: 'paymob', issuer: 'vodafone', msisdn: '01023456789', amount: '300' },
  { key: 'gig-102', provider: 'paymob', issuer: 'etisalat', msisdn: '01123456789', amount: '450' },
  { key: 'gig-103', provider: 'paymob', issuer: 'vodafone', msisdn: '01000000618', amount: '120' },
]

function printItems(items, info) {
  const columns = [
    ['key', (i) => i.key],
    ['provider', (i) => i.provider],
    ['payee', (i) => i.party || i.msisdn],
    ['amount', (i) => `${i.amount} ${i.currency}`],
    ['status', (i) => i.status],
    ['reason', (i) => (i.reason ? i.reason.code || i.reason.error : '-')],
    ['reference', (i) => (i.referenceId ? i.referenceId.slice(0, 8) : '-')],
  ]
  for (const line of tableLines(columns, items)) info(line)
}

/**
 * A plain-text table: `columns` are `[title, get]`, each row's cells `get(row)` ('-' when
 * missing), padded to the widest; the title line first, then a rule of dashes if asked.
 */
function tableLines(columns, rows, { rule = false } = {}) {
  const cells = rows.map((r) => columns.map(([, get]) => String(get(r) ?? '-')))
  const widths = columns.map(([title], c) => Math.max(title.length, ...cells.map((row) => row[c].length)))
  const line = (values) =>
    values
      .map((v, c) => v.padEnd(widths[c]))
      .join('  ')
      .trimEnd()
  const head = [line(columns.map(([title]) => title)), ...(rule ? [line(widths.map((w) => '-'.repeat(w)))] : [])]
  return [...head, ...cells.map(line)]
}

function summaryLine(s) {
  const counts = STATUSES.filter((status) => s.byStatus[status] > 0).map((status) => `${s.byStatus[status]} ${status}`)
  const amounts = Object.entries(s.amounts).map(([c, a]) => `${c} ${a.paid} paid of ${a.requested}`)
  return `batch ${s.batchId}: ${s.total} items, ${counts.join(', ')}; ${amounts.join('; ')}${s.finishedAt ? '; finished' : ''}`
}

/** `accounts`: `{ momo, paymob }` client options for the sandbox. */
async function bulk(sb, accounts, { step, info, required }) {
  step(`Bulk payouts: a batch of ${ITEMS.length} (MoMo and Paymob) through Payouts, with a SQLite ledger`)
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mobilemoney-demo-'))
  let payouts = null
  const before0 = (await sb.ledger()).length
  try {
    payouts = required(
      await Payouts.open({
        ledger: `sqlite:${path.join(dir, 'payouts.db')}`,
        secret: DEMO_SECRET,
        momo: accounts.momo,
        paymob: accounts.paymob,
      }),
      'Payouts.open',
    )
    const batch = required(await payouts.submit(BATCH_ID, ITEMS), 'submit')
    info(`batch ${BATCH_ID} submitted: ${batch.total} items (references written to the ledger before sending)`)

    step('Verify the payees before any money moves: active accounts, registered names')
    for (const [msisdn, holder] of Object.entries(HOLDERS)) sb.setAccountHolder(msisdn, holder)
    const verified = required(await payouts.verify(BATCH_ID), 'verify')
    info(
      `verified ${verified.verified}, held ${verified.held} (nothing sent yet; sandbox payouts: ${(await sb.ledger()).length - before0})`,
    )
    for (const item of verified.items) {
      const r = item.reason
      info(`held ${item.key}: ${r.error}, registered as ${r.registeredName} (rule ${r.rule}, score ${r.score})`)
    }

    step('Pay the rest: the held item is never sent until an operator approves it')
    const summary = required(await payouts.run(BATCH_ID, { concurrency: 4 }), 'run')
    printItems(required(await payouts.items(BATCH_ID), 'items'), info)
    info(summaryLine(summary))

    step('Run the same batch again (as after a crash): nothing is paid twice')
    const before = (await sb.ledger()).length
    const again = required(await payouts.submit(BATCH_ID, ITEMS), 'submit again')
    required(await payouts.run(BATCH_ID), 'run again')
    const after = (await sb.ledger()).length
    info(
      `submit again: ${again.created ? 'created' : 'already there, same items'}; sandbox payouts before ${before}, after ${after}`,
    )
  } finally {
    if (payouts) await payouts.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

module.exports = { bulk, tableLines }
