'use strict'
// The benchmark's sandbox, in a process of its own so that its CPU and memory are not
// counted against the client measured: prints `listening URL` and serves until stdin
// closes (the parent exiting ends it).
//   node bench/payouts/sandbox.js --latency-ms 50
const path = require('node:path')
const { Sandbox } = require(path.join(__dirname, '..', '..'))
const { startListening } = require('../common')

async function main() {
  const i = process.argv.indexOf('--latency-ms')
  const latencyMs = i >= 0 ? Number(process.argv[i + 1]) : 50
  const sb = await Sandbox.start({ port: 0, logRequests: false, latencyMs })
  // The server runs on the addon's threads; this timer keeps Node's event loop alive.
  const keepAlive = setInterval(() => {}, 1 << 30)
  process.stdout.write(`listening ${sb.url}\n`)
  process.stdin.resume()
  process.stdin.on('end', async () => {
    clearInterval(keepAlive)
    await sb.close()
    process.exit(0)
  })
}

/** Starts this script as a process of its own; resolves `{ child, url }`. */
function startSandbox(latencyMs) {
  const args = [__filename, '--latency-ms', String(latencyMs)]
  return startListening('the sandbox', process.execPath, args, /listening (\S+)/)
}

// Not runMain: main resolves once listening, and the process serves on after that.
if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`sandbox: ${e && e.stack ? e.stack : e}\n`)
    process.exit(1)
  })
}

module.exports = { startSandbox }
