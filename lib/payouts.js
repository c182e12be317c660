'use strict'
// Payouts: one JavaScript class over the native handle (src/payouts.rs),
// held by composition. The ledger steps (items, summary, process, reconcile, callback,
// run, stop) go to the handle; submit, retryFailed, resolve, work and close go to one of
// two strategies, chosen once by `open`:
//   - embedded: this process's native scheduler (`run`) does the sending;
//   - queue: BullMQ (lib/payouts-queue.js), loaded only when `options.queue` is used, so
//     that `require('mobilemoney-native')` never loads bullmq or ioredis.
// Every async method resolves [ok, data] and never throws or rejects.
const { inspect } = require('node:util')
const { Payouts: NativePayouts, payoutRails } = require('../loader.js').loadBinding()
const { submitTo } = require('./payouts-submit.js')

// Items read per page by `iterate`.
const PAGE = 1000

// The constructor is not for users: `Payouts.open(options)` builds an open instance.
const OPENED = Symbol('Payouts.open')

function failure(error, message, extra = {}) {
  return { error, message, retryable: false, ...extra }
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error']
const isObject = (v) => v !== null && typeof v === 'object'
const notOpen = () => failure('InvalidData', 'this Payouts is not open: create it with Payouts.open(options)')
const thrown = (e) => failure('InvalidData', String((e && e.message) || e))

const MISSING_QUEUE =
  'options.queue needs the optional packages bullmq and ioredis, which are not installed: run npm install bullmq ioredis.'

// The queue strategy, loaded on first use: [true, module] or [false, failure].
let queueModule = null
function loadQueue() {
  if (queueModule) return [true, queueModule]
  try {
    queueModule = require('./payouts-queue.js')
    return [true, queueModule]
  } catch (e) {
    const missing = e && e.code === 'MODULE_NOT_FOUND' && /'(bullmq|ioredis)'/.test(String(e.message))
    const message = missing
      ? MISSING_QUEUE
      : `options.queue: the queue strategy could not be loaded (${String((e && e.message) || e).split('\n')[0]}).`
    return [false, failure('InvalidData', message, { field: 'queue' })]
  }
}

// The embedded scheduler: `run(batchId)` sends in this process; there is no worker to start.
class Embedded {
  constructor(native) {
    this.native = native
  }

  submit(batchId, items) {
    return submitTo(this.native, batchId, items)
  }

  retryFailed(batchId) {
    return this.native.retryFailed(batchId)
  }

  resolve(batchId, key, resolution) {
    return this.native.resolve(batchId, key, resolution)
  }

  approve(batchId, keys, options) {
    return this.native.approve(batchId, keys, options)
  }

  reject(batchId, keys, note) {
    return this.native.reject(batchId, keys, note)
  }

  work() {
    return [
      false,
      failure(
        'InvalidData',
        'work() needs Payouts opened with options.queue ({ redis }); without it, run(batchId) sends in this process.',
        { field: 'queue' },
      ),
    ]
  }

  close() {
    return this.native.close()
  }

  describe() {
    return undefined
  }
}

// Calls `fn` and resolves its [ok, data]; a throw or a rejection becomes [false, failure].
async function settle(fn) {
  try {
    return await fn()
  } catch (e) {
    return [false, thrown(e)]
  }
}

function isAbortSignal(signal) {
  return (
    signal !== null &&
    typeof signal === 'object' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.aborted === 'boolean'
  )
}

class Payouts {
  #native = null
  #strategy = null

  /** Use `Payouts.open(options)`; an instance made with `new` is not open. */
  constructor(native, strategy, token) {
    if (token !== OPENED) return
    this.#native = native
    this.#strategy = strategy
  }

  /** Opens the ledger: resolves [true, payouts] or [false, failure]. */
  static async open(options) {
    try {
      const { queue, ...rest } = options !== null && typeof options === 'object' ? options : { queue: undefined }
      let queueOptions = null
      let Queue = null
      if (queue != null) {
        const [lok, mod] = loadQueue()
        if (!lok) return [false, mod]
        const [qok, q] = mod.readOptions(queue)
        if (!qok) return [false, q]
        ;[Queue, queueOptions] = [mod.PayoutsQueue, q]
      }
      const { logger } = rest
      if (logger != null && !LOGGER_METHODS.every((m) => isObject(logger) && typeof logger[m] === 'function')) {
        const message =
          'options.logger must be an object with debug, info, warn and error methods (pino, winston or console)'
        return [false, failure('InvalidData', message, { field: 'logger' })]
      }
      const unset = ['momo', 'paymob'].find(
        (p) => isObject(rest[p]) && 'baseUrl' in rest[p] && rest[p].baseUrl === undefined,
      )
      if (unset) {
        const message = `options.${unset}.baseUrl is undefined: give the URL, or leave the option out for the default host`
        return [false, failure('InvalidData', message, { field: `${unset}.baseUrl` })]
      }
      // The native side never sees the queue options (they may hold a Redis password).
      const native = new NativePayouts(options !== null && typeof options === 'object' ? rest : options)
      const [ok, data] = await native.ready()
      if (!ok) return [false, data]
      let strategy
      if (Queue) {
        try {
          strategy = new Queue(native, queueOptions, rest, payoutRails())
        } catch (e) {
          await native.close()
          return [false, failure('NetworkError', `The queue could not be set up (${e.message}).`)]
        }
      } else {
        strategy = new Embedded(native)
      }
      return [true, new Payouts(native, strategy, OPENED)]
    } catch (e) {
      return [false, failure('InvalidData', String((e && e.message) || e), { field: 'options' })]
    }
  }

  /** The configuration, without secrets (also what `util.inspect` shows). */
  toJSON() {
    if (!this.#native) return { open: false, secret: '[redacted]' }
    const shown = this.#native.toJSON()
    const queue = this.#strategy.describe()
    return queue ? { ...shown, queue } : shown
  }

  [inspect.custom](depth, options) {
    return `Payouts ${inspect(this.toJSON(), options)}`
  }

  submit(batchId, items) {
    return this.#call((s) => s.submit(batchId, items))
  }

  /**
   * Sends the batch in this process; `options.signal` (an AbortSignal) stops it
   * gracefully: nothing more is claimed, the sends under way are recorded, and the
   * summary says `stopped: true`.
   */
  run(batchId, options) {
    const native = this.#native
    if (!native) return Promise.resolve([false, notOpen()])
    const signal = options !== null && typeof options === 'object' ? options.signal : undefined
    if (signal === undefined || signal === null) return settle(() => native.run(batchId, options))
    if (!isAbortSignal(signal)) {
      const message = 'options.signal must be an AbortSignal (from an AbortController)'
      return Promise.resolve([false, failure('InvalidData', message, { field: 'options.signal' })])
    }
    return settle(async () => {
      const running = native.run(batchId, options)
      const onAbort = () => native.stop(batchId)
      if (signal.aborted) onAbort()
      else signal.addEventListener('abort', onAbort, { once: true })
      try {
        return await running
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    })
  }

  /** Stops this instance's runs of `batchId` (all of them without it); returns how many. */
  stop(batchId) {
    if (!this.#native) return 0
    try {
      return this.#native.stop(batchId)
    } catch {
      return 0
    }
  }

  items(batchId, query) {
    return this.#native ? settle(() => this.#native.items(batchId, query)) : Promise.resolve([false, notOpen()])
  }

  /**
   * Every item of the batch (with `query.status`, those), in submission order, read a
   * page at a time however large the batch: `for await (const item of
   * payouts.iterate(batchId))`. An iterator can only say "failed" by throwing: a failed
   * page throws an Error carrying the failure's fields (`error`, `message`, `field`).
   */
  async *iterate(batchId, query) {
    const { status, pageSize = PAGE } = query !== null && typeof query === 'object' ? query : {}
    let after
    for (;;) {
      const page = {
        limit: pageSize,
        ...(status === undefined ? {} : { status }),
        ...(after === undefined ? {} : { after }),
      }
      const [ok, rows] = await this.items(batchId, page)
      if (!ok) throw Object.assign(new Error(rows.message), rows)
      yield* rows
      if (rows.length < pageSize) return
      after = rows[rows.length - 1].key
    }
  }

  summary(batchId) {
    return this.#native ? settle(() => this.#native.summary(batchId)) : Promise.resolve([false, notOpen()])
  }

  retryFailed(batchId) {
    return this.#call((s) => s.retryFailed(batchId))
  }

  resolve(batchId, key, resolution) {
    return this.#call((s) => s.resolve(batchId, key, resolution))
  }

  /**
   * Checks each queued MoMo item's account before anything is sent (active; the registered
   * name against the item's `name`) and holds the doubtful ones. The queue strategy sends as
   * soon as it submits, so it refuses: verify with an embedded instance before enqueueing.
   */
  verify(batchId, options) {
    const native = this.#native
    if (!native) return Promise.resolve([false, notOpen()])
    if (!(this.#strategy instanceof Embedded)) {
      const message =
        'verify needs Payouts opened without options.queue: the queue sends as soon as items are submitted, so verify the batch with an embedded instance (same ledger) before submitting it to the queue.'
      return Promise.resolve([false, failure('InvalidData', message, { field: 'queue' })])
    }
    return settle(() => native.verify(batchId, options))
  }

  /** Releases held items to be paid; `options`: `{ note?, actor? }`. */
  approve(batchId, keys, options) {
    return this.#call((s) => s.approve(batchId, keys, options))
  }

  /** Refuses held items for good (`refused`, never sent), with the note. */
  reject(batchId, keys, note) {
    return this.#call((s) => s.reject(batchId, keys, note))
  }

  /** One item's step (claim, look up if interrupted, send, record), for job queues. */
  process(batchId, key) {
    return this.#native ? settle(() => this.#native.process(batchId, key)) : Promise.resolve([false, notOpen()])
  }

  /** One item's lookup (pending, unknown or interrupted items), for job queues. */
  reconcile(batchId, key) {
    return this.#native ? settle(() => this.#native.reconcile(batchId, key)) : Promise.resolve([false, notOpen()])
  }

  /** Several items' lookups, as few provider requests as it takes, for job queues. */
  reconcileMany(batchId, keys) {
    return this.#native ? settle(() => this.#native.reconcileMany(batchId, keys)) : Promise.resolve([false, notOpen()])
  }

  /** A provider callback for an item of the batch: the item is looked up and recorded. */
  callback(batchId, body) {
    return this.#native ? settle(() => this.#native.callback(batchId, body)) : Promise.resolve([false, notOpen()])
  }

  /**
   * With `options.queue`: runs BullMQ workers for this instance's queues, resolving
   * [true, worker] (an EventEmitter: `completed`, `failed`, `progress`, `error`; `close()`).
   */
  work(options) {
    return this.#call((s) => s.work(options))
  }

  close() {
    return this.#call((s) => s.close())
  }

  #call(fn) {
    const strategy = this.#strategy
    if (!strategy) return Promise.resolve([false, notOpen()])
    return settle(() => fn(strategy))
  }
}

module.exports = { Payouts, MISSING_QUEUE }
