//! `Sandbox` (CONTRACT §6): the embedded simulator, started on napi's tokio runtime.

use std::sync::Arc;

use napi::bindgen_prelude::Error;
use napi_derive::napi;
use serde_json::Value;

use mobilemoney_core::sandbox::control::valid_amount;
use mobilemoney_core::sandbox::{self, FaultRate, FaultRule, SandboxOptions, SandboxState};

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
    #[napi(ts_args_type = "options?: SandboxOptions")]
    pub async fn start(options: Option<Value>) -> napi::Result<Sandbox> {
        let options: SandboxOptions = match options {
            None | Some(Value::Null) => SandboxOptions::default(),
            Some(v) => serde_json::from_value(v).map_err(|e| invalid("sandbox options", e))?,
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

    /// Every payout recorded, one entry each.
    #[napi(ts_return_type = "Promise<LedgerEntry[]>")]
    pub async fn ledger(&self) -> Value {
        self.state.ledger_json()
    }

    /// Request and callback counters (token requests per provider included).
    #[napi(ts_return_type = "Promise<SandboxStats>")]
    pub async fn stats(&self) -> Value {
        self.state.stats_json()
    }

    /// The requests received (newest last; credential values masked).
    #[napi(ts_return_type = "Promise<LoggedRequest[]>")]
    pub async fn requests(&self) -> Value {
        self.state.requests_json()
    }

    /// Forget logged requests and counters (not the ledger).
    #[napi]
    pub fn clear_requests(&self) {
        self.state.clear_requests();
    }

    /// Make the next matching requests fail (see `FaultRule`).
    #[napi(ts_args_type = "rule: FaultRule")]
    pub fn inject_fault(&self, rule: Value) -> napi::Result<()> {
        let rule: FaultRule = serde_json::from_value(rule).map_err(|e| invalid("fault rule", e))?;
        self.state.faults.add(rule);
        Ok(())
    }

    /// Fail a random share of requests (`{ rate: 0.1 }`); `null` turns it off.
    #[napi(ts_args_type = "rate: FaultRateOptions | null")]
    pub fn set_fault_rate(&self, rate: Option<Value>) -> napi::Result<()> {
        let rate: Option<FaultRate> = match rate {
            None | Some(Value::Null) => None,
            Some(v) => Some(serde_json::from_value(v).map_err(|e| invalid("fault rate", e))?),
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

    /// Set the MoMo account's available balance (EUR); transfers beyond it end FAILED
    /// with NOT_ENOUGH_FUNDS.
    #[napi]
    pub fn set_momo_balance(&self, amount: f64) -> napi::Result<()> {
        let amount = valid_amount(amount).map_err(|e| invalid("MoMo balance", e))?;
        self.state.momo.set_balance(amount);
        Ok(())
    }

    /// Set Paymob's budget (EGP); a cash-in beyond it is refused with Paymob's budget error.
    #[napi]
    pub fn set_paymob_budget(&self, amount: f64) -> napi::Result<()> {
        let amount = valid_amount(amount).map_err(|e| invalid("Paymob budget", e))?;
        self.state.paymob.set_budget(amount);
        Ok(())
    }
}
