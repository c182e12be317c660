'use strict'
// mobilemoney-native/testing: the embedded sandbox in users' own test suites. Per test file,
// `useSandbox()` registers the runner's hooks (Jest, Vitest and Mocha globals; node:test's
// can be passed): start once, put back to a clean state after each test, close at the end.
// Per run, `globalSetup` / `globalTeardown` (Jest) start one sandbox for every worker and
// publish its URL in MOBILEMONEY_SANDBOX_URL; `connectSandbox(url)` controls it over HTTP.
const { Client, Sandbox } = require('./index.js')
const { matchers } = require('./lib/matchers.js')

const URL_VARIABLE = 'MOBILEMONEY_SANDBOX_URL'
const PAYMOB_PATH = '/api/secure/'
const RUN_SANDBOX = Symbol.for('mobilemoney-native.testing.sandbox')

// Faults, the random fault rate and the request log go; the ledger stays (each payout keeps
// its reference, as on the real services): start a sandbox per file for a fresh ledger.
async function resetSandbox(sandbox) {
  await sandbox.clearFaults()
  await sandbox.setFaultRate(null)
  await sandbox.clearRequests()
}

function hooksFrom(hooks) {
  const g = globalThis
  const found = {
    beforeAll: hooks.beforeAll || hooks.before || g.beforeAll || g.before,
    afterAll: hooks.afterAll || hooks.after || g.afterAll || g.after,
    afterEach: hooks.afterEach || g.afterEach,
  }
  const missing = Object.keys(found).filter((name) => typeof found[name] !== 'function')
  if (missing.length > 0) {
    throw new TypeError(
      `useSandbox needs the test runner's ${missing.join(', ')} hooks: call it at the top of a test file or pass them ({ before, after, afterEach } from node:test).`,
    )
  }
  return found
}

/**
 * One sandbox for the calling test file. The returned handle is filled in before the first
 * test: `handle.sandbox`, `handle.url` (MoMo's baseUrl), `handle.paymobUrl` (Paymob's),
 * `handle.momoAccount(product)` (provisioned credentials). Read before the file's
 * `beforeAll` has run, each throws an error saying so (instead of an `undefined` URL that a
 * client would quietly replace with MTN's host).
 */
function useSandbox(options = {}, hooks = {}) {
  const { beforeAll, afterAll, afterEach } = hooksFrom(hooks)
  let current = null
  const started = (what) => {
    if (!current) {
      throw new Error(
        `sandbox.${what} is read before the sandbox started: use it inside a test or a hook (useSandbox starts it in beforeAll).`,
      )
    }
    return current
  }
  const handle = {
    get sandbox() {
      return started('sandbox')
    },
    get url() {
      return started('url').url
    },
    get paymobUrl() {
      return started('paymobUrl').url + PAYMOB_PATH
    },
    momoAccount: (product, accountOptions) => momoAccount(started('momoAccount').url, product, accountOptions),
  }
  beforeAll(async () => {
    current = await Sandbox.start({ port: 0, ...options })
  })
  afterEach(async () => {
    if (current) await resetSandbox(current)
  })
  afterAll(async () => {
    if (current) await current.close()
    current = null
  })
  return handle
}

const PRODUCTS = ['collection', 'disbursement', 'remittance']

/**
 * A provisioned MoMo API user on the sandbox at `url`, as the options of a product client
 * take it: `{ subscriptionKey, apiUser, apiKey, baseUrl, targetEnvironment }`. Rejects
 * with an Error if the sandbox refuses (a subscription key it does not accept).
 */
async function momoAccount(url, product = 'disbursement', { subscriptionKey, targetEnvironment = 'sandbox' } = {}) {
  const name = String(product).toLowerCase().replace(/s$/, '')
  if (!PRODUCTS.includes(name)) {
    throw new TypeError(`momoAccount: product must be one of ${PRODUCTS.join(', ')}, got ${String(product)}`)
  }
  const key = subscriptionKey || `test-${name}-subscription-key`
  const client = new Client({ baseUrl: url })
  const apiUser = client.getReferenceId()
  const [created, user] = await client.createApiUser(apiUser, key, 'localhost')
  if (!created) throw new Error(`momoAccount: the sandbox refused the API user: ${user.message}`)
  const [keyed, made] = await client.createApiKey(apiUser, key)
  if (!keyed) throw new Error(`momoAccount: the sandbox refused the API key: ${made.message}`)
  return { subscriptionKey: key, apiUser, apiKey: made.apiKey, baseUrl: url, targetEnvironment }
}

/** Jest `globalSetup`: `module.exports = require('mobilemoney-native/testing').globalSetup`. */
async function globalSetup(options = {}) {
  // Jest passes its config objects here; only a plain options object is sandbox options.
  const sandboxOptions = options && !options.rootDir && !options.projectConfig ? options : {}
  // (A sandbox does not keep the process alive: a forgotten globalTeardown does not hang Jest.)
  const sandbox = await Sandbox.start({ port: 0, ...sandboxOptions })
  globalThis[RUN_SANDBOX] = sandbox
  process.env[URL_VARIABLE] = sandbox.url
  return sandbox
}

/** Jest `globalTeardown`. */
async function globalTeardown() {
  const sandbox = globalThis[RUN_SANDBOX]
  globalThis[RUN_SANDBOX] = undefined
  if (sandbox) await sandbox.close()
}

/** The URL of the run's sandbox (from globalSetup), in a test file. */
function sandboxUrl() {
  const url = process.env[URL_VARIABLE]
  if (!url) {
    throw new Error(
      `${URL_VARIABLE} is not set: add globalSetup/globalTeardown from mobilemoney-native/testing to the Jest config, or use useSandbox() in the file.`,
    )
  }
  return url
}

/** The sandbox's /_sandbox/ control endpoints, for a sandbox in another process. */
function connectSandbox(url = sandboxUrl()) {
  const control = async (method, path, body) => {
    const response = await fetch(`${url}/_sandbox/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) {
      throw new Error(
        `sandbox control ${method} /_sandbox/${path} answered ${response.status}: ${await response.text()}`,
      )
    }
    return response.status === 204 ? undefined : response.json()
  }
  const remote = {
    url,
    paymobUrl: url + PAYMOB_PATH,
    ledger: () => control('GET', 'ledger'),
    stats: () => control('GET', 'stats'),
    requests: () => control('GET', 'requests'),
    clearRequests: () => control('DELETE', 'requests'),
    injectFault: (rule) => control('POST', 'faults', rule),
    clearFaults: () => control('DELETE', 'faults'),
    // The control endpoint takes a rate; null turns random faults off as Sandbox's does.
    setFaultRate: (rate) => control('POST', 'fault-rate', rate || { rate: 0 }),
  }
  remote.reset = () => resetSandbox(remote)
  remote.momoAccount = (product, accountOptions) => momoAccount(url, product, accountOptions)
  return remote
}

module.exports = {
  useSandbox,
  momoAccount,
  matchers,
  resetSandbox,
  globalSetup,
  globalTeardown,
  sandboxUrl,
  connectSandbox,
  URL_VARIABLE,
}
