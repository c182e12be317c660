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

/** Print a failure object (`[false, failure]`) in one or two lines and set exit code 1. */
function fail(what, failure) {
  const message = String(failure.message)
  const status = failure.status && !message.includes(String(failure.status)) && `HTTP ${failure.status}`
  const details = [failure.error, status, failure.code].filter(Boolean).join(', ')
  process.stderr.write(`error: ${what}: ${message}${details ? ` (${details})` : ''}\n`)
  process.exitCode = 1
}

/** A usage problem detected before any request: message and exit code 1. */
function usage(message) {
  process.stderr.write(`error: ${message}\n`)
  process.exitCode = 1
}

// Keys absent from the command line stay absent, so the Rust defaults apply (an explicit
// `undefined` would reach serde as null).
function defined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined))
}

module.exports = { PAYMOB_SANDBOX_CREDENTIALS, integer, positiveNumber, fail, usage, defined }
