'use strict'
// A MoMo callback listener that trusts nothing it is told: it parses the callback, then
// confirms the payout by looking its reference up before acting on it. Callbacks are not
// signed, can arrive twice, and can arrive before the status lookup shows the final state.
//
//   const server = await startCallbackListener({ disbursements: d, onConfirmed })
//   // pass `http://<host>:<port>/momo/callback` as the urlCallback of transfer()
const http = require('node:http')
const { parseCallback } = require('mobilemoney-native')

const LOOKUP = { transfer: 'getTransferStatus', deposit: 'getDepositStatus', refund: 'getRefundStatus' }

/**
 * @param {object} o
 * @param {import('mobilemoney-native').Disbursements} o.disbursements  with managed tokens
 * @param {(referenceId: string, result: object) => void} o.onConfirmed  called once per final payout
 * @param {'transfer'|'deposit'|'refund'} [o.kind]
 */
async function startCallbackListener({ disbursements, onConfirmed, kind = 'transfer', port = 0, host = '127.0.0.1' }) {
  const settled = new Set() // handle duplicates idempotently
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk) => (raw += chunk))
    req.on('end', async () => {
      res.writeHead(200).end() // answer at once: MoMo does not retry, and work comes after
      const [ok, callback] = parseCallback(raw, req.headers)
      if (!ok || callback.provider !== 'momo' || !callback.referenceId) return
      const ref = callback.referenceId
      if (settled.has(ref)) return
      // The lookup is the truth; the callback body is only a hint.
      const [found, result] = await disbursements[LOOKUP[kind]](ref)
      if (!found || result.status === 'PENDING' || settled.has(ref)) return
      settled.add(ref)
      onConfirmed(ref, result)
    })
  })
  await new Promise((resolve) => server.listen(port, host, resolve))
  return server
}

module.exports = { startCallbackListener }
