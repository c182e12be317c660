//! Resource ids: the UUID forms MoMo takes (a v4 `X-Reference-Id`, any UUID in a path
//! or a body). A leaf: request validation and the handlers both use it.

use uuid::Uuid;

/// A UUID v4 in its canonical lower-case form, or `None`.
pub fn uuid_v4(text: &str) -> Option<String> {
    let id = parse_uuid(text)?;
    (id.get_version_num() == 4).then(|| id.to_string())
}

/// Any UUID in hyphenated form (status GETs, `referenceIdToRefund`), canonicalised.
pub fn any_uuid(text: &str) -> Option<String> {
    parse_uuid(text).map(|id| id.to_string())
}

fn parse_uuid(text: &str) -> Option<Uuid> {
    // Only the hyphenated form: `Uuid::parse_str` would also take braces and URNs.
    if text.len() != 36 {
        return None;
    }
    Uuid::parse_str(text).ok()
}
