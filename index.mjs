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
  MomoError,
  HTTPError,
  MomoServerError,
  Unauthorized,
  InvalidData,
  NotFound,
  Conflict,
  InvalidUniqueIDVersion,
  InvalidBasicToken,
  InvalidBearerToken,
  toError,
} = native

export default native
