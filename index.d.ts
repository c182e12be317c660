// Types of mobilemoney-native: the generated binding (classes and the types of
// types/header.d.ts) and the mobilemoney.js error classes.
import type { Failure, Payouts as NativePayouts, PayoutsOptions, Result } from './binding'

export * from './binding'

/** Bulk payouts: `Payouts.open(options)` resolves the instance once its ledger is open. */
export declare const Payouts: typeof NativePayouts & {
  open(options: PayoutsOptions): Promise<Result<NativePayouts>>
}
export type Payouts = NativePayouts

export declare class MomoError extends Error {
  constructor(message?: string, failure?: Failure)
  failure?: Failure
}
export declare class HTTPError extends MomoError {}
export declare class MomoServerError extends HTTPError {}
export declare class Unauthorized extends HTTPError {}
export declare class InvalidData extends HTTPError {}
export declare class NotFound extends HTTPError {}
export declare class Conflict extends HTTPError {}
export declare class InvalidUniqueIDVersion extends Error {
  constructor(message?: string, failure?: Failure)
  failure?: Failure
}
export declare class InvalidBasicToken extends Error {
  constructor(message?: string, failure?: Failure)
  failure?: Failure
}
export declare class InvalidBearerToken extends Error {
  constructor(message?: string, failure?: Failure)
  failure?: Failure
}

/** The error a mobilemoney.js call would have thrown for this failure. */
export declare function toError(failure: Failure): MomoError | Error
