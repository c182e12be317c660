'use strict'
// Payouts across machines: `submit` puts one BullMQ job per item on a queue per provider
// account (past a large batch's first page, through a chain of jobs the workers run:
// lib/payouts-queue-enqueue.js), and `work()` runs BullMQ Workers (in any number of
// processes) that call the native per-item steps; Paymob items are looked up in groups by
// a lookup queue of their own (lib/payouts-queue-lookups.js). Safety never rests on the queue, which is
// at-least-once: every step is a compare-and-set on the item's ledger row, and an item
// found `sending` is looked up before anything is sent again, so a job re-run after a
// crash, a stall or a lost lock cannot pay twice.
// Loaded by lib/payouts.js only when `options.queue` is used (bullmq and ioredis are
// optional peer dependencies).
const { randomUUID } = require('node:crypto')
const { Queue, Worker, DelayedError, UnrecoverableError } = require('bullmq')
const { submitTo } = require('./payouts-submit.js')
const { PayoutsWorker } = require('./payouts-queue-worker.js')
const { GroupedLookups } = require('./payouts-queue-lookups.js')
const { enqueuePages, handOff, runLink } = require('./payouts-queue-enqueue.js')
const {
  GROUPED,
  KEEP_DONE_S,
  KEEP_FAILED_S,
  connect,
  digest,
  failure,
  limiter,
  readConnection,
  readOptions,
  readWorkOptions,
  withinTimeout,
} = require('./payouts-queue-options.js')

const { FINAL } = require('./payout-statuses.js')
const LOOKUP_FLOOR_MS = 200
// A paused batch's jobs look again this often (plus up to half as much again, so that
// thousands of them do not come back at once).
const PAUSED_RECHECK_MS = 30000
// An item left queued by a lost claim (another worker's) comes back this soon.
const REQUEUE_MS = 250

class PayoutsQueue {
  // native: the open native Payouts; rails: the rails the binding knows (payoutRails()).
  constructor(native, q, options, rails) {
    this.native = native
    this.q = q
    this.options = options
    ;[this.redis, this.ownsRedis] = connect(q.redis)
    this.providers = rails.filter((p) => options[p])
    this.queues = {}
    for (const p of [...this.providers, 'batches', 'enqueue']) {
      this.queues[p] = new Queue(`${q.name}-${p}`, { connection: this.redis, prefix: q.prefix })
      this.queues[p].on('error', () => {})
    }
    // Rails whose items are looked up in groups, within a per-minute budget.
    this.lookups = {}
    for (const p of this.providers.filter((r) => GROUPED[r])) this.lookups[p] = new GroupedLookups(this, p)
    // The handles work() resolved, closed with the instance.
    this.handles = []
  }

  // The lookup queue of a grouped rail (made on first use: only workers need it).
  lookupQueue(rail) {
    const name = `${rail}-lookups`
    if (!this.queues[name]) {
      this.queues[name] = new Queue(this.lookups[rail].name, { connection: this.redis, prefix: this.q.prefix })
      this.queues[name].on('error', () => {})
    }
    return this.queues[name]
  }

  key(kind, batchId) {
    return `${this.q.prefix}:${this.q.name}:${kind}:${digest(batchId)}`
  }

  // Queues the items of the batch not final yet (with `only`, of those keys), reading at
  // most `pages` pages of the ledger here; closes the batch when every item is final and
  // none is left unread. Resolves [true, { count, seen, finals, after, more }].
  async enqueue(batchId, total, only = null, pages = Infinity) {
    const [ok, at] = await enqueuePages(this, batchId, total, { only, pages })
    if (!ok) return [false, at]
    if (!at.more && at.seen > 0 && at.finals === at.seen)
      await withinTimeout(this.closeBatch(batchId), this.q.timeoutMs)
    return [true, at]
  }

  async submit(batchId, items) {
    const [ok, summary] = await submitTo(this.native, batchId, items)
    if (!ok) return [ok, summary]
    try {
      // The first page here (a batch that fits keeps an exact count); the rest by the
      // workers, as a chain of enqueue jobs started before submit returns.
      const [eok, at] = await this.enqueue(summary.batchId, summary.total, null, 1)
      if (!eok) return [false, at]
      if (at.more) await handOff(this, summary.batchId, summary.total, randomUUID(), at)
      return [true, { ...summary, enqueued: at.count, enqueuing: at.more ? summary.total - at.seen : 0 }]
    } catch (e) {
      return [
        false,
        failure(
          'NetworkError',
          `The batch is in the ledger but its jobs could not be queued (${e.message}); submit it again to queue them.`,
          { retryable: true },
        ),
      ]
    }
  }

  async retryFailed(batchId) {
    const [ok, data] = await this.native.retryFailed(batchId)
    if (!ok || data.retried === 0) return [ok, data]
    return this.requeue(batchId, data, 'have new references', async (keys) => {
      await this.redis.srem(this.key('finals', batchId), ...keys)
    })
  }

  // Approved items are queued again (held items got no job when the batch was submitted):
  // their jobs are added as retryFailed's are.
  async approve(batchId, keys, options) {
    const [ok, data] = await this.native.approve(batchId, keys, options)
    if (!ok) return [ok, data]
    return this.requeue(batchId, data, 'are approved')
  }

  // Adds the jobs of `data.items` (open again in the ledger); resolves [true, data with
  // `enqueued`], or a failure saying the batch's submit queues them (`what` they are).
  async requeue(batchId, data, what, before = async () => {}) {
    try {
      const keys = data.items.map((i) => i.key)
      await before(keys)
      const [sok, summary] = await this.native.summary(batchId)
      if (!sok) return [false, summary]
      const [eok, at] = await this.enqueue(batchId, summary.total, new Set(keys))
      return eok ? [true, { ...data, enqueued: at.count }] : [false, at]
    } catch (e) {
      return [
        false,
        failure(
          'NetworkError',
          `The items ${what} but their jobs could not be queued (${e.message}); submit the batch again to queue them.`,
          { retryable: true },
        ),
      ]
    }
  }

  // Rejected items are final: counted as a job would count them, so that the batch closes.
  async reject(batchId, keys, note) {
    const [ok, data] = await this.native.reject(batchId, keys, note)
    if (!ok) return [ok, data]
    try {
      const [sok, summary] = await this.native.summary(batchId)
      if (sok) for (const item of data.items) await this.finished(summary.batchId, item.key, summary.total)
    } catch {
      // The items are refused in the ledger; a later submit of the batch closes it.
    }
    return [true, data]
  }

  // An operator settles an item that waits on one; counted final as a job would, so that
  // the batch's close job is added once the last such item is resolved.
  async resolve(batchId, key, resolution) {
    const [ok, item] = await this.native.resolve(batchId, key, resolution)
    if (!ok) return [ok, item]
    try {
      const [sok, summary] = await this.native.summary(batchId)
      if (sok && FINAL.has(item.status)) await this.finished(summary.batchId, item.key, summary.total)
    } catch {
      // The item is resolved in the ledger; a later submit of the batch closes it.
    }
    return [true, item]
  }

  // Counts the item final (once per key); once the count says done, the ledger decides
  // (the count can be off: a failed Redis step in retryFailed).
  async finished(batchId, key, total) {
    const finals = this.key('finals', batchId)
    const res = await this.redis.multi().sadd(finals, key).expire(finals, KEEP_FAILED_S).scard(finals).exec()
    const count = res[2][1]
    if (count < total) return count
    const [ok, summary] = await this.native.summary(batchId)
    if (!ok) throw new Error(`${summary.error}: ${summary.message}`)
    const done = [...FINAL].reduce((n, s) => n + (summary.byStatus[s] || 0), 0)
    if (done >= summary.total) await this.closeBatch(batchId)
    return count
  }

  // Adds the job that closes the batch, once per round: its id carries the sum of the
  // items' generations, which every retryFailed raises, so a later round's close never
  // collides with an earlier one's (kept for days).
  async closeBatch(batchId) {
    // A page at a time: the batch is never held whole, even at a million items.
    let [round, after] = [0, undefined]
    for (;;) {
      const [ok, rows] = await this.native.items(batchId, { limit: 10000, ...(after === undefined ? {} : { after }) })
      if (!ok) throw new Error(`${rows.error}: ${rows.message}`)
      round = rows.reduce((n, r) => n + r.generation, round)
      if (rows.length < 10000) break
      after = rows[rows.length - 1].key
    }
    await this.queues.batches.add(
      'close',
      { batchId },
      {
        jobId: `close-${digest(batchId)}-${round}`,
        attempts: 50,
        backoff: { type: 'exponential', delay: 500 },
        removeOnComplete: { age: KEEP_DONE_S },
      },
    )
  }

  // One job: the item's step, then what comes next for its job. `events` is the
  // PayoutsWorker that reports it (`progress` once the ledger records a send or an answer).
  async step(job, token, worker, events, rail) {
    const { batchId, key, total } = job.data
    // A grouped rail's lookups are the lookup queue's: its item jobs only send.
    const grouped = this.lookups[rail]
    let looked = Boolean(job.data.lookup) && !grouped
    let [ok, item] = looked ? await this.native.reconcile(batchId, key) : await this.native.process(batchId, key)
    // `sending` here means this job ran before and lost its lock (its worker died or
    // stalled): BullMQ's lock is the claim's lease, so the reference is looked up now.
    if (ok && item.status === 'sending' && !grouped) {
      ;[ok, item] = await this.native.reconcile(batchId, key)
      looked = true
    }
    // The lookup found the reference never reached the provider: send it (same reference).
    if (ok && item.status === 'queued' && looked) [ok, item] = await this.native.process(batchId, key)
    if (!ok) {
      if (item.error === 'NotFound' || item.error === 'InvalidData') throw new UnrecoverableError(item.message)
      throw new Error(`${item.error}: ${item.message}`)
    }
    if (FINAL.has(item.status)) {
      const done = await this.finished(batchId, key, total)
      events.progress(item, batchId, total, done)
      return item
    }
    if (item.status !== 'queued' && events.listenerCount('progress') > 0) {
      events.progress(item, batchId, total, await this.redis.scard(this.key('finals', batchId)))
    }
    // `unknown` and waiting on an operator (needsLookup false): no lookup will settle it,
    // so the job ends here instead of coming back forever. The batch is not closed: the
    // operator's `resolve` (through a queue instance) counts the item final, or a later
    // `submit` of the batch closes it once every item is final.
    if (item.awaitingOperator && !item.needsLookup) return item
    if (item.status === 'queued') {
      // Not sent: the provider answered 429 (hold every worker of the account as long as
      // it asked), the batch is paused (out of funds), or another worker won the claim.
      if (item.throttled) {
        await worker.rateLimit(item.retryAfterMs)
        throw Worker.RateLimitError()
      }
      const [sok, summary] = await this.native.summary(batchId)
      const wait = sok && summary.paused ? PAUSED_RECHECK_MS * (1 + Math.random() / 2) : REQUEUE_MS
      await job.moveToDelayed(Date.now() + wait, token)
      throw new DelayedError()
    }
    // pending or unknown (or sending again): look it up later, as the same job, delayed
    // (it stays the batch's until the item is final); for a grouped rail, handed to the
    // lookup queue (the job ends once the key is in its set).
    const at = Math.max(Date.parse(item.nextCheckAt) || 0, Date.now() + LOOKUP_FLOOR_MS)
    if (grouped) {
      await grouped.add(batchId, key, at)
      return item
    }
    if (!job.data.lookup) await job.updateData({ ...job.data, lookup: true })
    await job.moveToDelayed(at, token)
    throw new DelayedError()
  }

  async work(opts) {
    const [ook, o] = readWorkOptions(opts)
    if (!ook) return [false, o]
    const { concurrency } = o
    let connection = this.redis
    let owned = false
    if (o.connection != null) {
      const [cok, c] = readConnection(o.connection, 'connection')
      if (!cok) return [false, c]
      ;[connection, owned] = connect(c)
    }
    const common = {
      connection,
      prefix: this.q.prefix,
      // Re-running a stalled job is safe (claim, then lookup before any resend).
      maxStalledCount: o.maxStalledCount == null ? 100 : o.maxStalledCount,
      ...(o.lockDuration != null ? { lockDuration: o.lockDuration } : {}),
      ...(o.stalledInterval != null ? { stalledInterval: o.stalledInterval } : {}),
    }
    const started = []
    const events = new PayoutsWorker(started, concurrency, () => {
      this.handles = this.handles.filter((h) => h !== events)
      if (owned) connection.disconnect()
    })
    try {
      for (const p of this.providers) {
        const w = new Worker(`${this.q.name}-${p}`, (job, token) => this.step(job, token, w, events, p), {
          ...common,
          concurrency,
          limiter: limiter(this.options[p]),
        })
        events.forward(w, true)
        started.push(w)
      }
      const batches = new Worker(
        `${this.q.name}-batches`,
        async (job) => {
          const [ok, summary] = await this.native.summary(job.data.batchId)
          if (!ok) throw new Error(`${summary.error}: ${summary.message}`)
          return summary
        },
        common,
      )
      events.forward(batches, false)
      started.push(batches)
      // The chains that queue the rest of large batches, a link at a time.
      const links = new Worker(`${this.q.name}-enqueue`, (job) => runLink(this, job), common)
      events.forward(links, false)
      started.push(links)
    } catch (e) {
      // BullMQ refused its options (a connection it cannot use): nothing is left running.
      events.close()
      return [
        false,
        failure('InvalidData', `work() could not start its workers (${e.message}).`, { field: 'connection' }),
      ]
    }
    try {
      for (const g of Object.values(this.lookups)) {
        const w = await withinTimeout(g.start(common, events), this.q.timeoutMs)
        events.forward(w, false)
        started.push(w)
      }
    } catch (e) {
      await events.close()
      const message = `work() could not start its lookup queue (${e.message}); nothing is left running.`
      return [false, failure('NetworkError', message, { retryable: true })]
    }
    this.handles.push(events)
    return [true, events]
  }

  // What toJSON and util.inspect show of the queue (never the Redis connection).
  describe() {
    return { name: this.q.name, prefix: this.q.prefix, providers: this.providers }
  }

  async close() {
    await Promise.allSettled(this.handles.map((h) => h.close()))
    await Promise.allSettled(Object.values(this.queues).map((q) => q.close()))
    if (this.ownsRedis) this.redis.disconnect()
    return this.native.close()
  }
}

module.exports = { PayoutsQueue, PayoutsWorker, readOptions }
