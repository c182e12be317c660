'use strict'
// How a batch's item jobs get on the queue. `submit` queues the first page of the ledger
// itself and hands the rest to a chain of "enqueue" jobs on a queue of their own
// (`NAME-enqueue`), run by the workers: each reads one page after its cursor, adds that
// page's item jobs and then the next link, before it completes. So submit returns once the
// batch is in the ledger and the rest of its queuing is itself a job (as durable as the
// item jobs), not after a million Redis writes. Every step is idempotent: item job ids come
// from (batch, key, generation), a link's id from (batch, the submit call, its cursor), so
// a link re-run after a crash or a stall adds nothing twice and leaves one next link.
// A queue of its own: a worker of an earlier version (which runs `NAME-batches` as close
// jobs) never takes a link and completes it unread.
const { KEEP_DONE_S, KEEP_FAILED_S, digest, itemJob, withinTimeout } = require('./payouts-queue-options.js')

const { FINAL, OPEN } = require('./payout-statuses.js')
// Jobs a Redis round trip when adding.
const CHUNK = 500
// Ledger rows a page: what submit queues itself, and what each link of the chain reads.
const PAGE = 5000

// Adds the jobs not on the queue yet and, with `failedToo`, moves back to waiting those
// that failed for good (a misconfigured worker, a stall past the limit): addBulk skips an
// existing id, which would leave such an item unpaid. Resolves how many were added or
// moved back.
async function addJobs(redis, queue, jobs, failedToo) {
  if (!failedToo) {
    // No job failed: a job's hash existing is all there is to know (one pipeline).
    const pipe = redis.pipeline()
    for (const j of jobs) pipe.exists(queue.toKey(j.opts.jobId))
    const held = await pipe.exec()
    const fresh = jobs.filter((j, i) => held[i][1] === 0)
    if (fresh.length) await queue.addBulk(fresh)
    return fresh.length
  }
  const states = await Promise.all(jobs.map((j) => queue.getJobState(j.opts.jobId)))
  const failed = jobs.filter((j, i) => states[i] === 'failed')
  // Removed and added again: a fresh job (attempts, data) under the same id.
  await Promise.all(failed.map((j) => queue.remove(j.opts.jobId)))
  const fresh = jobs.filter((j, i) => states[i] === 'unknown' || states[i] === 'failed')
  if (fresh.length) await queue.addBulk(fresh)
  return fresh.length
}

// Reads the ledger a page at a time from `from.after` (at most `pages` pages) and puts a
// job on its provider's queue for each item not final yet (with `only`, of those keys),
// each Redis step within `queue.timeoutMs`. Items already final (paid by a run() elsewhere)
// are counted towards closing the batch. Resolves [true, { count, seen, finals, after,
// more }] (`seen` and `finals` run on from `from`; `more`: rows after `after` are left) or
// [false, failure].
async function enqueuePages(pq, batchId, total, { only = null, pages = Infinity, from = {} } = {}) {
  const timed = (promise) => withinTimeout(promise, pq.q.timeoutMs)
  // Looking each job's state up is only needed when some job failed for good.
  const failedToo = {}
  for (const p of pq.providers) failedToo[p] = (await timed(pq.queues[p].getFailedCount())) > 0
  const finalsKey = pq.key('finals', batchId)
  let [count, seen, finals, after] = [0, from.seen || 0, from.finals || 0, from.after]
  let more = false
  const page = (limit) => pq.native.items(batchId, { limit, ...(after === undefined ? {} : { after }) })
  for (let read = 0; ; read++) {
    if (read === pages) {
      // Whether anything is left, so a batch that ends on a page's edge is handed off only
      // when it has to be (and submit's `enqueued` stays exact).
      const [ok, rows] = await page(1)
      if (!ok) return [false, rows]
      more = rows.length > 0
      break
    }
    const [ok, rows] = await page(PAGE)
    if (!ok) return [false, rows]
    if (rows.length === 0) break
    after = rows[rows.length - 1].key
    seen += rows.length
    const done = rows.filter((r) => FINAL.has(r.status)).map((r) => r.key)
    finals += done.length
    for (let i = 0; i < done.length; i += CHUNK) {
      await timed(
        pq.redis
          .multi()
          .sadd(finalsKey, ...done.slice(i, i + CHUNK))
          .expire(finalsKey, KEEP_FAILED_S)
          .exec(),
      )
    }
    const open = rows.filter((r) => OPEN.has(r.status) && (!only || only.has(r.key)))
    for (const p of pq.providers) {
      const jobs = open.filter((r) => r.provider === p).map((r) => itemJob({ ...r, batchId }, total))
      for (let i = 0; i < jobs.length; i += CHUNK) {
        count += await timed(addJobs(pq.redis, pq.queues[p], jobs.slice(i, i + CHUNK), failedToo[p]))
      }
    }
    if (rows.length < PAGE) break
  }
  return [true, { count, seen, finals, after, more }]
}

// The chain's link that reads the page after `at.after`; `call` names the submit call.
function link(batchId, total, call, at) {
  return {
    name: 'enqueue',
    data: { batchId, total, call, after: at.after, seen: at.seen, finals: at.finals },
    opts: {
      jobId: `enqueue-${digest(batchId, call, at.after)}`,
      // Redis or the ledger away: tried again with backoff for a long while (a chain that
      // fails for good is restarted by submitting the batch again).
      attempts: 50,
      backoff: { type: 'exponential', delay: 500 },
      removeOnComplete: { age: KEEP_DONE_S },
      removeOnFail: { age: KEEP_FAILED_S },
    },
  }
}

// Adds the chain's next link (a no-op when a re-run of this link already added it).
async function handOff(pq, batchId, total, call, at) {
  const j = link(batchId, total, call, at)
  await withinTimeout(pq.queues.enqueue.add(j.name, j.data, j.opts), pq.q.timeoutMs)
}

// One link: its page, then the next link, or at the chain's end the batch's close when
// every item was already final.
async function runLink(pq, job) {
  const { batchId, total, call } = job.data
  const [ok, at] = await enqueuePages(pq, batchId, total, { pages: 1, from: job.data })
  if (!ok) throw new Error(`${at.error}: ${at.message}`)
  if (at.more) await handOff(pq, batchId, total, call, at)
  else if (at.seen > 0 && at.finals === at.seen) await pq.closeBatch(batchId)
  return { enqueued: at.count, seen: at.seen, more: at.more }
}

module.exports = { PAGE, enqueuePages, handOff, runLink }
