//! Account holders of the sandbox: whether a number is active and the name it is
//! registered under (`…/accountholder/…/active`, `…/basicuserinfo`).
//!
//! Every number has a deterministic registered name (the same number always gives the
//! same name, so a test can know it beforehand); the official test numbers keep their
//! answers (`active`: not found, not active, errors; `basicuserinfo`: "Sand Box", as MTN's
//! sandbox answers); and a test may set any number's holder (`setAccountHolder`) to stage
//! a mismatch or an inactive wallet.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::test_numbers;

const GIVEN: [&str; 16] = [
    "Amara", "Kwame", "Nana", "Chidi", "Aisha", "Kofi", "Zainab", "Tendai", "Fatou", "Yaw",
    "Nomvula", "Abebe", "Esi", "Musa", "Adwoa", "Jabari",
];
const FAMILY: [&str; 16] = [
    "Mensah", "Okafor", "Boateng", "Nakato", "Diallo", "Mwangi", "Banda", "Owusu", "Achieng",
    "Traore", "Asante", "Kamau", "Ndlovu", "Osei", "Mutua", "Keita",
];

/// A number's holder as set by a test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountHolder {
    pub given_name: String,
    pub family_name: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// The holders a test set, by the digits of their number.
#[derive(Default)]
pub struct Holders {
    set: Mutex<HashMap<String, AccountHolder>>,
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The registered name of a number nobody set: picked from its digits (FNV-1a), so it is
/// the same in every run.
pub fn default_name(msisdn: &str) -> (&'static str, &'static str) {
    let h = digits(msisdn)
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        });
    let pick = |table: &[&'static str; 16], n: u64| {
        table
            .get(usize::try_from(n % 16).unwrap_or(0))
            .copied()
            .unwrap_or_default()
    };
    (pick(&GIVEN, h), pick(&FAMILY, h >> 8))
}

impl Holders {
    /// Sets (replaces) the holder of `msisdn`; fails when the number has no digits.
    pub fn set(&self, msisdn: &str, holder: AccountHolder) -> Result<(), &'static str> {
        let key = digits(msisdn);
        if key.is_empty() {
            return Err("msisdn must be a phone number");
        }
        self.set.lock().insert(key, holder);
        Ok(())
    }

    fn get(&self, msisdn: &str) -> Option<AccountHolder> {
        self.set.lock().get(&digits(msisdn)).cloned()
    }

    /// `…/active` of an MSISDN a test set; `None` for the others (the test numbers answer).
    pub fn active(&self, id_type: &str, id: &str) -> Option<Response> {
        let h = (id_type == "msisdn").then(|| self.get(id)).flatten()?;
        Some(Json(json!({ "result": h.active })).into_response())
    }

    /// `…/basicuserinfo` of an MSISDN: a set holder, else (an official test number) MTN's
    /// sandbox answer, "Sand Box", else the number's deterministic name.
    pub fn basic_user_info(&self, msisdn: &str, with_gender: bool) -> Response {
        let (given, family) = match self.get(msisdn) {
            Some(h) => (h.given_name, h.family_name),
            // The official test numbers answer as MTN's sandbox does for everyone.
            None if test_numbers::suffix(msisdn.trim()).is_some() => {
                return super::samples::basic_user_info(with_gender)
            }
            None => {
                let (g, f) = default_name(msisdn);
                (g.to_owned(), f.to_owned())
            }
        };
        let mut body = json!({
            "sub": "0",
            "name": format!("{given} {family}").trim(),
            "given_name": given,
            "family_name": family,
            "birthdate": "1976-08-13",
            "locale": "en_GH",
            "updated_at": 1_676_609_351u64,
        });
        if let (true, Some(m)) = (with_gender, body.as_object_mut()) {
            m.insert("gender".into(), "FEMALE".into());
        }
        (StatusCode::OK, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_deterministic_and_vary() {
        assert_eq!(default_name("46733123460"), default_name("+46 733 123 460"));
        let names: std::collections::HashSet<_> = (0..40)
            .map(|n| default_name(&format!("2567712345{n:02}")))
            .collect();
        assert!(names.len() > 10, "{names:?}");
    }
}
