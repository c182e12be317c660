//! The read calls of Disbursements: token, balances, account holders, user info and the
//! status of a transaction. Reads are safe to repeat, so the transport retries them.

use reqwest::Method;
use serde_json::Value;

use super::call::{Auth, CallSpec};
use super::{reason, validate, Disbursements};
use crate::input::Arg;
use crate::transport::{Body, Safety};
use crate::CallResult;

/// The three transaction resources that have a status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Transfer,
    Deposit,
    Refund,
}

impl Resource {
    pub fn path(self) -> &'static str {
        match self {
            Resource::Transfer => "transfer",
            Resource::Deposit => "deposit",
            Resource::Refund => "refund",
        }
    }
}

fn get(path: String, auth: Auth, target: String) -> CallSpec {
    CallSpec {
        method: Method::GET,
        path,
        auth,
        target: Some(target),
        reference: None,
        callback: None,
        body: Body::Empty,
        safety: Safety::Read,
        expect_json: true,
    }
}

impl Disbursements {
    /// A GET whose 200 body is the result.
    async fn read(&self, spec: CallSpec) -> CallResult {
        let core = self.core()?;
        let sent = core.send(&spec).await?;
        core.expect_status(&spec, sent, 200)
    }

    pub async fn create_access_token(&self, authorization: &Arg) -> CallResult {
        let core = self.core()?;
        let basic = validate::authorization(authorization, "Basic", "authorization")?;
        core.create_token(&basic).await
    }

    pub async fn get_account_balance(&self, authorization: &Arg, target: &Arg) -> CallResult {
        let auth = self.core()?.auth_for(authorization, "authorization")?;
        let target = self.target(target)?;
        self.read(get(
            "/disbursement/v1_0/account/balance".into(),
            auth,
            target,
        ))
        .await
    }

    pub async fn get_account_balance_in(
        &self,
        currency: &Arg,
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let currency = validate::currency(currency, "currency")?;
        let auth = self.core()?.auth_for(authorization, "authorization")?;
        let target = self.target(target)?;
        let path = format!("/disbursement/v1_0/account/balance/{currency}");
        self.read(get(path, auth, target)).await
    }

    pub async fn get_basic_user_info(
        &self,
        msisdn: &Arg,
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let msisdn = validate::msisdn(msisdn, "msisdn")?;
        let auth = self.core()?.auth_for(authorization, "authorization")?;
        let target = self.target(target)?;
        let path = format!("/disbursement/v1_0/accountholder/msisdn/{msisdn}/basicuserinfo");
        self.read(get(path, auth, target)).await
    }

    pub async fn ask_user_info(&self, authorization: &Arg, target: &Arg) -> CallResult {
        let auth = self.core()?.auth_for(authorization, "authorization")?;
        let target = self.target(target)?;
        self.read(get(
            "/disbursement/oauth2/v1_0/userinfo".into(),
            auth,
            target,
        ))
        .await
    }

    /// The status of a transfer, deposit or refund, `reason` normalised.
    pub async fn get_status(
        &self,
        resource: Resource,
        uuid: &Arg,
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let id = validate::uuid_v4(uuid, "uuid")?;
        let auth = self.core()?.auth_for(authorization, "authorization")?;
        let target = self.target(target)?;
        self.status_of(resource, &id, auth, target).await
    }

    pub(crate) async fn status_of(
        &self,
        resource: Resource,
        id: &str,
        auth: Auth,
        target: String,
    ) -> CallResult {
        let path = format!("/disbursement/v1_0/{}/{id}", resource.path());
        let mut spec = get(path, auth, target);
        spec.reference = Some(id.to_owned());
        let mut result = self.read(spec).await.map_err(|mut f| {
            // Just after the POST the resource can be missing for a moment: worth asking again.
            if f.status == Some(404) {
                f.retryable = true;
            }
            f
        })?;
        reason::normalise(&mut result);
        Ok(result)
    }

    /// `isActive(account, accountType, authorization, target)`, also accepting the old
    /// library's `(account, authorization, accountType, target)`.
    pub async fn is_active(
        &self,
        account: &Arg,
        second: &Arg,
        third: &Arg,
        target: &Arg,
    ) -> CallResult {
        let looks_like_auth = |a: &Arg| {
            a.as_str()
                .is_some_and(|s| s.starts_with("Bearer ") || s.starts_with("Basic "))
        };
        let looks_like_type = |a: &Arg| {
            a.as_str().is_some_and(|s| {
                matches!(
                    s.to_ascii_lowercase().as_str(),
                    "msisdn" | "email" | "party_code"
                )
            })
        };
        let (account_type, authorization) =
            if looks_like_auth(second) || (second.is_absent() && looks_like_type(third)) {
                (third, second)
            } else {
                (second, third)
            };
        let account_type = validate::account_type(account_type, "accountType")?;
        let account = validate::account(account, &account_type, "account")?;
        let auth = self.core()?.auth_for(authorization, "authorization")?;
        let target = self.target(target)?;
        let path = format!("/disbursement/v1_0/accountholder/{account_type}/{account}/active");
        let result = self.read(get(path, auth, target)).await?;
        Ok(match result {
            Value::Bool(b) => serde_json::json!({ "result": b }),
            other => other,
        })
    }
}
