'use strict'
// Every Collection operation against the sandbox: the result, the request sent, and the
// ledger. Request to pay, withdrawals, invoices, pre-approvals, payments, the delivery
// notification, the consent flow and the official payer test numbers.
const { parseCallback } = require('..')
const { bearer, callbackListener, randomUUID, specWorld } = require('./support/helpers')
const products = require('./support/momo-products')
const { productsWorld, sent, party, ok, settled, CB, readPaths, expectClientMakes } = products
const { payBody, invoiceBody, preApprovalBody, paymentBody } = products

const world = specWorld(productsWorld)
let c
beforeAll(() => {
  c = world.collection({ callbackUrl: CB })
})
beforeEach(() => world.sb.clearFaults())

test('createAccessToken posts to /collection/token/ with Basic auth', async () => {
  const plain = world.plainCollection()
  world.sb.clearRequests()
  const token = ok(await plain.createAccessToken(world.basic))
  expect(token).toMatchObject({
    access_token: expect.any(String),
    token_type: expect.any(String),
    expires_in: expect.any(Number),
  })
  const [req] = await sent(world, '/collection/token/', 'POST')
  expect(req.headers.authorization).toBe('Basic [redacted]')
})

test('balances, basic user info and isActive are read under /collection', async () => {
  world.sb.clearRequests()
  expect(ok(await c.getAccountBalance())).toMatchObject({ availableBalance: expect.any(String), currency: 'EUR' })
  expect(ok(await c.getAccountBalanceIn('EUR'))).toMatchObject({ currency: 'EUR' })
  expect(ok(await c.getBasicUserInfo('46733123499'))).toEqual(
    expect.objectContaining({ given_name: expect.any(String) }),
  )
  expect(ok(await c.isActive('46733123499', 'msisdn'))).toEqual({ result: true })
  const paths = (await world.sb.requests()).filter((r) => r.method === 'GET').map((r) => r.path)
  expect(paths).toEqual(readPaths('collection'))
})

test('requestToPay: accepted, the status has the payer, the ledger has the payment, the merchant is credited', async () => {
  const before = Number(ok(await c.getAccountBalance()).availableBalance)
  const ref = randomUUID()
  world.sb.clearRequests()
  expect(await c.requestToPay(null, ref, 'sandbox', payBody('46733123499', '25'))).toEqual([true, { referenceId: ref }])
  const [post] = await sent(world, '/collection/v1_0/requesttopay', 'POST')
  expect(post.headers['x-reference-id']).toBe(ref)
  expect(post.headers['x-callback-url']).toBe(CB)
  expect(post.headers['x-target-environment']).toBe('sandbox')
  expect(JSON.parse(post.body)).toEqual(payBody('46733123499', '25'))
  const status = await settled(() => c.getRequestToPayStatus(null, ref))
  expect(status).toMatchObject({ amount: '25', currency: 'EUR', payer: party('46733123499'), status: 'SUCCESSFUL' })
  // Status GETs carry no X-Reference-Id (neither MTN's export nor mobilemoney.js send it).
  const gets = await sent(world, `/collection/v1_0/requesttopay/${ref}`, 'GET')
  expect(gets.length).toBeGreaterThan(0)
  for (const g of gets) expect(g.headers['x-reference-id']).toBeUndefined()
  expect(await world.entries(ref)).toEqual([
    expect.objectContaining({ kind: 'requesttopay', amount: 25, currency: 'EUR' }),
  ])
  const after = Number(ok(await c.getAccountBalance()).availableBalance)
  expect(after).toBeCloseTo(before + 25, 2)
})

test('both argument orders send the same request', async () => {
  const auth = await bearer({ ...world, plain: () => world.plainCollection() })
  const plain = world.plainCollection()
  const a = randomUUID()
  const b = randomUUID()
  world.sb.clearRequests()
  expect(await plain.requestToPay(auth, a, 'sandbox', payBody('46733123499', '3'))).toEqual([true, { referenceId: a }])
  expect(await plain.requestToPay(b, auth, 'sandbox', payBody('46733123499', '3'))).toEqual([true, { referenceId: b }])
  expect(ok(await plain.getRequestToPayStatus(auth, a, 'sandbox')).payer).toEqual(party('46733123499'))
  expect(ok(await plain.getRequestToPayStatus(a, auth, 'sandbox')).payer).toEqual(party('46733123499'))
  const posts = await sent(world, '/collection/v1_0/requesttopay', 'POST')
  expect(posts.map((p) => p.headers['x-reference-id'])).toEqual([a, b])
  expect(posts[0].body).toBe(posts[1].body)
})

test.each(['46733123450', '46733123451', '46733123452', '46733123455'])(
  'payer %s: the request to pay ends FAILED with a reason',
  async (msisdn) => {
    const ref = randomUUID()
    ok(await c.requestToPay(null, ref, 'sandbox', payBody(msisdn, '4')))
    const result = await settled(() => c.getRequestToPayStatus(null, ref))
    expect(result).toMatchObject({
      status: 'FAILED',
      reason: { code: expect.any(String), message: expect.any(String) },
    })
  },
)

test('payer 46733123453 stays pending (ongoing)', async () => {
  const ref = randomUUID()
  ok(await c.requestToPay(null, ref, 'sandbox', payBody('46733123453', '4')))
  const [okay, result] = await c.getRequestToPayStatus(null, ref)
  expect(okay).toBe(true)
  expect(['PENDING', 'CREATED']).toContain(result.status)
})

test('withdraw (v2) and requestToWithdraw (v1): accepted, one status GET for both', async () => {
  const v2 = randomUUID()
  const v1 = randomUUID()
  world.sb.clearRequests()
  expect(await c.withdraw(null, v2, 'sandbox', payBody('46733123499', '7'))).toEqual([true, { referenceId: v2 }])
  expect(await c.requestToWithdraw(null, v1, 'sandbox', payBody('46733123499', '8'))).toEqual([
    true,
    { referenceId: v1 },
  ])
  expect(
    (await sent(world, '/collection/v2_0/requesttowithdraw', 'POST')).map((r) => r.headers['x-reference-id']),
  ).toEqual([v2])
  expect(
    (await sent(world, '/collection/v1_0/requesttowithdraw', 'POST')).map((r) => r.headers['x-reference-id']),
  ).toEqual([v1])
  expect(await settled(() => c.getWithdrawStatus(null, v2))).toMatchObject({
    amount: '7',
    status: 'SUCCESSFUL',
    payer: party('46733123499'),
  })
  expect(await settled(() => c.getWithdrawStatus(null, v1))).toMatchObject({ amount: '8', status: 'SUCCESSFUL' })
  expect(await world.entries(v2)).toEqual([expect.objectContaining({ kind: 'requesttowithdraw', amount: 7 })])
})

test('an invoice: created, read, cancelled with its own X-Reference-Id', async () => {
  const ref = randomUUID()
  expect(await c.createInvoice(null, ref, 'sandbox', invoiceBody('46733123453'))).toEqual([true, { referenceId: ref }])
  const [okay, invoice] = await c.getInvoiceStatus(null, ref)
  expect(okay).toBe(true)
  expect(invoice).toMatchObject({ amount: '30', currency: 'EUR' })
  world.sb.clearRequests()
  const [cancelled] = await c.cancelInvoice(null, ref, 'sandbox', { externalId: 'inv-46733123453' })
  expect(cancelled).toBe(true)
  const [del] = await sent(world, `/collection/v2_0/invoice/${ref}`, 'DELETE')
  expect(del.headers['x-reference-id']).toMatch(/^[0-9a-f-]{36}$/)
  expect(del.headers['x-reference-id']).not.toBe(ref)
  expect(JSON.parse(del.body)).toEqual({ externalId: 'inv-46733123453' })
  const [, after] = await c.getInvoiceStatus(null, ref)
  expect(after.status).not.toBe('SUCCESSFUL')
})

test('a pre-approval: created, read, listed among the approved, cancelled', async () => {
  const ref = randomUUID()
  const payer = '46733123498'
  expect(await c.createPreApproval(null, ref, 'sandbox', preApprovalBody(payer))).toEqual([true, { referenceId: ref }])
  const status = await settled(() => c.getPreApprovalStatus(null, ref))
  expect(status).toMatchObject({ payer: party(payer), payerCurrency: 'EUR', status: 'SUCCESSFUL' })
  const list = ok(await c.getApprovedPreApprovals('msisdn', payer))
  expect(Array.isArray(list)).toBe(true)
  expect(list.length).toBeGreaterThan(0)
  const id = list[0].preApprovalId
  world.sb.clearRequests()
  expect((await c.cancelPreApproval(null, id))[0]).toBe(true)
  expect(await sent(world, `/collection/v1_0/preapproval/${id}`, 'DELETE')).toHaveLength(1)
  const left = ok(await c.getApprovedPreApprovals('msisdn', payer))
  expect(left.filter((p) => p.preApprovalId === id && p.status === 'APPROVED')).toEqual([])
})

test('a payment: accepted, read, in the ledger, drawn from the merchant', async () => {
  const ref = randomUUID()
  const body = paymentBody('12')
  world.sb.clearRequests()
  expect(await c.createPayment(null, ref, 'sandbox', body)).toEqual([true, { referenceId: ref }])
  const [post] = await sent(world, '/collection/v2_0/payment', 'POST')
  expect(JSON.parse(post.body)).toEqual(body)
  expect(await settled(() => c.getPaymentStatus(null, ref))).toMatchObject({ status: 'SUCCESSFUL' })
  expect(await world.entries(ref)).toEqual([expect.objectContaining({ kind: 'payment', amount: 12 })])
})

test('delivery notification: after success it is enqueued; before success it is a Conflict', async () => {
  const done = randomUUID()
  ok(await c.requestToPay(null, done, 'sandbox', payBody('46733123499', '2')))
  await settled(() => c.getRequestToPayStatus(null, done))
  world.sb.clearRequests()
  const [okay] = await c.requestToPayDeliveryNotification(null, done, 'sandbox', 'Your order ships today', 'en')
  expect(okay).toBe(true)
  const [note] = await sent(world, `/collection/v1_0/requesttopay/${done}/deliverynotification`, 'POST')
  expect(note.headers.notificationmessage).toBe('Your order ships today')
  expect(note.headers.language).toBe('en')
  expect(JSON.parse(note.body)).toEqual({ notificationMessage: 'Your order ships today' })
  const ongoing = randomUUID()
  ok(await c.requestToPay(null, ongoing, 'sandbox', payBody('46733123453', '2')))
  const [early, failure] = await c.requestToPayDeliveryNotification(null, ongoing, 'sandbox', 'too early')
  expect(early).toBe(false)
  expect(failure).toMatchObject({ error: 'Conflict', status: 409, referenceId: ongoing })
})

test('the consent flow: bcAuthorize, createOauth2Token, askUserInfo with the consent token', async () => {
  world.sb.clearRequests()
  const grant = ok(
    await c.bcAuthorize(null, 'sandbox', {
      scope: 'profile',
      login_hint: 'ID:46733123499/MSISDN',
      access_type: 'offline',
    }),
  )
  expect(grant).toMatchObject({ auth_req_id: expect.any(String), expires_in: expect.any(Number) })
  const [bc] = await sent(world, '/collection/v1_0/bc-authorize', 'POST')
  expect(bc.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/)
  expect(new URLSearchParams(bc.body).get('login_hint')).toBe('ID:46733123499/MSISDN')
  const token = ok(
    await c.createOauth2Token(null, {
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: grant.auth_req_id,
    }),
  )
  expect(token).toMatchObject({ access_token: expect.any(String) })
  const [tok] = await sent(world, '/collection/oauth2/token/', 'POST')
  expect(tok.headers.authorization).toBe('Basic [redacted]')
  const info = ok(await c.askUserInfo(`Bearer ${token.access_token}`, 'sandbox'))
  expect(info).toEqual(expect.objectContaining({ given_name: expect.any(String) }))
})

test('Client#collection(key) makes a Collection on the client host', () => expectClientMakes(world, 'collection'))

test('a body with unknown fields is rebuilt from the known ones only', async () => {
  world.sb.clearRequests()
  const ref = randomUUID()
  ok(await c.requestToPay(null, ref, 'sandbox', { ...payBody('46733123499'), secret: 'x', payee: party('1') }))
  const [req] = await sent(world, '/collection/v1_0/requesttopay', 'POST')
  expect(Object.keys(JSON.parse(req.body)).sort()).toEqual([
    'amount',
    'currency',
    'externalId',
    'payeeNote',
    'payer',
    'payerMessage',
  ])
})

test('callbacks of request to pay, withdraw, invoice, pre-approval and payment are parsed by parseCallback', async () => {
  const listener = await callbackListener()
  try {
    const calls = [
      ['requestToPay', payBody('46733123451', '3'), 'FAILED'],
      ['withdraw', payBody('46733123499', '3'), 'SUCCESSFUL'],
      ['createPreApproval', preApprovalBody('46733123499'), 'SUCCESSFUL'],
      ['createPayment', paymentBody('3'), 'SUCCESSFUL'],
    ]
    for (const [method, body, status] of calls) {
      const ref = randomUUID()
      ok(await c[method](null, ref, 'sandbox', body, `${listener.url}/cb/${ref}`))
      const [cb] = await listener.waitFor(`/cb/${ref}`)
      expect(cb).toBeDefined()
      const [parsedOk, parsed] = parseCallback(cb.body, cb.headers)
      expect(parsedOk).toBe(true)
      expect(parsed).toMatchObject({ provider: 'momo', status })
      if (status === 'FAILED') expect(parsed.reason).toEqual({ code: expect.any(String), message: expect.any(String) })
    }
  } finally {
    await listener.close()
  }
})
