'use strict'
// The generated binding.d.ts read as data, for the specs that check its declarations
// against what the addon really returns. An interface may be declared twice (the header
// adds index signatures to generated interfaces): its declarations are merged, as
// TypeScript merges them.
const fs = require('node:fs')
const path = require('node:path')

const DTS = fs.readFileSync(path.join(__dirname, '..', '..', 'binding.d.ts'), 'utf8')

/** The members of `export type NAME = 'a' | 'b'` (on one line or several). */
function union(name) {
  const m = DTS.match(new RegExp(`export type ${name} =([\\s\\S]*?)\\n\\n`))
  if (!m) throw new Error(`no type ${name} in binding.d.ts`)
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1])
}

/** The bodies of every `export interface NAME { … }`, without their doc comments. */
function body(name) {
  const found = [...DTS.matchAll(new RegExp(`export interface ${name} \\{\\n([\\s\\S]*?)\\n\\}`, 'g'))]
  if (found.length === 0) throw new Error(`no interface ${name} in binding.d.ts`)
  return found.map((m) => m[1].replace(/\/\*\*[\s\S]*?\*\//g, '')).join('\n')
}

/** `{ name: optional }` of each field of an interface. */
function fields(name) {
  return Object.fromEntries([...body(name).matchAll(/^\s+(\w+)(\?)?:/gm)].map((x) => [x[1], Boolean(x[2])]))
}

/** Whether the interface has an index signature (`[key: string]: unknown`). */
function indexed(name) {
  return /^\s+\[\w+: string\]:/m.test(body(name))
}

/** The string literals of one field's union type, e.g. `provider: 'momo' | 'paymob'`. */
function fieldUnion(name, field) {
  const m = body(name).match(new RegExp(`^\\s+${field}\\??: (.+)$`, 'm'))
  if (!m) throw new Error(`no field ${name}.${field}`)
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1])
}

/** Every key of `value` is declared, and every required declared key is present. */
function conforms(value, declared) {
  for (const key of Object.keys(value)) expect(declared).toHaveProperty(key)
  for (const [key, optional] of Object.entries(declared)) if (!optional) expect(value).toHaveProperty(key)
}

module.exports = { DTS, union, body, fields, indexed, fieldUnion, conforms }
