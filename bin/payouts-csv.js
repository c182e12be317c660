'use strict'
// The CSV side of `mobilemoney-native payouts`: a payouts file streamed into `submit`
// items, every row checked before anything is sent (each problem named with its line
// number and column), and a batch's items written back as a CSV report, streamed.

const fs = require('node:fs')
const { Transform, pipeline } = require('node:stream')
const { parse } = require('csv-parse')
const { stringify } = require('csv-stringify/sync')

// The columns of a payouts file, as item fields. Empty cells are left out of the item.
const COLUMNS = {
  key: 'unique in the file (an employee id, an invoice number)',
  provider: 'momo or paymob',
  amount: 'a positive amount, at most two decimals: 100 or 12.50',
  currency: 'three letters: momo needs it (its sandbox takes EUR); paymob: EGP',
  party: 'momo: the payee MSISDN',
  note: 'momo: the payer message and payee note',
  name: "momo: the payee's name as you know it (payouts verify compares it with the registered one)",
  issuer: 'paymob: vodafone, etisalat, orange, aman, bank_wallet, bank_card…',
  msisdn: 'paymob: the wallet number',
  firstName: 'paymob aman: first name',
  lastName: 'paymob aman: last name',
  email: 'paymob aman: email',
  fullName: 'paymob bank_card: the account holder',
  bankCardNumber: 'paymob bank_card: card or account number',
  bankCode: 'paymob bank_card: the bank code, such as CIB',
  bankTransactionType: 'paymob bank_card: salary, cash_transfer…',
}
const REQUIRED = ['key', 'provider', 'amount']
const PROVIDERS = ['momo', 'paymob']
const AMOUNT = /^\d{1,15}(\.\d{1,2})?$/
const MAX_KEY = 128

/** The columns for `--help`. */
function columnsHelp() {
  const width = Math.max(...Object.keys(COLUMNS).map((c) => c.length))
  return Object.entries(COLUMNS)
    .map(([name, text]) => `  ${name.padEnd(width)}  ${text}`)
    .join('\n')
}

/** What is wrong with one row's item, as a list of sentences (empty when nothing). */
function rowProblems(item) {
  const problems = []
  if (!item.key) problems.push('key is empty')
  else if ([...item.key].length > MAX_KEY) problems.push(`key is longer than ${MAX_KEY} characters`)
  if (!PROVIDERS.includes(item.provider)) {
    problems.push(`provider must be momo or paymob, not "${item.provider || ''}"`)
  }
  if (!item.amount) problems.push('amount is empty')
  else if (!AMOUNT.test(item.amount) || !/[1-9]/.test(item.amount)) {
    problems.push(`amount "${item.amount}" is not a positive amount with at most two decimals`)
  }
  if (item.currency && !/^[A-Za-z]{3}$/.test(item.currency)) {
    problems.push(`currency "${item.currency}" is not a three-letter code`)
  }
  if (item.provider === 'momo') {
    if (!item.party) problems.push('party (the payee MSISDN) is empty')
    if (!item.currency) problems.push('currency is empty (MoMo needs one)')
  }
  if (item.provider === 'paymob' && !item.issuer) problems.push('issuer is empty')
  return problems
}

// csv-parse as every pass reads the file, so that the nth record is the nth item.
const PARSE = { bom: true, info: true, trim: true, relax_column_count: true, skip_empty_lines: true }
// Problems a scan keeps; beyond them it counts.
const MAX_PROBLEMS = 1000

/** The item of a record under `header`: empty cells left out, the provider in lower case. */
function toItem(header, record) {
  const item = {}
  header.forEach((column, i) => {
    if (record[i] !== '') item[column] = record[i]
  })
  if (item.provider) item.provider = item.provider.toLowerCase()
  return item
}

/** What is wrong with a header, as sentences. */
function headerProblems(header) {
  const unknown = header.filter((c) => !(c in COLUMNS))
  const missing = REQUIRED.filter((c) => !header.includes(c))
  const twice = header.filter((c, i) => header.indexOf(c) !== i)
  const problems = []
  if (unknown.length) problems.push(`unknown column(s) ${unknown.join(', ')} (see --help for the columns)`)
  if (missing.length) problems.push(`the header lacks the column(s) ${missing.join(', ')}`)
  if (twice.length) problems.push(`column(s) ${twice.join(', ')} appear twice`)
  return problems
}

/**
 * Reads a payouts file once, streamed, keeping no item: resolves `{ count, lines, errors,
 * errorCount, firstLine }`. `lines[i]` is the line on which item i starts; `errors` the
 * first problems as `{ line, message }` (the file is usable only when there is none);
 * `firstLine[provider]` the first line paying through it. A key repeated is found by
 * `submit`, which names both. Throws only when the file cannot be read.
 */
async function scanPayouts(file) {
  const parser = parse(PARSE)
  // pipeline, not pipe: a read error (ENOENT, EISDIR) reaches the loop below instead of crashing.
  pipeline(fs.createReadStream(file), parser, () => {})
  const scan = { count: 0, lines: [], errors: [], errorCount: 0, firstLine: {} }
  const problem = (line, message) => {
    if (scan.errors.length < MAX_PROBLEMS) scan.errors.push({ line, message })
    scan.errorCount++
  }
  let header = null
  let endOfLast = 0
  let emptyBefore = 0
  try {
    for await (const { record, info } of parser) {
      // csv-parse counts the line a record ends on; a quoted field may span lines.
      const line = endOfLast + 1 + (info.empty_lines - emptyBefore)
      endOfLast = info.lines
      emptyBefore = info.empty_lines
      if (!header) {
        header = record
        for (const message of headerProblems(header)) problem(line, message)
        if (scan.errorCount) return scan
        continue
      }
      if (record.length !== header.length) {
        problem(line, `${record.length} fields where the header has ${header.length}`)
        continue
      }
      const item = toItem(header, record)
      for (const message of rowProblems(item)) problem(line, message)
      if (PROVIDERS.includes(item.provider) && !scan.firstLine[item.provider]) scan.firstLine[item.provider] = line
      scan.lines.push(line)
      scan.count++
    }
  } catch (e) {
    // A syntax error (an unclosed quote) ends the parse: report it with what came before.
    if (!e.code || !String(e.code).startsWith('CSV_')) throw e
    problem(e.lines || endOfLast + 1, String(e.message))
  }
  if (!header) problem(1, `the file is empty: it needs a header line (${REQUIRED.join(', ')}, …) and rows`)
  else if (scan.count === 0 && scan.errorCount === 0) problem(2, 'the file has a header but no rows')
  return scan
}

/**
 * The file's items as a stream (object mode), read again from the disk as `submit` takes
 * them: the file is never held whole. `done(error)` is called when the stream ends.
 */
function payoutItems(file, done) {
  let header = null
  const toItems = new Transform({
    objectMode: true,
    transform({ record }, _, next) {
      if (!header) header = record
      else this.push(toItem(header, record))
      next()
    },
  })
  return pipeline(fs.createReadStream(file), parse(PARSE), toItems, done)
}

// The core's names of item fields, as the file's columns.
const FIELD_COLUMNS = {
  'body.payee.partyId': 'party',
  'payee.partyId': 'party',
  payerMessage: 'note',
  payeeNote: 'note',
}

/**
 * A `submit` failure about one item (`field` like `items[12].msisdn`) as a line-numbered
 * error of the file, in the file's column names; `null` when it is not about an item.
 */
function itemFailureLine(failure, lines) {
  const m = /^items\[(\d+)\]/.exec(failure.field || '')
  if (!m || lines[Number(m[1])] === undefined) return null
  let message = String(failure.message).replace(/^items\[\d+\](\.[\w.]+)?:?\s*/, (all, field) =>
    field ? `${field.slice(1)} ` : '',
  )
  for (const [field, column] of Object.entries(FIELD_COLUMNS)) message = message.split(field).join(column)
  return { line: lines[Number(m[1])], message }
}

/**
 * Every bad item of a refused `submit` (the core lists them in `failure.body.errors`, up
 * to a thousand, and counts the rest) as line-numbered errors; `null` when the failure is
 * not about items.
 */
function itemFailureLines(failure, lines) {
  const listed = (failure.body && Array.isArray(failure.body.errors) && failure.body.errors) || [failure]
  const errors = listed.map((e) => itemFailureLine(e, lines)).filter(Boolean)
  if (!errors.length) return null
  const count = (failure.body && failure.body.count) || errors.length
  return { errors, count }
}

// ------------------------------------------------------------------ report

/** The payee of an item, as the report shows it (a bank card masked to its last four). */
function payee(item) {
  if (item.party) return item.party
  if (item.msisdn) return item.msisdn
  if (item.bankCardNumber) return `*${String(item.bankCardNumber).slice(-4)}`
  return ''
}

function reasonText(reason) {
  if (!reason) return ''
  if (typeof reason !== 'object') return String(reason)
  return [reason.code, reason.error, reason.message].filter((x) => x != null && x !== '').join(': ')
}

const REPORT_COLUMNS = [
  ['key', (i) => i.key],
  ['provider', (i) => i.provider],
  ['issuer', (i) => i.issuer || ''],
  ['payee', payee],
  ['amount', (i) => i.amount],
  ['currency', (i) => i.currency],
  ['status', (i) => i.status],
  ['reason', (i) => reasonText(i.reason)],
  ['referenceId', (i) => i.referenceId || ''],
  ['transactionId', (i) => i.transactionId || ''],
  ['generation', (i) => i.generation],
  ['updatedAt', (i) => i.updatedAt || ''],
  // An `unknown` item only an operator can settle (`payouts resolve`), and what one did.
  ['awaitingOperator', (i) => (i.awaitingOperator ? 'yes' : '')],
  ['resolutionNote', (i) => (i.resolution && i.resolution.note) || ''],
  ['resolvedBy', (i) => (i.resolution && i.resolution.actor) || ''],
  ['resolvedAt', (i) => (i.resolution && i.resolution.at) || ''],
]

/** The items of a batch (as `payouts.items` resolves them) as CSV text, with a header. */
function reportCsv(items) {
  return stringify([REPORT_COLUMNS.map(([name]) => name), ...items.map((i) => REPORT_COLUMNS.map(([, get]) => get(i)))])
}

/** The header, then one record an item of `items` (an async iterable), for a CSV stringifier. */
async function* reportRecords(items) {
  yield REPORT_COLUMNS.map(([name]) => name)
  for await (const i of items) yield REPORT_COLUMNS.map(([, get]) => get(i))
}

/** The items as the JSON array `report` prints (as JSON.stringify(items, null, 2) would), a piece at a time. */
async function* reportJson(items) {
  let first = true
  for await (const i of items) {
    yield `${first ? '[\n' : ',\n'}${JSON.stringify(i, null, 2).replace(/^/gm, '  ')}`
    first = false
  }
  yield first ? '[]\n' : '\n]\n'
}

module.exports = {
  scanPayouts,
  payoutItems,
  itemFailureLine,
  itemFailureLines,
  columnsHelp,
  reportCsv,
  reportRecords,
  reportJson,
  REPORT_COLUMNS,
}
