'use strict'
// `npm run bench -- --pin`: each contender alone on one core and the responder on another
// (taskset), the contenders interleaved in rounds; the ratios reported are the medians of
// the per-round ratios, so a machine that slows down for a while slows every contender of
// that round alike. This is what a Node service limited to one CPU pays per call.

const { spawnSync } = require('node:child_process')
const os = require('node:os')

const RESPONDER_CORE = 0
const CLIENT_CORE = 1
const DEFAULT_ROUNDS = 5

function check(flags) {
  if (os.cpus().length < 2)
    throw new Error('--pin needs at least two cores (one for the responder, one for the client)')
  if (spawnSync('taskset', ['-c', '0', 'true']).status !== 0) throw new Error('--pin needs taskset (util-linux)')
  if (!flags.repeatGiven) flags.repeat = DEFAULT_ROUNDS
}

/** The command that runs `cmd args` on the core of `role` when pinned, else as is. */
function command(flags, role, cmd, args) {
  if (!flags.pin) return [cmd, args]
  const core = role === 'responder' ? RESPONDER_CORE : CLIENT_CORE
  return ['taskset', ['-c', String(core), cmd, ...args]]
}

function describe() {
  return { responderCore: RESPONDER_CORE, clientCore: CLIENT_CORE }
}

const median = (xs) => {
  const s = xs.filter((x) => Number.isFinite(x)).sort((x, y) => x - y)
  if (!s.length) return null
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** Per cell, the median over rounds of native/undici and native/ceiling (calls/s), and CPU. */
function ratios(cells, ops, concurrencies, round) {
  const out = []
  for (const op of ops) {
    for (const c of concurrencies) {
      const byClient = cells.get(`${op} ${c}`)
      if (!byClient || !byClient.has('native')) continue
      const inRound = (client, r) => (byClient.get(client) || []).find((x) => x.round === r)
      const per = (other) => {
        const xs = []
        for (const a of byClient.get('native')) {
          const b = inRound(other, a.round)
          if (b && b.callsPerSec > 0) xs.push(a.callsPerSec / b.callsPerSec)
        }
        return xs
      }
      const aOverC = per('undici')
      const aOverD = per('ceiling')
      const aOverB = per('mobilemoney.js')
      const cpu = (client) => median((byClient.get(client) || []).map((x) => x.cpuUsPerCall))
      out.push({
        op,
        concurrency: c,
        aOverB: round(median(aOverB)),
        aOverC: round(median(aOverC)),
        aOverD: round(median(aOverD)),
        p50AOverD: null,
        roundsAOverC: aOverC.map((x) => round(x)),
        roundsAOverD: aOverD.map((x) => round(x)),
        cpuUsPerCall: {
          native: round(cpu('native'), 1),
          undici: round(cpu('undici'), 1),
          ceiling: round(cpu('ceiling'), 1),
        },
      })
    }
  }
  return out
}

function targets(rows) {
  const t = []
  const add = (name, value, ok) => t.push({ target: name, value, met: value == null ? null : ok(value) })
  for (const r of rows) {
    if (r.concurrency !== 1 && r.concurrency !== 64) continue
    const at = `${r.op} @${r.concurrency}, pinned`
    add(`a/d >= 0.85 (${at})`, r.aOverD, (v) => v >= 0.85)
    add(`a/c >= 1.3 (${at})`, r.aOverC, (v) => v >= 1.3)
  }
  return t
}

module.exports = { check, command, describe, ratios, targets }
