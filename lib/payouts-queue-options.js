'use strict'
// The queue strategy's settings and Redis plumbing: options.queue as read and checked,
// the Redis connection (ours or the caller's), the ids that key jobs and Redis keys, and
// the paces BullMQ's limiters keep for an account.
const crypto = require('node:crypto')
const IORedis = require('ioredis')

function failure(error, message, extra = {}) {
  return { error, message, retryable: false, ...extra }
}

const digest = (...parts) => crypto.createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32)

// The same (batch, key, generation) that keys the item's reference keys its job, so a
// second submit of the same batch adds no job.
const itemJobId = (batchId, key, generation) => `pay-${digest(batchId, key, String(generation))}`

const KEEP_DONE_S = 7 * 24 * 3600
const KEEP_FAILED_S = 30 * 24 * 3600

// An item's job as addBulk takes it; `row` has the item's batchId, key and generation.
function itemJob(row, total) {
  return {
    name: 'pay',
    data: { batchId: row.batchId, key: row.key, total },
    opts: {
      jobId: itemJobId(row.batchId, row.key, row.generation),
      // Failures here are the ledger or the process, not the payment (those are
      // recorded on the item): try again, with backoff, for a long while.
      attempts: 50,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: KEEP_DONE_S },
      removeOnFail: { age: KEEP_FAILED_S },
    },
  }
}

// As BullMQ takes a connection: an ioredis instance (shared, never closed here) or its
// options; here also a redis:// or rediss:// URL.
const isRedisInstance = (r) =>
  r !== null && typeof r === 'object' && ['connect', 'disconnect', 'duplicate'].every((m) => typeof r[m] === 'function')

function readConnection(r, field) {
  if (typeof r === 'string') {
    if (/^rediss?:\/\//.test(r)) return [true, r]
  } else if (isRedisInstance(r)) {
    return [true, r]
  } else if (r !== null && typeof r === 'object' && !Array.isArray(r)) {
    return [true, r]
  }
  return [
    false,
    failure(
      'InvalidData',
      `options.${field} must be a redis:// or rediss:// URL, an ioredis instance or ioredis options.`,
      { field },
    ),
  ]
}

function readOptions(q) {
  if (typeof q !== 'object' || q === null || Array.isArray(q))
    return [
      false,
      failure('InvalidData', 'options.queue must be an object such as { redis: "redis://127.0.0.1:6379" }.', {
        field: 'queue',
      }),
    ]
  const [rok, redis] = readConnection(q.redis, 'queue.redis')
  if (!rok) return [false, redis]
  for (const f of ['name', 'prefix']) {
    if (q[f] != null && (typeof q[f] !== 'string' || !/^[A-Za-z0-9_.-]{1,64}$/.test(q[f]))) {
      return [
        false,
        failure('InvalidData', `options.queue.${f} must be 1 to 64 letters, digits, dots, dashes or underscores.`, {
          field: `queue.${f}`,
        }),
      ]
    }
  }
  const timeoutMs = q.timeoutMs == null ? REDIS_WAIT_MS : q.timeoutMs
  if (typeof timeoutMs !== 'number' || !(timeoutMs >= 100 && timeoutMs <= 600000)) {
    const message = 'options.queue.timeoutMs must be a number of milliseconds from 100 to 600000.'
    return [false, failure('InvalidData', message, { field: 'queue.timeoutMs' })]
  }
  return [true, { redis, name: q.name || 'payouts', prefix: q.prefix || 'bull', timeoutMs }]
}

// work(options) as read and checked: [true, { concurrency, …options }] or [false, failure].
function readWorkOptions(opts) {
  const o = opts == null ? {} : opts
  if (typeof o !== 'object')
    return [
      false,
      failure('InvalidData', 'work(options) takes an object such as { concurrency: 16 }.', { field: 'options' }),
    ]
  const concurrency = o.concurrency == null ? 16 : o.concurrency
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 10000) {
    return [
      false,
      failure('InvalidData', 'options.concurrency must be a whole number from 1 to 10000.', { field: 'concurrency' }),
    ]
  }
  if (o.maxStalledCount != null && !(Number.isInteger(o.maxStalledCount) && o.maxStalledCount >= 1)) {
    return [
      false,
      failure('InvalidData', 'options.maxStalledCount must be a whole number of at least 1.', {
        field: 'maxStalledCount',
      }),
    ]
  }
  for (const f of ['lockDuration', 'stalledInterval']) {
    if (o[f] != null && !(typeof o[f] === 'number' && Number.isFinite(o[f]) && o[f] > 0)) {
      return [false, failure('InvalidData', `options.${f} must be a positive number of milliseconds.`, { field: f })]
    }
  }
  return [true, { ...o, concurrency }]
}

// How long submit() waits for Redis: BullMQ's connections wait for it without limit (as its
// workers must), which would leave a submit against a stopped Redis pending forever.
const REDIS_WAIT_MS = 10000

function withinTimeout(promise, ms) {
  let timer
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

// BullMQ's limiter for an account's `ratePerSecond`: shared by every worker of its queue.
function limiter(account) {
  const rate = account && account.ratePerSecond
  if (typeof rate !== 'number' || !(rate > 0)) return undefined
  return rate >= 1 ? { max: Math.floor(rate), duration: 1000 } : { max: 1, duration: Math.ceil(1000 / rate) }
}

// [client, owned]: a URL or options make a client of ours (closed with us); an instance
// stays its owner's.
function connect(r) {
  if (isRedisInstance(r)) return [r, false]
  const options = { maxRetriesPerRequest: null, enableReadyCheck: true }
  const client = typeof r === 'string' ? new IORedis(r, options) : new IORedis({ ...r, ...options })
  // A lost Redis is reported by the calls that need it; the client reconnects by itself.
  client.on('error', () => {})
  return [client, true]
}

// Paymob answers up to 50 references an inquiry and allows 5 inquiries a minute per user:
// its items are looked up in groups by a lookup queue (lib/payouts-queue-lookups.js)
// rather than one reference a job. `references` is the provider's own page size.
const GROUPED = { paymob: { references: 50, perMinute: 5 } }

// How far apart (ms) a grouped rail's lookup requests must be, across every worker: the
// account's `lookupsPerSecond` or `inquiriesPerMinute` when given (as the engine reads
// them), else the provider's budget.
function lookupInterval(rail, account) {
  const a = account || {}
  let perMinute = GROUPED[rail].perMinute
  if (typeof a.lookupsPerSecond === 'number' && a.lookupsPerSecond > 0) perMinute = a.lookupsPerSecond * 60
  else if (typeof a.inquiriesPerMinute === 'number' && a.inquiriesPerMinute > 0) perMinute = a.inquiriesPerMinute
  return Math.max(1, Math.ceil(60000 / perMinute))
}

module.exports = {
  GROUPED,
  KEEP_DONE_S,
  KEEP_FAILED_S,
  REDIS_WAIT_MS,
  connect,
  digest,
  failure,
  itemJob,
  itemJobId,
  limiter,
  lookupInterval,
  readConnection,
  readOptions,
  readWorkOptions,
  withinTimeout,
}
