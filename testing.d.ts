// Types of mobilemoney-native/testing: the embedded sandbox in users' own test suites.
import type {
  Sandbox,
  SandboxOptions,
  FaultRule,
  FaultRateOptions,
  LedgerEntry,
  SandboxStats,
  LoggedRequest,
} from './index'

/** The environment variable globalSetup fills with the run's sandbox URL. */
export declare const URL_VARIABLE: 'MOBILEMONEY_SANDBOX_URL'

/** The sandbox of a test file, filled in before its first test. */
export interface SandboxHandle {
  sandbox: Sandbox | null
  /** MoMo's `baseUrl` (the sandbox's root URL). */
  readonly url: string | undefined
  /** Paymob's `baseUrl` (`url` + `/api/secure/`). */
  readonly paymobUrl: string | undefined
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
}

/** Control the sandbox at `url` (default: the run's, from globalSetup). */
export declare function connectSandbox(url?: string): RemoteSandbox
