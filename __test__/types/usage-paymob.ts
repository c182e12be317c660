// Typed usage of PaymobPayouts. types.spec.js compiles it with `tsc --noEmit` (strict)
// and expects no error. It is never run.
import { PaymobPayouts } from 'mobilemoney-native'
import type { CashinResult, PaymobToken, BudgetResult, InquiryResult } from 'mobilemoney-native'

async function paymob(): Promise<void> {
  const p = new PaymobPayouts({
    clientId: 'sandbox-client-id',
    clientSecret: 'sandbox-client-secret',
    username: 'sandbox-user',
    password: 'sandbox-password',
    baseUrl: 'http://127.0.0.1:8080/api/secure/',
  })
  const [tokOk, tok] = await p.generateToken()
  if (tokOk) {
    const t: PaymobToken = tok
    const [refreshed] = await p.refreshToken(t.refresh_token)
  }
  const [ok, data] = await p.instantCashin({ issuer: 'vodafone', msisdn: '01023456789', amount: 10 })
  if (ok) {
    const result: CashinResult = data
    const ref: string = data.clientReferenceId
  } else {
    const code: string | undefined = data.code
  }
  await p.instantCashin({
    issuer: 'bank_card',
    amount: '250.50',
    fullName: 'Ahmed Ali',
    bankCardNumber: '1111222233334444',
    bankCode: 'CIB',
    bankTransactionType: 'cash_transfer',
  })
  const [budgetOk, budget] = await p.budgetInquiry()
  if (budgetOk) {
    const b: BudgetResult = budget
  }
  const [inquiryOk, inquiry] = await p.transactionInquiry({ clientReferences: ['x'], bank: true })
  if (inquiryOk) {
    const found: InquiryResult = inquiry
  }
  await p.transactionInquiry({ transactionIds: ['1', '2'] })
  const cancel = await p.cancelAmanTransaction('123')
}

export { paymob }
