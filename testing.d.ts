// Types of mobilemoney-native/testing: the embedded sandbox in users' own test suites.
import type {
  Sandbox,
  SandboxOptions,
  FaultRule,
  FaultRateOptions,
  LedgerEntry,
  SandboxStats,
  LoggedRequest,
  FailureKind,
  Failure,
} from './index'

/** The environment variable globalSetup fills with the run's sandbox URL. */
export declare const URL_VARIABLE: 'MOBILEMONEY_SANDBOX_URL'

/** The sandbox of a test file, filled in before its first test. */
export interface SandboxHandle {
  /** The file's sandbox; reading it before the file's beforeAll has run throws. */
  readonly sandbox: Sandbox
  /** MoMo's `baseUrl` (the sandbox's root URL); throws before the sandbox started. */
  readonly url: string
  /** Paymob's `baseUrl` (`url` + `/api/secure/`); throws before the sandbox started. */
  readonly paymobUrl: string
  /** A provisioned API user and key on this sandbox: spread it into a product client's options. */
  momoAccount(product?: MomoProduct, options?: MomoAccountOptions): Promise<MomoAccount>
}

export type MomoProduct = 'collection' | 'disbursement' | 'remittance'

export interface MomoAccountOptions {
  /** Default `test-<product>-subscription-key` (the sandbox takes any non-empty key). */
  subscriptionKey?: string
  /** Default `sandbox`. */
  targetEnvironment?: string
}

/** Ready credentials: `new Disbursements(account.subscriptionKey, account)` works as is. */
export interface MomoAccount {
  subscriptionKey: string
  apiUser: string
  apiKey: string
  baseUrl: string
  targetEnvironment: string
}

/** Provision an API user and key on the sandbox at `url`; rejects if the sandbox refuses. */
export declare function momoAccount(
  url: string,
  product?: MomoProduct,
  options?: MomoAccountOptions,
): Promise<MomoAccount>

/**
 * Matchers of `[ok, data]` pairs, for `expect.extend(matchers)` (Jest, Vitest):
 * `expect(result).toBeOk()`, `expect(result).toFailWith('Conflict')`,
 * `expect(result).toFailWith('InvalidData', { field: 'amount' })`.
 */
export declare const matchers: {
  toBeOk(received: unknown): { pass: boolean; message(): string }
  toFailWith(received: unknown, kind: FailureKind, fields?: Partial<Failure>): { pass: boolean; message(): string }
}

/**
 * The matchers' types. Jest's globals get them below; for Vitest, add to a `.d.ts` of yours:
 * `declare module 'vitest' { interface Assertion<T = any> extends MobileMoneyMatchers<T> {} }`.
 */
export interface MobileMoneyMatchers<R = unknown> {
  toBeOk(): R
  toFailWith(kind: FailureKind, fields?: Partial<Failure>): R
}

declare global {
  namespace jest {
    interface Matchers<R> extends MobileMoneyMatchers<R> {}
  }
}

/** The hooks of a runner without Jest/Vitest/Mocha globals (node:test's `before`, `after`, `afterEach`). */
export interface TestHooks {
  beforeAll?: (fn: () => Promise<void>) => unknown
  before?: (fn: () => Promise<void>) => unknown
  afterAll?: (fn: () => Promise<void>) => unknown
  after?: (fn: () => Promise<void>) => unknown
  afterEach?: (fn: () => Promise<void>) => unknown
}

/** Start a sandbox before the file's tests, reset it after each test, close it after all. */
export declare function useSandbox(options?: SandboxOptions, hooks?: TestHooks): SandboxHandle

/** Clear injected faults, the random fault rate and the request log (the ledger stays). */
export declare function resetSandbox(sandbox: Sandbox | RemoteSandbox): Promise<void>

/** Jest `globalSetup`: one sandbox for the run; its URL goes to `MOBILEMONEY_SANDBOX_URL`. */
export declare function globalSetup(options?: SandboxOptions): Promise<Sandbox>
/** Jest `globalTeardown`: closes the run's sandbox. */
export declare function globalTeardown(): Promise<void>
/** The run's sandbox URL, in a test file; throws if globalSetup did not run. */
export declare function sandboxUrl(): string

/** A sandbox in another process, controlled over its `/_sandbox/` endpoints. */
export interface RemoteSandbox {
  readonly url: string
  readonly paymobUrl: string
  ledger(): Promise<LedgerEntry[]>
  stats(): Promise<SandboxStats>
  requests(): Promise<LoggedRequest[]>
  clearRequests(): Promise<void>
  injectFault(rule: FaultRule): Promise<unknown>
  clearFaults(): Promise<void>
  setFaultRate(rate: FaultRateOptions | null): Promise<unknown>
  reset(): Promise<void>
  /** A provisioned API user and key on this sandbox. */
  momoAccount(product?: MomoProduct, options?: MomoAccountOptions): Promise<MomoAccount>
}

/** Control the sandbox at `url` (default: the run's, from globalSetup). */
export declare function connectSandbox(url?: string): RemoteSandbox
