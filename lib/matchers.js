'use strict'
// Jest and Vitest matchers for the `[ok, data]` pairs every async method resolves:
//   expect.extend(require('mobilemoney-native/testing').matchers)
//   expect(await d.transfer(...)).toBeOk()
//   expect(await d.transfer(...)).toFailWith('Conflict')            // the failure's `error`
//   expect(await d.transfer(...)).toFailWith('InvalidData', { field: 'amount' })
const { inspect } = require('node:util')

const isPair = (v) => Array.isArray(v) && v.length === 2 && typeof v[0] === 'boolean'
const show = (v) => inspect(v, { depth: 4, breakLength: Infinity })

// What a pair is, in a line: the failure's kind and message rather than the whole object.
function describe(received) {
  if (!isPair(received)) return `not an [ok, data] pair: ${show(received)}`
  const [ok, data] = received
  if (ok) return `[true, ${show(data)}]`
  const failure = data || {}
  return `[false, { error: ${show(failure.error)}, message: ${show(failure.message)} }]`
}

function toBeOk(received) {
  const pass = isPair(received) && received[0] === true
  return {
    pass,
    message: () =>
      pass ? `expected a failure, got ${describe(received)}` : `expected [true, data], got ${describe(received)}`,
  }
}

function toFailWith(received, kind, fields = {}) {
  const failure = isPair(received) && received[0] === false ? received[1] || {} : null
  const differs = failure ? Object.keys(fields).filter((k) => !this.equals(failure[k], fields[k])) : []
  const pass = failure !== null && failure.error === kind && differs.length === 0
  const wanted = Object.keys(fields).length ? `${kind} with ${show(fields)}` : kind
  return {
    pass,
    message: () =>
      pass
        ? `expected anything but a ${wanted} failure, got ${describe(received)}`
        : `expected a ${wanted} failure, got ${describe(received)}${differs.length ? ` (${differs.map((k) => `${k}: ${show(failure[k])}`).join(', ')})` : ''}`,
  }
}

module.exports = { matchers: { toBeOk, toFailWith } }
