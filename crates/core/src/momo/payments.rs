//! The one sender of every money-moving call of every product: an [`Endpoint`] (data)
//! plus the caller's arguments.
//!
//! MoMo deduplicates on `X-Reference-Id`, so the transport may repeat these with the same
//! reference. When an attempt may have arrived without its answer reaching us, the last
//! word is not the POST's: we look the reference up and report what the server holds.
//! If that cannot be established, the call resolves `UnknownOutcome` with the reference
//!, never a guess.

use serde_json::{json, Value};

use super::api::Endpoint;
use super::body;
use super::call::{Auth, CallSpec};
use super::{validate, MomoClient};
use crate::failure::{Failure, FailureKind};
use crate::input::Arg;
use crate::reconcile::reconcile;
use crate::transport::{Body, Response, Safety, Sent};
use crate::CallResult;

/// The arguments of a money call, as JavaScript gave them.
pub struct PaymentArgs<'a> {
    pub uuid: &'a Arg,
    pub authorization: &'a Arg,
    pub target: &'a Arg,
    pub body: &'a Arg,
    pub callback: &'a Arg,
}

impl MomoClient {
    /// Send `endpoint` with the caller's reference (`args.uuid`): `{ referenceId }` when
    /// accepted; after an uncertain send, what the lookup of the reference found, or
    /// `UnknownOutcome`.
    pub async fn pay(&self, endpoint: &'static Endpoint, args: PaymentArgs<'_>) -> CallResult {
        let reference = validate::uuid_v4(args.uuid, "uuid")?;
        let with_ref = |f: Failure| f.with_reference(Some(&reference));
        let core = self.core().map_err(with_ref)?;
        self.check_product(endpoint.product).map_err(with_ref)?;
        let auth = core
            .auth_for(args.authorization, "authorization")
            .map_err(with_ref)?;
        let target = self.target(args.target).map_err(with_ref)?;
        let json = body::build(endpoint.kind, args.body).map_err(with_ref)?;
        let callback =
            match validate::callback_url(args.callback, "urlCallback").map_err(with_ref)? {
                Some(url) => Some(url),
                None => self.settings.default_callback.clone(),
            };
        let spec = CallSpec {
            auth: auth.clone(),
            target: Some(target.clone()),
            reference: Some(reference.clone()),
            send_reference: true,
            callback,
            body: Body::Json(json.into()),
            ..CallSpec::new(
                Endpoint::VERB.method(),
                endpoint.post_path(),
                Safety::Deduplicated,
            )
        };
        let sent = core.send(&spec).await.map_err(with_ref)?;
        self.settle_payment(endpoint, &spec, sent, auth, target)
            .await
    }

    /// For Rust callers (the payout engine): send `endpoint` under `reference` with the
    /// managed token, the default target and callback. Same rules as [`MomoClient::pay`].
    pub async fn pay_with_reference(
        &self,
        endpoint: &'static Endpoint,
        reference: &str,
        body: Value,
    ) -> CallResult {
        let (uuid, body) = (Arg::String(reference.to_owned()), Arg::Json(body));
        let args = PaymentArgs {
            uuid: &uuid,
            authorization: &Arg::Undefined,
            target: &Arg::Undefined,
            body: &body,
            callback: &Arg::Undefined,
        };
        self.pay(endpoint, args).await
    }

    /// For Rust callers: the status of what `endpoint` created under `reference`, with the
    /// managed token and the default target.
    pub async fn status_of_reference(
        &self,
        endpoint: &'static Endpoint,
        reference: &str,
    ) -> CallResult {
        let uuid = Arg::String(reference.to_owned());
        self.status(endpoint, &uuid, &Arg::Undefined, &Arg::Undefined)
            .await
    }

    async fn settle_payment(
        &self,
        endpoint: &'static Endpoint,
        spec: &CallSpec,
        sent: Sent,
        auth: Auth,
        target: String,
    ) -> CallResult {
        let core = self.core()?;
        let reference = spec.reference.clone().unwrap_or_default();
        let uncertain_before = sent.retried_after_uncertainty();
        let attempts = sent.attempts;
        match &sent.result {
            Ok(resp) if resp.status == endpoint.expect => Ok(json!({ "referenceId": reference })),
            // An earlier attempt may have landed (a 409 says our own did), or the last one
            // reached a server that broke before answering: whatever the last attempt was
            // told, only the lookup knows what became of the payment.
            Ok(resp) if uncertain_before || broke_after_arrival(resp) => {
                self.recover(endpoint, &reference, auth, target, attempts)
                    .await
            }
            Ok(resp) => Err(core.failure(resp, Some(&reference), attempts)),
            Err(e) if e.maybe_delivered() || uncertain_before => {
                self.recover(endpoint, &reference, auth, target, attempts)
                    .await
            }
            Err(_) => Err(core
                .expect_status(spec, sent, endpoint.expect)
                .err()
                .unwrap_or_else(|| {
                    Failure::new(FailureKind::NetworkError, "the request could not be sent")
                })),
        }
    }

    /// Look the reference up after an uncertain send.
    async fn recover(
        &self,
        endpoint: &'static Endpoint,
        reference: &str,
        auth: Auth,
        target: String,
        attempts: u32,
    ) -> CallResult {
        let lookup = async {
            match self.status_of(endpoint, reference, auth, target).await {
                Ok(transaction) => Ok(Ok(recovered(reference, transaction))),
                Err(f) => Err(f.kind.to_string()),
            }
        };
        reconcile(reference, attempts, lookup, |detail| {
            format!(
                "the {} may or may not have been accepted: no answer came back and the lookup failed ({detail}); look the reference up later, or repeat the call with the same reference (a Conflict then means the first one was recorded: look it up)",
                endpoint.noun
            )
        })
        .await
    }
}

/// A 502, 503 or 504, or a 500 that names no business code: the request reached a gateway
/// or a server that failed before answering, and may have been taken. MoMo's own coded
/// 500s (`SERVICE_UNAVAILABLE`, `INTERNAL_PROCESSING_ERROR`, …) are answers: nothing was
/// recorded.
fn broke_after_arrival(resp: &Response) -> bool {
    match resp.status {
        502..=504 => true,
        500 => resp.json().as_ref().and_then(|b| b.get("code")).is_none(),
        _ => false,
    }
}

/// `{ referenceId }` as the POST would have given, plus what the lookup found.
fn recovered(reference: &str, transaction: Value) -> Value {
    let status = transaction.get("status").cloned().unwrap_or(Value::Null);
    json!({
        "referenceId": reference,
        "recovered": true,
        "status": status,
        "transaction": transaction,
    })
}
