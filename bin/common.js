'use strict'
// What the CLI's commands share: option parsers, how failures and usage problems are
// printed, and the embedded sandbox's Paymob credentials.

const { InvalidArgumentError } = require('commander')

// The Paymob credentials the CLI's sandbox accepts. They are passed to Sandbox.start
// explicitly, so what is printed is always what the server checks. They are sandbox-only
// values, not secrets.
const PAYMOB_SANDBOX_CREDENTIALS = {
  clientId: 'sandbox-client-id',
  clientSecret: 'sandbox-client-secret',
  username: 'sandbox-user',
  password: 'sandbox-password',
}

function integer(name, { min = 0, max = Number.MAX_SAFE_INTEGER } = {}) {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`)
    const n = Number(value)
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}.`)
    return n
  }
}

function positiveNumber(name) {
  return (value) => {
    const n = Number(value)
    if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
      throw new InvalidArgumentError(`${name} must be a number, 0 or more.`)
    }
    return n
  }
}

// Advice written for library users, and what a CLI user does instead.
const CLI_ADVICE = [[/,? then call generateToken\(\)(?: first)?\.?$/, ', then run the command again']]

/** Print a failure object (`[false, failure]`) in one or two lines and set exit code 1. */
function fail(what, failure) {
  const message = CLI_ADVICE.reduce((m, [pattern, advice]) => m.replace(pattern, advice), String(failure.message))
  const status = failure.status && !message.includes(String(failure.status)) && `HTTP ${failure.status}`
  const details = [failure.error, status, failure.code].filter(Boolean).join(', ')
  process.stderr.write(`error: ${what}: ${message}${details ? ` (${details})` : ''}\n`)
  process.exitCode = 1
}

/** A usage problem detected before any request: message and exit code 1. */
function usage(message) {
  // One line that says what to do: commander's own parse errors add SEE_HELP.
  process.stderr.write(`error: ${message}\n`)
  process.exitCode = 1
}

const SEE_HELP = '(see --help)'

// What a file or pipe error says, without the syscall and path noise of its message.
const FILE_ERRORS = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EMFILE: 'too many open files',
  ENOSPC: 'no space left on the device',
  EPIPE: 'the reader of the output went away',
}

/** One line for an error of the file system or of a pipe (`cannot read x.csv: no such file…`). */
function describeFileError(e) {
  return FILE_ERRORS[e && e.code] || String((e && e.message) || e).split('\n')[0]
}

/**
 * The last line of defence: any error that reaches the top (a stream's, a bug's) is printed
 * as one line, never as a stack trace, and the exit code is non-zero. Output closed by its
 * reader (`payouts report … | head`) ends the process quietly with the shell's code for it.
 */
function installErrorHandlers() {
  const onOutputError = (e) => {
    if (e && e.code === 'EPIPE') process.exit(EXIT_PIPE)
    fatal(e)
  }
  process.stdout.on('error', onOutputError)
  process.stderr.on('error', () => process.exit(EXIT_PIPE))
  process.on('uncaughtException', fatal)
  process.on('unhandledRejection', fatal)
}

// 128 + SIGPIPE, what a shell reports for a writer whose reader went away.
const EXIT_PIPE = 141

/** A file that cannot be read or written: one line, exit code 1. */
function fileError(what, e) {
  process.stderr.write(`error: ${what}: ${describeFileError(e)}\n`)
  process.exitCode = 1
}

function fatal(e) {
  const where = e && e.path ? `${e.path}: ` : ''
  process.stderr.write(`error: ${where}${describeFileError(e)}\n`)
  process.exit(1)
}

// Keys absent from the command line stay absent, so the Rust defaults apply (an explicit
// `undefined` would reach serde as null).
function defined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined))
}

module.exports = {
  PAYMOB_SANDBOX_CREDENTIALS,
  integer,
  positiveNumber,
  fail,
  usage,
  defined,
  describeFileError,
  fileError,
  installErrorHandlers,
  fatal,
  SEE_HELP,
}
