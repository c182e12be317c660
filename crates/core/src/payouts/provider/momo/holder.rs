//! MoMo's account-holder lookups for `verify`: `…/accountholder/msisdn/{party}/active`,
//! then (when the item names its payee) `…/basicuserinfo` for the registered name.

use serde_json::Value;

use crate::momo::MomoClient;
use crate::payouts::ledger::NewItem;
use crate::payouts::pace::Pace;
use crate::payouts::provider::{digits, found_for_unsure, Holder};

fn party(item: &NewItem) -> String {
    let p = item
        .spec
        .get("party")
        .and_then(Value::as_str)
        .unwrap_or_default();
    digits(p)
}

fn text(v: &Value, field: &str) -> String {
    v.get(field)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Each request waits for its turn of `pace` (MTN's 10 lookups a second by default).
pub async fn holder(client: &MomoClient, item: &NewItem, with_name: bool, pace: &Pace) -> Holder {
    let msisdn = party(item);
    pace.turn().await;
    match client.msisdn_active(&msisdn).await {
        Ok(v) if v.get("result").and_then(Value::as_bool) == Some(true) => {}
        Ok(_) => return Holder::Inactive,
        Err(f) if f.status == Some(404) => return Holder::NotFound,
        Err(f) => return Holder::Unsure(found_for_unsure(&f)),
    }
    if !with_name {
        return Holder::Active { name: None };
    }
    pace.turn().await;
    match client.msisdn_basic_user_info(&msisdn).await {
        Ok(v) => {
            let (mut given, mut family) = (text(&v, "given_name"), text(&v, "family_name"));
            if given.is_empty() && family.is_empty() {
                // Only the whole name: its last word taken as the family name, which the
                // expected name must then contain.
                let whole = text(&v, "name");
                let (g, f) = whole.rsplit_once(' ').unwrap_or(("", whole.as_str()));
                (given, family) = (g.trim().to_owned(), f.to_owned());
            }
            Holder::Active {
                name: Some((given, family)),
            }
        }
        Err(f) if f.status == Some(404) => Holder::NotFound,
        Err(f) => Holder::Unsure(found_for_unsure(&f)),
    }
}
