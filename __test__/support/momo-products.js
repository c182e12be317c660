'use strict'
// Shared by the Collection and Remittance specs: a sandbox world with a managed client of
// each product (same API user, each product its own token), and their bodies.
const { Client, Collection, Remittance } = require('../..')
const { KEY, momoWorld, eventually, randomUUID } = require('./helpers')

async function productsWorld(options = {}) {
  const world = await momoWorld(options)
  const opts = (extra) => ({
    baseUrl: world.sb.url,
    apiUser: world.apiUser,
    apiKey: world.apiKey,
    retryBackoffMs: 20,
    ...extra,
  })
  world.collection = (extra = {}) => new Collection(KEY, opts(extra))
  world.remittance = (extra = {}) => new Remittance(KEY, opts(extra))
  /** The sandbox ledger's entries of one reference. */
  world.entries = (ref) => entries(world, ref)
  world.plainCollection = (extra = {}) => new Collection(KEY, { baseUrl: world.sb.url, retryBackoffMs: 20, ...extra })
  return world
}

const party = (partyId) => ({ partyIdType: 'MSISDN', partyId })

function payBody(partyId, amount = '100', extra = {}) {
  return {
    amount,
    currency: 'EUR',
    externalId: `ext-${partyId}`,
    payer: party(partyId),
    payerMessage: 'pay please',
    payeeNote: 'thanks',
    ...extra,
  }
}

function invoiceBody(partyId, amount = '30') {
  return {
    externalId: `inv-${partyId}`,
    amount,
    currency: 'EUR',
    validityDuration: '3600',
    intendedPayer: party(partyId),
    payee: party('46733123499'),
    description: 'an invoice',
  }
}

function preApprovalBody(partyId) {
  return { payer: party(partyId), payerCurrency: 'EUR', payerMessage: 'monthly', validityTime: 3600 }
}

function paymentBody(amount = '12') {
  return {
    externalTransactionId: `pay-${randomUUID()}`,
    money: { amount, currency: 'EUR' },
    customerReference: 'cust-1',
    serviceProviderUserName: 'utility',
    receiverMessage: 'r',
    senderNote: 's',
  }
}

function cashTransferBody(partyId, amount = '40', extra = {}) {
  return {
    amount,
    currency: 'EUR',
    payee: party(partyId),
    externalId: `cash-${partyId}`,
    orginatingCountry: 'GH',
    originalAmount: '500',
    originalCurrency: 'GHS',
    payerMessage: 'from home',
    payeeNote: 'for you',
    payerIdentificationType: 'PASS',
    payerIdentificationNumber: 'P123',
    payerFirstName: 'Ama',
    payerSurName: 'Mensah',
    payerLanguageCode: 'en',
    payerEmail: 'ama@example.com',
    payerMsisdn: '233241234567',
    payerGender: 'F',
    ...extra,
  }
}

/** The requests the sandbox logged under a path (method optional). */
async function sent(world, pathPart, method) {
  return (await world.sb.requests()).filter((r) => r.path.includes(pathPart) && (!method || r.method === method))
}

/** `data` of an ok result (or a thrown error saying what the failure was). */
function ok(result) {
  if (!result[0]) throw new Error(`expected ok, got ${JSON.stringify(result[1])}`)
  return result[1]
}

/** Poll a status read until it leaves PENDING/CREATED. */
function settled(get) {
  return eventually(async () => {
    const [okay, data] = await get()
    return okay && data.status !== 'PENDING' && data.status !== 'CREATED' ? data : null
  })
}

/** Checks that `Client#<product>(key)` makes that product's client on the client's host. */
async function expectClientMakes(world, product) {
  const client = new Client({ baseUrl: world.sb.url })
  client.isSandbox()
  const made = client[product](KEY)
  expect(made.toJSON()).toMatchObject({ product, baseUrl: world.sb.url })
  expect(ok(await made.createAccessToken(world.basic))).toMatchObject({ access_token: expect.any(String) })
}

/** The ledger entries of one reference. */
async function entries(world, ref) {
  return (await world.sb.ledger()).filter((e) => e.referenceId === ref)
}

/** The paths the account reads (balance, balance in EUR, basic user info, isActive) GET. */
function readPaths(product) {
  const holder = 'accountholder/msisdn/46733123499'
  const paths = ['account/balance', 'account/balance/EUR', `${holder}/basicuserinfo`, `${holder}/active`]
  return paths.map((p) => `/${product}/v1_0/${p}`)
}

// A callback URL nothing listens on: the sandbox's callbacks to it fail quietly.
const CB = 'http://127.0.0.1:9/cb'

module.exports = {
  CB,
  readPaths,
  expectClientMakes,
  productsWorld,
  party,
  payBody,
  invoiceBody,
  preApprovalBody,
  paymentBody,
  cashTransferBody,
  sent,
  ok,
  settled,
  entries,
}
