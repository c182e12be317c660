//! The arguments of `Payouts`' methods read into the core's types: a bad one is the
//! call's failure, with the core's own check and message.

use mobilemoney_core::payouts::{items, options};
use mobilemoney_core::{Arg, Failure};

/// A batch id argument: a string the core accepts as one (its check, its message).
pub(super) fn batch_id_of(a: &Arg) -> Result<String, Failure> {
    a.as_str()
        .map_or_else(|| Err(items::not_a_batch_id()), items::batch_id)
}

/// An item key argument: a string or a whole number the core accepts as one.
pub(super) fn key_of(a: &Arg) -> Result<String, Failure> {
    items::key(a.to_json().as_ref(), "key")
}

/// A batch id and an item key.
pub(super) fn item(b: Arg, k: Arg) -> Result<(String, String), Failure> {
    Ok((batch_id_of(&b)?, key_of(&k)?))
}

/// `Payouts.open`'s options (read when the instance opens).
pub(super) fn open_options(a: &Arg) -> Result<options::Options, Failure> {
    match a {
        Arg::Json(v) => options::parse(v),
        other => Err(options::not_an_object(other.type_name())),
    }
}
