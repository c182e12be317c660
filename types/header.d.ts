/* The types of mobilemoney-native. This file is the header of the generated binding.d.ts
 * (package.json napi.dtsHeaderFile): the classes below it are generated from the Rust
 * binding, and their signatures name these types. */

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

/** What `data` is when `ok` is false. Never contains a credential. */
export interface Failure {
  error: FailureKind
  /** One human sentence. */
  message: string
  /**
   * HTTP status, when a response came back. (At run time the object also carries it as
   * `status`, for code written against mobilemoney.js; it is not declared, so that a
   * result used without checking `ok` does not compile.)
   */
  httpStatus?: number
  /** The provider's reason code, e.g. "RESOURCE_ALREADY_EXIST" or "618". */
  code?: string
  /** The provider's parsed body (or text), when one came back. */
  body?: unknown
  /** For input errors: which argument or body field is wrong. */
  field?: string
  /** The X-Reference-Id / client reference of the call, when it has one. */
  referenceId?: string
  /** True only where repeating the same call is safe and may succeed. */
  retryable: boolean
  /** The provider's request id header, when it sent one. */
  requestId?: string
  /** How many HTTP attempts were made. */
  attempts?: number
}

/** Every async method resolves this pair; it never rejects. `data` narrows on `ok`. */
export type Result<T> = [ok: true, data: T] | [ok: false, data: Failure]

/** One request attempt, given to `onEvent` (and printed with DEBUG=mobilemoney-native). */
export interface RequestEvent {
  provider: 'momo' | 'paymob'
  method: string
  path: string
  status: number | null
  elapsedMs: number
  attempt: number
  referenceId: string | null
  /** The provider's id of this attempt (its X-Request-Id answer header), for a support ticket. */
  requestId: string | null
  /** "Timeout" or a network error, when no answer came back. */
  error: string | null
}

/** Options shared by the provider clients. */
export interface TransportOptions {
  /** Whole-request timeout in milliseconds (default 80000). */
  timeoutMs?: number
  /** Automatic retries of safe requests (default 2). */
  maxRetries?: number
  /** Base delay of the exponential backoff in milliseconds (default 500, capped at 8 s). */
  retryBackoffMs?: number
  /**
   * Requests this client has on the wire at once (default 256); its connections stay near
   * this number. More calls wait for a turn; the wait counts against `timeoutMs`.
   */
  maxConcurrentRequests?: number
  /** Allow plain http:// base URLs on hosts other than loopback. */
  allowInsecureHttp?: boolean
  /** Called once per HTTP attempt, secrets redacted. */
  onEvent?: (event: RequestEvent) => void
  /**
   * Any object with debug/info/warn/error (pino, winston, console): each attempt as
   * `logger.debug(event, line)`, or `logger.warn` when no answer or a 5xx came back.
   */
  logger?: Logger
}

/** What the `logger` option takes: pino's, winston's and console's methods. */
export interface Logger {
  debug(...args: any[]): unknown
  info(...args: any[]): unknown
  warn(...args: any[]): unknown
  error(...args: any[]): unknown
}

// ---------------------------------------------------------------- MTN MoMo

export interface DisbursementsOptions extends TransportOptions {
  /** Default https://sandbox.momodeveloper.mtn.com; https://proxy.momoapi.mtn.com in production. */
  baseUrl?: string
  environment?: 'sandbox' | 'production'
  /** Used when a call's `target` is undefined ("sandbox" by default in the sandbox environment). */
  targetEnvironment?: string
  /** With apiKey: tokens are fetched, cached and renewed for you; pass `authorization` as null/undefined. */
  apiUser?: string
  apiKey?: string
  /** Default X-Callback-Url of transfer, deposit and refund. */
  callbackUrl?: string
  /** The first argument again, if at all: an account object can be passed whole. */
  subscriptionKey?: string
}

export interface ClientOptions extends TransportOptions {
  baseUrl?: string
  environment?: 'sandbox' | 'production'
}

export type PartyIdType = 'MSISDN' | 'EMAIL' | 'PARTY_CODE'
export type AccountType = 'msisdn' | 'email' | 'party_code'

export interface Party {
  partyIdType: PartyIdType
  partyId: string
}

export interface TransferBody {
  /** A positive amount with at most two decimals, e.g. "100". */
  amount: string | number
  /** ISO 4217; MTN's sandbox accepts EUR only, a production market its own currency. */
  currency: string
  externalId?: string
  payee: Party
  /** At most 160 characters, without ' or &. */
  payerMessage?: string
  payeeNote?: string
}

export interface RefundBody {
  amount: string | number
  currency: string
  externalId?: string
  /** The X-Reference-Id of the transaction to refund. */
  referenceIdToRefund: string
  payerMessage?: string
  payeeNote?: string
}

export interface AccessToken {
  access_token: string
  token_type: string
  expires_in: number
}

export interface Balance {
  availableBalance: string
  currency: string
}

export interface BasicUserInfo {
  given_name?: string
  family_name?: string
  birthdate?: string
  locale?: string
  gender?: string
  status?: string
  [key: string]: unknown
}

export interface UserInfo extends BasicUserInfo {
  sub?: string
  name?: string
  email?: string
  phone_number?: string
}

export type TransactionStatus = 'PENDING' | 'SUCCESSFUL' | 'FAILED'

/** The result of a status lookup; `reason` is always an object. */
export interface TransactionResult {
  amount: string
  currency: string
  financialTransactionId?: string
  externalId?: string
  payee?: Party
  payerMessage?: string
  payeeNote?: string
  status: TransactionStatus
  reason?: { code: string; message: string }
}

/** What transfer, deposit and refund resolve when accepted. */
export interface PaymentAccepted {
  referenceId: string
  /** Present when an uncertain send was resolved by looking the reference up. */
  recovered?: true
  status?: TransactionStatus
  transaction?: TransactionResult
}

/** Collection and Remittance take the options of Disbursements (each product has its own key). */
export type CollectionOptions = DisbursementsOptions
export type RemittanceOptions = DisbursementsOptions

/** requestToPay, withdraw and requestToWithdraw: the transfer body with a `payer`. */
export interface RequestToPayBody {
  amount: string | number
  currency: string
  externalId?: string
  payer: Party
  payerMessage?: string
  payeeNote?: string
}

export interface InvoiceBody {
  externalId?: string
  amount: string | number
  currency: string
  /** Seconds the invoice stays payable. */
  validityDuration: string | number
  intendedPayer: Party
  payee?: Party
  description?: string
}

export interface PreApprovalBody {
  payer: Party
  payerCurrency: string
  payerMessage?: string
  /** Seconds. */
  validityTime?: number
}

export interface PaymentBody {
  externalTransactionId?: string
  money: { amount: string | number; currency: string }
  customerReference: string
  serviceProviderUserName: string
  couponId?: string
  productId?: string
  productOfferingId?: string
  receiverMessage?: string
  senderNote?: string
  maxNumberOfRetries?: number
  includeSenderCharges?: boolean
}

export type PayerIdentificationType =
  'PASS' | 'CPFA' | 'SRSSA' | 'NRIN' | 'OTHR' | 'DRLC' | 'SOCS' | 'AREG' | 'IDCD' | 'EMID'

/** Remittance cash transfer: a transfer plus the foreign sender's details. */
export interface CashTransferBody extends TransferBody {
  /** Two letters; the API spells the field so. `originatingCountry` is accepted too. */
  orginatingCountry?: string
  originatingCountry?: string
  originalAmount?: string | number
  originalCurrency?: string
  payerIdentificationType?: PayerIdentificationType
  payerIdentificationNumber?: string
  payerIdentity?: string
  payerFirstName?: string
  payerSurName?: string
  payerLanguageCode?: string
  payerEmail?: string
  payerMsisdn?: string
  payerGender?: string
}

export interface RequestToPayResult {
  amount: string
  currency: string
  financialTransactionId?: string
  externalId?: string
  payer?: Party
  payerMessage?: string
  payeeNote?: string
  status: TransactionStatus | 'CREATED'
  reason?: { code: string; message: string }
}

export interface InvoiceResult {
  referenceId: string
  externalId?: string
  amount: string
  currency: string
  status: 'CREATED' | 'PENDING' | 'SUCCESSFUL' | 'FAILED' | string
  paymentReference?: string
  invoiceId?: string
  expiryDateTime?: string
  intendedPayer?: Party
  description?: string
  [key: string]: unknown
}

export interface PreApprovalResult {
  payer: Party
  payerCurrency: string
  payerMessage?: string
  status: TransactionStatus
  expirationDateTime?: string
  reason?: { code: string; message: string }
}

export interface PaymentResult {
  referenceId: string
  status: 'CREATED' | TransactionStatus
  financialTransactionId?: string
  reason?: { code: string; message: string }
}

export interface CashTransferResult extends Omit<CashTransferBody, 'amount' | 'originalAmount'> {
  amount: string
  originalAmount?: string
  financialTransactionId?: string
  status: string
  reason?: { code: string; message: string }
}

export interface PreApprovalDetails {
  preApprovalId: string
  toFri?: string
  fromFri?: string
  fromCurrency?: string
  status: 'APPROVED' | 'CANCELLED' | 'EXPIRED' | 'REJECTED' | 'PENDING' | string
  frequency?: 'DAILY' | 'WEEKLY' | 'MONTHLY' | string
  [key: string]: unknown
}

/** bcAuthorize's form: `login_hint` is "ID:{msisdn}/MSISDN". */
export interface BcAuthorizeRequest {
  scope: string
  login_hint: string
  access_type?: 'online' | 'offline'
  consent_valid_in?: number | string
  client_notification_token?: string
  scope_instruction?: string
}

export interface BcAuthorizeResult {
  auth_req_id: string
  interval: number
  expires_in: number
}

export interface Oauth2TokenRequest {
  /** "urn:openid:params:grant-type:ciba", or "refresh_token". */
  grant_type: string
  auth_req_id?: string
  refresh_token?: string
}

export interface Oauth2Token {
  access_token: string
  token_type: string
  expires_in: number
  scope?: string
  refresh_token?: string
  refresh_token_expired_in?: number
}

export interface ApiUserCreated {
  referenceId: string
  providerCallbackHost: string | null
}

export interface ApiUser {
  providerCallbackHost: string
  targetEnvironment: string
}

// ---------------------------------------------------------------- Paymob

export interface PaymobOptions extends TransportOptions {
  clientId: string
  clientSecret: string
  username: string
  password: string
  environment?: 'staging' | 'production'
  /** Overrides the host, e.g. sandbox.url + '/api/secure/'. */
  baseUrl?: string
  /** Client-side budget of inquiry, budget and Aman-cancel requests per minute (default 5). */
  inquiriesPerMinute?: number
}

export type Issuer = 'vodafone' | 'etisalat' | 'orange' | 'aman' | 'bank_wallet' | 'bank_card' | 'instant_bank'

export interface CashinRequest {
  issuer: Issuer
  amount: number | string
  msisdn?: string
  fullName?: string
  firstName?: string
  lastName?: string
  email?: string
  bankCardNumber?: string
  bankCode?: string
  bankTransactionType?: 'salary' | 'credit_card' | 'prepaid_card' | 'cash_transfer'
  pin?: string
  fees?: 'Full' | 'Half' | 'No'
  /** A UUID; generated when absent and returned in `data` or in the failure. */
  clientReferenceId?: string
  comment?: string
  nationalId?: string
  customerBearsFees?: boolean
  /** The API's snake_case names are accepted too. */
  full_name?: string
  first_name?: string
  last_name?: string
  bank_card_number?: string
  bank_code?: string
  bank_transaction_type?: 'salary' | 'credit_card' | 'prepaid_card' | 'cash_transfer'
  client_reference_id?: string
  national_id?: string
  customer_bears_fees?: boolean
}

export interface PaymobToken {
  access_token: string
  expires_in: number
  refresh_token: string
  scope: string
  token_type: string
}

export type DisbursementStatus = 'successful' | 'success' | 'pending' | 'failed' | 'unknown' | string

/** A Paymob transaction as the API returns it (disburse, inquiry, Aman cancel). */
export interface PaymobTransaction {
  disbursement_status: DisbursementStatus
  status_code: string
  status_description: unknown
  transaction_id?: string | null
  issuer?: string
  amount?: number | string
  client_transaction_reference?: string | null
  aman_cashing_details?: { bill_reference: number; is_paid: boolean; is_cancelled: boolean } | null
  [key: string]: unknown
}

/** What instantCashin resolves: the transaction plus the reference of this payout. */
export interface CashinResult extends PaymobTransaction {
  /** The reference of this payout (generated when the request had none). */
  clientReferenceId: string
}

export interface BudgetResult {
  current_budget: string
  current_balance?: number
  currency?: string
}

export interface InquiryQuery {
  transactionIds?: string[]
  clientReferences?: string[]
  /** Query the bank store (bank_card) instead of the instant one. */
  bank?: boolean
}

export interface InquiryResult {
  count: number
  next: string | null
  previous: string | null
  results: PaymobTransaction[]
}

/** A normalised MoMo or Paymob callback body (see parseCallback). */
export interface ParsedCallback {
  provider: 'momo' | 'paymob'
  /** Normalised: SUCCESSFUL | FAILED | PENDING for MoMo; the disbursement_status for Paymob. */
  status: string
  referenceId?: string
  reason?: { code: string; message: string }
  body: Record<string, unknown>
}

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

/** Pacing of one provider account inside `Payouts` (docs/bulk-payouts.md). */
export interface PayoutsPacing {
  /** Sends a second for this account (unlimited by default). */
  ratePerSecond?: number
  /** Status lookups a second: MoMo's default 10; Paymob's inquiries default to 5 a minute. */
  lookupsPerSecond?: number
}

export interface PayoutsOptions {
  /** `sqlite:PATH` (the embedded default, `sqlite:./payouts.db`) or `postgres://…` (with
   * optional `schema`, `pool_size`, `sslmode`, `sslrootcert` parameters) to share it. */
  ledger?: string
  /** Keys the deterministic references (at least 16 characters); never shown. */
  secret: string
  momo?: DisbursementsOptions & PayoutsPacing & { subscriptionKey: string }
  paymob?: PaymobOptions & PayoutsPacing
  /** Called once per HTTP attempt of either account, secrets redacted. */
  onEvent?: (event: RequestEvent) => void
  /** Any object with debug/info/warn/error (pino, winston, console): each attempt of either account. */
  logger?: Logger
  /**
   * BullMQ on Redis: `submit` enqueues, `work()` pays, in any number of processes. Needs
   * the optional peer dependencies: `npm install bullmq ioredis`.
   */
  queue?: PayoutsQueueOptions
}

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

/** ioredis options (host, port, password, tls, …), passed to `new IORedis(options)`. */
export interface PayoutsRedisOptions {
  host?: string
  port?: number
  username?: string
  password?: string
  db?: number
  [option: string]: unknown
}

/** `options.queue` of `Payouts.open` (needs the optional packages bullmq and ioredis). */
export interface PayoutsQueueOptions {
  redis: PayoutsRedisConnection
  /** Queues are `NAME-<rail>` (`NAME-momo`, `NAME-paymob`) and `NAME-batches` (default `payouts`). */
  name?: string
  /** BullMQ's key prefix (default `bull`). */
  prefix?: string
  /** How long `submit` waits for Redis before it resolves a `NetworkError` (default 10000). */
  timeoutMs?: number
}

export interface WorkOptions {
  /** Jobs at a time per provider queue (default 16). */
  concurrency?: number
  /** The workers' own Redis connection (default: the queue's, `options.queue.redis`). */
  connection?: PayoutsRedisConnection
  lockDuration?: number
  stalledInterval?: number
  maxStalledCount?: number
}

/** The job of a `failed` event: which item, and how many attempts it has had. */
export interface PayoutJob {
  batchId: string
  key: string
  attemptsMade: number
}

/** Events of a `PayoutsWorker` and their listeners (BullMQ's Worker events). */
export interface PayoutsWorkerEvents {
  /** A job ended: the item is final, or waits on an operator (`resolve`). */
  completed: (item: PayoutStep) => void
  /** An attempt of a job failed (the ledger or Redis, not the payment); BullMQ retries it. */
  failed: (job: PayoutJob, error: Error) => void
  /** The ledger recorded a send or an answer (the same event as `run`'s `onProgress`). */
  progress: (event: PayoutProgress) => void
  /** A worker's own error (a lost Redis, which BullMQ reconnects). */
  error: (error: Error) => void
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

export interface VerifyOptions {
  /** Items looked up at once (default 16); the account's lookup pacing sets the rate. */
  concurrency?: number
}

/** Why `verify` held an item (the item's `reason`). Never the registered name itself. */
export interface HeldReason {
  error: 'inactive' | 'not_found' | 'name_mismatch'
  message: string
  /** name_mismatch: similarity of the two names, 0 to 1. */
  score?: number
  /** name_mismatch: the rule that decided (`surname_differs`, `given_name_differs`, …). */
  rule?: string
  /** name_mismatch: the registered name masked, such as `J*** O*****`. */
  registeredName?: string
}

export interface VerifyResult {
  batchId: string
  /** Items looked up by this call (a resumed verification skips those verified before). */
  checked: number
  /** Items of the batch verified and passed so far. */
  verified: number
  held: number
  /** The held items. */
  items: PayoutItemState[]
  /** Items the provider did not answer for: still queued, not verified; verify again. */
  unverified: { key: string; reason: { error: string; message: string } }[]
}

export interface DecisionResult {
  batchId: string
  approved?: number
  rejected?: number
  items: PayoutItemState[]
}

export interface BatchSummary {
  batchId: string
  total: number
  byStatus: Record<PayoutStatus, number>
  amounts: Record<string, { requested: number; paid: number }>
  /** Why the batch stopped early: run it again after topping up. */
  paused?: 'insufficient_funds'
  /** `run` was stopped (`signal` aborted, or `stop(batchId)`): run it again to resume. */
  stopped?: true
  /**
   * How many `unknown` items wait on an operator (`resolve`): `run` resolves once every
   * other item is final.
   */
  awaitingOperator?: number
  startedAt: string
  finishedAt?: string
}

export interface RunOptions {
  /** Items in flight at once (default 16). */
  concurrency?: number
  /**
   * Verify the batch first (`payouts.verify`): held items are not sent, and nothing is
   * sent while an item could not be verified.
   */
  verify?: boolean
  /**
   * Opt-in deadline: stop following pending and unknown items after this long and resolve
   * with them still open (run again later). By default there is none: `run` resolves when
   * every item is final or the batch is paused.
   */
  settleTimeoutMs?: number
  onProgress?: (event: PayoutProgress) => void
  /**
   * Aborting it stops the run gracefully: nothing more is claimed or looked up, the sends
   * under way finish and are recorded (no item is left `sending`), and `run` resolves
   * `[true, summary]` with `stopped: true`.
   */
  signal?: PayoutsAbortSignal
}

/** What `run` uses of an `AbortSignal` (Node's and the DOM's both fit). */
export interface PayoutsAbortSignal {
  readonly aborted: boolean
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

export interface PayoutProgress {
  batchId: string
  key: string
  status: PayoutStatus
  referenceId: string | null
  /** Items final so far, of `total`. */
  done: number
  total: number
}

/** An item as submitted, with its state. */
export interface PayoutItemState {
  key: string
  provider: 'momo' | 'paymob'
  amount: string
  currency: string
  status: PayoutStatus
  generation: number
  referenceId: string | null
  reason?: { error: FailureKind | 'Mismatch' | string; message: string; code?: string; operator?: true }
  /** An operator's settlement of this item (`resolve`). */
  resolution?: PayoutResolution
  /** An `unknown` item that only an operator can settle (`resolve`). */
  awaitingOperator?: true
  transactionId?: string
  sends: number
  lookups: number
  updatedAt: string
  [field: string]: unknown
}

export interface PayoutStep extends PayoutItemState {
  /** True while the item is not final: call `reconcile` later (at `nextCheckAt`). */
  needsLookup: boolean
  nextCheckAt?: string
  /** Set when the provider answered 429 to this send: the item is back in `queued`. */
  throttled?: true
  /** With `throttled`: how long (ms) the provider asked to wait before the next send. */
  retryAfterMs?: number
}

/** `reconcileMany`: each key's step, in the order given, and the lookup requests sent. */
export interface ReconcileManyResult {
  items: PayoutStep[]
  /** Lookup requests sent to providers (Paymob: one per 50 references of one kind). */
  requests: number
}

export interface PayoutResolutionInput {
  status: 'successful' | 'failed'
  /** What the operator found (required): kept in the ledger. */
  note: string
  actor?: string
}

export interface PayoutResolution extends PayoutResolutionInput {
  /** When it was resolved (ISO 8601). */
  at: string
}

export interface RetryResult {
  batchId: string
  retried: number
  items: { key: string; generation: number; referenceId: string; previousReferenceId: string | null }[]
  /**
   * `failed` items not re-referenced: the provider's lookup found them paid or pending (the
   * item is corrected) or could not confirm the failure (try again later).
   */
  skipped: { key: string; why: string }[]
}
