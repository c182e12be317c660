'use strict'
// kill -9 of the process verifying a batch, mid-way: the next verify looks up only the
// items not verified yet (counted at the sandbox), and holds the same items.
const { spawn } = require('node:child_process')
const path = require('node:path')
const { Payouts } = require('..')
const { payoutsWorld, momoItem } = require('./support/payouts')

const CHILD = path.join(__dirname, 'fixtures', 'payouts-verify.js')
const ITEMS = 30
const CONCURRENCY = 4

const holderInfo = async (sb) => (await sb.requests()).filter((r) => r.path.includes('/basicuserinfo'))

/** Starts the child verifying and kills it once the sandbox has seen `lookups` name lookups. */
function verifyAndKill(sb, options, batchId, lookups) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(options), batchId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (c) => (stderr += c))
    const poll = setInterval(async () => {
      if ((await holderInfo(sb)).length >= lookups && child.exitCode === null) child.kill('SIGKILL')
    }, 10)
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearInterval(poll)
      resolve({ code, signal, stderr })
    })
  })
}

test('a verification killed mid-way resumes without looking verified items up again', async () => {
  const w = await payoutsWorld()
  try {
    const items = []
    for (let i = 0; i < ITEMS; i++) {
      const party = `4673312${String(100 + i).padStart(4, '0')}`
      // Every third payee is registered under another family name: held.
      w.sb.setAccountHolder(party, { givenName: `Given${i}`, familyName: i % 3 === 0 ? 'Stranger' : `Family${i}` })
      items.push({ ...momoItem(`k${i}`, party), name: `Given${i} Family${i}` })
    }
    // Slow enough lookups (20 a second, two an item) that the kill lands mid-way.
    const options = w.options({ momo: { lookupsPerSecond: 20 } })
    const [ok, payouts] = await Payouts.open(options)
    expect(ok).toBe(true)
    await payouts.submit('crashy', items)
    w.sb.clearRequests()
    const r = await verifyAndKill(w.sb, options, 'crashy', 10)
    expect([r.signal, r.stderr]).toEqual(['SIGKILL', ''])
    const before = (await holderInfo(w.sb)).length
    expect(before).toBeLessThan(ITEMS)

    const [okV, v] = await payouts.verify('crashy', { concurrency: CONCURRENCY })
    expect(okV).toBe(true)
    expect(v.unverified).toEqual([])
    expect(v.held).toBe(ITEMS / 3)
    // Only the items the killed process had not recorded were looked up again; at most
    // those whose lookups were in flight at the kill are looked up twice.
    expect(v.checked).toBeLessThan(ITEMS)
    const all = await holderInfo(w.sb)
    const perParty = new Map()
    for (const q of all) perParty.set(q.path, (perParty.get(q.path) || 0) + 1)
    expect(perParty.size).toBe(ITEMS)
    const twice = [...perParty.values()].filter((n) => n > 1).length
    expect(twice).toBeLessThanOrEqual(CONCURRENCY)
    expect(all.length).toBe(ITEMS + twice)
    // Nothing was sent by either verification.
    expect(await w.sb.ledger()).toEqual([])
    const [, held] = await payouts.items('crashy', { status: 'held' })
    expect(held.map((i) => i.key).sort()).toEqual(
      items
        .filter((_, i) => i % 3 === 0)
        .map((i) => i.key)
        .sort(),
    )
    await payouts.close()
  } finally {
    await w.cleanup()
  }
}, 60000)
