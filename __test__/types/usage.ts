import { Disbursements } from 'mobilemoney-native'
const d = new Disbursements('k')
async function f() { const [ok, data] = await d.getTransferStatus('x'); if (ok) { const s: string = data.status } }
