'use strict'
// A lean install: `require('mobilemoney-native')` loads neither the queue strategy
// (bullmq, ioredis: optional peer dependencies) nor the CLI's packages; `options.queue`
// without bullmq and ioredis resolves one sentence naming the install command. Each case
// runs in a child process, whose require.cache is its own; the packages' absence is
// simulated by a module-resolution hook (nothing is uninstalled).
const { execFileSync } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')
const pkg = require('../package.json')
const HIDE = path.join(__dirname, 'fixtures', 'hide-modules.js')

const QUEUE_PACKAGES = ['bullmq', 'ioredis']
const CLI_PACKAGES = ['commander', 'cli-progress', 'csv-parse', 'csv-stringify']

/** Runs `script` in a fresh node (in the package root); resolves its JSON on stdout. */
function child(script, { hide = [], args = [] } = {}) {
  const out = execFileSync(process.execPath, [...(hide.length ? ['--require', HIDE] : []), ...args, '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, MMN_HIDE_MODULES: hide.join(',') },
    timeout: 30000,
  })
  return JSON.parse(out)
}

// The packages (by name under node_modules) and the package's own files in require.cache.
const LOADED = `
  const loaded = () => {
    const names = new Set()
    const own = []
    for (const file of Object.keys(require.cache)) {
      const m = file.match(/node_modules[\\\\/]((?:@[^\\\\/]+[\\\\/])?[^\\\\/]+)/)
      if (m) names.add(m[1].replace(/\\\\/g, '/'))
      else own.push(require('node:path').relative(process.cwd(), file))
    }
    return { packages: [...names].sort(), own: own.sort() }
  }
`

test('require("mobilemoney-native") loads no module of bullmq, ioredis or the CLI', () => {
  const r = child(`${LOADED}
    const m = require('mobilemoney-native')
    process.stdout.write(JSON.stringify({ ...loaded(), payouts: typeof m.Payouts.open }))`)
  expect(r.payouts).toBe('function')
  expect(r.packages).toEqual([])
  for (const name of [...QUEUE_PACKAGES, ...CLI_PACKAGES]) expect(r.packages).not.toContain(name)
  expect(r.own).not.toContain(path.join('lib', 'payouts-queue.js'))
  expect(r.own).toContain(path.join('lib', 'payouts.js'))
})

test('import("mobilemoney-native") loads no queue code either', () => {
  const r = child(`${LOADED}
    import('mobilemoney-native').then((m) => process.stdout.write(JSON.stringify({ ...loaded(), payouts: typeof m.Payouts.open })))`)
  expect(r.payouts).toBe('function')
  expect(r.packages).toEqual([])
  expect(r.own).not.toContain(path.join('lib', 'payouts-queue.js'))
})

test('options.queue without bullmq and ioredis: one sentence naming the install command, nothing opened', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmn-lean-'))
  try {
    const ledger = path.join(dir, 'payouts.db')
    const r = child(
      `${LOADED}
      const { Payouts } = require('mobilemoney-native')
      const options = {
        ledger: ${JSON.stringify(`sqlite:${ledger}`)},
        secret: 'a-secret-of-16-characters-at-least',
        momo: { subscriptionKey: 'k', apiUser: '00000000-0000-4000-8000-000000000000', apiKey: 'k', baseUrl: 'http://127.0.0.1:9' },
        queue: { redis: 'redis://:Sup3rSecretPw@127.0.0.1:9' },
      }
      Promise.all([Payouts.open(options), Payouts.open({ ...options, queue: { redis: 'redis://127.0.0.1:9', name: 'payroll' } })])
        .then(([a, b]) => process.stdout.write(JSON.stringify({ a, b, ...loaded() })))`,
      { hide: QUEUE_PACKAGES },
    )
    for (const result of [r.a, r.b]) {
      expect(result).toEqual([
        false,
        { error: 'InvalidData', field: 'queue', message: expect.any(String), retryable: false },
      ])
      const { message } = result[1]
      expect(message).toContain('npm install bullmq ioredis')
      // One sentence, on one line, with no secret.
      expect(message.split('\n')).toHaveLength(1)
      expect(message.match(/[.!?](\s|$)/g)).toHaveLength(1)
      expect(message).not.toContain('Sup3rSecretPw')
    }
    expect(r.packages).toEqual([])
    // Refused before the ledger was opened.
    expect(fs.existsSync(ledger)).toBe(false)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('without the hook, options.queue loads the strategy (and only then bullmq and ioredis)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmn-lean-'))
  try {
    const r = child(`${LOADED}
      const { Payouts } = require('mobilemoney-native')
      const before = loaded().packages
      // An unreachable Redis: open does not wait on it (the calls that need it report it).
      Payouts.open({
        ledger: ${JSON.stringify(`sqlite:${path.join(dir, 'payouts.db')}`)},
        secret: 'a-secret-of-16-characters-at-least',
        momo: { subscriptionKey: 'k', apiUser: '00000000-0000-4000-8000-000000000000', apiKey: 'k', baseUrl: 'http://127.0.0.1:9' },
        queue: { redis: 'redis://127.0.0.1:9', name: 'payroll' },
      }).then(async ([ok, p]) => {
        const after = loaded()
        const shown = ok ? p.toJSON() : p
        if (ok) await p.close()
        process.stdout.write(JSON.stringify({ ok, shown, before, after }))
        process.exit(0)
      })`)
    expect(r.ok).toBe(true)
    expect(r.before).toEqual([])
    expect(r.after.packages).toEqual(expect.arrayContaining(QUEUE_PACKAGES))
    expect(r.after.own).toContain(path.join('lib', 'payouts-queue.js'))
    expect(r.shown.queue).toEqual({ name: 'payroll', prefix: 'bull', providers: ['momo'] })
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('package.json: bullmq and ioredis are optional peers (and dev dependencies); the CLI keeps its own', () => {
  for (const name of QUEUE_PACKAGES) {
    expect(pkg.dependencies[name]).toBeUndefined()
    expect(pkg.peerDependencies[name]).toBeDefined()
    expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true })
    expect(pkg.devDependencies[name]).toBe(pkg.peerDependencies[name])
  }
  for (const name of CLI_PACKAGES) expect(pkg.dependencies[name]).toBeDefined()
})

test('the CLI loads its packages itself: bin/cli.js --help works from a plain install', () => {
  const help = execFileSync(process.execPath, [path.join(ROOT, 'bin', 'cli.js'), '--help'], {
    encoding: 'utf8',
    timeout: 30000,
  })
  expect(help).toMatch(/payouts/)
})
