'use strict'
// What the benchmark scripts share: their flags, running a measured process to its one
// JSON line, waiting for a helper process to listen, and ending a process's main.
const { spawn } = require('node:child_process')
const path = require('node:path')

const ROOT = path.join(__dirname, '..')

/**
 * `--some-name value` pairs over a copy of `defaults` (key `someName`). A flag must name
 * a default and takes its type: a number (finite, not negative), a comma-separated list
 * of numbers, or a string.
 */
function parseFlags(argv, defaults) {
  const flags = { ...defaults }
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]]
    const key = name.replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase())
    if (!name.startsWith('--') || !Object.hasOwn(defaults, key)) throw new Error(`unknown flag ${name}`)
    if (value === undefined) throw new Error(`${name} needs a value`)
    const given = defaults[key]
    if (typeof given === 'string') {
      flags[key] = value
      continue
    }
    flags[key] = Array.isArray(given) ? value.split(',').map(Number) : Number(value)
    if ([flags[key]].flat().some((n) => !Number.isFinite(n) || n < 0)) throw new Error(`${name} needs a number`)
  }
  return flags
}

/**
 * Runs one command to completion (killed after `timeoutMs`, when given); resolves the
 * JSON of its last stdout line. Its stderr goes to ours.
 */
function runJson(cmd, args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    const what = `${path.basename(cmd)} ${args.join(' ')}`
    let out = ''
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : null
    child.stdout.on('data', (chunk) => {
      out += chunk
    })
    child.once('error', reject)
    child.once('close', (code, signal) => {
      clearTimeout(timer)
      const last = out.trim().split('\n').pop()
      if (code !== 0 || !last) {
        reject(new Error(`${what} failed (${signal || code})`))
        return
      }
      try {
        resolve(JSON.parse(last))
      } catch {
        reject(new Error(`${what} printed no JSON: ${last}`))
      }
    })
  })
}

/**
 * Starts a helper process that prints a line matching `pattern` once it serves (stdin
 * stays open as a pipe: the helper exits when this process goes away); resolves
 * `{ child, url }` with `url` from the pattern's first group.
 */
function startListening(what, cmd, args, pattern, toUrl = (m) => m) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    const fail = (e) => reject(e instanceof Error ? e : new Error(String(e)))
    child.once('error', fail)
    child.once('exit', (code) => fail(`${what} exited (${code}) before listening`))
    child.stdout.on('data', (chunk) => {
      out += chunk
      const m = pattern.exec(out)
      if (m) {
        child.removeAllListeners('exit')
        resolve({ child, url: toUrl(m[1]) })
      }
    })
  })
}

/** Runs a script's `main`, exiting 0 when it resolves and 1 (with the error) when not. */
function runMain(name, main) {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`${name}: ${e && e.stack ? e.stack : e}\n`)
      process.exit(1)
    },
  )
}

module.exports = { ROOT, parseFlags, runJson, startListening, runMain }
