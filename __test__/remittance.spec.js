'use strict'
// Every Remittance operation against the sandbox: the result, the request sent, and the
// ledger. Transfer (with the Disbursement transfer test numbers), cash transfer, reads
// and the consent flow.
const { randomUUID, specWorld } = require('./support/helpers')
const {
  productsWorld,
  cashTransferBody,
  sent,
  party,
  ok,
  settled,
  CB,
  readPaths,
  expectClientMakes,
} = require('./support/momo-products')

const world = specWorld(productsWorld)
let r
beforeAll(() => {
  r = world.remittance({ callbackUrl: CB })
})

const transferBody = (msisdn, amount = '10') => ({
  amount,
  currency: 'EUR',
  externalId: `rem-${msisdn}`,
  payee: party(msisdn),
  payerMessage: 'm',
  payeeNote: 'n',
})

test('createAccessToken posts to /remittance/token/; reads go under /remittance', async () => {
  world.sb.clearRequests()
  const token = ok(await world.remittance().createAccessToken(world.basic))
  expect(token).toMatchObject({ access_token: expect.any(String) })
  expect(ok(await r.getAccountBalance())).toMatchObject({ currency: 'EUR' })
  expect(ok(await r.getAccountBalanceIn('EUR'))).toMatchObject({ currency: 'EUR' })
  expect(ok(await r.getBasicUserInfo('46733123499'))).toEqual(
    expect.objectContaining({ given_name: expect.any(String) }),
  )
  expect(ok(await r.isActive('46733123499'))).toEqual({ result: true })
  const paths = (await world.sb.requests()).map((q) => `${q.method} ${q.path}`)
  const reads = readPaths('remittance').map((p) => `GET ${p}`)
  expect(paths).toEqual(expect.arrayContaining(['POST /remittance/token/', ...reads]))
})

test('transfer: accepted, read back, in the ledger, drawn from the merchant', async () => {
  const before = Number(ok(await r.getAccountBalance()).availableBalance)
  const ref = randomUUID()
  world.sb.clearRequests()
  expect(await r.transfer(ref, null, 'sandbox', transferBody('46733123499', '15'))).toEqual([
    true,
    { referenceId: ref },
  ])
  const [post] = await sent(world, '/remittance/v1_0/transfer', 'POST')
  expect(post.headers).toMatchObject({ 'x-reference-id': ref, 'x-callback-url': CB, 'x-target-environment': 'sandbox' })
  expect(JSON.parse(post.body)).toEqual(transferBody('46733123499', '15'))
  expect(await settled(() => r.getTransferStatus(ref))).toMatchObject({
    amount: '15',
    payee: party('46733123499'),
    status: 'SUCCESSFUL',
  })
  for (const g of await sent(world, `/remittance/v1_0/transfer/${ref}`, 'GET'))
    expect(g.headers['x-reference-id']).toBeUndefined()
  expect(await world.entries(ref)).toEqual([expect.objectContaining({ kind: 'transfer', amount: 15 })])
  const after = Number(ok(await r.getAccountBalance()).availableBalance)
  expect(after).toBeCloseTo(before - 15, 2)
})

test.each(['46733123450', '46733123451', '46733123452'])(
  'transfer to the Disbursement test number %s ends FAILED',
  async (msisdn) => {
    const ref = randomUUID()
    ok(await r.transfer(ref, null, 'sandbox', transferBody(msisdn, '2')))
    const status = await settled(() => r.getTransferStatus(ref))
    expect(status).toMatchObject({ status: 'FAILED', reason: { code: expect.any(String) } })
  },
)

test('transfer to 46733123453 stays pending', async () => {
  const ref = randomUUID()
  ok(await r.transfer(ref, null, 'sandbox', transferBody('46733123453', '2')))
  const [, status] = await r.getTransferStatus(ref)
  expect(['PENDING', 'CREATED']).toContain(status.status)
})

test("cashTransfer: the foreign sender's details are sent and read back; in the ledger", async () => {
  const ref = randomUUID()
  const body = cashTransferBody('46733123499', '40')
  world.sb.clearRequests()
  expect(await r.cashTransfer(ref, null, 'sandbox', body)).toEqual([true, { referenceId: ref }])
  const [post] = await sent(world, '/remittance/v2_0/cashtransfer', 'POST')
  expect(JSON.parse(post.body)).toEqual(body)
  expect(post.headers['x-callback-url']).toBe(CB)
  const status = await settled(() => r.getCashTransferStatus(ref))
  expect(status).toMatchObject({ amount: '40', currency: 'EUR', status: 'SUCCESSFUL', payerFirstName: 'Ama' })
  expect(await world.entries(ref)).toEqual([expect.objectContaining({ kind: 'cashtransfer', amount: 40 })])
})

test('cashTransfer accepts originatingCountry and sends the export spelling', async () => {
  const ref = randomUUID()
  const body = cashTransferBody('46733123499', '3')
  delete body.orginatingCountry
  body.originatingCountry = 'NG'
  world.sb.clearRequests()
  ok(await r.cashTransfer(ref, null, 'sandbox', body))
  const [post] = await sent(world, '/remittance/v2_0/cashtransfer', 'POST')
  expect(JSON.parse(post.body)).toMatchObject({ orginatingCountry: 'NG' })
  expect(JSON.parse(post.body).originatingCountry).toBeUndefined()
})

test('the consent flow on Remittance', async () => {
  const grant = ok(
    await r.bcAuthorize(null, 'sandbox', {
      scope: 'profile',
      login_hint: 'ID:46733123499/MSISDN',
      access_type: 'online',
    }),
  )
  const token = ok(
    await r.createOauth2Token(null, {
      grant_type: 'urn:openid:params:grant-type:ciba',
      auth_req_id: grant.auth_req_id,
    }),
  )
  expect(ok(await r.askUserInfo(`Bearer ${token.access_token}`))).toEqual(
    expect.objectContaining({ given_name: expect.any(String) }),
  )
  expect(await sent(world, '/remittance/v1_0/bc-authorize', 'POST')).toHaveLength(1)
  expect(await sent(world, '/remittance/oauth2/token/', 'POST')).toHaveLength(1)
})

test('Client#remittance(key) makes a Remittance on the client host', () => expectClientMakes(world, 'remittance'))
