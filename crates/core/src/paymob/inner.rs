//! The state of a valid client, which every call takes: its options, transport, secrets
//! and tokens. Apart from `mod.rs` so that the modules doing the calls import it without
//! importing the client they serve.

use super::options::Options;
use super::ratelimit::InquiryBucket;
use crate::failure::Failure;
use crate::secrets::Secrets;
use crate::token::TokenCache;
use crate::transport::{Observer, Transport, TransportConfig};

/// The state of a valid instance.
pub(crate) struct Inner {
    pub opts: Options,
    pub transport: Transport,
    pub secrets: Secrets,
    pub tokens: TokenCache,
    /// Serialises the OAuth grants of this instance (refresh tokens rotate on each use).
    pub grant_lock: tokio::sync::Mutex<()>,
    /// The error code with which Paymob refused the password grant, if it did: automatic
    /// logins stop until `generateToken()` is called, so the account is not locked out.
    pub refused: parking_lot::Mutex<Option<String>>,
    pub bucket: InquiryBucket,
}

impl Inner {
    pub(super) fn new(opts: Options, observer: Option<Observer>) -> Result<Inner, Failure> {
        let transport = Transport::new(TransportConfig {
            settings: opts.transport.clone(),
            observer,
            provider: "paymob",
        })?;
        let secrets = Secrets::default();
        secrets.add(&opts.client_secret);
        secrets.add(&opts.password);
        let bucket = InquiryBucket::new(opts.inquiries_per_minute);
        Ok(Inner {
            opts,
            transport,
            secrets,
            tokens: TokenCache::default(),
            grant_lock: tokio::sync::Mutex::new(()),
            refused: parking_lot::Mutex::new(None),
            bucket,
        })
    }
}
