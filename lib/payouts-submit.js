'use strict'
// `submit(batchId, items)` for any source of items: an array, any iterable or async
// iterable, or a Node Readable in object mode. The items go to the native handle a chunk
// at a time (begin, chunk, commit), so a batch of a million is never one array or one
// JSON string; the core stages them apart from every batch and makes the batch in one
// transaction at commit, so a submission cut short is never run.

// Items a chunk: large enough that a crossing costs little, small enough to stay flat.
const CHUNK = 5000

const failure = (message, extra = {}) => ({ error: 'InvalidData', message, retryable: false, field: 'items', ...extra })

/** The items as something `for await` reads, or null when they are no source of items. */
function sourceOf(items) {
  if (items === null || typeof items !== 'object') return null
  if (typeof items[Symbol.asyncIterator] === 'function' || typeof items[Symbol.iterator] === 'function') return items
  return null
}

/** Submits `items` through `native` (the handle of src/payouts.rs); resolves [ok, data]. */
async function submitTo(native, batchId, items) {
  const source = sourceOf(items)
  // Not a source of items: the core says what was expected.
  if (!source) return native.submit(batchId, items)
  const [ok, id] = await native.submitBegin(batchId)
  if (!ok) return [false, id]
  // One chunk in the core while the next is read: parsing (this thread) and checking and
  // staging (the core's threads) overlap. Chunks still arrive in order, one at a time.
  let chunk = []
  let inFlight = null
  const settle = async () => {
    const refused = inFlight && (await inFlight)
    inFlight = null
    return refused
  }
  const send = async () => {
    const refused = await settle()
    if (refused) return refused
    const items = chunk
    chunk = []
    inFlight = native.submitChunk(id, items).then(
      ([cok, f]) => (cok ? null : f),
      (e) => failure(`the items could not be submitted (${String((e && e.message) || e)})`),
    )
    return null
  }
  try {
    for await (const item of source) {
      chunk.push(item)
      if (chunk.length >= CHUNK) {
        const refused = await send()
        if (refused) return [false, refused]
      }
    }
    const refused = (chunk.length && (await send())) || (await settle())
    if (refused) return [false, refused]
  } catch (e) {
    await settle().catch(() => null)
    await native.submitAbort(id)
    return [false, failure(`the items could not be read (${String((e && e.message) || e)}); nothing was submitted`)]
  }
  return native.submitCommit(id)
}

module.exports = { submitTo, CHUNK }
