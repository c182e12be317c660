// ESM entry of mobilemoney-native/testing: the same module as testing.js.
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const testing = require('./testing.js')

export const { useSandbox, resetSandbox, globalSetup, globalTeardown, sandboxUrl, connectSandbox, URL_VARIABLE } =
  testing
export const { momoAccount, matchers } = testing

export default testing
