'use strict'
// Grouped lookups in queue mode, for rails whose provider takes many references in one
// lookup and allows few lookups a minute (Paymob: 50 references an inquiry, 5 inquiries a
// minute per user). An item job that leaves its item pending hands the key to a sorted set
// of its batch (scored by when its next check is due) and ends. A lookup queue per rail,
// fed by one job scheduler and held by BullMQ's limiter to one job per inquiry interval
// across every worker, drains the due keys up to a provider page at a time through one
// `reconcileMany`, then gives each item its next step as an item job would.
//
// A key is claimed by pushing its score a lease ahead, never by removing it: a drain that
// dies at any await leaves its keys in the set, due again when the lease ends, or sooner:
// the drain's claim is noted under its job's id, and BullMQ gives the job of a worker that
// died to another once its lock lapses, which looks the claim's keys up first. A key leaves
// the set only once its next step is held elsewhere: final and counted, waiting on an
// operator, or its send job queued again. Lookups only record what the provider holds
// under the item's own reference, so nothing here can send under a new one.
const { Worker } = require('bullmq')
const { GROUPED, digest, itemJob, lookupInterval } = require('./payouts-queue-options.js')

const { FINAL } = require('./payout-statuses.js')
// How long a drain owns the keys it claimed: past it (a drain that died), they are due again.
const CLAIM_LEASE_MS = 5 * 60 * 1000
// A key handed back is not due sooner than this (an answer of "look again at once").
const LOOKUP_FLOOR_MS = 200
// The scheduler's tick when the budget is looser than this (a test's or a contract's).
const MIN_TICK_MS = 250
// Back in the set this soon when its send job is still running (it is about to end).
const BUSY_JOB_MS = 1000
const SCHEDULER = 'drain'

// Takes up to ARGV[3] keys due by ARGV[1] and pushes their score to ARGV[2], atomically,
// noting them (and the batch, ARGV[4]) under the drain job's claim KEYS[2] for the lease.
const CLAIM = `
local keys = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, k in ipairs(keys) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], k) end
if #keys > 0 then
  redis.call('SET', KEYS[2], cjson.encode({ ARGV[4], keys }), 'PX', tonumber(ARGV[2]) - tonumber(ARGV[1]))
end
return keys`
// A re-run of a drain job (its worker died or stalled): the keys of its claim KEYS[2]
// (batch and keys, ARGV[1]) still in the set KEYS[1], their lease (and the claim's)
// renewed to ARGV[3] from ARGV[2].
const RECLAIM = `
local claim = cjson.decode(ARGV[1])
local held = {}
for _, k in ipairs(claim[2]) do
  if redis.call('ZSCORE', KEYS[1], k) then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[3], k)
    table.insert(held, k)
  end
end
if #held > 0 then redis.call('SET', KEYS[2], ARGV[1], 'PX', tonumber(ARGV[3]) - tonumber(ARGV[2])) end
return held`
// Drops a batch from the index once its set is empty (atomic against a hand-over, which
// adds the key and the batch in one transaction).
const PRUNE = `
if redis.call('ZCARD', KEYS[2]) == 0 then return redis.call('SREM', KEYS[1], ARGV[1]) end
return 0`

class GroupedLookups {
  // queue: the PayoutsQueue (its native handle, Redis, item queue and batch bookkeeping).
  constructor(queue, rail) {
    this.queue = queue
    this.rail = rail
    this.references = GROUPED[rail].references
    this.interval = lookupInterval(rail, queue.options[rail])
    this.name = `${queue.q.name}-${rail}-lookups`
    this.index = `${queue.q.prefix}:${queue.q.name}:lookups-${rail}`
    this.claims = `${queue.q.prefix}:${queue.q.name}:lookup-claims-${rail}`
  }

  due(batchId) {
    return `${this.index}:${digest(batchId)}`
  }

  // Hands an item to the grouped lookups, due at `at` (ms).
  async add(batchId, key, at) {
    await this.queue.redis.multi().zadd(this.due(batchId), at, key).sadd(this.index, batchId).exec()
  }

  // The batch whose earliest key is due first (and due by `now`), or null; empty batches
  // leave the index on the way.
  async pick(now) {
    const redis = this.queue.redis
    const batches = await redis.smembers(this.index)
    if (batches.length === 0) return null
    const pipe = redis.pipeline()
    for (const b of batches) pipe.zrange(this.due(b), 0, 0, 'WITHSCORES')
    const firsts = await pipe.exec()
    let best = null
    for (let i = 0; i < batches.length; i++) {
      const [err, first] = firsts[i]
      if (err) throw err
      if (first.length === 0) {
        await redis.eval(PRUNE, 2, this.index, this.due(batches[i]), batches[i])
        continue
      }
      const at = Number(first[1])
      if (at <= now && (best === null || at < best.at)) best = { batchId: batches[i], at }
    }
    return best && best.batchId
  }

  // The claim of a drain job: what it took, kept for as long as its lease.
  claim(job) {
    return `${this.claims}:${job.id}`
  }

  // [batchId, keys] of this job's claim when it ran before (its worker died or stalled
  // mid-lookup: BullMQ hands the job to another worker once its lock lapses), so that its
  // keys are looked up now instead of once their lease ends; else null.
  async reclaim(job, now) {
    const redis = this.queue.redis
    const held = await redis.get(this.claim(job))
    if (held === null) return null
    const batchId = JSON.parse(held)[0]
    const claim = [this.due(batchId), this.claim(job)]
    const live = await redis.eval(RECLAIM, 2, ...claim, held, now, now + CLAIM_LEASE_MS)
    return live.length > 0 ? [batchId, live] : null
  }

  // One lookup job: up to a page of due keys of one batch in one `reconcileMany`.
  async drain(worker, events, job) {
    const now = Date.now()
    let [batchId, keys] = (await this.reclaim(job, now)) || [null, []]
    if (batchId === null) {
      batchId = await this.pick(now)
      if (batchId === null) return null
      const claim = [this.due(batchId), this.claim(job)]
      keys = await this.queue.redis.eval(CLAIM, 2, ...claim, now, now + CLAIM_LEASE_MS, this.references, batchId)
      if (keys.length === 0) return null
    }
    const native = this.queue.native
    const [sok, summary] = await native.summary(batchId)
    if (!sok) throw new Error(`${summary.error}: ${summary.message}`)
    const [ok, res] = await native.reconcileMany(batchId, keys)
    if (!ok) throw new Error(`${res.error}: ${res.message}`)
    // The next inquiry no sooner than a whole interval after this one's answer, whichever
    // worker makes it: the limiter counts from a job's start, and the request came later
    // (a second request of this drain, for the other kind of account, was paced in it).
    if (res.requests > 0) await worker.rateLimit(this.interval)
    for (const item of res.items) await this.next(batchId, item, summary.total, events)
    await this.queue.redis.del(this.claim(job))
    return { batchId, keys: keys.length, requests: res.requests }
  }

  // What an item job would do next with the item, then the key leaves the set (or is due
  // again). Each write comes before the key's removal, so a crash in between leaves the
  // key to be looked at again, which is harmless.
  async next(batchId, item, total, events) {
    const redis = this.queue.redis
    const due = this.due(batchId)
    if (FINAL.has(item.status)) {
      const done = await this.queue.finished(batchId, item.key, total)
      events.progress(item, batchId, total, done)
      events.settled(item)
    } else if (item.awaitingOperator && !item.needsLookup) {
      events.settled(item)
    } else if (item.status === 'queued') {
      // The provider never received the reference: its send job sends it (same reference).
      if (!(await this.resend(batchId, item, total))) {
        await redis.zadd(due, Date.now() + BUSY_JOB_MS, item.key)
        return
      }
    } else {
      const at = Math.max(Date.parse(item.nextCheckAt) || 0, Date.now() + LOOKUP_FLOOR_MS)
      await redis.zadd(due, at, item.key)
      if (events.listenerCount('progress') > 0) {
        events.progress(item, batchId, total, await redis.scard(this.queue.key('finals', batchId)))
      }
      return
    }
    await redis.zrem(due, item.key)
  }

  // Queues the item's send job again (the one that handed it over ended); false while that
  // job still runs (it is about to end: the key is looked at again shortly).
  async resend(batchId, item, total) {
    const queue = this.queue.queues[this.rail]
    const job = itemJob({ batchId, key: item.key, generation: item.generation }, total)
    const state = await queue.getJobState(job.opts.jobId)
    if (state === 'active') return false
    if (state === 'completed' || state === 'failed') await queue.remove(job.opts.jobId)
    if (state === 'completed' || state === 'failed' || state === 'unknown')
      await queue.add(job.name, job.data, job.opts)
    return true
  }

  // The lookup queue's worker (one job at a time, `interval` apart across workers) and the
  // scheduler that feeds it; resolves the worker.
  async start(common, events) {
    const queue = this.queue.lookupQueue(this.rail)
    const tick = Math.max(this.interval, MIN_TICK_MS)
    await queue.upsertJobScheduler(
      SCHEDULER,
      { every: tick },
      { name: SCHEDULER, data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
    )
    const w = new Worker(this.name, (job) => this.drain(w, events, job), {
      ...common,
      concurrency: 1,
      limiter: { max: 1, duration: this.interval },
    })
    return w
  }
}

module.exports = { GroupedLookups }
