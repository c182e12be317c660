//! What the three MoMo classes (`Disbursements`, `Collection`, `Remittance`) share: the
//! helpers that send a product's money endpoint or read its status, and two macros (napi
//! classes cannot inherit): [`calls`], a class's money and status calls as a table, and
//! [`shared`], the methods every product has.

use std::sync::Arc;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Unknown};

use mobilemoney_core::momo::collection::looks_like_reference;
use mobilemoney_core::momo::endpoints::Endpoint;
use mobilemoney_core::momo::payments::PaymentArgs;
use mobilemoney_core::momo::MomoClient;
use mobilemoney_core::Arg;

mod calls;
mod shared;

pub(crate) use calls::momo_calls;
pub(crate) use shared::momo_shared_methods;

use crate::convert::opt_arg;
use crate::outcome::{spawn, Outcome};

pub(crate) type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

/// Which argument comes first in a class's money calls.
#[derive(Clone, Copy)]
pub(crate) enum Order {
    /// `(uuid, authorization, …)`, as Disbursements and Remittance.
    UuidFirst,
    /// `(authorization, uuid, …)` as `mobilemoney.js`'s Collection, or the other order.
    Either,
}

/// `(uuid, authorization)` from the first two arguments, as `order` places them.
fn uuid_and_auth(order: Order, first: Arg, second: Arg) -> (Arg, Arg) {
    match order {
        Order::Either if !looks_like_reference(&first) => (second, first),
        _ => (first, second),
    }
}

/// `(first, second, target, body, urlCallback?)` sent to `endpoint`.
pub(crate) fn pay<'env>(
    env: &'env Env,
    inner: &Arc<MomoClient>,
    endpoint: &'static Endpoint,
    order: Order,
    args: [Option<Unknown>; 5],
) -> Pending<'env> {
    let [first, second, target, body, callback] = args.map(|v| opt_arg(env, v));
    let (uuid, auth) = uuid_and_auth(order, first, second);
    let inner = inner.clone();
    spawn(env, async move {
        let args = PaymentArgs {
            uuid: &uuid,
            authorization: &auth,
            target: &target,
            body: &body,
            callback: &callback,
        };
        inner.pay(endpoint, args).await
    })
}

/// `(first, second, target?)`: the status of what `endpoint` created.
pub(crate) fn status<'env>(
    env: &'env Env,
    inner: &Arc<MomoClient>,
    endpoint: &'static Endpoint,
    order: Order,
    args: [Option<Unknown>; 3],
) -> Pending<'env> {
    let [first, second, target] = args.map(|v| opt_arg(env, v));
    let (uuid, auth) = uuid_and_auth(order, first, second);
    let inner = inner.clone();
    spawn(env, async move {
        inner.status(endpoint, &uuid, &auth, &target).await
    })
}
