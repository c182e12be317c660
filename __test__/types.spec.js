'use strict'
// The TypeScript declarations (index.d.ts + the generated binding.d.ts with its header
// types/header.d.ts) checked by the real compiler: typed usage compiles under `strict`,
// and typical mistakes are rejected with the expected error at the expected line.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
const TYPES = path.join(__dirname, 'types')
const TSC = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc')

/** Run `tsc -p <config>`; returns the exit status and the parsed diagnostics. */
function tsc(config) {
  const run = spawnSync(process.execPath, [TSC, '-p', path.join(TYPES, config), '--pretty', 'false'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  const output = `${run.stdout}${run.stderr}`
  // e.g. "__test__/types/must-fail.ts(10,23): error TS2339: Property 'reason' does not exist…"
  const errors = [...output.matchAll(/^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/gm)].map((m) => ({
    file: path.basename(m[1]),
    line: Number(m[2]),
    code: m[4],
    text: m[5],
  }))
  return { status: run.status, output, errors }
}

test('the declarations are generated (binding.d.ts, from `napi build`) and name every class', () => {
  const dts = fs.readFileSync(path.join(ROOT, 'binding.d.ts'), 'utf8')
  for (const name of [
    'class Disbursements',
    'class Collection',
    'class Remittance',
    'class Client',
    'class PaymobPayouts',
    'class Sandbox',
    'function parseCallback',
  ]) {
    expect(dts).toContain(`export declare ${name}`)
  }
})

test('typed usage of every class, parseCallback and the errors compiles (strict)', () => {
  const { status, output } = tsc('tsconfig.json')
  expect(output.trim()).toBe('')
  expect(status).toBe(0)
})

test('mistakes do not compile, each with the expected error on its line', () => {
  const source = fs.readFileSync(path.join(TYPES, 'must-fail.ts'), 'utf8').split('\n')
  // Lines marked `// error TSnnnn`, by line number (1-based, as tsc counts).
  const expected = source
    .map((text, i) => [i + 1, (text.match(/\/\/ error (TS\d+)\s*$/) || [])[1]])
    .filter(([, code]) => code)
    .map(([line, code]) => `${line} ${code}`)
  expect(expected.length).toBeGreaterThanOrEqual(10)

  const { status, errors } = tsc('tsconfig.must-fail.json')
  expect(status).not.toBe(0)
  const actual = errors.filter((e) => e.file === 'must-fail.ts').map((e) => `${e.line} ${e.code}`)
  // Exactly the marked errors: none missing (a mistake the types let through) and no
  // other (an error in the declarations themselves, or a marker on the wrong line).
  expect(actual).toEqual(expected)
  expect(errors.filter((e) => e.file !== 'must-fail.ts')).toEqual([])
})
