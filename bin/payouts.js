'use strict'
// `mobilemoney-native payouts run | status | report | resolve`: bulk payouts from a CSV
// file through the package's `Payouts` (its ledger makes a batch resumable and never paid
// twice). `status`, `report` and `resolve` are in payouts-ledger.js, the accounts in
// payouts-accounts.js.
//
// Secrets (provider keys and passwords, the payouts secret, a ledger URL that may hold a
// password) come from environment variables and are never printed.

const { Option } = require('commander')
const { Payouts } = require('..')
const { integer, positiveNumber, fail, usage, defined, fileError } = require('./common.js')
const { scanPayouts, payoutItems, itemFailureLines, columnsHelp, REPORT_COLUMNS } = require('./payouts-csv.js')
const { Progress, progressMode } = require('./payouts-progress.js')
const ledger = require('./payouts-ledger.js')
const { ENVIRONMENT, SANDBOX_SECRET, environmentAccounts, sandboxAccounts } = require('./payouts-accounts.js')

const { DEFAULT_LEDGER, SANDBOX_LEDGER, STATUSES } = ledger
const MAX_ERRORS_SHOWN = 50
// Exit codes: 0 the batch is finished (every item final; some may have failed), 1 an
// error (nothing or not everything could be done), 2 the batch is paused, still has
// items to follow or items waiting on an operator, 130 interrupted by Ctrl-C.
const EXIT_NOT_FINISHED = 2
const EXIT_INTERRUPTED = 130

const env = (name) => process.env[name] || undefined

// ------------------------------------------------------------------ summary

/**
 * What to say after the summary, and the exit code, for a batch as `run` left it.
 * `operator`: how many items wait on an operator (`waiting`) and the first keys of them
 * (`awaiting`); `ledgerGiven`: the ledger
 * URL the user gave or the default (none when it came from the environment).
 */
function outcome(summary, operator, ledgerGiven) {
  const { awaiting, waiting } = operator
  if (summary.stopped) return [EXIT_INTERRUPTED, []]
  const notes = []
  if (summary.paused) {
    const why =
      summary.paused === 'insufficient_funds' ? 'the account ran out of balance or budget; top it up, then ' : ''
    notes.push(`the batch is paused (${summary.paused}): ${why}run the same command again to continue.`)
  }
  if (waiting) {
    const shown = awaiting.slice(0, 10).join(', ') + (waiting > 10 ? ', …' : '')
    const key = waiting === 1 ? awaiting[0] : 'KEY'
    notes.push(
      `${waiting} item(s) wait on an operator (${shown}); nothing more is sent for them. ` +
        `Look each up in the provider's portal by its referenceId (payouts report ${summary.batchId} --status unknown${ledger.ledgerFlag(ledgerGiven)}), then settle it: ` +
        ledger.resolveCommand(summary.batchId, key, ledgerGiven),
    )
  }
  if (summary.paused) return [EXIT_NOT_FINISHED, notes]
  if (!summary.finishedAt) {
    const open =
      ['queued', 'sending', 'pending', 'unknown'].reduce((n, s) => n + (summary.byStatus[s] || 0), 0) - waiting
    if (open > 0) notes.push(`${open} item(s) are not final yet; run the same command again later to follow them.`)
    return [EXIT_NOT_FINISHED, notes]
  }
  return [0, notes]
}

// ------------------------------------------------------------------ run

function printFileErrors(file, errors, count = errors.length) {
  process.stderr.write(`error: ${file} has ${count} problem(s); nothing was sent:\n`)
  const shown = errors.slice(0, MAX_ERRORS_SHOWN)
  for (const e of shown) process.stderr.write(`  line ${e.line}: ${e.message}\n`)
  if (count > shown.length) process.stderr.write(`  … and ${count - shown.length} more\n`)
  process.exitCode = 1
}

async function runPayouts(file, opts) {
  // A first pass checks every row and keeps only their line numbers; the second streams
  // the items into submit.
  let read
  try {
    read = await scanPayouts(file)
  } catch (e) {
    return fileError(`cannot read ${file}`, e)
  }
  if (read.errorCount) return printFileErrors(file, read.errors, read.errorCount)
  const needed = { momo: read.firstLine.momo || 0, paymob: read.firstLine.paymob || 0 }

  const where = ledger.chooseLedger(opts)
  if (where.problem) return usage(where.problem)
  const secret = env('PAYOUTS_SECRET') || (opts.sandbox ? SANDBOX_SECRET : undefined)
  if (!secret)
    return usage('set PAYOUTS_SECRET: it keys the payout references (keep it: resuming the batch needs the same one).')

  let accounts
  let sb = null
  if (opts.sandbox) {
    try {
      ;({ sb, ...accounts } = await sandboxAccounts(opts, where.url))
    } catch (e) {
      return e.failure ? fail('could not provision the sandbox', e.failure) : usage(e.message)
    }
  } else {
    accounts = environmentAccounts(opts, needed)
    if (typeof accounts === 'string') return usage(accounts)
  }
  const config = { ledger: where.url, secret }
  if (needed.momo) {
    config.momo = {
      ...accounts.momo,
      ...defined({ ratePerSecond: opts.ratePerSecond, lookupsPerSecond: opts.lookupsPerSecond }),
    }
  }
  if (needed.paymob) {
    const inquiries = opts.paymobInquiriesPerMinute
    config.paymob = {
      ...accounts.paymob,
      ...defined({ ratePerSecond: opts.ratePerSecond, lookupsPerSecond: inquiries && inquiries / 60 }),
    }
  }

  const [opened, payouts] = await Payouts.open(config)
  if (!opened) {
    if (sb) await sb.close()
    return fail('could not open the payouts ledger', payouts)
  }
  try {
    // `payouts verify` opens the same way, then submits and verifies instead (payouts-verify.js).
    await (opts.afterOpen || submitAndRun)(payouts, file, read, opts, where.given)
  } finally {
    await payouts.close()
    if (sb) await sb.close()
  }
}

/**
 * Streams the file's items into `submit` as batch `batchId`: resolves the batch, or null
 * once what went wrong is printed (every item the rules refuse, by line and column).
 */
async function submitFile(payouts, file, lines, batchId) {
  let readError = null
  const items = payoutItems(file, (e) => {
    readError = e || null
  })
  const [submitted, batch] = await payouts.submit(batchId, items)
  if (readError) fileError(`cannot read ${file}`, readError)
  else if (submitted) return batch
  else {
    const refused = itemFailureLines(batch, lines)
    if (refused) printFileErrors(file, refused.errors, refused.count)
    else fail(`could not submit batch ${batchId}`, batch)
  }
  return null
}

async function submitAndRun(payouts, file, { lines }, opts, ledgerGiven) {
  const batchId = opts.batch
  const batch = await submitFile(payouts, file, lines, batchId)
  if (!batch) return
  process.stderr.write(
    batch.created
      ? `payouts: batch ${batchId} submitted: ${batch.total} items\n`
      : `payouts: batch ${batchId} was submitted before with the same items: resuming it\n`,
  )

  const progress = new Progress(progressMode(opts.progress), batch)
  const controller = new AbortController()
  const stop = onInterrupt(() => {
    progress.stop()
    process.stderr.write(
      '\npayouts: interrupted; stopping. The payouts in flight are being recorded; run the same command again to resume (Ctrl-C again exits at once: what was in flight is then looked up by its reference, never sent twice).\n',
    )
    controller.abort()
  })
  const [ran, summary] = await payouts.run(
    batchId,
    defined({
      concurrency: opts.concurrency,
      onProgress: progress.mode === 'none' ? undefined : (event) => progress.update(event),
      signal: controller.signal,
    }),
  )
  stop()
  progress.stop()
  if (!ran) return fail(`batch ${batchId} stopped`, summary)
  const operator = await ledger.operatorCounts(payouts, batchId)
  ledger.printSummary(summary, opts.json, operator)
  const [code, notes] = outcome(summary, operator, ledgerGiven)
  for (const note of notes) process.stderr.write(`payouts: ${note}\n`)
  process.exitCode = code
}

/**
 * Ctrl-C (or SIGTERM) while a batch runs: `onFirst` asks the run to stop gracefully (no
 * new sends; those in flight are recorded, so none is left `sending`). A second Ctrl-C
 * exits at once: every reference is in the ledger before its request leaves, so what was
 * in flight is looked up on the next run. Returns the function that uninstalls it.
 */
function onInterrupt(onFirst) {
  let interrupted = false
  const handler = () => {
    if (interrupted) process.exit(EXIT_INTERRUPTED)
    interrupted = true
    onFirst()
  }
  process.on('SIGINT', handler)
  process.on('SIGTERM', handler)
  return () => {
    process.off('SIGINT', handler)
    process.off('SIGTERM', handler)
  }
}

// ------------------------------------------------------------------ commands

function ledgerOption() {
  return new Option(
    '--ledger <url>',
    `the ledger: sqlite:PATH or postgres://… without a password (default: $PAYOUTS_LEDGER or ${DEFAULT_LEDGER}; with --sandbox, ${SANDBOX_LEDGER})`,
  )
}

/** `--sandbox` for the commands that read or settle a ledger: the one `run --sandbox` wrote. */
function sandboxLedgerOption() {
  return new Option('--sandbox', `the ledger of \`payouts run --sandbox\` (${SANDBOX_LEDGER}) unless --ledger`)
}

/** Adds `payouts run | status | report | resolve` to the program. */
function register(cli) {
  const payouts = cli
    .command('payouts')
    .description(
      'Bulk payouts from a CSV file, durable and never paid twice (verify, approve, reject, run, status, report, resolve).',
    )

  payouts
    .command('run')
    .description('Pay every row of a CSV file as one batch; run it again to resume an interrupted or paused batch.')
    .argument('<file>', 'the CSV file: a header line, then one payout per line')
    .requiredOption(
      '--batch <id>',
      'the batch id (the same id and file resume the batch; other rows under it are refused)',
    )
    .addOption(ledgerOption())
    .option(
      '--sandbox',
      `pay on the embedded sandbox instead of the real providers (credentials not needed; its own ledger, ${SANDBOX_LEDGER}, unless --ledger, with the sandbox's state beside it, so a stopped rehearsal resumes)`,
    )
    .option(
      '--sandbox-latency-ms <ms>',
      'with --sandbox: delay each answer, like a real network',
      integer('--sandbox-latency-ms', { max: 60000 }),
    )
    .option(
      '--concurrency <n>',
      'payouts in flight at once (default 16)',
      integer('--concurrency', { min: 1, max: 10000 }),
    )
    .option(
      '--rate-per-second <n>',
      'at most this many sends a second per provider account (default unlimited)',
      positiveNumber('--rate-per-second'),
    )
    .option(
      '--lookups-per-second <n>',
      'MoMo status lookups a second (default 10, as MTN asks)',
      positiveNumber('--lookups-per-second'),
    )
    .option(
      '--paymob-inquiries-per-minute <n>',
      'Paymob inquiries a minute, up to 50 references each (default 5, as Paymob allows)',
      positiveNumber('--paymob-inquiries-per-minute'),
    )
    .option('--momo-base-url <url>', 'MTN MoMo host (default: the MTN sandbox)')
    .option('--momo-target <environment>', 'X-Target-Environment (default sandbox)')
    .option('--momo-api-user <uuid>', 'MoMo API user (default: $MOMO_API_USER)')
    .option('--paymob-base-url <url>', "Paymob API base URL (default: Paymob's)")
    .addOption(
      new Option('--paymob-env <env>', "Paymob's host: staging (default) or production").choices([
        'staging',
        'production',
      ]),
    )
    .addOption(
      new Option('--progress <mode>', 'a bar (terminal), plain lines, or none')
        .choices(['auto', 'bar', 'lines', 'none'])
        .default('auto'),
    )
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `\nCSV columns (the header names them, in any order; empty cells are left out):\n${columnsHelp()}\n` +
        '\nEvery row is checked before anything is sent; problems are listed with their line numbers.\n' +
        'Exit code: 0 finished (every item final), 1 error, 2 paused, items still pending or waiting on an operator, 130 Ctrl-C.\n' +
        ENVIRONMENT,
    )
    .action(runPayouts)

  payouts
    .command('status')
    .description('Print the summary of a batch, read from the ledger.')
    .argument('<batchId>', 'the batch id')
    .addOption(ledgerOption())
    .addOption(sandboxLedgerOption())
    .option('--json', 'print the summary as JSON')
    .action(ledger.runStatus)

  payouts
    .command('report')
    .description('Print the items of a batch with their status, read from the ledger (JSON, or CSV with --csv).')
    .argument('<batchId>', 'the batch id')
    .addOption(ledgerOption())
    .addOption(sandboxLedgerOption())
    .option('--csv', `as CSV: ${REPORT_COLUMNS.map(([name]) => name).join(', ')}`)
    .addOption(new Option('--status <status>', 'only the items with this status').choices(STATUSES))
    .action(ledger.runReport)

  payouts
    .command('resolve')
    .description("Settle an item left unknown (it waits on an operator) after looking it up in the provider's portal.")
    .argument('<batchId>', 'the batch id')
    .argument('<key>', "the item's key")
    .addOption(
      new Option('--status <status>', 'what the portal shows: the payout was made, or it was not')
        .choices(['successful', 'failed'])
        .makeOptionMandatory(),
    )
    .requiredOption('--note <text>', 'what you found (kept in the ledger, shown by status and report)')
    .option('--actor <name>', 'who settles it (kept in the ledger)')
    .addOption(ledgerOption())
    .addOption(sandboxLedgerOption())
    .addHelpText(
      'after',
      '\nOnly an unknown item can be resolved; its resolution (status, note, actor, time) is kept in the ledger.',
    )
    .action(ledger.runResolve)

  require('./payouts-verify.js').register(payouts, { runPayouts, ledgerOption, sandboxLedgerOption, submitFile })
}

module.exports = { register }
