'use strict'
// Shared by the specs: a sandbox, a provisioned API user, a callback listener.
const http = require('node:http')
const { randomUUID } = require('node:crypto')
const { Client, Disbursements, Sandbox } = require('../..')

const KEY = 'test-subscription-key'

/** Start a sandbox and provision an API user + key on it (callback host 127.0.0.1). */
async function momoWorld(options = {}) {
  const sb = await Sandbox.start({ port: 0, ...options })
  const client = new Client({ baseUrl: sb.url })
  client.isSandbox()
  const apiUser = randomUUID()
  const [ok1, created] = await client.createApiUser(apiUser, KEY, '127.0.0.1')
  if (!ok1) throw new Error(`createApiUser failed: ${JSON.stringify(created)}`)
  const [ok2, key] = await client.createApiKey(apiUser, KEY)
  if (!ok2) throw new Error(`createApiKey failed: ${JSON.stringify(key)}`)
  const apiKey = key.apiKey
  const basic = client.basicToken(apiUser, apiKey)
  const managed = (extra = {}) =>
    new Disbursements(KEY, { baseUrl: sb.url, apiUser, apiKey, retryBackoffMs: 20, ...extra })
  const plain = (extra = {}) => new Disbursements(KEY, { baseUrl: sb.url, retryBackoffMs: 20, ...extra })
  return { sb, client, apiUser, apiKey, basic, managed, plain }
}

/** A bearer token for explicit-authorization calls. */
async function bearer(world) {
  const [ok, token] = await world.plain().createAccessToken(world.basic)
  if (!ok) throw new Error(`createAccessToken failed: ${JSON.stringify(token)}`)
  return `Bearer ${token.access_token}`
}

/** A momoWorld with a bearer token for explicit-authorization calls (`world.auth`). */
async function bearerWorld(options) {
  const world = await momoWorld(options)
  world.auth = await bearer(world)
  return world
}

function transferBody(partyId, amount = '100', extra = {}) {
  return {
    amount,
    currency: 'EUR',
    externalId: `ext-${partyId}`,
    payee: { partyIdType: 'MSISDN', partyId },
    payerMessage: 'test payout',
    payeeNote: 'thanks',
    ...extra,
  }
}

/** A local HTTP listener that records every callback it receives. */
async function callbackListener() {
  const received = []
  const waiters = []
  const server = http.createServer((req, res) => {
    let data = ''
    req.on('data', (c) => (data += c))
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body: data }
      received.push(entry)
      res.writeHead(200).end()
      for (const w of waiters.splice(0)) w()
    })
  })
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${server.address().port}`
  return {
    url,
    received,
    /** Wait until `count` callbacks for `path` arrived (or the timeout passes). */
    async waitFor(path, count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs
      while (received.filter((r) => r.url === path).length < count && Date.now() < deadline) {
        await new Promise((r) => {
          waiters.push(r)
          setTimeout(r, 50)
        })
      }
      return received.filter((r) => r.url === path)
    },
    close: () => new Promise((r) => server.close(r)),
  }
}

/**
 * The spec file's world: `make()` once before its tests, `close(world)` after them.
 * Returns a stand-in that forwards to the world once beforeAll has made it, so specs
 * write `world.sb` as if it were the world itself.
 */
function specWorld(make, close = (world) => world.sb.close()) {
  let world
  beforeAll(async () => {
    world = await make()
  })
  afterAll(async () => {
    if (world) await close(world)
  })
  const made = (key) => {
    if (!world) throw new Error(`the spec's world is used before beforeAll made it (.${String(key)})`)
    return world
  }
  // Reads, `in` and spreading (`{ ...world }`) all see the world made in beforeAll.
  return new Proxy(
    {},
    {
      get: (_, key) => made(key)[key],
      has: (_, key) => key in made(key),
      ownKeys: () => Reflect.ownKeys(made('…')),
      getOwnPropertyDescriptor(_, key) {
        const found = Reflect.getOwnPropertyDescriptor(made(key), key)
        return found && { ...found, configurable: true }
      },
    },
  )
}

/** `fn(world)` on a fresh world from `make()`; its sandbox is closed after, pass or fail. */
async function withWorld(make, fn) {
  const world = await make()
  try {
    return await fn(world)
  } finally {
    await world.sb.close()
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

/** Poll `fn` until it returns a truthy value or the timeout passes. */
async function eventually(fn, timeoutMs = 5000, everyMs = 25) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    last = await fn()
    if (last) return last
    await sleep(everyMs)
  }
  return last
}

module.exports = {
  KEY,
  momoWorld,
  specWorld,
  withWorld,
  bearer,
  bearerWorld,
  transferBody,
  callbackListener,
  sleep,
  eventually,
  randomUUID,
}
