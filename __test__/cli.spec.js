'use strict'
// The `mobilemoney-native` command, run as a user would: `node bin/cli.js …` in a child
// process. The sandbox command is started in the foreground, and the other commands and
// the package's own classes talk to it over HTTP.
const { spawn } = require('node:child_process')
const net = require('node:net')
const path = require('node:path')
const { randomUUID } = require('node:crypto')
const { Client, Disbursements } = require('..')

const CLI = path.join(__dirname, '..', 'bin', 'cli.js')
const pkg = require('../package.json')

// The environment of the children, without any MOMO_* variable of the developer's.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MOMO_')))

/** Run the CLI to completion. */
function run(args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...cleanEnv, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
}

/** Start `cli sandbox …` in the background; resolves once it printed its URL. */
function startSandbox(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sandbox', ...args], { env: cleanEnv })
    const out = { stdout: '', stderr: '' }
    const exited = new Promise((r) => child.on('close', (code, signal) => r({ code, signal })))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the sandbox printed no URL within 15 s:\n${out.stdout}\n${out.stderr}`))
    }, 15000)
    child.stderr.on('data', (c) => (out.stderr += c))
    child.stdout.on('data', (c) => {
      out.stdout += c
      const m = out.stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/)
      if (m && !out.url) {
        clearTimeout(timer)
        out.url = m[1]
        resolve({ child, out, url: m[1], exited })
      }
    })
    child.on('error', reject)
  })
}

/** Wait until `fn()` is true (the request log is written asynchronously). */
async function eventually(fn, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs
  while (!fn() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25))
  return fn()
}

/** A port nothing listens on. */
async function closedPort() {
  const server = net.createServer()
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address()
  await new Promise((r) => server.close(r))
  return port
}

describe('help', () => {
  test('--help lists the three commands', async () => {
    const r = await run(['--help'])
    expect(r.code).toBe(0)
    for (const command of ['sandbox', 'provision', 'status'])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'))
  })

  test('--version prints the package version', async () => {
    const r = await run(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout.trim()).toBe(pkg.version)
  })

  test.each([
    [
      'sandbox',
      [
        '--port',
        '--host',
        '--settle-after-ms',
        '--token-ttl-seconds',
        '--momo-balance',
        '--paymob-budget',
        '--callback-method',
        '--reason-shape',
        '--market',
        '--quiet',
      ],
    ],
    ['provision', ['--base-url', '--subscription-key', '--callback-host', 'MOMO_SUBSCRIPTION_KEY']],
    [
      'status',
      [
        '<referenceId>',
        '--kind',
        '--base-url',
        '--subscription-key',
        '--api-user',
        '--api-key',
        '--target',
        'MOMO_API_KEY',
      ],
    ],
  ])('%s --help documents its options', async (command, flags) => {
    const r = await run([command, '--help'])
    expect(r.code).toBe(0)
    for (const flag of flags) expect(r.stdout).toContain(flag)
  })

  test.each([
    [['sandbox', '--port', 'abc'], '--port must be a whole number'],
    [['sandbox', '--port', '70000'], '--port must be between 0 and 65535'],
    [['sandbox', '--callback-method', 'PATCH'], 'Allowed choices are PUT, POST'],
    [['sandbox', '--port', '0', '--market', 'mtnkenya'], 'unknown market "mtnkenya"'],
    [['status', 'x', '--kind', 'payment'], 'Allowed choices are transfer, deposit, refund'],
    [['launch'], "unknown command 'launch'"],
  ])('rejects %j with a message', async (args, message) => {
    const r = await run(args)
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(message)
  })
})

describe('sandbox', () => {
  let sb

  beforeAll(async () => {
    sb = await startSandbox([
      '--port',
      '0',
      '--settle-after-ms',
      '0',
      '--token-ttl-seconds',
      '600',
      '--reason-shape',
      'object',
    ])
  })
  afterAll(() => {
    if (sb && sb.child.exitCode === null && sb.child.signalCode === null) sb.child.kill('SIGKILL')
  })

  test('prints its URL, the Paymob sandbox credentials and how to stop', () => {
    const out = sb.out.stdout
    expect(out).toContain(`${sb.url}/api/secure/`)
    for (const value of ['sandbox-client-id', 'sandbox-client-secret', 'sandbox-user', 'sandbox-password']) {
      expect(out).toContain(value)
    }
    expect(out).toMatch(/Ctrl\+C/)
  })

  test('serves HTTP on the printed URL (control endpoint)', async () => {
    const res = await fetch(`${sb.url}/_sandbox/stats`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual(expect.objectContaining({ requests: expect.any(Number) }))
  })

  test('logs one line per request on stderr', async () => {
    const path = `/v1_0/apiuser/${randomUUID()}`
    await fetch(`${sb.url}${path}`, { headers: { 'Ocp-Apim-Subscription-Key': 'k' } })
    expect(await eventually(() => sb.out.stderr.includes(path))).toBe(true)
    expect(sb.out.stderr).toMatch(new RegExp(`sandbox\\s+momo\\s+GET\\s+${path}`))
  })

  describe('provision and status against it', () => {
    let apiUser
    let apiKey
    let referenceId
    const KEY = 'cli-subscription-key'

    test(`provision creates an API user and key and prints them as environment lines`, async () => {
      const r = await run([
        'provision',
        '--base-url',
        sb.url,
        '--subscription-key',
        KEY,
        '--callback-host',
        '127.0.0.1',
      ])
      expect(r.stderr).not.toContain('error')
      expect(r.code).toBe(0)
      // stdout is exactly the two lines, so `export $(mobilemoney-native provision …)` works.
      const lines = r.stdout.trim().split('\n')
      expect(lines).toHaveLength(2)
      apiUser = r.stdout.match(/^MOMO_API_USER=([0-9a-f-]{36})$/m)[1]
      apiKey = r.stdout.match(/^MOMO_API_KEY=(\S+)$/m)[1]

      // The user really exists on the sandbox, with the callback host given.
      const [ok, user] = await new Client({ baseUrl: sb.url }).getApiUser(apiUser, KEY)
      expect(ok).toBe(true)
      expect(user).toEqual(expect.objectContaining({ providerCallbackHost: '127.0.0.1' }))
      expect(
        await eventually(() => /sandbox\s+momo\s+POST\s+\/v1_0\/apiuser\/[0-9a-f-]{36}\/apikey/.test(sb.out.stderr)),
      ).toBe(true)
    })

    // The status command's flags for the API user provisioned above (with another API key).
    const credentials = (key = apiKey) => [
      '--base-url',
      sb.url,
      '--subscription-key',
      KEY,
      '--api-user',
      apiUser,
      '--api-key',
      key,
    ]

    test(`status prints the result of a transfer made through the sandbox, as JSON`, async () => {
      const d = new Disbursements(KEY, { baseUrl: sb.url, apiUser, apiKey })
      referenceId = randomUUID()
      const body = {
        amount: '25',
        currency: 'EUR',
        externalId: 'cli-1',
        payee: { partyIdType: 'MSISDN', partyId: '46733123499' },
      }
      const [sent, accepted] = await d.transfer(referenceId, undefined, 'sandbox', body)
      expect([sent, accepted]).toEqual([true, expect.objectContaining({ referenceId })])

      // Credentials from the environment, as a user would keep them.
      const env = { MOMO_SUBSCRIPTION_KEY: KEY, MOMO_API_USER: apiUser, MOMO_API_KEY: apiKey }
      const r = await run(['status', referenceId, '--base-url', sb.url], env)
      expect(r.stderr).toBe('')
      expect(r.code).toBe(0)
      const result = JSON.parse(r.stdout)
      expect(result).toEqual(
        expect.objectContaining({ status: 'SUCCESSFUL', amount: '25', currency: 'EUR', externalId: 'cli-1' }),
      )
      // No secret in what it prints.
      for (const secret of [apiKey, KEY]) expect(r.stdout + r.stderr).not.toContain(secret)
    })

    test(`status of a failed transfer shows its reason object`, async () => {
      const d = new Disbursements(KEY, { baseUrl: sb.url, apiUser, apiKey })
      const ref = randomUUID()
      const body = { amount: '5', currency: 'EUR', payee: { partyIdType: 'MSISDN', partyId: '46733123451' } }
      expect((await d.transfer(ref, undefined, 'sandbox', body))[0]).toBe(true)
      const r = await run(['status', ref, ...credentials()])
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual(
        expect.objectContaining({ status: 'FAILED', reason: expect.objectContaining({ code: 'APPROVAL_REJECTED' }) }),
      )
    })

    test(`status exits 1 with the failure when the reference is unknown for that kind`, async () => {
      const r = await run(['status', referenceId, '--kind', 'deposit', ...credentials()])
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      expect(r.stderr).toMatch(/^error: could not look up deposit .*NotFound/m)
      expect(r.stderr).not.toContain(apiKey)
    })

    test(`status exits 1 on wrong credentials, without printing them`, async () => {
      const wrong = 'not-the-right-api-key'
      const r = await run(['status', referenceId, ...credentials(wrong)])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/Unauthorized/)
      expect(r.stderr).not.toContain(wrong)
    })
  })

  test('stops cleanly on SIGTERM', async () => {
    sb.child.kill('SIGTERM')
    // Exit code 0, not death by the signal: the handler closed the sandbox.
    expect(await sb.exited).toEqual({ code: 0, signal: null })
    expect(sb.out.stderr).toContain('sandbox stopped.')
    await expect(fetch(`${sb.url}/_sandbox/stats`)).rejects.toThrow()
  })
})

describe('sandbox --market', () => {
  test('answers as the markets named: their target, currency and numbers', async () => {
    const sb = await startSandbox(['--port', '0', '--quiet', '--market', 'mtnghana', '--market', 'mtnuganda,sandbox'])
    try {
      expect(sb.out.stdout).toMatch(/market\s+mtnghana, mtnuganda, sandbox/)
      const KEY = 'cli-market-key'
      const client = new Client({ baseUrl: sb.url })
      const apiUser = randomUUID()
      expect((await client.createApiUser(apiUser, KEY, '127.0.0.1'))[0]).toBe(true)
      const [, { apiKey }] = await client.createApiKey(apiUser, KEY)
      const d = new Disbursements(KEY, { baseUrl: sb.url, apiUser, apiKey })
      const ref = randomUUID()
      const body = { amount: '40', currency: 'GHS', payee: { partyIdType: 'MSISDN', partyId: '233241234567' } }
      expect((await d.transfer(ref, undefined, 'mtnghana', body))[0]).toBe(true)
      const env = { MOMO_SUBSCRIPTION_KEY: KEY, MOMO_API_USER: apiUser, MOMO_API_KEY: apiKey }
      const r = await run(['status', ref, '--base-url', sb.url, '--target', 'mtnghana'], env)
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toEqual(expect.objectContaining({ status: 'SUCCESSFUL', currency: 'GHS' }))
      const [ok, f] = await d.transfer(randomUUID(), undefined, 'mtnghana', { ...body, currency: 'EUR' })
      expect([ok, f.code]).toEqual([false, 'INVALID_CURRENCY'])
    } finally {
      sb.child.kill('SIGINT')
    }
    expect(await sb.exited).toEqual({ code: 0, signal: null })
  })
})

describe('sandbox --quiet', () => {
  test('logs no request, and stops on SIGINT', async () => {
    const sb = await startSandbox(['--port', '0', '--quiet', '--momo-balance', '100', '--paymob-budget', '50'])
    try {
      expect(sb.out.stdout).toContain('Request log off')
      const path = `/v1_0/apiuser/${randomUUID()}`
      await fetch(`${sb.url}${path}`, { headers: { 'Ocp-Apim-Subscription-Key': 'k' } })
      // The request reached the server (the stats count it), but nothing was logged.
      const stats = await (await fetch(`${sb.url}/_sandbox/stats`)).json()
      expect(stats.requests).toBeGreaterThanOrEqual(1)
    } finally {
      sb.child.kill('SIGINT')
    }
    // Exit code 0, not death by the signal: the handler closed the sandbox.
    expect(await sb.exited).toEqual({ code: 0, signal: null })
    expect(sb.out.stderr).not.toMatch(/sandbox\s+momo/)
  })
})

describe('failures exit 1 with a message', () => {
  test('provision without a subscription key', async () => {
    const r = await run(['provision', '--base-url', 'http://127.0.0.1:9'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('a subscription key is needed')
  })

  test('provision against a host that does not answer', async () => {
    const port = await closedPort()
    const r = await run(['provision', '--base-url', `http://127.0.0.1:${port}`], {
      MOMO_SUBSCRIPTION_KEY: 'secret-sub-key',
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^error: could not create the API user: .*NetworkError/m)
    expect(r.stderr).not.toContain('secret-sub-key')
  })

  test('status without an API user and key', async () => {
    const r = await run(['status', randomUUID(), '--subscription-key', 'k'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('an API user and key are needed')
  })

  test('the sandbox on a port already in use', async () => {
    const server = net.createServer()
    await new Promise((r) => server.listen(0, '127.0.0.1', r))
    try {
      const r = await run(['sandbox', '--port', String(server.address().port)])
      expect(r.code).toBe(1)
      expect(r.stderr).toMatch(/could not listen/)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
