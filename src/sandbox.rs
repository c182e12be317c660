//! `Sandbox`: the embedded simulator, started on napi's tokio runtime.

use std::sync::Arc;

use napi::bindgen_prelude::Error;
use napi_derive::napi;
use serde_json::Value;

use mobilemoney_core::sandbox::control::valid_amount;
use mobilemoney_core::sandbox::momo::Product;
use mobilemoney_core::sandbox::{self, FaultRate, FaultRule as CoreFaultRule, SandboxState};

use crate::sandbox_types::{
    read, FaultRateOptions, FaultRule, LedgerEntry, LoggedRequest, MomoBalances, SandboxOptions,
    SandboxStats,
};

#[napi]
pub struct Sandbox {
    url: String,
    state: Arc<SandboxState>,
    server: Arc<tokio::sync::Mutex<sandbox::Sandbox>>,
}

fn invalid(what: &str, e: impl std::fmt::Display) -> Error {
    Error::from_reason(format!("invalid {what}: {e}"))
}

#[napi]
impl Sandbox {
    /// Start a sandbox on 127.0.0.1 (`port: 0` for any free port).
    // Configurable: the JavaScript entry wraps it so that a sandbox serves until close()
    // (lib/sandbox-lifetime.js).
    #[napi(
        ts_args_type = "options?: SandboxOptions",
        writable = true,
        configurable = true
    )]
    pub async fn start(options: Option<Value>) -> napi::Result<Sandbox> {
        let options: sandbox::SandboxOptions = match options {
            None | Some(Value::Null) => sandbox::SandboxOptions::default(),
            Some(v) => read::<SandboxOptions, _>(v).map_err(|e| invalid("sandbox options", e))?,
        };
        let server = sandbox::Sandbox::start(options)
            .await
            .map_err(Error::from_reason)?;
        Ok(Sandbox {
            url: server.url(),
            state: server.state().clone(),
            server: Arc::new(tokio::sync::Mutex::new(server)),
        })
    }

    /// The base URL, e.g. `http://127.0.0.1:38121`.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// Stop the server and drop its connections.
    #[napi]
    pub async fn close(&self) {
        self.server.lock().await.close().await;
    }

    /// Sets the account holder of an MSISDN: the registered names `basicuserinfo`
    /// answers and whether `active` says it is active (a mismatch or an inactive wallet,
    /// staged for a test).
    #[napi(
        ts_args_type = "msisdn: string, holder: { givenName: string; familyName: string; active?: boolean }"
    )]
    pub fn set_account_holder(&self, msisdn: String, holder: Value) -> napi::Result<()> {
        let holder: mobilemoney_core::sandbox::momo::holders::AccountHolder =
            serde_json::from_value(holder).map_err(|e| invalid("account holder", e))?;
        self.state
            .momo
            .holders
            .set(&msisdn, holder)
            .map_err(|e| invalid("msisdn", e))
    }

    /// Every payout recorded, one entry each.
    #[napi]
    pub async fn ledger(&self) -> Vec<LedgerEntry> {
        self.state
            .ledger
            .lock()
            .entries()
            .iter()
            .map(LedgerEntry::from)
            .collect()
    }

    /// Request and callback counters (token requests per provider included).
    #[napi]
    pub async fn stats(&self) -> SandboxStats {
        SandboxStats::from(&*self.state.stats.lock())
    }

    /// The requests received (newest last; credential values masked).
    #[napi]
    pub async fn requests(&self) -> Vec<LoggedRequest> {
        self.state
            .requests
            .lock()
            .iter()
            .map(LoggedRequest::from)
            .collect()
    }

    /// Forget logged requests and counters (not the ledger).
    #[napi]
    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// Make the next matching requests fail (see `FaultRule`).
    #[napi(ts_args_type = "rule: FaultRule")]
    pub fn inject_fault(&self, rule: Value) -> napi::Result<()> {
        let rule: CoreFaultRule =
            read::<FaultRule, _>(rule).map_err(|e| invalid("fault rule", e))?;
        self.state.faults.add(rule);
        Ok(())
    }

    /// Fail a random share of requests (`{ rate: 0.1 }`); `null` turns it off.
    #[napi(ts_args_type = "rate: FaultRateOptions | null")]
    pub fn set_fault_rate(&self, rate: Option<Value>) -> napi::Result<()> {
        let rate: Option<FaultRate> = match rate {
            None | Some(Value::Null) => None,
            Some(v) => Some(read::<FaultRateOptions, _>(v).map_err(|e| invalid("fault rate", e))?),
        };
        self.state.faults.set_rate(rate);
        Ok(())
    }

    #[napi]
    pub fn clear_faults(&self) {
        self.state.faults.clear();
    }

    /// Delay every provider answer by `ms` milliseconds from now on (0 turns it off).
    #[napi]
    pub fn set_latency(&self, ms: f64) -> napi::Result<()> {
        let ms = valid_amount(ms).map_err(|e| invalid("latency", e))?;
        self.state.set_latency(ms.round() as u64);
        Ok(())
    }

    /// Set a MoMo product's account balance (EUR), or every product's without `product`;
    /// payouts beyond it end FAILED with NOT_ENOUGH_FUNDS.
    #[napi(ts_args_type = "amount: number, product?: 'collection' | 'disbursement' | 'remittance'")]
    pub fn set_momo_balance(&self, amount: f64, product: Option<String>) -> napi::Result<()> {
        let amount = valid_amount(amount).map_err(|e| invalid("MoMo balance", e))?;
        match product {
            None => self.state.momo.set_all_balances(amount),
            Some(name) => {
                let p = Product::ALL
                    .into_iter()
                    .find(|p| p.as_str() == name)
                    .ok_or_else(|| invalid("MoMo product", name))?;
                self.state.momo.set_balance(p, amount);
            }
        }
        self.state.changed();
        Ok(())
    }

    /// Each MoMo product's account balance (EUR): Collection credits its own,
    /// Disbursement and Remittance draw on theirs.
    #[napi]
    pub fn momo_balances(&self) -> MomoBalances {
        let a = self.state.momo.balances();
        MomoBalances {
            collection: a.collection,
            disbursement: a.disbursement,
            remittance: a.remittance,
        }
    }

    /// The Paymob half's base URL (`${url}/api/secure/`), as `PaymobPayouts` takes it.
    #[napi(getter)]
    pub fn paymob_url(&self) -> String {
        format!("{}/api/secure/", self.url)
    }

    /// Set Paymob's budget (EGP); a cash-in beyond it is refused with Paymob's budget error.
    #[napi]
    pub fn set_paymob_budget(&self, amount: f64) -> napi::Result<()> {
        let amount = valid_amount(amount).map_err(|e| invalid("Paymob budget", e))?;
        self.state.paymob.set_budget(amount);
        self.state.changed();
        Ok(())
    }
}
