'use strict'
// The ledger side of `mobilemoney-native payouts`: which ledger a command uses (never one
// whose password is on the command line), the summary as printed, and the commands that
// only read or settle the ledger: `status`, `report` and an operator's `resolve`.

const fs = require('node:fs')
const { Readable } = require('node:stream')
const { pipeline } = require('node:stream/promises')
const { stringify } = require('csv-stringify')
const { Payouts } = require('..')
const { fail, usage, defined } = require('./common.js')
const { reportRecords, reportJson } = require('./payouts-csv.js')

const DEFAULT_LEDGER = 'sqlite:./payouts.db'
// `run --sandbox` keeps its own ledger, so that a rehearsal can never mark a real batch
// paid (the core also binds a batch to the account it was first sent to).
const SANDBOX_LEDGER = 'sqlite:./payouts-sandbox.db'
const { STATUSES } = require('../lib/payout-statuses.js')
const MAX_KEYS_SHOWN = 10
// `resolve` sends nothing, but settling an item needs Payouts opened to write: these stand
// in for the secret and the account when the environment has none. (`status` and
// `report` open the ledger read-only.)
const TO_SETTLE = { secret: 'read-only-no-payouts-are-sent', momo: { subscriptionKey: 'read-only' } }

const env = (name) => process.env[name] || undefined

/** Whether a ledger URL carries a password (`user:password@`, or a `password=` parameter). */
function hasPassword(url) {
  if (/[?&\s]password=/i.test(url) || /^password=/i.test(url)) return true
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(url)
  return Boolean(m && m[1].includes(':'))
}

/**
 * The ledger a command uses: `--ledger`, else `$PAYOUTS_LEDGER` (not for `--sandbox`, whose
 * default is a file of its own), else the default file. Resolves `{ url, given }` or
 * `{ problem }`: a `--ledger` with a password is refused (command lines are visible to
 * other users and kept in shell histories); the URL is never echoed.
 */
function chooseLedger(opts) {
  if (opts.ledger) {
    if (hasPassword(opts.ledger)) {
      return {
        problem:
          '--ledger must not carry a password (command lines are seen by other users and kept in shell history): put the password in PGPASSWORD, or pass the whole URL in the PAYOUTS_LEDGER environment variable instead of --ledger.',
      }
    }
    return { url: opts.ledger, given: opts.ledger }
  }
  if (opts.sandbox) return { url: SANDBOX_LEDGER, given: SANDBOX_LEDGER }
  return { url: env('PAYOUTS_LEDGER') || DEFAULT_LEDGER, given: env('PAYOUTS_LEDGER') ? null : DEFAULT_LEDGER }
}

/** A word for a shell: as it is when plain, else single-quoted. */
const shellWord = (w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${String(w).replace(/'/g, "'\\''")}'`)

/**
 * The options that name `ledger` to the other commands, as `run` tells them: `ledger` is
 * the URL the user gave or the default (never one from the environment, which may hold a
 * password: the environment still has it).
 */
function ledgerFlag(ledger) {
  if (ledger === SANDBOX_LEDGER) return ' --sandbox'
  return ledger && ledger !== DEFAULT_LEDGER ? ` --ledger ${shellWord(ledger)}` : ''
}

/** The `payouts resolve` command for an item (`KEY` as a placeholder), as `run` tells it. */
function resolveCommand(batchId, key, ledger) {
  const k = key === 'KEY' ? key : shellWord(key)
  return `mobilemoney-native payouts resolve ${shellWord(batchId)} ${k} --status successful|failed --note "…"${ledgerFlag(ledger)}`
}

// ------------------------------------------------------------------ summary

/**
 * What operators have to do with, and have done to, a batch: `{ awaiting: [keys],
 * resolved: n }`, read from its items (a summary does not count them).
 */
async function operatorCounts(payouts, batchId) {
  // Read a page at a time: a batch of a million items is never held whole.
  const out = { awaiting: [], waiting: 0, resolved: 0 }
  try {
    for await (const i of payouts.iterate(batchId, { status: ['unknown', 'successful', 'failed'] })) {
      if (i.awaitingOperator && out.waiting++ < MAX_KEYS_SHOWN) out.awaiting.push(i.key)
      if (i.resolution) out.resolved++
    }
  } catch {
    return { awaiting: [], waiting: 0, resolved: 0 }
  }
  return out
}

/** The summary on stdout: JSON, or aligned lines for people. */
function printSummary(summary, json, operator = { awaiting: [], waiting: 0, resolved: 0 }) {
  const waiting = operator.waiting ?? operator.awaiting.length
  if (json) {
    const out = { ...summary }
    if (waiting) out.awaitingOperator = waiting
    if (operator.resolved) out.resolvedByOperator = operator.resolved
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`)
    return
  }
  const rows = [['items', summary.total]]
  for (const s of STATUSES) if (summary.byStatus[s]) rows.push([s, summary.byStatus[s]])
  if (waiting) {
    const keys = operator.awaiting.slice(0, MAX_KEYS_SHOWN).join(', ') + (waiting > MAX_KEYS_SHOWN ? ', …' : '')
    rows.push(['awaiting operator', `${waiting} (${keys})`])
  }
  if (operator.resolved) rows.push(['resolved by operator', operator.resolved])
  for (const [currency, a] of Object.entries(summary.amounts || {})) {
    rows.push([currency, `requested ${a.requested}, paid ${a.paid}`])
  }
  rows.push(['started', summary.startedAt])
  if (summary.finishedAt) rows.push(['finished', summary.finishedAt])
  if (summary.paused) rows.push(['paused', summary.paused])
  if (summary.stopped) rows.push(['stopped', 'yes: run the same command again to resume'])
  const width = Math.max(...rows.map(([k]) => k.length))
  const lines = [`batch ${summary.batchId}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)]
  process.stdout.write(`${lines.join('\n')}\n`)
}

// ------------------------------------------------------------------ status, report, resolve

/** The file of a SQLite ledger URL (as the core reads it), or null for another kind. */
function sqliteFile(url) {
  if (/^postgres(ql)?:\/\//.test(url)) return null
  return url.replace(/^sqlite:(\/\/)?/, '')
}

/**
 * Opens the ledger to read it (`settle`: to settle an item too); resolves the instance or
 * undefined (problem printed). Reading needs no secret: an unrelated PAYOUTS_SECRET is
 * not even looked at.
 */
async function openToRead(opts, settle = false) {
  const ledger = chooseLedger(opts)
  if (ledger.problem) return usage(ledger.problem)
  // Reading must not leave an empty ledger behind where there was none.
  const file = sqliteFile(ledger.url)
  if (file && !fs.existsSync(file)) return usage(`there is no ledger at ${file} (give --ledger, or run a batch first).`)
  const options = settle
    ? { ...TO_SETTLE, ledger: ledger.url, secret: env('PAYOUTS_SECRET') || TO_SETTLE.secret }
    : { ledger: ledger.url }
  const [ok, payouts] = await Payouts.open(options)
  if (!ok) return fail('could not open the payouts ledger', payouts)
  return payouts
}

/** `fn(payouts)` on the ledger `openToRead` opens (when it can), closed after. */
async function withLedger(opts, settle, fn) {
  const payouts = await openToRead(opts, settle)
  if (!payouts) return undefined
  try {
    return await fn(payouts)
  } finally {
    await payouts.close()
  }
}

async function runStatus(batchId, opts) {
  return withLedger(opts, false, async (payouts) => {
    const [ok, summary] = await payouts.summary(batchId)
    if (!ok) return fail(`no summary for batch ${batchId}`, summary)
    printSummary(summary, opts.json, await operatorCounts(payouts, batchId))
  })
}

async function runReport(batchId, opts) {
  return withLedger(opts, false, async (payouts) => {
    // The batch first: a missing one is said before any output.
    const [ok, summary] = await payouts.summary(batchId)
    if (!ok) return fail(`no items for batch ${batchId}`, summary)
    // Streamed a page at a time, whatever the batch's size; stdout stays open.
    const items = payouts.iterate(batchId, defined({ status: opts.status }))
    const text = opts.csv ? [Readable.from(reportRecords(items)), stringify()] : [Readable.from(reportJson(items))]
    try {
      await pipeline(...text, process.stdout, { end: false })
    } catch (e) {
      return fail(`no items for batch ${batchId}`, e)
    }
  })
}

/** `payouts resolve ID KEY --status … --note …`: an operator settles an `unknown` item. */
async function runResolve(batchId, key, opts) {
  return withLedger(opts, true, async (payouts) => {
    const [ok, item] = await payouts.resolve(
      batchId,
      key,
      defined({ status: opts.status, note: opts.note, actor: opts.actor }),
    )
    if (!ok) return fail(`could not resolve item ${key} of batch ${batchId}`, item)
    const r = item.resolution || {}
    const by = r.actor ? ` by ${r.actor}` : ''
    process.stdout.write(
      `batch ${batchId} item ${key}: ${item.status} (resolved${by} at ${r.at}: ${JSON.stringify(r.note)})\n`,
    )
  })
}

module.exports = {
  DEFAULT_LEDGER,
  SANDBOX_LEDGER,
  STATUSES,
  chooseLedger,
  ledgerFlag,
  resolveCommand,
  operatorCounts,
  printSummary,
  runStatus,
  runReport,
  runResolve,
  openToRead,
  withLedger,
}
