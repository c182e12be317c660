'use strict'
// `mobilemoney-native payouts verify | approve | reject`, run as a user would (a child
// process) against the embedded sandbox started here: the held rows as a table, nothing
// sent by verify, decisions recorded, then `payouts run` pays what is not held.
const { run, payoutsWorld } = require('./support/cli-payouts')

test('verify lists the held rows, approve and reject decide, run pays the rest', async () => {
  const world = await payoutsWorld()
  try {
    await verifyDecideRun(world)
  } finally {
    await world.close()
  }
})

async function verifyDecideRun(world) {
  world.sb.setAccountHolder('46733120011', { givenName: 'Ama', familyName: 'Mensah' })
  world.sb.setAccountHolder('46733120012', { givenName: 'Kofi', familyName: 'Boateng' })
  world.sb.setAccountHolder('46733120013', { givenName: 'Yaw', familyName: 'Osei', active: false })
  const file = world.csv(
    'verify.csv',
    'key,provider,amount,currency,party,name\n' +
      'a,momo,10,EUR,46733120011,mensah ama\n' +
      'b,momo,20,EUR,46733120012,Kofi Asante\n' +
      'c,momo,30,EUR,46733120013,Yaw Osei\n',
  )
  const flags = ['--ledger', world.ledger, ...world.urls]
  const v = await run(['payouts', 'verify', file, '--batch', 'cli-verify', ...flags], { env: world.env })
  expect(v.code).toBe(2)
  expect(v.stdout).toContain('verified 1, held 2, unverified 0')
  expect(v.stdout).toMatch(/^key +party +held for +score +registered as$/m)
  expect(v.stdout).toMatch(/^b +46733120012 +name_mismatch +0\.\d+ +K\*{3} B\*{6}$/m)
  expect(v.stdout).toMatch(/^c +46733120013 +inactive *$/m)
  expect(v.stderr).toContain('payouts approve cli-verify KEY')
  expect(v.stdout + v.stderr).not.toContain('Boateng')
  expect(await world.sb.ledger()).toEqual([])

  const noNote = await run(['payouts', 'reject', 'cli-verify', 'b', '--ledger', world.ledger], { env: world.env })
  expect(noNote.code).not.toBe(0)
  const rejected = await run(['payouts', 'reject', 'cli-verify', 'b', '--note', 'not ours', '--ledger', world.ledger], {
    env: world.env,
  })
  expect([rejected.code, rejected.stdout]).toEqual([0, 'batch cli-verify item b: refused (rejected)\n'])
  const approved = await run(
    ['payouts', 'approve', 'cli-verify', 'c', '--note', 'new SIM', '--actor', 'ops', '--ledger', world.ledger],
    { env: world.env },
  )
  expect([approved.code, approved.stdout]).toEqual([0, 'batch cli-verify item c: queued (approved)\n'])
  const again = await run(['payouts', 'approve', 'cli-verify', 'c', '--ledger', world.ledger], { env: world.env })
  expect(again.code).toBe(1)
  expect(again.stderr).toContain('not held')

  const paid = await run(['payouts', 'run', file, '--batch', 'cli-verify', '--progress', 'none', ...flags], {
    env: world.env,
  })
  expect(paid.code).toBe(0)
  const entries = await world.sb.ledger()
  expect(entries.map((e) => e.party).sort()).toEqual(['46733120011', '46733120013'])
}
