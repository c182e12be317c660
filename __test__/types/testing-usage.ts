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
} from 'mobilemoney-native/testing'
import type { SandboxHandle, RemoteSandbox, TestHooks } from 'mobilemoney-native/testing'

declare const hooks: Required<Pick<TestHooks, 'before' | 'after' | 'afterEach'>>

const handle: SandboxHandle = useSandbox({ settleAfterMs: 0 }, hooks)
const url: string | undefined = handle.url
const paymobUrl: string | undefined = handle.paymobUrl
const live: Sandbox | null = handle.sandbox
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

void [paymobUrl, live, d, perRun]
