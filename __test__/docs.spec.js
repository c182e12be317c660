'use strict'
// Every code block of README.md and docs/*.md whose info string says `runnable`
// (```js runnable, ```mjs runnable) runs as written: each is written to its own file in a
// temporary folder where `mobilemoney-native` resolves to this checkout, run with `node`,
// and must exit 0 having printed something. Runnable blocks work offline against the
// embedded sandbox: they may name loopback addresses only, and they run with no route
// beyond loopback (a network namespace where the system allows one; otherwise proxies
// that lead nowhere for the native core and a guard on Node's sockets for JavaScript).
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const ROOT = path.join(__dirname, '..')
const RUN_TIMEOUT_MS = 45000
const LANGS = { js: '.js', cjs: '.cjs', mjs: '.mjs' }
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1'])

function docFiles() {
  const docs = path.join(ROOT, 'docs')
  const pages = fs.existsSync(docs)
    ? fs
        .readdirSync(docs)
        .filter((f) => f.endsWith('.md'))
        .sort()
        .map((f) => path.join('docs', f))
    : []
  return ['README.md', ...pages]
}

/** Fenced blocks of a Markdown file: { file, line, lang, info, code }. */
function fencedBlocks(file) {
  const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')
  const out = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*([^`]*)$/.exec(lines[i])
    if (!open) continue
    const fence = open[1]
    const info = open[2].trim().split(/\s+/).filter(Boolean)
    const start = i
    const body = []
    for (i++; i < lines.length && !lines[i].startsWith(fence); i++) body.push(lines[i])
    out.push({ file, line: start + 1, lang: info[0] || '', info, code: body.join('\n') + '\n' })
  }
  return out
}

const all = docFiles().flatMap(fencedBlocks)
const runnable = all.filter((b) => b.info.includes('runnable'))

// A network namespace holding only loopback, where the system lets us make one.
function namespaceWorks() {
  if (process.platform !== 'linux') return false
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec node -e "0"'], {
    timeout: 10000,
  })
  return probe.status === 0
}

let dir
let isolated = false

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmn-docs-'))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'mobilemoney-native'), 'junction')
  // JavaScript sockets and DNS: loopback only (pg, ioredis, fetch's undici all go through net).
  fs.writeFileSync(
    path.join(dir, 'loopback-only.cjs'),
    `'use strict'
const net = require('node:net')
const dns = require('node:dns')
const ok = (h) => h == null || ${JSON.stringify([...LOOPBACK])}.includes(String(h)) || /^127\\./.test(String(h))
const refuse = (h) => { throw new Error('docs.spec: a runnable block tried to reach ' + h + ', not a loopback address') }
const connect = net.Socket.prototype.connect
net.Socket.prototype.connect = function (...args) {
  const o = args[0] && typeof args[0] === 'object' ? args[0] : { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined }
  if (!o.path && !ok(o.host)) refuse(o.host)
  return connect.apply(this, args)
}
const lookup = dns.lookup
dns.lookup = function (host, ...rest) { if (!ok(host)) refuse(host); return lookup.call(this, host, ...rest) }
`,
  )
  isolated = namespaceWorks()
})

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

test('the README has runnable CommonJS and ES module quick starts', () => {
  const readme = runnable.filter((b) => b.file === 'README.md').map((b) => b.lang)
  expect(readme).toEqual(expect.arrayContaining(['js', 'mjs']))
})

test('every runnable block is JavaScript and names no address beyond loopback', () => {
  for (const b of runnable) {
    const where = `${b.file}:${b.line}`
    expect([where, Object.keys(LANGS).includes(b.lang)]).toEqual([where, true])
    const hosts = [
      ...b.code.matchAll(/\b(?:https?|postgres(?:ql)?|redis|wss?):\/\/(?:[^@/\s'"`]*@)?(\[[^\]]*\]|[^/:\s'"`?]+)/g),
    ].map((m) => m[1])
    expect([where, hosts.filter((h) => !LOOPBACK.has(h))]).toEqual([where, []])
    // A block that makes a provider client points it at the embedded sandbox.
    if (/new (Client|Disbursements|Collection|Remittance|PaymobPayouts)\(|Payouts\.open\(/.test(b.code)) {
      expect([where, /Sandbox\.start\(|useSandbox\(/.test(b.code)]).toEqual([where, true])
    }
  }
})

const cases = runnable.map((b, i) => [`${b.file}:${b.line} (${b.lang})`, b, i])

test.each(cases)('%s runs as written and prints what happened', (_name, block, i) => {
  const file = path.join(dir, `block-${i}${LANGS[block.lang]}`)
  fs.writeFileSync(file, block.code)
  const env = {
    ...process.env,
    // The native core's HTTP client honours these: anything but loopback meets a closed port.
    HTTP_PROXY: 'http://127.0.0.1:9',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    ALL_PROXY: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost,::1',
  }
  delete env.MOBILEMONEY_SANDBOX_URL
  delete env.NODE_OPTIONS
  const node = ['node', '--require', path.join(dir, 'loopback-only.cjs'), file]
  const [cmd, args] = isolated
    ? ['unshare', ['-n', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...node]]
    : [node[0], node.slice(1)]
  const run = spawnSync(cmd, args, { cwd: dir, env, encoding: 'utf8', timeout: RUN_TIMEOUT_MS })
  const report = { exit: run.status, signal: run.signal, error: run.error && run.error.message, stderr: run.stderr }
  expect(report).toEqual({ exit: 0, signal: null, error: undefined, stderr: expect.any(String) })
  expect(run.stdout.trim()).not.toBe('')
})
