// Typed usage of the whole public API. types.spec.js compiles it with `tsc --noEmit`
// (strict) and expects no error. It is never run.
import {
  Client,
  Collection,
  Remittance,
  Disbursements,
  PaymobPayouts,
  Payouts,
  Sandbox,
  parseCallback,
  toError,
  MomoError,
  HTTPError,
  NotFound,
  InvalidUniqueIDVersion,
} from 'mobilemoney-native'
import type {
  RequestToPayResult,
  InvoiceResult,
  PreApprovalResult,
  PreApprovalDetails,
  PaymentResult,
  CashTransferResult,
  BcAuthorizeResult,
  Oauth2Token,
  BatchSummary,
  PayoutItem,
  PayoutProgress,
  PayoutsAbortSignal,
  PayoutStatus,
  PayoutStep,
  PayoutJob,
  PayoutsWorker,
  Failure,
  FailureKind,
  Result,
  TransactionResult,
  TransactionStatus,
  PaymentAccepted,
  Balance,
  LedgerEntry,
  CashinResult,
  PaymobToken,
  BudgetResult,
  InquiryResult,
  ParsedCallback,
  RequestEvent,
} from 'mobilemoney-native'

/** Compiles only when A and B are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
function assertType<T extends true>(): T | void {}

async function momo(): Promise<void> {
  const sb: Sandbox = await Sandbox.start({ port: 0, settleAfterMs: 10, momo: { balance: 1000 }, logRequests: false })
  const url: string = sb.url

  const client = new Client({ baseUrl: url })
  client.isSandbox()
  const user: string = client.getReferenceId()
  const basic: string = client.basicToken(user, 'key')
  const bearerHeader: string = client.bearerToken('token')
  const [userOk, created] = await client.createApiUser(user, 'sub', '127.0.0.1')
  if (userOk) {
    const ref: string = created.referenceId
  }
  const [keyOk, key] = await client.createApiKey(user, 'sub')
  const apiKey: string = keyOk ? key.apiKey : key.message
  const viaClient: Disbursements = client.disbursements('sub')

  const events: RequestEvent[] = []
  const d = new Disbursements('sub', {
    baseUrl: url,
    apiUser: user,
    apiKey,
    callbackUrl: 'http://127.0.0.1:9/cb',
    timeoutMs: 5000,
    maxRetries: 1,
    onEvent: (e) => events.push(e),
  })

  // The pair narrows on `ok`.
  const [ok, data] = await d.getTransferStatus(user, undefined, 'sandbox')
  if (ok) {
    assertType<Equal<typeof data, TransactionResult>>()
    const status: TransactionStatus = data.status
    const amount: string = data.amount
    const code: string | undefined = data.reason?.code
  } else {
    assertType<Equal<typeof data, Failure>>()
    const kind: FailureKind = data.error
    const retry: boolean = data.retryable
    const http: number | undefined = data.httpStatus
    const thrown: MomoError | Error = toError(data)
  }

  // The result can also be kept whole and narrowed later.
  const whole: Result<Balance> = await d.getAccountBalance(null, 'sandbox')
  if (whole[0]) {
    const available: string = whole[1].availableBalance
  }

  const token = await d.createAccessToken(basic)
  const inEur = await d.getAccountBalanceIn('EUR')
  const info = await d.getBasicUserInfo('46733123499')
  const me = await d.askUserInfo(bearerHeader, 'sandbox')
  const body = {
    amount: '100',
    currency: 'EUR',
    externalId: 'e1',
    payee: { partyIdType: 'MSISDN' as const, partyId: '46733123499' },
  }
  const sent: Result<PaymentAccepted> = await d.transfer(user, undefined, undefined, body, 'http://127.0.0.1:9/cb')
  const deposit = await d.deposit(user, null, 'sandbox', { ...body, amount: 5 })
  const refund = await d.refund(user, undefined, undefined, { amount: '1', currency: 'EUR', referenceIdToRefund: user })
  const ds = await d.getDepositStatus(user)
  const rs = await d.getRefundStatus(user)
  const [activeOk, active] = await d.isActive('46733123499', 'msisdn', undefined, 'sandbox')
  if (activeOk) {
    const yes: boolean = active.result
  }
  const legacyOrder = await d.isActive('46733123499', bearerHeader, 'msisdn', 'sandbox')

  const ledger: LedgerEntry[] = await sb.ledger()
  const provider: 'momo' | 'paymob' = ledger[0].provider
  await sb.close()
}

async function paymob(): Promise<void> {
  const p = new PaymobPayouts({
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    username: 'sandbox-user',
    password: 'sandbox-password',
    baseUrl: 'http://127.0.0.1:8080/api/secure/',
  })
  const [tokOk, tok] = await p.generateToken()
  if (tokOk) {
    const t: PaymobToken = tok
    const [refreshed] = await p.refreshToken(t.refresh_token)
  }
  const [ok, data] = await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 10 })
  if (ok) {
    const result: CashinResult = data
    const ref: string = data.clientReferenceId
  } else {
    const code: string | undefined = data.code
  }
  await p.instantCashin({
    issuer: 'bank_card',
    amount: '250.50',
    fullName: 'Ahmed Ali',
    bankCardNumber: '1111222233334444',
    bankCode: 'CIB',
    bankTransactionType: 'cash_transfer',
  })
  const [budgetOk, budget] = await p.budgetInquiry()
  const [inquiryOk, inquiry] = await p.transactionInquiry({ clientReferences: ['x'], bank: true })
  if (budgetOk && inquiryOk) {
    const b: BudgetResult = budget
    const found: InquiryResult = inquiry
  }
  await p.transactionInquiry({ transactionIds: ['1', '2'] })
  const cancel = await p.cancelAmanTransaction('123')
}

function callbacks(): void {
  const [ok, cb] = parseCallback('{"status":"SUCCESSFUL"}', { 'x-reference-id': 'abc' })
  if (ok) {
    const parsed: ParsedCallback = cb
    const provider: 'momo' | 'paymob' = cb.provider
  } else {
    const failure: Failure = cb
  }
  parseCallback({ disbursement_status: 'pending' })
}

function errors(e: unknown): void {
  if (e instanceof NotFound) {
    const asHttp: HTTPError = e
    const f: Failure | undefined = e.failure
  }
  const input: Error = new InvalidUniqueIDVersion('bad')
}

async function products(url: string, apiUser: string, apiKey: string): Promise<void> {
  const c = new Collection('sub', { baseUrl: url, apiUser, apiKey, callbackUrl: 'http://127.0.0.1:9/cb' })
  const r = new Remittance('sub', { baseUrl: url, apiUser, apiKey })
  const viaClient: Collection = new Client({ baseUrl: url }).collection('sub')
  const remViaClient: Remittance = new Client({ baseUrl: url }).remittance('sub')
  const ref = new Client().getReferenceId()
  const payer = { partyIdType: 'MSISDN' as const, partyId: '46733123450' }

  // mobilemoney.js's order (authorization first), or the Disbursements order.
  const [payOk, accepted] = await c.requestToPay(null, ref, 'sandbox', { amount: '5', currency: 'EUR', payer })
  const acceptedRef: string = payOk ? accepted.referenceId : accepted.message
  const [stOk, st] = await c.getRequestToPayStatus(null, ref)
  if (stOk) {
    assertType<Equal<typeof st, RequestToPayResult>>()
    const who: string | undefined = st.payer?.partyId
  } else {
    assertType<Equal<typeof st, Failure>>()
    const kind: FailureKind = st.error
  }
  await c.withdraw(undefined, ref, 'sandbox', { amount: 5, currency: 'EUR', payer })
  await c.requestToWithdraw(null, ref, undefined, { amount: '5', currency: 'EUR', payer }, 'http://127.0.0.1:9/cb')
  await c.getWithdrawStatus(null, ref)
  await c.createInvoice(null, ref, 'sandbox', {
    amount: '5',
    currency: 'EUR',
    validityDuration: 3600,
    intendedPayer: payer,
  })
  const [invOk, inv] = await c.getInvoiceStatus(null, ref)
  if (invOk) assertType<Equal<typeof inv, InvoiceResult>>()
  await c.cancelInvoice(null, ref, 'sandbox', { externalId: 'x' })
  await c.createPreApproval(null, ref, 'sandbox', { payer, payerCurrency: 'EUR', validityTime: 60 })
  const [preOk, pre] = await c.getPreApprovalStatus(null, ref)
  if (preOk) assertType<Equal<typeof pre, PreApprovalResult>>()
  const [listOk, list] = await c.getApprovedPreApprovals('msisdn', '46733123450')
  if (listOk) assertType<Equal<typeof list, PreApprovalDetails[]>>()
  await c.cancelPreApproval(null, ref)
  await c.createPayment(null, ref, 'sandbox', {
    money: { amount: '5', currency: 'EUR' },
    customerReference: 'c',
    serviceProviderUserName: 's',
  })
  const [pmOk, pm] = await c.getPaymentStatus(null, ref)
  if (pmOk) assertType<Equal<typeof pm, PaymentResult>>()
  await c.requestToPayDeliveryNotification(null, ref, 'sandbox', 'thanks', 'en')

  const [bcOk, bc] = await c.bcAuthorize(null, 'sandbox', {
    scope: 'profile',
    login_hint: 'ID:46733123450/MSISDN',
    access_type: 'offline',
  })
  if (bcOk) {
    assertType<Equal<typeof bc, BcAuthorizeResult>>()
    const [tOk, t] = await c.createOauth2Token(null, {
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: bc.auth_req_id,
    })
    if (tOk) {
      assertType<Equal<typeof t, Oauth2Token>>()
      await c.askUserInfo(`Bearer ${t.access_token}`, 'sandbox')
    }
  }

  await r.transfer(ref, null, 'sandbox', { amount: '5', currency: 'EUR', payee: payer })
  await r.getTransferStatus(ref)
  await r.cashTransfer(ref, null, 'sandbox', {
    amount: '5',
    currency: 'EUR',
    payee: payer,
    orginatingCountry: 'GH',
    payerIdentificationType: 'PASS',
  })
  const [ctOk, ct] = await r.getCashTransferStatus(ref)
  if (ctOk) {
    assertType<Equal<typeof ct, CashTransferResult>>()
    const status: string = ct.status
  }
  await r.createOauth2Token(null, { grant_type: 'refresh_token', refresh_token: 'x' })
  const shown: Record<string, unknown> = r.toJSON()
}

export { products }
async function payouts(): Promise<void> {
  const [ok, p] = await Payouts.open({
    secret: 'x'.repeat(16),
    momo: { subscriptionKey: 'k', ratePerSecond: 5, unreachableAfterMs: 30_000 },
  })
  if (!ok) {
    const failure: Failure = p
    return
  }
  const items: PayoutItem[] = [
    { key: 'a', provider: 'momo', amount: '10', currency: 'EUR', party: '46733123401' },
    { key: 'b', provider: 'paymob', issuer: 'vodafone', amount: 5, msisdn: '01023456789' },
  ]
  const [ok1, batch] = await p.submit('b1', items)
  if (ok1) {
    const created: boolean = batch.created
  }
  const [ok2, summary] = await p.run('b1', { concurrency: 4, onProgress: (e: PayoutProgress) => e.done })
  if (ok2) {
    const s: BatchSummary = summary
    const paused: 'insufficient_funds' | undefined = s.paused
    const stopped: true | undefined = s.stopped
  }
  // A structural AbortSignal: any object with aborted and the abort listener methods.
  const listeners: Array<() => void> = []
  const signal: PayoutsAbortSignal = {
    aborted: false,
    addEventListener: (_type, listener) => listeners.push(listener),
    removeEventListener: () => undefined,
  }
  await p.run('b1', { signal })
  const stoppedRuns: number = p.stop('b1') + p.stop()
  const [ok3, rows] = await p.items('b1', { status: ['failed', 'refused'] })
  if (ok3) {
    const status: PayoutStatus = rows[0].status
  }
  const [ok4, step] = await p.process('b1', 'a')
  if (ok4) {
    const needs: boolean = step.needsLookup
  }
  await p.reconcile('b1', 'a')
  await p.retryFailed('b1')
  await p.summary('b1')
  await p.callback('b1', parseCallback('{}'))
  const shownConfig: Record<string, unknown> = p.toJSON()
  await p.close()
}

// The queue strategy: a URL, ioredis options or an instance; work() resolves a worker
// with BullMQ's events.
async function queue(redis: { connect(): Promise<void>; disconnect(): void; duplicate(): unknown }): Promise<void> {
  for (const connection of ['redis://127.0.0.1:6379', { host: '127.0.0.1', port: 6379, password: 'p' }, redis]) {
    const [ok, p] = await Payouts.open({
      secret: 'x'.repeat(16),
      momo: { subscriptionKey: 'k' },
      queue: { redis: connection, name: 'payroll' },
    })
    if (!ok) return
    const [ok1, batch] = await p.submit('b1', [])
    if (ok1) {
      const enqueued: number | undefined = batch.enqueued
      const enqueuing: number | undefined = batch.enqueuing
    }
    const [wok, worker] = await p.work({ concurrency: 8, connection: { host: '127.0.0.1' } })
    if (!wok) {
      const field: string | undefined = worker.field
      return
    }
    const w: PayoutsWorker = worker
    w.on('completed', (item: PayoutStep) => item.status)
      .on(
        'failed',
        (job: PayoutJob, error: Error) => `${job.batchId}/${job.key} after ${job.attemptsMade}: ${error.message}`,
      )
      .on('progress', (e: PayoutProgress) => e.done / e.total)
      .once('error', (e: Error) => e.message)
    const [cok] = await w.close()
    await p.close()
  }
}

export { momo, paymob, callbacks, errors, payouts, queue }
