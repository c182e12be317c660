//! Constructors' options: read from the live object, checked once, and a programming error
//! (an unknown option, a wrong type, an unsafe URL, a missing credential) thrown as a
//! `TypeError` naming the option, instead of being returned by every call.

use napi::{Env, Unknown};

use mobilemoney_core::momo::MomoClient;
use mobilemoney_core::momo::Product;

use crate::convert::{arg, options, type_error};
use crate::events;

/// A MoMo product client of `new Disbursements(key, options)` and its siblings.
pub fn momo_client(
    env: &Env,
    product: Product,
    subscription_key: Unknown<'_>,
    raw: Option<Unknown<'_>>,
) -> napi::Result<MomoClient> {
    let read = options(env, raw.as_ref());
    if let Some(problem) = &read.problem {
        return Err(type_error(env, problem));
    }
    let observer = events::observer(env, raw.as_ref());
    let key = arg(env, subscription_key);
    let class = match product {
        Product::Disbursement => "Disbursements",
        Product::Collection => "Collection",
        Product::Remittance => "Remittance",
    };
    MomoClient::try_new(product, &key, &read.arg, observer, class).map_err(|f| type_error(env, &f))
}
