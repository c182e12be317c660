'use strict'
// The CSV side of `mobilemoney-native payouts`: a payouts file read into `submit` items,
// every row checked before anything is sent (each problem named with its line number),
// and a batch's items written back as a CSV report.

const fs = require('node:fs')
const { pipeline } = require('node:stream')
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

/**
 * Reads a payouts file. Resolves `{ items, lines, errors }`: `items` in file order,
 * `lines[i]` the line on which item i starts, `errors` as `{ line, message }` (the file is
 * usable only when it is empty). Throws only when the file cannot be read.
 */
async function readPayouts(file) {
  const parser = parse({ bom: true, info: true, trim: true, relax_column_count: true, skip_empty_lines: true })
  // pipeline, not pipe: a read error (ENOENT, EISDIR) reaches the loop below instead of crashing.
  pipeline(fs.createReadStream(file), parser, () => {})
  const items = []
  const lines = []
  const errors = []
  const seen = new Map() // key -> line
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
        const unknown = header.filter((c) => !(c in COLUMNS))
        const missing = REQUIRED.filter((c) => !header.includes(c))
        const twice = header.filter((c, i) => header.indexOf(c) !== i)
        if (unknown.length)
          errors.push({ line, message: `unknown column(s) ${unknown.join(', ')} (see --help for the columns)` })
        if (missing.length) errors.push({ line, message: `the header lacks the column(s) ${missing.join(', ')}` })
        if (twice.length) errors.push({ line, message: `column(s) ${twice.join(', ')} appear twice` })
        if (errors.length) return { items, lines, errors }
        continue
      }
      if (record.length !== header.length) {
        errors.push({ line, message: `${record.length} fields where the header has ${header.length}` })
        continue
      }
      const item = {}
      header.forEach((column, i) => {
        if (record[i] !== '') item[column] = record[i]
      })
      if (item.provider) item.provider = item.provider.toLowerCase()
      const problems = rowProblems(item)
      if (item.key && seen.has(item.key)) problems.push(`key "${item.key}" is already on line ${seen.get(item.key)}`)
      else if (item.key) seen.set(item.key, line)
      for (const message of problems) errors.push({ line, message })
      items.push(item)
      lines.push(line)
    }
  } catch (e) {
    // A syntax error (an unclosed quote) ends the parse: report it with what came before.
    if (!e.code || !String(e.code).startsWith('CSV_')) throw e
    errors.push({ line: e.lines || endOfLast + 1, message: String(e.message) })
  }
  if (!header)
    errors.push({ line: 1, message: `the file is empty: it needs a header line (${REQUIRED.join(', ')}, …) and rows` })
  else if (items.length === 0 && errors.length === 0)
    errors.push({ line: 2, message: 'the file has a header but no rows' })
  return { items, lines, errors }
}

/**
 * A `submit` failure about one item (`field` like `items[12].msisdn`) as a line-numbered
 * error of the file; `null` when it is not about an item.
 */
function itemFailureLine(failure, lines) {
  const m = /^items\[(\d+)\]/.exec(failure.field || '')
  if (!m || lines[Number(m[1])] === undefined) return null
  const message = String(failure.message).replace(/^items\[\d+\](\.\w+)?:?\s*/, (all, field) =>
    field ? `${field.slice(1)} ` : '',
  )
  return { line: lines[Number(m[1])], message }
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

module.exports = { readPayouts, itemFailureLine, columnsHelp, reportCsv, REPORT_COLUMNS }
