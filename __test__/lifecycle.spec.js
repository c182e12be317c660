'use strict'
// How calls come back to JavaScript: many at once each get their own outcome, a pending call
// keeps the process alive and an idle client does not, and calls work from worker threads
// (each with its own environment).
const { spawn } = require('node:child_process')
const path = require('node:path')
const { Worker } = require('node:worker_threads')
const { specWorld, bearerWorld, transferBody, randomUUID } = require('./support/helpers')

const ROOT = path.join(__dirname, '..')

const world = specWorld(bearerWorld)

test('2 000 calls in flight at once: each resolves with its own outcome', async () => {
  const d = world.plain()
  // Half are payouts to numbers that succeed or fail, half status reads of unknown references
  // (404): the outcomes differ per call, so any mix-up between calls shows.
  const payees = ['46733123499', '46733123451', '46733123455']
  const calls = Array.from({ length: 2000 }, (_, i) => {
    const ref = randomUUID()
    if (i % 2 === 0) {
      return {
        ref,
        kind: 'transfer',
        payee: payees[i % 3],
        promise: d.transfer(ref, world.auth, 'sandbox', transferBody(payees[i % 3], '1')),
      }
    }
    return { ref, kind: 'status', promise: d.getTransferStatus(ref, world.auth, 'sandbox') }
  })
  const results = await Promise.all(calls.map((c) => c.promise))
  results.forEach((result, i) => {
    const call = calls[i]
    if (call.kind === 'transfer') {
      expect(result).toEqual([true, { referenceId: call.ref }])
    } else {
      expect(result[0]).toBe(false)
      expect(result[1]).toMatchObject({ status: 404, referenceId: call.ref })
    }
  })
  // Every payout is in the ledger once, with the payee it was sent to.
  const ledger = new Map((await world.sb.ledger()).map((e) => [e.referenceId, e]))
  for (const call of calls.filter((c) => c.kind === 'transfer')) {
    expect(ledger.get(call.ref)).toBeDefined()
  }
}, 60000)

/** Run a script in a fresh node process; resolves its exit code, signal and output. */
function runNode(source, timeoutMs = 20000) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', source], { cwd: ROOT })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

test('a pending call keeps the process alive until it resolves; an idle client lets it exit', async () => {
  // The sandbox runs on Rust threads, not on Node's event loop: while the stalled call is
  // pending, only the call itself keeps the process alive. Nothing else is awaited after it.
  const source = `
    const { Sandbox, Disbursements } = require(${JSON.stringify(ROOT)})
    Sandbox.start({ port: 0 }).then((sb) => {
      // A sandbox does not keep the process alive by itself: only the pending call may.
      sb.injectFault({ kind: 'stall', delayMs: 400, path: '/v1_0/account/balance' })
      const d = new Disbursements('k', { baseUrl: sb.url, maxRetries: 0, timeoutMs: 200 })
      const started = Date.now()
      d.getAccountBalance('Bearer t', 'sandbox').then(([ok, data]) => {
        console.log(JSON.stringify({ ok, error: data.error, waitedMs: Date.now() - started }))
        // The sandbox is left running on purpose.
      })
    })
  `
  const run = await runNode(source)
  expect(run.signal).toBeNull()
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  const printed = JSON.parse(run.stdout.trim())
  expect(printed).toMatchObject({ ok: false, error: 'Timeout' })
  expect(printed.waitedMs).toBeGreaterThanOrEqual(150)
})

test('calls from worker threads resolve in their own thread, alongside the main thread', async () => {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads')
    const { Disbursements } = require(${JSON.stringify(ROOT)})
    const d = new Disbursements('k', { baseUrl: workerData.url })
    Promise.all(workerData.refs.map((r) => d.getTransferStatus(r, workerData.auth, 'sandbox')))
      .then((results) => parentPort.postMessage(results))
  `
  const refs = Array.from({ length: 50 }, () => randomUUID())
  const workers = [0, 1].map((w) => {
    const mine = refs.filter((_, i) => i % 2 === w)
    const worker = new Worker(source, { eval: true, workerData: { url: world.sb.url, auth: world.auth, refs: mine } })
    return new Promise((resolve, reject) => {
      worker.once('message', (results) => resolve({ mine, results }))
      worker.once('error', reject)
    }).finally(() => worker.terminate())
  })
  const main = world.plain().getTransferStatus(randomUUID(), world.auth, 'sandbox')
  for (const { mine, results } of await Promise.all(workers)) {
    expect(results).toHaveLength(mine.length)
    results.forEach((r, i) => expect(r[1]).toMatchObject({ status: 404, referenceId: mine[i] }))
  }
  expect((await main)[1]).toMatchObject({ status: 404 })
})

test('maxConcurrentRequests: calls beyond the cap wait for a turn instead of opening connections', async () => {
  const { Sandbox, Disbursements } = require('..')
  const connectionsFor = async (options) => {
    const sb = await Sandbox.start({ port: 0 })
    try {
      const d = new Disbursements('k', { baseUrl: sb.url, ...options })
      const refs = Array.from({ length: 300 }, () => randomUUID())
      const results = await Promise.all(refs.map((r) => d.getTransferStatus(r, 'Bearer unknown', 'sandbox')))
      // Every call was sent and answered (the sandbox does not know this token).
      results.forEach((r, i) => expect(r[1]).toMatchObject({ status: 401, referenceId: refs[i] }))
      const stats = await sb.stats()
      expect(stats.momoRequests).toBe(300)
      return stats.peakOpenConnections
    } finally {
      await sb.close()
    }
  }
  // The pool may open a few more than the cap while finished connections are handed back.
  expect(await connectionsFor({ maxConcurrentRequests: 4 })).toBeLessThanOrEqual(8)
  expect(await connectionsFor({ maxConcurrentRequests: 1 })).toBeLessThanOrEqual(2)
})

test('maxConcurrentRequests must be a whole number from 1 to 65 536', () => {
  const { Disbursements } = require('..')
  for (const bad of [0, -1, 1.5, 70000, 'ten']) {
    expect(() => new Disbursements('k', { baseUrl: world.sb.url, maxConcurrentRequests: bad })).toThrow(
      /^options\.maxConcurrentRequests must be a (whole )?number/,
    )
  }
})

test('two loads of the addon on one thread (as Jest makes): calls of both resolve, then the process exits', async () => {
  // Each process.dlopen of the addon is a separate N-API environment on the main thread.
  // A's call is pending while B's calls run and finish, then A's finishes: neither may keep
  // the process alive afterwards, nor let it exit while one is pending.
  const source = `
    const fs = require('node:fs')
    const path = require('node:path')
    const root = ${JSON.stringify(ROOT)}
    const file = path.join(root, fs.readdirSync(root).find((f) => f.endsWith('.node')))
    const load = () => { const m = { exports: {} }; process.dlopen(m, file); return m.exports }
    const A = load()
    const B = load()
    A.Sandbox.start({ port: 0 }).then(async (sb) => {
      sb.injectFault({ kind: 'stall', delayMs: 300, path: '/v1_0/account/balance', times: 2 })
      const a = new A.Disbursements('k', { baseUrl: sb.url, maxRetries: 0 })
      const b = new B.Disbursements('k', { baseUrl: sb.url, maxRetries: 0 })
      const out = []
      const slowA = a.getAccountBalance('Bearer t', 'sandbox').then((r) => out.push(['a-slow', r[1].status]))
      for (let i = 0; i < 3; i++) out.push(['b', (await b.getTransferStatus(${JSON.stringify(randomUUID())}, 'Bearer t', 'sandbox'))[1].status])
      const slowB = b.getAccountBalance('Bearer t', 'sandbox').then((r) => out.push(['b-slow', r[1].status]))
      out.push(['a', (await a.getTransferStatus(${JSON.stringify(randomUUID())}, 'Bearer t', 'sandbox'))[1].status])
      await Promise.all([slowA, slowB])
      console.log(JSON.stringify(out))
      // The sandbox is left running: it must not keep the process alive.
    })
  `
  const run = await runNode(source)
  expect(run.signal).toBeNull()
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  const out = JSON.parse(run.stdout.trim())
  expect(out).toHaveLength(6)
  expect(out.map(([who]) => who).sort()).toEqual(['a', 'a-slow', 'b', 'b', 'b', 'b-slow'])
  for (const [, status] of out) expect(status).toBe(401)
})
