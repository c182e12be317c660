'use strict'
// The package entry: the generated binding, the mobilemoney.js error classes, and an
// inspect hook so console.log shows each client's configuration (never its secrets).
const { inspect } = require('node:util')
const binding = require('./loader.js').loadBinding() // binding.js, with a clear error if no binary
const errors = require('./errors.js')

for (const name of ['Disbursements', 'Collection', 'Remittance', 'Client', 'PaymobPayouts', 'Payouts']) {
  const Class = binding[name]
  if (Class) {
    Class.prototype[inspect.custom] = function (depth, options) {
      return `${name} ${inspect(this.toJSON(), options)}`
    }
  }
}

// Payouts.open(options) resolves [true, payouts] once its ledger is open, or [false, failure].
if (binding.Payouts) {
  const Payouts = binding.Payouts
  Payouts.open = async function open(options) {
    try {
      const payouts = new Payouts(options)
      const [ok, data] = await payouts.ready()
      return ok ? [true, payouts] : [false, data]
    } catch (e) {
      return [false, { error: 'InvalidData', message: String((e && e.message) || e), field: 'options', retryable: false }]
    }
  }

  // run(batchId, { signal }): an AbortSignal's abort stops the run gracefully (stop(batchId):
  // nothing more is claimed, the sends under way are recorded, the summary says stopped).
  const nativeRun = Payouts.prototype.run
  Payouts.prototype.run = function run(batchId, options) {
    const signal = options !== null && typeof options === 'object' ? options.signal : undefined
    if (signal === undefined || signal === null) return nativeRun.call(this, batchId, options)
    if (typeof signal.addEventListener !== 'function' || typeof signal.aborted !== 'boolean') {
      const message = 'options.signal must be an AbortSignal (from an AbortController)'
      return Promise.resolve([false, { error: 'InvalidData', message, field: 'options.signal', retryable: false }])
    }
    const running = nativeRun.call(this, batchId, options)
    const onAbort = () => this.stop(batchId)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    return running.finally(() => signal.removeEventListener('abort', onAbort))
  }
}

// options.queue: BullMQ workers across processes (lib/payouts-queue.js).
if (binding.Payouts) require('./lib/payouts-queue').install(binding.Payouts)

module.exports = { ...binding, ...errors }
