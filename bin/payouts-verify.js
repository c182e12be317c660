'use strict'
// `mobilemoney-native payouts verify | approve | reject`: recipients checked before any
// money moves. `verify FILE --batch ID` submits the file's batch (nothing is sent) and
// checks each MoMo row's account (active; the registered name against the `name`
// column), then lists what it held; `approve` releases held items, `reject` refuses them;
// `payouts run FILE --batch ID` then pays what is not held.
//
// The registered names are never printed in full: only masked (`J*** O*****`).

const { Option } = require('commander')
const { integer, positiveNumber, fail, defined } = require('./common.js')
const ledger = require('./payouts-ledger.js')

// Exit code when items are held: the batch needs an operator before it is run.
const EXIT_HELD = 2

/** The held items as an aligned table: key, party, why, score, registered name (masked). */
function heldTable(items) {
  const rows = items.map((i) => {
    const r = i.reason || {}
    return [
      i.key,
      i.party || i.msisdn || '',
      r.error || '',
      r.score === undefined ? '' : String(r.score),
      r.registeredName || '',
    ]
  })
  const head = ['key', 'party', 'held for', 'score', 'registered as']
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)))
  const line = (cells) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd()
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n'
}

// `payouts run`'s helpers, given by register().
const run = {}

async function submitAndVerify(payouts, file, { lines }, opts, ledgerGiven) {
  const batchId = opts.batch
  const batch = await run.submitFile(payouts, file, lines, batchId)
  if (!batch) return
  process.stderr.write(`payouts: batch ${batchId}: ${batch.total} items; verifying (nothing is sent)\n`)
  const [ok, result] = await payouts.verify(batchId, defined({ concurrency: opts.concurrency }))
  if (!ok) return fail(`could not verify batch ${batchId}`, result)
  if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
  else {
    process.stdout.write(`verified ${result.verified}, held ${result.held}, unverified ${result.unverified.length}\n`)
    if (result.items.length) process.stdout.write(`\n${heldTable(result.items)}`)
  }
  const flag = ledger.ledgerFlag(ledgerGiven)
  if (result.unverified.length) {
    process.stderr.write(
      `payouts: ${result.unverified.length} item(s) could not be verified (the provider did not answer); run the same command again.\n`,
    )
  }
  if (result.held) {
    process.stderr.write(
      `payouts: held items are never sent. Release one with: mobilemoney-native payouts approve ${batchId} KEY…${flag}\n` +
        `payouts: or refuse it for good with: mobilemoney-native payouts reject ${batchId} KEY… --note "…"${flag}\n`,
    )
  }
  process.stderr.write(
    `payouts: then pay the rest with: mobilemoney-native payouts run ${file} --batch ${batchId}${flag}\n`,
  )
  process.exitCode = result.held || result.unverified.length ? EXIT_HELD : 0
}

/** `payouts approve ID KEY…` and `payouts reject ID KEY… --note`. */
async function runDecision(decision, batchId, keys, opts) {
  // Deciding writes: opened as `resolve` opens it (no provider account is needed).
  return ledger.withLedger(opts, true, async (payouts) => {
    const [ok, result] =
      decision === 'approve'
        ? await payouts.approve(batchId, keys, defined({ note: opts.note, actor: opts.actor }))
        : await payouts.reject(batchId, keys, opts.note)
    if (!ok) return fail(`could not ${decision} the items of batch ${batchId}`, result)
    for (const item of result.items) {
      process.stdout.write(
        `batch ${batchId} item ${item.key}: ${item.status} (${decision === 'approve' ? 'approved' : 'rejected'})\n`,
      )
    }
  })
}

/** Adds `verify`, `approve` and `reject` to the `payouts` command; `shared`: run's helpers. */
function register(payouts, shared) {
  Object.assign(run, shared)
  payouts
    .command('verify')
    .description(
      "Submit a CSV file's batch and check every MoMo row's account before anything is sent (active; the registered name against the name column); list the held rows.",
    )
    .argument('<file>', 'the CSV file (the same as for run; add a name column to check names)')
    .requiredOption('--batch <id>', 'the batch id (then run the same file and id to pay)')
    .addOption(shared.ledgerOption())
    .option('--sandbox', 'verify against the embedded sandbox (as run --sandbox)')
    .option('--concurrency <n>', 'items looked up at once (16)', integer('--concurrency', { min: 1, max: 10000 }))
    .option(
      '--lookups-per-second <n>',
      'MoMo lookups a second, shared with status lookups (default 10, as MTN asks): two an item with a name',
      positiveNumber('--lookups-per-second'),
    )
    .option('--momo-base-url <url>', 'MTN MoMo host (default: the MTN sandbox)')
    .option('--momo-target <environment>', 'X-Target-Environment (default sandbox)')
    .option('--momo-api-user <uuid>', 'MoMo API user (default: $MOMO_API_USER)')
    .option('--paymob-base-url <url>', "Paymob API base URL (default: Paymob's)")
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExit code: 0 every row verified, 1 error, 2 rows held or not verified (approve, reject or verify again first).\n' +
        "Paymob cannot look a wallet holder up: Paymob rows are checked for their issuer's number format only.",
    )
    // Read, checked and opened as `payouts run` does; then submitted and verified, not run.
    .action((file, opts) => shared.runPayouts(file, { ...opts, afterOpen: submitAndVerify }))

  payouts
    .command('approve')
    .description('Release held items to be paid (the next run sends them); the decision is kept in the ledger.')
    .argument('<batchId>', 'the batch id')
    .argument('<keys...>', 'the keys of the held items')
    .option('--note <text>', 'why (kept in the ledger)')
    .option('--actor <name>', 'who decides (kept in the ledger)')
    .addOption(shared.ledgerOption())
    .addOption(shared.sandboxLedgerOption())
    .action((batchId, keys, opts) => runDecision('approve', batchId, keys, opts))

  payouts
    .command('reject')
    .description('Refuse held items for good: they end refused and are never sent.')
    .argument('<batchId>', 'the batch id')
    .argument('<keys...>', 'the keys of the held items')
    .addOption(new Option('--note <text>', 'why (kept in the ledger)').makeOptionMandatory())
    .addOption(shared.ledgerOption())
    .addOption(shared.sandboxLedgerOption())
    .action((batchId, keys, opts) => runDecision('reject', batchId, keys, opts))
}

module.exports = { register, heldTable }
