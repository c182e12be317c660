// Mistakes the types must reject. types.spec.js compiles this file and expects exactly
// the error marked on each line with `// error TSnnnn`, and no other.
import { Disbursements, Client, PaymobPayouts, Payouts, Sandbox, Collection, Remittance, parseCallback } from 'mobilemoney-native'

async function mistakes(d: Disbursements, client: Client, sb: Sandbox): Promise<void> {
  const uuid = client.getReferenceId()
  const [ok, data] = await d.getTransferStatus(uuid)

  // Using the result without checking `ok`: `data` may be a Failure.
  const reason = data.reason // error TS2339
  const amount: string = data.amount // error TS2339
  // A Failure's HTTP status is `httpStatus`: a transaction's `status` needs `ok` first.
  const state: 'SUCCESSFUL' | 'FAILED' | 'PENDING' = data.status // error TS2339
  const [, st] = await d.getTransferStatus(uuid)
  st.status // error TS2339
  if (!ok) {
    const code = data.reason // error TS2339
  }

  // The failure kinds are a closed set.
  if (!ok && data.error === 'Timedout') { // error TS2367
  }

  // Bodies: payee is required, its type is an enum, amount is not a boolean.
  await d.transfer(uuid, undefined, undefined, { amount: '1', currency: 'EUR' }) // error TS2741
  await d.transfer(uuid, undefined, undefined, { amount: '1', currency: 'EUR', payee: { partyIdType: 'PHONE', partyId: '1' } }) // error TS2322
  await d.deposit(uuid, undefined, undefined, { amount: true, currency: 'EUR', payee: { partyIdType: 'MSISDN', partyId: '1' } }) // error TS2322
  await d.refund(uuid, undefined, undefined, { amount: '1', currency: 'EUR' }) // error TS2741

  // Argument order: the reference id comes first and is a string.
  await d.getDepositStatus(42) // error TS2345
  await client.createApiKey(uuid) // error TS2554

  // The sandbox's URL is read-only; its options are checked.
  sb.url = 'http://example.com' // error TS2540
  await Sandbox.start({ port: '8080' }) // error TS2322
  await Sandbox.start({ momo: { callbackMethod: 'PATCH' } }) // error TS2322

  // parseCallback is synchronous: its result is not a promise.
  const [cbOk, cb] = parseCallback('{}')
  await parseCallback('{}').then // error TS2339
  if (cbOk) {
    const ref: number = cb.referenceId // error TS2322
  }
}

async function paymobMistakes(p: PaymobPayouts): Promise<void> {
  // All four credentials are required.
  new PaymobPayouts({ clientId: 'id', clientSecret: 'secret' }) // error TS2739
  // Issuers are a closed set, and the request is an object.
  await p.instantCashin({ issuer: 'paypal', msisdn: '01023456789', amount: 10 }) // error TS2322
  await p.instantCashin('01023456789') // error TS2345
  // Inquiries take lists.
  await p.transactionInquiry({ transactionIds: '123' }) // error TS2322
  const [ok, data] = await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 10 })
  const ref: string = data.clientReferenceId // error TS2339
}

async function productMistakes(c: Collection, r: Remittance, ref: string): Promise<void> {
  const payer = { partyIdType: 'MSISDN' as const, partyId: '1' }
  // requestToPay wants a payer, not a payee.
  await c.requestToPay(null, ref, 'sandbox', { amount: '1', currency: 'EUR', payee: payer }) // error TS2561
  // data is narrowed only by ok.
  const [ok, data] = await c.getRequestToPayStatus(null, ref)
  const who = data.payer // error TS2339
  // A payment needs its money object; a cash transfer's identification type is a closed set.
  await c.createPayment(null, ref, 'sandbox', { customerReference: 'c', serviceProviderUserName: 's' }) // error TS2741
  await r.cashTransfer(ref, null, 'sandbox', { amount: '1', currency: 'EUR', payee: payer, payerIdentificationType: 'VISA' }) // error TS2322
  // The consent request is an object with a login hint.
  await c.bcAuthorize(null, 'sandbox', { scope: 'profile' }) // error TS2741
  // Remittance has no request to pay.
  await r.requestToPay(null, ref, 'sandbox', {}) // error TS2339
}

async function payoutsMistakes(p: Payouts): Promise<void> {
  // Payouts is opened, never constructed: Payouts.open(options) resolves [ok, payouts].
  new Payouts() // error TS2673
  // A worker's events have BullMQ's names and listeners.
  const [ok, worker] = await p.work({ concurrency: 2 })
  if (ok) worker.on('done', () => 0) // error TS2345
}

export { mistakes, paymobMistakes, productMistakes, payoutsMistakes }
