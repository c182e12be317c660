/* The types of mobilemoney-native. This file is the header of the generated binding.d.ts
 * (package.json napi.dtsHeaderFile): below it, generated from the Rust binding, are the
 * classes, the failure, results, request bodies and options (src/types/) and the
 * sandbox's types (src/sandbox_types.rs). Written here is only what napi-rs cannot
 * generate: string unions used by name (a napi-rs string enum would also export a
 * runtime object), generics (Result), unions of object types, index signatures, and
 * interfaces of methods. */

/** The stable `error` kinds of a failure (docs/failures.md says what to do about each). */
export type FailureKind =
  | 'InvalidData'
  | 'InvalidUniqueIDVersion'
  | 'InvalidBasicToken'
  | 'InvalidBearerToken'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'Conflict'
  | 'RateLimited'
  | 'MomoServerError'
  | 'ProviderError'
  | 'HTTPError'
  | 'Timeout'
  | 'NetworkError'
  | 'UnknownOutcome'

/** Every async method resolves this pair; it never rejects. `data` narrows on `ok`. */
export type Result<T> = [ok: true, data: T] | [ok: false, data: Failure]

// Index signatures of generated interfaces (src/types/): napi-rs cannot declare one, so
// each of these is declared here a second time with its index signature alone, and
// TypeScript merges the two declarations.
export interface BasicUserInfo {
  [key: string]: unknown
}
export interface UserInfo {
  [key: string]: unknown
}
export interface InvoiceResult {
  [key: string]: unknown
}
export interface PreApprovalDetails {
  [key: string]: unknown
}
export interface PaymobTransaction {
  [key: string]: unknown
}
export interface CashinResult {
  [key: string]: unknown
}
export interface PayoutItemState {
  [field: string]: unknown
}
export interface PayoutStep {
  [field: string]: unknown
}
export interface PayoutsRedisOptions {
  [option: string]: unknown
}

/** What the `logger` option takes: pino's, winston's and console's methods. */
export interface Logger {
  debug(...args: any[]): unknown
  info(...args: any[]): unknown
  warn(...args: any[]): unknown
  error(...args: any[]): unknown
}

// ---------------------------------------------------------------- MTN MoMo

export type PartyIdType = 'MSISDN' | 'EMAIL' | 'PARTY_CODE'
export type AccountType = 'msisdn' | 'email' | 'party_code'

export type TransactionStatus = 'PENDING' | 'SUCCESSFUL' | 'FAILED'

/** Collection and Remittance take the options of Disbursements (each product has its own key). */
export type CollectionOptions = DisbursementsOptions
export type RemittanceOptions = DisbursementsOptions

export type PayerIdentificationType =
  'PASS' | 'CPFA' | 'SRSSA' | 'NRIN' | 'OTHR' | 'DRLC' | 'SOCS' | 'AREG' | 'IDCD' | 'EMID'

// ---------------------------------------------------------------- Paymob

export type Issuer = 'vodafone' | 'etisalat' | 'orange' | 'aman' | 'bank_wallet' | 'bank_card' | 'instant_bank'

export type DisbursementStatus = 'successful' | 'success' | 'pending' | 'failed' | 'unknown' | string

// ---------------------------------------------------------------- Sandbox

/**
 * A sandbox serves until `close()`, referenced or not, and does not keep the process alive
 * by itself: `ref()` makes it keep the process alive while it listens, as a `net.Server`
 * does, and `unref()` undoes that. Both return the sandbox.
 */
export interface Sandbox {
  ref(): this
  unref(): this
}
// SandboxOptions, LedgerEntry, SandboxStats, LoggedRequest, FaultRule and FaultRateOptions
// are generated from the binding (src/sandbox_types.rs), below. FaultKind and MomoMarket
// are written here (napi-rs would also export a runtime object for them); tests tie them
// to the core's lists.

/** What a fault does to a request. */
export type FaultKind =
  | 'reset_before'
  | 'reset_after'
  | 'stall'
  | 'stall_after'
  | 'land_late'
  | 'status_500'
  | 'status_503'
  | 'status_429'
  | 'malformed_json'
  | 'truncated_json'
  | 'wrong_content_type'

/** A MoMo target environment the sandbox can answer as: MTN's sandbox (EUR, any number)
 * or a production market (its currency, its country's numbers). */
export type MomoMarket =
  | 'sandbox'
  | 'mtnuganda'
  | 'mtnghana'
  | 'mtnivorycoast'
  | 'mtnzambia'
  | 'mtncameroon'
  | 'mtnbenin'
  | 'mtncongo'
  | 'mtnswaziland'
  | 'mtnguineaconakry'
  | 'mtnsouthafrica'
  | 'mtnliberia'

// ---------------------------------------------------------------- Bulk payouts

/**
 * A Redis connection, as BullMQ takes one: an ioredis instance (shared: never closed by
 * `Payouts`; give it `maxRetriesPerRequest: null`, as BullMQ's workers ask) or ioredis
 * options; here also a `redis://` or `rediss://` URL.
 */
export type PayoutsRedisConnection = string | PayoutsRedisInstance | PayoutsRedisOptions

/** What `Payouts` needs of an ioredis instance (`new IORedis(…)` fits). */
export interface PayoutsRedisInstance {
  connect(): unknown
  disconnect(): unknown
  duplicate(): unknown
}

/** What `payouts.work()` resolves: an EventEmitter over the BullMQ workers it started. */
export interface PayoutsWorker {
  readonly concurrency: number
  on<E extends keyof PayoutsWorkerEvents>(event: E, listener: PayoutsWorkerEvents[E]): this
  once<E extends keyof PayoutsWorkerEvents>(event: E, listener: PayoutsWorkerEvents[E]): this
  off<E extends keyof PayoutsWorkerEvents>(event: E, listener: PayoutsWorkerEvents[E]): this
  /** Stops the workers (the jobs under way finish first). */
  close(): Promise<Result<null>>
}

export type PayoutItem =
  | {
      key: string
      provider: 'momo'
      amount: number | string
      currency: string
      party: string
      note?: string
      /** The name the payer expects: `verify` compares it with the registered one. */
      name?: string
    }
  | ({ key: string; provider: 'paymob'; currency?: 'EGP' } & CashinRequest)

export type PayoutStatus =
  | 'queued'
  | 'sending'
  | 'pending'
  | 'successful'
  | 'failed'
  | 'refused'
  | 'unknown'
  /** Verified and found wanting: never sent until approved (or rejected: refused). */
  | 'held'

/** What `run` uses of an `AbortSignal` (Node's and the DOM's both fit). */
export interface PayoutsAbortSignal {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}
