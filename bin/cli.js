#!/usr/bin/env node
'use strict'
// The `mobilemoney-native` command: run the embedded sandbox, provision a MoMo sandbox API
// user, look a payout up, pay a CSV file of payouts as a batch (payouts.js). Everything goes through the package's own classes, so the CLI
// behaves exactly as user code would.
//
// Output rules: results go to stdout (KEY=VALUE lines, JSON) so they can be piped or
// eval'd; progress and errors go to stderr. No secret is ever printed, except the API key
// that `provision` has just created (printing it is that command's purpose).

const { Command, Option } = require('commander')
const pkg = require('../package.json')
const { Sandbox, Client, Disbursements } = require('..')
const common = require('./common.js')

const { PAYMOB_SANDBOX_CREDENTIALS, integer, positiveNumber, fail, usage, defined } = common
const payouts = require('./payouts.js')

const MTN_SANDBOX = 'https://sandbox.momodeveloper.mtn.com'

// ------------------------------------------------------------------ sandbox

async function runSandbox(opts) {
  const options = defined({
    port: opts.port,
    host: opts.host,
    settleAfterMs: opts.settleAfterMs,
    ongoingMs: opts.ongoingMs,
    stateFile: opts.state,
    market: opts.market,
    tokenTtlSeconds: opts.tokenTtlSeconds,
    logRequests: !opts.quiet,
    momo: defined({
      balance: opts.momoBalance,
      callbackMethod: opts.callbackMethod,
      reasonShape: opts.reasonShape,
    }),
    paymob: defined({ ...PAYMOB_SANDBOX_CREDENTIALS, budget: opts.paymobBudget }),
  })

  // Signal handlers come first: a signal arriving after the URL is printed but before
  // they were installed would kill the process without closing (seen under load).
  let signalled = null
  let wake = () => {}
  const onSignal = (signal) => {
    if (signalled) process.exit(130) // a second Ctrl+C while closing: stop waiting
    signalled = signal
    wake()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)

  // The server runs on the addon's own threads, which do not keep Node's event loop
  // alive: this timer does, until the sandbox is closed.
  const keepAlive = setInterval(() => {}, 1 << 30)

  let sb
  try {
    sb = await Sandbox.start(options)
  } catch (e) {
    clearInterval(keepAlive)
    return usage(e.message)
  }

  const c = PAYMOB_SANDBOX_CREDENTIALS
  process.stdout.write(
    [
      `mobilemoney-native sandbox listening on ${sb.url}`,
      '',
      `  MTN MoMo  base URL      ${sb.url}`,
      '            subscription  any non-empty key',
      `            market        ${(opts.market || ['sandbox']).join(', ')} (X-Target-Environment)`,
      `  Paymob    base URL      ${sb.paymobUrl}`,
      `            clientId      ${c.clientId}`,
      `            clientSecret  ${c.clientSecret}`,
      `            username      ${c.username}`,
      `            password      ${c.password}`,
      `  Control   ${sb.url}/_sandbox/ledger, /_sandbox/stats, /_sandbox/requests`,
      ...(opts.state ? [`  State     ${opts.state} (kept across restarts)`] : []),
      '',
      opts.quiet ? 'Request log off (--quiet).' : 'One line per request is logged on stderr.',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  )

  if (!signalled) await new Promise((resolve) => (wake = resolve))
  process.stderr.write(`\n${signalled}: stopping the sandbox...\n`)
  await sb.close()
  clearInterval(keepAlive)
  process.stderr.write('sandbox stopped.\n')
}

// ------------------------------------------------------------------ provision

async function runProvision(opts) {
  const key = opts.subscriptionKey || process.env.MOMO_SUBSCRIPTION_KEY
  if (!key) return usage('a subscription key is needed: --subscription-key or MOMO_SUBSCRIPTION_KEY.')

  const client = new Client({ baseUrl: opts.baseUrl })
  const apiUser = client.getReferenceId()

  process.stderr.write(`Creating API user ${apiUser} on ${opts.baseUrl} (callback host ${opts.callbackHost})...\n`)
  const [userOk, user] = await client.createApiUser(apiUser, key, opts.callbackHost)
  if (!userOk) return fail('could not create the API user', user)

  const [keyOk, created] = await client.createApiKey(apiUser, key)
  if (!keyOk) return fail(`API user ${apiUser} was created, but its API key could not be`, created)

  process.stderr.write('Done. Add these lines to your environment (the key is shown only once):\n')
  process.stdout.write(`MOMO_API_USER=${apiUser}\nMOMO_API_KEY=${created.apiKey}\n`)
}

// ------------------------------------------------------------------ status

const STATUS_METHODS = {
  transfer: 'getTransferStatus',
  deposit: 'getDepositStatus',
  refund: 'getRefundStatus',
}

async function runStatus(referenceId, opts) {
  const key = opts.subscriptionKey || process.env.MOMO_SUBSCRIPTION_KEY
  const apiUser = opts.apiUser || process.env.MOMO_API_USER
  const apiKey = opts.apiKey || process.env.MOMO_API_KEY
  if (!key) return usage('a subscription key is needed: --subscription-key or MOMO_SUBSCRIPTION_KEY.')
  if (!apiUser || !apiKey) {
    return usage(
      'an API user and key are needed: --api-user/--api-key or MOMO_API_USER/MOMO_API_KEY (see `provision`).',
    )
  }

  // apiUser/apiKey turn on managed tokens: `authorization` stays undefined below.
  const d = new Disbursements(key, {
    baseUrl: opts.baseUrl,
    apiUser,
    apiKey,
    targetEnvironment: opts.target,
  })
  const [ok, data] = await d[STATUS_METHODS[opts.kind]](referenceId, undefined, opts.target)
  if (!ok) return fail(`could not look up ${opts.kind} ${referenceId}`, data)
  process.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
}

// ------------------------------------------------------------------ commands

function program() {
  const cli = new Command('mobilemoney-native')
    .description('MTN MoMo and Paymob payouts: bulk payouts from a CSV, an embedded sandbox, and tools.')
    .version(pkg.version)
    // A usage error is one line and a pointer to --help, not the whole help.
    .showHelpAfterError(common.SEE_HELP)

  cli
    .command('sandbox')
    .description('Run the embedded offline sandbox (MTN MoMo and Paymob) in the foreground.')
    .option('--port <port>', 'port to listen on (0 picks a free one)', integer('--port', { max: 65535 }), 8080)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--settle-after-ms <ms>', 'how long a payout stays pending (default 0)', integer('--settle-after-ms'))
    .option(
      '--ongoing-ms <ms>',
      'how long the MoMo ongoing number (…53) stays pending (default 30000)',
      integer('--ongoing-ms'),
    )
    .option('--state <file>', 'keep the ledger, balances and users in FILE across restarts')
    .option(
      '--market <name>',
      'answer as this MoMo market (X-Target-Environment, currency, numbers), e.g. mtnghana; repeat or separate with commas (default sandbox)',
      (value, previous) => [...(previous || []), ...value.split(',').map((m) => m.trim())],
    )
    .option(
      '--token-ttl-seconds <s>',
      'lifetime of issued tokens, both providers (default 3600)',
      integer('--token-ttl-seconds', { min: 1 }),
    )
    .option(
      '--momo-balance <amount>',
      'MoMo account balance in EUR (default 10000000)',
      positiveNumber('--momo-balance'),
    )
    .option('--paymob-budget <amount>', 'Paymob budget in EGP (default 10000000)', positiveNumber('--paymob-budget'))
    .addOption(
      new Option('--callback-method <method>', 'HTTP method of MoMo callbacks (default: as the spec)').choices([
        'PUT',
        'POST',
      ]),
    )
    .addOption(
      new Option('--reason-shape <shape>', 'shape of `reason` in failed MoMo results (default string)').choices([
        'string',
        'object',
      ]),
    )
    .option('--quiet', 'do not log requests on stderr')
    .action(runSandbox)

  cli
    .command('provision')
    .description('Create a MoMo sandbox API user and API key, and print them as environment lines.')
    .option('--base-url <url>', 'MoMo host', MTN_SANDBOX)
    .option('--subscription-key <key>', 'Disbursement subscription key (default: $MOMO_SUBSCRIPTION_KEY)')
    .option('--callback-host <host>', 'providerCallbackHost of the API user', 'localhost')
    .action(runProvision)

  cli
    .command('status')
    .description('Look up a MoMo payout by its reference id and print the result as JSON.')
    .argument('<referenceId>', 'the X-Reference-Id of the payout')
    .addOption(
      new Option('--kind <kind>', 'which kind of payout').choices(Object.keys(STATUS_METHODS)).default('transfer'),
    )
    .option('--base-url <url>', 'MoMo host', MTN_SANDBOX)
    .option('--subscription-key <key>', 'Disbursement subscription key (default: $MOMO_SUBSCRIPTION_KEY)')
    .option('--api-user <uuid>', 'API user (default: $MOMO_API_USER)')
    .option('--api-key <key>', 'API key (default: $MOMO_API_KEY)')
    .option('--target <environment>', 'X-Target-Environment', 'sandbox')
    .action(runStatus)

  payouts.register(cli)
  return cli
}

common.installErrorHandlers()
// Calls resolve [ok, data] and never reject: what reaches here is a file or pipe error, or a bug.
program().parseAsync(process.argv).catch(common.fatal)
