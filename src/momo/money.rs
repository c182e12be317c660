//! A class's money calls and status calls, which the macros' methods hand on to: the
//! arguments read in the class's order, the endpoint sent or its status read.

use std::sync::Arc;

use napi::bindgen_prelude::PromiseRaw;
use napi::{Env, Unknown};

use mobilemoney_core::momo::collection::looks_like_reference;
use mobilemoney_core::momo::endpoints::Endpoint;
use mobilemoney_core::momo::payments::PaymentArgs;
use mobilemoney_core::momo::MomoClient;
use mobilemoney_core::Arg;

use crate::convert::opt_arg;
use crate::outcome::Outcome;
use crate::spawn::spawn;

pub(crate) type Pending<'env> = napi::Result<PromiseRaw<'env, Outcome>>;

/// A money or status call of a class: its client, the endpoint, and the order the class
/// takes its arguments in.
pub(crate) struct Call {
    client: Arc<MomoClient>,
    endpoint: &'static Endpoint,
    order: Order,
}

impl Call {
    pub(crate) fn new(client: &Arc<MomoClient>, endpoint: &'static Endpoint, order: Order) -> Self {
        let client = client.clone();
        Call {
            client,
            endpoint,
            order,
        }
    }
}

/// Which argument comes first in a class's money calls.
#[derive(Clone, Copy)]
pub(crate) enum Order {
    /// `(uuid, authorization, …)`, as Disbursements and Remittance.
    UuidFirst,
    /// `(authorization, uuid, …)` as `mobilemoney.js`'s Collection, or the other order.
    Either,
}

/// The call's arguments as owned values, the first two read as `(uuid, authorization)`
/// in `order`'s way.
fn owned<const N: usize>(env: &Env, order: Order, args: [Option<Unknown>; N]) -> [Arg; N] {
    let mut args = args.map(|v| opt_arg(env, v));
    if let [first, second, ..] = args.as_mut_slice() {
        if matches!(order, Order::Either) && !looks_like_reference(first) {
            std::mem::swap(first, second);
        }
    }
    args
}

/// `(first, second, target, body, urlCallback?)` sent to `endpoint`.
pub(crate) fn pay<'env>(env: &'env Env, call: Call, args: [Option<Unknown>; 5]) -> Pending<'env> {
    let [uuid, authorization, target, body, callback] = owned(env, call.order, args);
    let (client, endpoint) = (call.client, call.endpoint);
    spawn(env, async move {
        let args = PaymentArgs {
            uuid: &uuid,
            authorization: &authorization,
            target: &target,
            body: &body,
            callback: &callback,
        };
        client.pay(endpoint, args).await
    })
}

/// `(first, second, target?)`: the status of what `endpoint` created.
pub(crate) fn status<'env>(
    env: &'env Env,
    call: Call,
    args: [Option<Unknown>; 3],
) -> Pending<'env> {
    let [uuid, authorization, target] = owned(env, call.order, args);
    let (client, endpoint) = (call.client, call.endpoint);
    spawn(env, async move {
        client
            .status(endpoint, &uuid, &authorization, &target)
            .await
    })
}
