// Types of mobilemoney-native: the generated binding (classes and the types of
// types/header.d.ts) and the mobilemoney.js error classes.
import type {
  BatchSummary,
  DecisionResult,
  Failure,
  ParsedCallback,
  PayoutItem,
  PayoutItemState,
  PayoutResolutionInput,
  PayoutStatus,
  PayoutStep,
  PayoutsOptions,
  PayoutsWorker,
  ReconcileManyResult,
  Result,
  RetryResult,
  RunOptions,
  VerifyOptions,
  VerifyResult,
  WorkOptions,
} from './binding'

export * from './binding'

/**
 * Bulk payouts (lib/payouts.js, over the native handle): `Payouts.open(options)` resolves
 * the instance once its ledger is open. Every method resolves `[ok, data]`.
 */
export declare class Payouts {
  private constructor()
  /** `{ ledger }` alone opens read-only: summary, items and iterate. */
  static open(options: PayoutsOptions | { ledger: string }): Promise<Result<Payouts>>
  /** The configuration, without secrets (also what `util.inspect` shows). */
  toJSON(): Record<string, unknown>
  /**
   * Idempotent: the same batch id with the same items (in any order) does nothing. Takes an
   * array, any iterable or async iterable, or an object-mode Readable. With `queue`, enqueues:
   * `enqueued` jobs added by this call, `enqueuing` items left to the workers' chain of
   * enqueue jobs (a batch past its first page of 5 000).
   */
  submit(
    batchId: string,
    items: Iterable<PayoutItem> | AsyncIterable<PayoutItem>,
  ): Promise<Result<BatchSummary & { created: boolean; enqueued?: number; enqueuing?: number }>>
  /** Sends the batch in this process; `options.signal` stops it gracefully. */
  run(batchId: string, options?: RunOptions): Promise<Result<BatchSummary>>
  /** Stops this instance's runs of `batchId` (every run when it is left out); returns how many. */
  stop(batchId?: string): number
  /** `after` (a key) and `limit` read a page; without `limit`, every item. */
  items(
    batchId: string,
    query?: { status?: PayoutStatus | PayoutStatus[]; after?: string; limit?: number },
  ): Promise<Result<PayoutItemState[]>>
  /** Every item (with `status`, those) a page at a time; a failed page throws. */
  iterate(
    batchId: string,
    query?: { status?: PayoutStatus | PayoutStatus[]; pageSize?: number },
  ): AsyncGenerator<PayoutItemState, void, undefined>
  summary(batchId: string): Promise<Result<BatchSummary>>
  retryFailed(batchId: string): Promise<Result<RetryResult & { enqueued?: number }>>
  /** An operator settles an `unknown` item, kept in the ledger with its note and time. */
  resolve(batchId: string, key: string, resolution: PayoutResolutionInput): Promise<Result<PayoutItemState>>
  /** Checks each queued MoMo item's account (active; registered name against `name`); holds the doubtful. */
  verify(batchId: string, options?: VerifyOptions): Promise<Result<VerifyResult>>
  /** Releases held items to be paid; the decision is kept with its time, note and actor. */
  approve(
    batchId: string,
    keys: string | string[],
    options?: { note?: string; actor?: string },
  ): Promise<Result<DecisionResult>>
  /** Refuses held items for good (`refused`, never sent), with the note. */
  reject(batchId: string, keys: string | string[], note: string): Promise<Result<DecisionResult>>
  /** One item's step (claim, look up if interrupted, send, record), for job queues. */
  process(batchId: string, key: string): Promise<Result<PayoutStep>>
  /** One item's lookup (pending, unknown or interrupted items), for job queues. */
  reconcile(batchId: string, key: string): Promise<Result<PayoutStep>>
  /**
   * Several items' lookups in as few provider requests as the provider takes (Paymob: up to
   * 50 references a request), for job queues that gather the keys due a lookup.
   */
  reconcileMany(batchId: string, keys: string[]): Promise<Result<ReconcileManyResult>>
  /** A provider callback (parseCallback's result or the raw body) for an item of the batch. */
  callback(
    batchId: string,
    callback: Result<ParsedCallback> | ParsedCallback | Record<string, unknown> | string,
  ): Promise<Result<PayoutStep>>
  /** Runs BullMQ workers for this instance's queues (needs `queue` in the options). */
  work(options?: WorkOptions): Promise<Result<PayoutsWorker>>
  close(): Promise<Result<null>>
}

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
