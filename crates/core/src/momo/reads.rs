//! The calls every product shares, written once: token, balances, account holders, user
//! info and the status of a resource. Reads are safe to repeat, so the transport retries
//! them.

use reqwest::Method;
use serde_json::Value;

use super::api::endpoints::{self as api, Endpoint, Route};
use super::call::{Auth, CallSpec};
use super::{reason, validate, MomoClient};
use crate::failure::Failure;
use crate::input::Arg;
use crate::transport::Safety;
use crate::CallResult;

pub(super) fn get(path: String, auth: Auth, target: String) -> CallSpec {
    CallSpec {
        auth,
        target: Some(target),
        expect_json: true,
        ..CallSpec::new(Method::GET, path, Safety::Read)
    }
}

impl MomoClient {
    /// The authorization and the target of a call, from its arguments and the options.
    pub(super) fn caller(
        &self,
        authorization: &Arg,
        target: &Arg,
    ) -> Result<(Auth, String), Failure> {
        let auth = self.core()?.auth_for(authorization, "authorization")?;
        Ok((auth, self.target(target)?))
    }

    /// GET `route` with its `params` under this product: the 200 body.
    pub(super) async fn read_route(
        &self,
        route: &Route,
        params: &[&str],
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let (auth, target) = self.caller(authorization, target)?;
        self.read(get(route.path_for(self.product, params), auth, target))
            .await
    }

    /// A GET whose 200 body is the result.
    pub(super) async fn read(&self, spec: CallSpec) -> CallResult {
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
        self.read_route(&api::BALANCE, &[], authorization, target)
            .await
    }

    pub async fn get_account_balance_in(
        &self,
        currency: &Arg,
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let currency = validate::currency(currency, "currency")?;
        self.read_route(&api::BALANCE_IN, &[&currency], authorization, target)
            .await
    }

    pub async fn get_basic_user_info(
        &self,
        msisdn: &Arg,
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let msisdn = validate::msisdn(msisdn, "msisdn")?;
        self.read_route(
            &api::BASIC_USER_INFO_MSISDN,
            &[&msisdn],
            authorization,
            target,
        )
        .await
    }

    pub async fn ask_user_info(&self, authorization: &Arg, target: &Arg) -> CallResult {
        self.read_route(&api::USER_INFO, &[], authorization, target)
            .await
    }

    /// The status of what `endpoint` created under the reference `uuid`, `reason`
    /// normalised.
    pub async fn status(
        &self,
        endpoint: &'static Endpoint,
        uuid: &Arg,
        authorization: &Arg,
        target: &Arg,
    ) -> CallResult {
        let id = validate::uuid_v4(uuid, "uuid")?;
        let (auth, target) = self.caller(authorization, target)?;
        self.status_of(endpoint, &id, auth, target).await
    }

    pub(crate) async fn status_of(
        &self,
        endpoint: &'static Endpoint,
        id: &str,
        auth: Auth,
        target: String,
    ) -> CallResult {
        self.check_product(endpoint.product)?;
        let path = endpoint.status_path_of(id);
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

    /// Whether the MSISDN `msisdn` is an active account, with the managed token and the
    /// default target (the payouts engine's verification).
    pub async fn msisdn_active(&self, msisdn: &str) -> CallResult {
        let kind = Arg::from("msisdn");
        self.is_active(&Arg::from(msisdn), &kind, &Arg::Undefined, &Arg::Undefined)
            .await
    }

    /// The basic user info of the MSISDN `msisdn`, with the managed token and the
    /// default target (the payouts engine's verification).
    pub async fn msisdn_basic_user_info(&self, msisdn: &str) -> CallResult {
        let none = Arg::Undefined;
        self.get_basic_user_info(&Arg::from(msisdn), &none, &none)
            .await
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
        let params: [&str; 2] = [&account_type, &account];
        let result = self
            .read_route(&api::ACTIVE, &params, authorization, target)
            .await?;
        Ok(match result {
            Value::Bool(b) => serde_json::json!({ "result": b }),
            other => other,
        })
    }
}
