// Typed use of mobilemoney-native/testing, compiled by testing.spec.js under `strict`.
import { Disbursements, Sandbox } from 'mobilemoney-native'
import {
  useSandbox,
  connectSandbox,
  sandboxUrl,
  globalSetup,
  globalTeardown,
  resetSandbox,
  URL_VARIABLE,
  momoAccount,
  matchers,
} from 'mobilemoney-native/testing'
import type { SandboxHandle, RemoteSandbox, TestHooks, MomoAccount, MobileMoneyMatchers } from 'mobilemoney-native/testing'

declare const hooks: Required<Pick<TestHooks, 'before' | 'after' | 'afterEach'>>

const handle: SandboxHandle = useSandbox({ settleAfterMs: 0 }, hooks)
const url: string | undefined = handle.url
const paymobUrl: string | undefined = handle.paymobUrl
// Filled before the first test (reading it earlier throws): no null to rule out.
const live: Sandbox = handle.sandbox
const stats: Promise<unknown> = handle.sandbox.stats()
const d = new Disbursements('key', { baseUrl: url })

async function perRun(): Promise<void> {
  const sb: Sandbox = await globalSetup({ settleAfterMs: 0 })
  const remote: RemoteSandbox = connectSandbox(sandboxUrl())
  await remote.injectFault({ kind: 'status_503', path: '/v1_0/transfer', times: 1 })
  await remote.setFaultRate(null)
  const count: number = (await remote.ledger()).length
  await resetSandbox(remote)
  await resetSandbox(sb)
  await globalTeardown()
  const name: 'MOBILEMONEY_SANDBOX_URL' = URL_VARIABLE
  void [count, name]
}

async function accounts(): Promise<void> {
  const account: MomoAccount = await handle.momoAccount('collection')
  const d2 = new Disbursements(account.subscriptionKey, account)
  const other: MomoAccount = await momoAccount('http://127.0.0.1:1', 'remittance', { subscriptionKey: 'k' })
  const remote: MomoAccount = await connectSandbox('http://127.0.0.1:1').momoAccount()
  const check = matchers.toFailWith([false, { error: 'Conflict', message: 'x', retryable: false }], 'Conflict')
  const pass: boolean = check.pass
  void [d2, other, remote, pass]
}

// What a Vitest user adds to extend its Assertion.
interface MyAssertion<T> extends MobileMoneyMatchers<T> {}
declare const assertion: MyAssertion<void>
assertion.toFailWith('InvalidData', { field: 'body.amount' })
assertion.toBeOk()

void [paymobUrl, live, d, perRun, stats, accounts]
