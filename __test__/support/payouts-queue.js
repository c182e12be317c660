'use strict'
// The real PostgreSQL and Redis of the machine (DATABASE_URL, REDIS_URL): a schema and a
// key prefix of its own for each test, cleaned up after; worker processes; a Redis
// server of the test's own. Without the services a test says it skipped and passes,
// unless MMN_REQUIRE_SERVICES=1 (as .ci/run sets), which makes it fail.
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const { randomUUID } = require('node:crypto')
const { Client } = require('pg')
const IORedis = require('ioredis')

const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const REQUIRED = process.env.MMN_REQUIRE_SERVICES === '1'

async function pgReachable() {
  const c = new Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 })
  try {
    await c.connect()
    await c.query('SELECT 1')
    return null
  } catch (e) {
    return `no PostgreSQL at DATABASE_URL (${e.message})`
  } finally {
    await c.end().catch(() => {})
  }
}

async function redisReachable(url = REDIS_URL) {
  const r = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  })
  r.on('error', () => {})
  try {
    await r.connect()
    await r.ping()
    return null
  } catch (e) {
    return `no Redis at REDIS_URL (${e.message})`
  } finally {
    r.disconnect()
  }
}

/** true when the test can run; false (having said why) when it should skip. */
async function services(test, { redis = true } = {}) {
  const why = [await pgReachable(), redis ? await redisReachable() : null].filter(Boolean)
  if (why.length === 0) return true
  if (REQUIRED) throw new Error(`MMN_REQUIRE_SERVICES=1 but ${why.join('; ')}`)
  console.warn(`SKIPPED ${test}: ${why.join('; ')}`)
  return false
}

function withParams(url, params) {
  return `${url}${url.includes('?') ? '&' : '?'}${params}`
}

/** A schema and a key prefix of the test's own. */
async function scope() {
  const id = randomUUID().replace(/-/g, '').slice(0, 16)
  const schema = `mmn_j_${id}`
  const prefix = `mmn-j-${id}`
  const admin = new Client({ connectionString: DATABASE_URL })
  await admin.connect()
  const ledger = withParams(DATABASE_URL, `schema=${schema}&application_name=${schema}&pool_size=4`)
  return {
    schema,
    prefix,
    ledger,
    admin,
    async terminate() {
      const r = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [schema],
      )
      return r.rowCount
    },
    async cleanup(redisUrl = REDIS_URL) {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await admin.end()
      const r = new IORedis(redisUrl, { maxRetriesPerRequest: 1 })
      r.on('error', () => {})
      try {
        let cursor = '0'
        do {
          const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
          if (keys.length) await r.del(...keys)
          cursor = next
        } while (cursor !== '0')
      } finally {
        r.disconnect()
      }
    },
  }
}

const WORKER = path.join(__dirname, '..', 'fixtures', 'payouts-queue-worker.js')

/** A worker process: Payouts.open(options) then work(work); resolves once it is working. */
function startWorker(options, work) {
  const child = spawn(process.execPath, [WORKER], {
    env: { ...process.env, MMN_WORKER: JSON.stringify({ options, work }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const ready = new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (d) => {
      out += d
      if (out.includes('ready')) resolve(child)
    })
    child.on('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)))
  })
  return ready
}

async function stopWorker(child) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer()
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
    s.on('error', reject)
  })
}

/** A redis-server of the test's own on a free loopback port, with an append-only file
 * written on every change so a restart keeps the queue. */
async function ownRedis() {
  const port = await freePort()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmn-redis-'))
  let proc = null
  const start = async () => {
    proc = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--dir',
        dir,
      ],
      { stdio: 'ignore' },
    )
    const url = `redis://127.0.0.1:${port}`
    for (let i = 0; i < 100; i++) {
      if ((await redisReachable(url)) === null) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error('redis-server did not start')
  }
  const stop = async () => {
    if (!proc || proc.exitCode !== null) return
    const exited = new Promise((resolve) => proc.on('exit', resolve))
    proc.kill('SIGTERM')
    await exited
  }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`,
    restart: async () => {
      await stop()
      await start()
    },
    close: async () => {
      await stop()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Payouts options of a test on its own schema and key prefix (`paymobTimeoutMs`: how long
 * the Paymob client waits for an answer). */
function queueOptions(w, s, paymobTimeoutMs = 1500) {
  return {
    ...w.options({ momo: { timeoutMs: 1500 }, paymob: { timeoutMs: paymobTimeoutMs } }),
    ledger: s.ledger,
    queue: { redis: REDIS_URL, prefix: s.prefix },
  }
}

/** SIGKILLs a worker process; resolves once it is gone. */
async function killWorker(child) {
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGKILL')
  await exited
}

/** The summary of `batchId` once it is closed (every item final). */
function batchClosed(payouts, batchId, timeoutMs) {
  return until(
    `batch ${batchId} closed`,
    async () => {
      const [, sum] = await payouts.summary(batchId)
      return sum.finishedAt ? sum : null
    },
    timeoutMs,
  )
}

async function until(what, fn, timeoutMs = 240000, everyMs = 250) {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, everyMs))
  }
}

/**
 * What a queue test leaves behind, cleaned up after each test: what `t.defer(fn)` was
 * given (last first), then `t.s` (its scope) and `t.w` (its sandbox world).
 */
function tracked() {
  const later = []
  const t = { w: null, s: null, defer: (fn) => later.push(fn) }
  // A test's start: false (having said why) without the services, else its world (a
  // sandbox with `world` options) and its scope.
  t.start = async (test, world) => {
    if (!(await services(test))) return false
    const { payoutsWorld } = require('./payouts')
    t.w = await payoutsWorld(world)
    t.s = await scope()
    return true
  }
  afterEach(async () => {
    for (const fn of later.splice(0).reverse()) await fn()
    if (t.s) await t.s.cleanup()
    if (t.w) await t.w.cleanup()
    t.s = null
    t.w = null
  })
  return t
}

/** The next `times` MoMo transfers are answered 429 with this Retry-After. */
function momoTransfers429(sb, times, retryAfterSeconds) {
  sb.injectFault({ kind: 'status_429', path: '/disbursement/v1_0/transfer', method: 'POST', times, retryAfterSeconds })
}

/** `n` items, MoMo and Paymob in turn, MoMo's over 50 numbers. */
function mixedItems(n) {
  const { momoItem, paymobItem } = require('./payouts')
  const out = []
  for (let i = 0; i < n; i++)
    out.push(i % 2 ? paymobItem(`p${i}`) : momoItem(`m${i}`, `4673312${String(i % 50).padStart(4, '0')}`))
  return out
}

module.exports = {
  DATABASE_URL,
  REDIS_URL,
  batchClosed,
  killWorker,
  mixedItems,
  momoTransfers429,
  queueOptions,
  services,
  scope,
  startWorker,
  stopWorker,
  tracked,
  ownRedis,
  until,
  withParams,
}
