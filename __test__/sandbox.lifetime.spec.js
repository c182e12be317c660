'use strict'
// A sandbox serves until close(), whether or not its handle is still referenced, and keeps
// the process alive only when ref()ed (as a net.Server's ref()/unref()).
const { spawn } = require('node:child_process')
const path = require('node:path')
const readline = require('node:readline')
const { Sandbox } = require('..')

const ROOT = path.join(__dirname, '..')

/**
 * Run a script in a fresh node; `onLine(line, child)` sees each stdout line. Resolves the
 * exit code, the signal and the output.
 */
function runNode(args, source, onLine = () => {}) {
  const child = spawn(process.execPath, [...args, '-e', source], { cwd: ROOT })
  readline.createInterface({ input: child.stdout }).on('line', (line) => onLine(line, child))
  const stderr = []
  child.stderr.on('data', (c) => stderr.push(c))
  // A child that never exits is a failure of the test, not a hang of the suite.
  const timer = setTimeout(() => child.kill('SIGKILL'), 30000)
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stderr: Buffer.concat(stderr).toString() })
    })
  })
}

test('a sandbox whose handle was dropped and collected still answers', async () => {
  const source = `
    const { Sandbox } = require(${JSON.stringify(ROOT)})
    let url
    Sandbox.start({ port: 0 }).then((sb) => { url = sb.url })
    const until = (check) => new Promise((r) => { const t = setInterval(() => { if (check()) { clearInterval(t); r() } }, 5) })
    until(() => url).then(async () => {
      // Nothing refers to the handle any more: collect it, more than once.
      for (let i = 0; i < 5; i++) { global.gc(); await new Promise((r) => setImmediate(r)) }
      const res = await fetch(url + '/_sandbox/stats')
      console.log(JSON.stringify({ status: res.status, body: await res.json() }))
      process.exit(0)
    })
  `
  const answers = []
  const run = await runNode(['--expose-gc'], source, (line) => answers.push(JSON.parse(line)))
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  expect(answers).toHaveLength(1)
  expect(answers[0]).toMatchObject({ status: 200, body: expect.objectContaining({ requests: expect.any(Number) }) })
})

test('a sandbox lets the process exit by itself, also once ref()ed then unref()ed or closed', async () => {
  for (const end of ['', 'sb.ref().unref()', 'sb.ref(); sb.close()']) {
    const source = `
      const { Sandbox } = require(${JSON.stringify(ROOT)})
      Sandbox.start({ port: 0 }).then((sb) => { console.log(sb.url); ${end} })
    `
    const run = await runNode([], source)
    expect(run).toEqual({ code: 0, signal: null, stderr: '' })
  }
})

test('a ref()ed sandbox keeps the process alive, and answers after the script has ended', async () => {
  const source = `
    const { Sandbox } = require(${JSON.stringify(ROOT)})
    Sandbox.start({ port: 0 }).then((sb) => console.log(sb.ref().url))
  `
  const answered = []
  const run = await runNode([], source, (url, child) => {
    // The script has nothing left to run once it printed the URL: only the sandbox holds it.
    setImmediate(async () => {
      const res = await fetch(`${url}/_sandbox/stats`)
      answered.push(res.status)
      child.kill('SIGTERM')
    })
  })
  expect(answered).toEqual([200])
  expect(run.signal).toBe('SIGTERM')
})

test('ref() and unref() return the sandbox, and do nothing once it is closed', async () => {
  const sb = await Sandbox.start({ port: 0 })
  expect(sb.unref()).toBe(sb)
  expect(sb.ref()).toBe(sb)
  await sb.close()
  expect(sb.unref()).toBe(sb)
  expect(sb.ref()).toBe(sb)
})
