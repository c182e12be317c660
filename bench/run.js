'use strict'
// npm run bench [-- --seconds 3 --warmup 1 --repeat 1 --quick]
//
// One local responder (crates/bench, `responder`: fixed valid MoMo answers, one thread),
// and four clients running the same workload against it, each in its own process, one
// after another, never at the same time:
//   (a) native          this package (bench/clients/native.js)
//   (b) mobilemoney.js  mobilemoney.js@0.0.4, at concurrency 1 only (bench/clients/mobilemoneyjs.js)
//   (c) undici          hand-written requests on undici (bench/clients/undici.js)
//   (d) ceiling         reqwest on tokio, no JavaScript (crates/bench, `ceiling`)
// for getTransferStatus and transfer at concurrency 1, 64 and 256. Also: the time to
// `require` the package and its resident memory with 10 000 calls in flight. Prints a table
// and writes bench/results.json. Builds nothing but the two Rust helpers, when missing.
//
// Flags: --seconds S (3), --warmup W (1), --repeat N (1: runs per cell; the median run by
// calls/s is reported, with the spread), --quick (0.5 s, 0.25 s warm-up), and filters
// --clients native,undici --ops status --concurrency 64 --no-extras (skip require/in-flight).
// --markdown prints the tables of the last bench/results.json for the README, and exits.
// --require measures only the `require` time (no responder, no Rust helpers), and exits.
// --pin runs the responder on core 0 and each client alone on core 1, in interleaved rounds
// (--repeat, 5 by default), and reports the median of the per-round ratios (bench/pin.js).

const { spawnSync } = require('node:child_process')
const pin = require('./pin')
const { ROOT, runJson, startListening } = require('./common')
const { median, round, requireLine, summarise, ratiosFor, targetsFor, printTable, markdown } = require('./report')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

const TARGET_DIR = process.env.CARGO_TARGET_DIR ? path.resolve(process.env.CARGO_TARGET_DIR) : path.join(ROOT, 'target')
const BIN = {
  responder: path.join(TARGET_DIR, 'release', 'responder'),
  ceiling: path.join(TARGET_DIR, 'release', 'ceiling'),
}
const CLIENTS = ['ceiling', 'native', 'undici', 'mobilemoney.js']
const OPS = ['status', 'transfer']
const CONCURRENCY = [1, 64, 256]
const INFLIGHT_CALLS = 10000

function parseFlags(argv) {
  const flags = {
    seconds: 3,
    warmup: 1,
    repeat: 1,
    clients: CLIENTS,
    ops: OPS,
    concurrency: CONCURRENCY,
    extras: true,
    pin: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]
    const value = () => {
      const v = argv[++i]
      if (v === undefined) throw new Error(`${name} needs a value`)
      return v
    }
    const list = () => value().split(',').filter(Boolean)
    switch (name) {
      case '--seconds':
        flags.seconds = Number(value())
        break
      case '--warmup':
        flags.warmup = Number(value())
        break
      case '--repeat':
        flags.repeat = Math.max(1, Math.floor(Number(value())))
        flags.repeatGiven = true
        break
      case '--quick':
        flags.seconds = 0.5
        flags.warmup = 0.25
        break
      case '--clients':
        flags.clients = list()
        break
      case '--ops':
        flags.ops = list()
        break
      case '--concurrency':
        flags.concurrency = list().map(Number)
        break
      case '--no-extras':
        flags.extras = false
        break
      case '--pin':
        flags.pin = true
        break
      default:
        throw new Error(`unknown flag ${name}`)
    }
  }
  if (!(flags.seconds > 0) || !(flags.warmup >= 0)) throw new Error('--seconds must be > 0 and --warmup >= 0')
  if (flags.pin) pin.check(flags)
  for (const c of flags.clients) if (!CLIENTS.includes(c)) throw new Error(`unknown client ${c}`)
  return flags
}

function ensureHelpers() {
  if (fs.existsSync(BIN.responder) && fs.existsSync(BIN.ceiling)) return
  console.log(
    `bench: ${path.relative(ROOT, BIN.responder)} or ceiling is missing; running cargo build --release -p mobilemoney-bench`,
  )
  const built = spawnSync('cargo', ['build', '--release', '-p', 'mobilemoney-bench'], { cwd: ROOT, stdio: 'inherit' })
  if (built.status !== 0 || !fs.existsSync(BIN.responder) || !fs.existsSync(BIN.ceiling)) {
    throw new Error('could not build the bench helpers (cargo build --release -p mobilemoney-bench)')
  }
}

function ensureAddon() {
  const probe = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(ROOT)})`], { encoding: 'utf8' })
  if (probe.status !== 0) {
    throw new Error(`the package does not load (run \`npm run build\` first):\n${probe.stderr}`)
  }
}

function startResponder(flags) {
  const [cmd, args] = pin.command(flags, 'responder', BIN.responder, ['0', '--watch-stdin'])
  return startListening('the responder', cmd, args, /listening (\d+)/, (port) => `http://127.0.0.1:${port}`)
}

function clientCommand(client, url, op, concurrency, flags) {
  const common = [
    '--url',
    url,
    '--op',
    op,
    '--concurrency',
    String(concurrency),
    '--seconds',
    String(flags.seconds),
    '--warmup',
    String(flags.warmup),
  ]
  if (client === 'ceiling') return pin.command(flags, 'client', BIN.ceiling, common)
  const file = client === 'mobilemoney.js' ? 'mobilemoneyjs.js' : `${client}.js`
  return pin.command(flags, 'client', process.execPath, [path.join(__dirname, 'clients', file), ...common])
}

/**
 * The `require` time of the package in a fresh process, median of 5, in ms, and the
 * packages that `require` loaded (none of the optional queue packages, bullmq and ioredis).
 */
function requireTime() {
  const script =
    `const t = process.hrtime.bigint(); require(${JSON.stringify(ROOT)});` +
    ' const ms = Number(process.hrtime.bigint() - t) / 1e6;' +
    ' const queue = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](bullmq|ioredis)[\\\\/]/.test(f)).length;' +
    ' process.stdout.write(JSON.stringify({ ms, modules: Object.keys(require.cache).length, queue }))'
  const samples = []
  let modules = 0
  let queueModules = 0
  for (let i = 0; i < 5; i++) {
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`require failed: ${r.stderr}`)
    const out = JSON.parse(r.stdout)
    samples.push(out.ms)
    modules = out.modules
    queueModules = Math.max(queueModules, out.queue)
  }
  return { medianMs: round(median(samples), 2), samplesMs: samples.map((s) => round(s, 2)), modules, queueModules }
}

async function main() {
  if (process.argv.includes('--markdown')) {
    console.log(markdown(JSON.parse(fs.readFileSync(path.join(__dirname, 'results.json'), 'utf8'))))
    return
  }
  if (process.argv.includes('--require')) {
    ensureAddon()
    console.log(requireLine(requireTime()))
    return
  }
  const flags = parseFlags(process.argv.slice(2))
  ensureHelpers()
  ensureAddon()
  const { child: responder, url } = await startResponder(flags)
  const stop = () => responder.kill()
  process.once('exit', stop)
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.once(sig, () => {
      stop()
      process.exit(130)
    })

  const loadBefore = os.loadavg().map((l) => round(l))
  const timeoutMs = (flags.seconds + flags.warmup) * 1000 * 5 + 60000
  const results = []
  console.log(
    `bench: responder at ${url}; ${flags.seconds} s per run after ${flags.warmup} s of warm-up, ${flags.repeat} run(s) per cell`,
  )
  // Pinned, the rounds are the outer loop, so that each round runs every contender of every
  // cell once, close together in time, and its ratios compare runs of the same moment.
  const cells = new Map()
  const cellsOf = (op, c) => {
    const key = `${op} ${c}`
    if (!cells.has(key)) cells.set(key, new Map())
    return cells.get(key)
  }
  const rounds = flags.pin ? flags.repeat : 1
  for (let r = 0; r < rounds; r++) {
    for (const op of flags.ops) {
      for (const c of flags.concurrency) {
        for (let rep = 0; rep < flags.repeat / rounds; rep++) {
          for (const client of flags.clients) {
            // mobilemoney.js shares one answer slot between calls: only concurrency 1 is valid.
            if (client === 'mobilemoney.js' && c !== 1) continue
            const [cmd, args] = clientCommand(client, url, op, c, flags)
            const line = await runJson(cmd, args, timeoutMs)
            process.stdout.write(
              `  ${flags.pin ? `round ${r + 1} ` : ''}${op} @${c} ${client}: ${Math.round(line.callsPerSec)} calls/s, p50 ${line.p50Ms} ms\n`,
            )
            const byClient = cellsOf(op, c)
            const list = byClient.get(client) || []
            list.push({ ...line, client, round: r })
            byClient.set(client, list)
          }
        }
      }
    }
  }
  for (const byClient of cells.values()) for (const runs of byClient.values()) results.push(summarise(runs))

  const report = {
    date: new Date().toISOString(),
    settings: { seconds: flags.seconds, warmup: flags.warmup, repeat: flags.repeat },
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
      loadBefore,
      loadAfter: null,
    },
    pinned: flags.pin ? pin.describe() : null,
    results,
    ratios: flags.pin ? pin.ratios(cells, OPS, CONCURRENCY, round) : ratiosFor(results, OPS, CONCURRENCY),
    require: null,
    inflight: null,
    targets: [],
  }
  if (flags.extras) {
    report.require = requireTime()
    report.inflight = await runJson(
      process.execPath,
      [path.join(__dirname, 'clients', 'inflight.js'), '--url', url, '--calls', String(INFLIGHT_CALLS)],
      180000,
    )
  }
  report.machine.loadAfter = os.loadavg().map((l) => round(l))
  report.targets = flags.pin ? pin.targets(report.ratios) : targetsFor(report.ratios, report)
  stop()
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(report, null, 2) + '\n')
  printTable(report)
  console.log('\nwrote bench/results.json')
}

main().catch((e) => {
  console.error(`bench: ${e && e.message ? e.message : e}`)
  process.exit(1)
})
