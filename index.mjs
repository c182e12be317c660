// ESM entry: the same module as index.js, with named exports.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const native = require('./index.js')

export const {
  Disbursements,
  Collection,
  Remittance,
  Client,
  PaymobPayouts,
  Payouts,
  Sandbox,
  parseCallback,
  payoutRails,
  payoutStatuses,
} = native
// The error classes and toError: the same module objects index.js re-exports.
export * from './errors.js'

export default native
