'use strict'
// A sandbox serves until `close()`, like a net.Server: whether or not its handle is still
// referenced (`Sandbox.start().then((sb) => { url = sb.url })` must not stop serving at the
// next garbage collection); it does not keep the process alive by itself unless `ref()` is
// called (then it does, as a listening net.Server, until `unref()` or `close()`). Both come
// from one timer per open sandbox, held in `open` with the handle: the map keeps the handle
// (and so the native server) from being collected, the timer, once ref()ed, keeps the
// event loop alive the way a listening socket does.
const open = new Map()
const PATCHED = Symbol.for('mobilemoney-native.sandbox-lifetime')
// The longest delay a Node timer takes; it never fires in practice and does nothing if it does.
const FOREVER = 2 ** 31 - 1
const nothing = () => {}

function keepServing(Sandbox) {
  if (!Sandbox || Sandbox[PATCHED]) return
  // An addon built before `start` was made configurable: leave it as it is.
  const descriptor = Object.getOwnPropertyDescriptor(Sandbox, 'start')
  if (!descriptor || !descriptor.configurable) return
  const start = Sandbox.start
  const close = Sandbox.prototype.close
  define(Sandbox, 'start', async function startAndKeep(options) {
    let sb
    try {
      sb = await start.call(this, options)
    } catch (e) {
      throw asTypeError(e)
    }
    open.set(sb, setInterval(nothing, FOREVER).unref())
    return sb
  })
  define(Sandbox.prototype, 'close', function closeAndRelease() {
    clearInterval(open.get(this))
    open.delete(this)
    return close.call(this)
  })
  // As net.Server: ref() keeps the process alive while the sandbox listens; unref() undoes
  // it. Both return the sandbox, and do nothing once it is closed.
  define(Sandbox.prototype, 'unref', function unref() {
    const timer = open.get(this)
    if (timer) timer.unref()
    return this
  })
  define(Sandbox.prototype, 'ref', function ref() {
    const timer = open.get(this)
    if (timer) timer.ref()
    return this
  })
  define(Sandbox, PATCHED, true)
}

// Wrong options are a programming error, as in the constructors: a TypeError naming the
// option (made here, in the caller's realm). A port already in use stays an Error.
function asTypeError(e) {
  if (!(e && /^invalid sandbox options: /.test(e.message))) return e
  const error = new TypeError(e.message)
  error.code = 'ERR_INVALID_ARG_VALUE'
  return error
}

function define(target, name, value) {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false })
}

module.exports = { keepServing }
