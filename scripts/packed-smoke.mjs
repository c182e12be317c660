// The ESM half of packed-smoke.cjs: the package imported by name, named and default exports.
import { createRequire } from 'node:module'
import * as named from 'mobilemoney-native'
import native from 'mobilemoney-native'

const { pay } = createRequire(import.meta.url)('./packed-smoke.cjs')

if (named.Disbursements !== native.Disbursements) throw new Error('named and default exports differ')
await pay(named, 'import')
