'use strict'
// Secrets never appear in a failure, in util.inspect / console.log of an instance, in
// onEvent events or in the DEBUG log of a failing run.
const { spawnSync } = require('node:child_process')
const path = require('node:path')

const SCENARIO = path.join(__dirname, 'fixtures', 'secrets-scenario.js')

test('a failing run prints no secret anywhere', () => {
  const run = spawnSync(process.execPath, [SCENARIO], {
    env: { ...process.env, DEBUG: 'mobilemoney-native' },
    encoding: 'utf8',
    timeout: 60000,
  })
  expect(run.status).toBe(0)
  const lines = run.stdout.trim().split('\n')
  const report = JSON.parse(lines.pop()) // the report names the secrets: not searched
  const everything = `${lines.join('\n')}\n${run.stderr}`
  // The scenario really failed in the ways it should, and really printed what it could.
  expect(report.failures).toBeGreaterThanOrEqual(6)
  expect(report.events).toBeGreaterThan(0)
  expect(run.stderr).toMatch(/mobilemoney-native momo (GET|POST) /)
  for (const secret of report.secrets) {
    expect(secret.length).toBeGreaterThan(8)
    expect(everything.includes(secret)).toBe(false)
    expect(everything.includes(Buffer.from(secret).toString('base64'))).toBe(false)
  }
})
