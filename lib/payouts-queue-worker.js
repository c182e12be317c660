'use strict'
// What `work()` resolves: the events of the queue strategy's BullMQ workers.
const { EventEmitter } = require('node:events')
const { inspect } = require('node:util')

const { FINAL } = require('./payout-statuses.js')

// The handle `work()` resolves: an EventEmitter with BullMQ's Worker events, for the items
// of this instance's queues:
//   completed (item)         an item's job (or, for Paymob, its grouped lookup) ended: the
//                            item is final, or waits on an operator
//   failed (item, error)     a job's attempt failed (the ledger or Redis, not the payment,
//                            which is the item's status): item is { batchId, key, attemptsMade }
//   progress (event)         the ledger recorded a send or an answer: { batchId, key, status,
//                            referenceId, done, total }, as run()'s onProgress
//   error (error)            a worker's own error (a lost Redis; BullMQ reconnects): emitted
//                            only while someone listens, so it never throws
// and close(), which resolves [true, null]. It holds no secret that inspect could show.
class PayoutsWorker extends EventEmitter {
  #workers
  #closed = null
  #release

  constructor(workers, concurrency, release) {
    super()
    this.#workers = workers
    this.#release = release
    this.concurrency = concurrency
  }

  // A BullMQ Worker's events, as this handle's (item jobs only for completed and failed).
  forward(w, items) {
    w.on('error', (e) => {
      if (this.listenerCount('error') > 0) this.emit('error', e)
    })
    if (!items) return
    // A job whose item went on to a grouped lookup ended without settling it: the lookup
    // queue reports it once it does (`settled`).
    w.on('completed', (job, item) => {
      if (item && (FINAL.has(item.status) || item.awaitingOperator)) this.emit('completed', item)
    })
    w.on('failed', (job, error) => {
      if (!job) return
      const { batchId, key } = job.data
      this.emit('failed', { batchId, key, attemptsMade: job.attemptsMade }, error)
    })
  }

  // An item a grouped lookup found final, reported as its job's end would have been.
  settled(item) {
    this.emit('completed', item)
  }

  progress(item, batchId, total, done) {
    if (this.listenerCount('progress') === 0) return
    this.emit('progress', { batchId, key: item.key, status: item.status, referenceId: item.referenceId, done, total })
  }

  close() {
    if (!this.#closed) {
      this.#closed = Promise.allSettled(this.#workers.map((w) => w.close())).then(() => {
        this.#release()
        return [true, null]
      })
    }
    return this.#closed
  }

  [inspect.custom](depth, options) {
    return `PayoutsWorker ${inspect({ concurrency: this.concurrency, closed: Boolean(this.#closed) }, options)}`
  }
}

module.exports = { PayoutsWorker }
