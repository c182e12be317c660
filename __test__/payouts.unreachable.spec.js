'use strict'
// A Redis or PostgreSQL that cannot be used fails in bounded time with the reason: submit
// in queue mode does not wait forever for a stopped Redis, and a PostgreSQL role or
// database that does not exist is named in the failure (never the password).
const { Payouts } = require('../index.js')
const { payoutsWorld, momoItem } = require('./support/payouts')
const { services, DATABASE_URL } = require('./support/payouts-queue')
const { specWorld } = require('./support/helpers')

const w = specWorld(payoutsWorld)

test('queue mode: submit with Redis down resolves a NetworkError after queue.timeoutMs', async () => {
  // Port 9 (discard): nothing listens there on a test machine, so every connection is refused.
  const [ok, p] = await Payouts.open({ ...w.options(), queue: { redis: 'redis://127.0.0.1:9', timeoutMs: 300 } })
  expect(ok).toBe(true)
  try {
    const [sent, failure] = await p.submit('redis-down', [momoItem('m1', '46733123499')])
    expect(sent).toBe(false)
    expect(failure).toMatchObject({ error: 'NetworkError', retryable: true })
    expect(failure.message).toBe(
      'The batch is in the ledger but its jobs could not be queued (Redis did not answer within 0.3 s); submit it again to queue them.',
    )
  } finally {
    await p.close()
  }
})

test('queue.timeoutMs is checked', async () => {
  const [ok, failure] = await Payouts.open({
    ...w.options(),
    queue: { redis: 'redis://127.0.0.1:9', timeoutMs: 'soon' },
  })
  expect(ok).toBe(false)
  expect(failure).toMatchObject({ error: 'InvalidData', field: 'queue.timeoutMs' })
})

test.each([
  [
    'a role',
    (u) => {
      u.username = 'mmn_no_such_role'
      u.password = 'pw-never-shown'
    },
    /role "mmn_no_such_role" does not exist/,
  ],
  [
    'a database',
    (u) => {
      u.pathname = '/mmn_no_such_database'
      u.password = 'pw-never-shown'
    },
    /database "mmn_no_such_database" does not exist/,
  ],
])('PostgreSQL: %s that does not exist is named in the failure, the password is not', async (_, change, reason) => {
  if (!(await services('payouts.unreachable postgres', { redis: false }))) return
  const url = new URL(DATABASE_URL)
  change(url)
  const [ok, failure] = await Payouts.open({ ...w.options(), ledger: url.toString() })
  expect(ok).toBe(false)
  expect(failure.message).toMatch(reason)
  expect(JSON.stringify(failure)).not.toContain('pw-never-shown')
})
