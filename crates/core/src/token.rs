//! A single-flight token cache shared by both providers.
//!
//! Many concurrent calls that find no usable token wait on one refresh lock; the first
//! fetches, the rest find the fresh token when the lock is theirs. Tokens are renewed
//! before they expire (a fifth of their lifetime early, at most a minute), so a call never
//! starts with a token about to lapse.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::RwLock;

use crate::failure::Failure;

/// A token as the provider issued it.
#[derive(Debug, Clone)]
pub struct Token {
    pub access: Arc<str>,
    /// Paymob's refresh token (rotated on each use); MoMo has none.
    pub refresh: Option<Arc<str>>,
    pub lifetime: Duration,
}

#[derive(Debug, Clone)]
struct Cached {
    token: Token,
    renew_at: Instant,
}

#[derive(Default)]
pub struct TokenCache {
    current: RwLock<Option<Cached>>,
    refresh_lock: tokio::sync::Mutex<()>,
    /// Fetches finished so far, and the failure of the last one: callers that queued
    /// behind a failed fetch get its failure instead of each fetching again in turn.
    fetches: std::sync::atomic::AtomicU64,
    last_failure: parking_lot::Mutex<Option<(u64, Failure)>>,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCache { .. }")
    }
}

fn renew_margin(lifetime: Duration) -> Duration {
    (lifetime / 5).min(Duration::from_secs(60))
}

impl TokenCache {
    /// The cached token if it is not due for renewal.
    pub fn fresh(&self) -> Option<Arc<str>> {
        let guard = self.current.read();
        guard
            .as_ref()
            .filter(|c| Instant::now() < c.renew_at)
            .map(|c| c.token.access.clone())
    }

    /// The refresh token of the cached token, fresh or not.
    pub fn refresh_token(&self) -> Option<Arc<str>> {
        self.current
            .read()
            .as_ref()
            .and_then(|c| c.token.refresh.clone())
    }

    pub fn store(&self, token: Token) {
        // A day at most: a provider's absurd expires_in must not overflow an Instant.
        let lifetime = token.lifetime.min(Duration::from_secs(86_400));
        let now = Instant::now();
        let renew_at = now
            .checked_add(lifetime.saturating_sub(renew_margin(lifetime)))
            .unwrap_or(now);
        *self.current.write() = Some(Cached { token, renew_at });
    }

    /// Forget `access` (after a 401), unless another call already replaced it.
    pub fn invalidate(&self, access: &str) {
        let mut guard = self.current.write();
        if guard.as_ref().is_some_and(|c| &*c.token.access == access) {
            if let Some(c) = guard.as_mut() {
                c.renew_at = Instant::now();
            }
        }
    }

    /// A usable token: the cached one, or one fetched by exactly one of the waiting calls.
    /// `fetch` receives the previous refresh token, if any.
    pub async fn get<F, Fut>(&self, fetch: F) -> Result<Arc<str>, Failure>
    where
        F: FnOnce(Option<Arc<str>>) -> Fut,
        Fut: Future<Output = Result<Token, Failure>>,
    {
        use std::sync::atomic::Ordering;
        if let Some(t) = self.fresh() {
            return Ok(t);
        }
        let seen = self.fetches.load(Ordering::SeqCst);
        let _turn = self.refresh_lock.lock().await;
        if let Some(t) = self.fresh() {
            return Ok(t);
        }
        if let Some((n, f)) = self.last_failure.lock().as_ref() {
            if *n > seen {
                return Err(f.clone());
            }
        }
        let result = fetch(self.refresh_token()).await;
        // Counted when it ends, so a caller that arrived while it ran shares its failure.
        let n = self.fetches.fetch_add(1, Ordering::SeqCst) + 1;
        match result {
            Ok(token) => {
                let access = token.access.clone();
                self.store(token);
                *self.last_failure.lock() = None;
                Ok(access)
            }
            Err(f) => {
                *self.last_failure.lock() = Some((n, f.clone()));
                Err(f)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// `callers` tasks asking `cache` for a token at once, each fetch (counted) waiting
    /// `fetch_ms` and then answering `answer`: every caller's result, and the fetch count.
    async fn concurrent_gets(
        cache: &Arc<TokenCache>,
        callers: usize,
        fetch_ms: u64,
        answer: fn() -> Result<Token, Failure>,
    ) -> (Vec<Result<Arc<str>, Failure>>, usize) {
        let fetches = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..callers {
            let cache = cache.clone();
            let fetches = fetches.clone();
            tasks.push(tokio::spawn(async move {
                cache
                    .get(|_| async move {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(fetch_ms)).await;
                        answer()
                    })
                    .await
            }));
        }
        let mut results = Vec::new();
        for t in tasks {
            results.push(t.await.unwrap());
        }
        (results, fetches.load(Ordering::SeqCst))
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_share_one_fetch() {
        let cache = Arc::new(TokenCache::default());
        let (results, fetches) = concurrent_gets(&cache, 50, 20, || {
            Ok(Token {
                access: Arc::from("t1"),
                refresh: None,
                lifetime: Duration::from_secs(3600),
            })
        })
        .await;
        assert_eq!(results.len(), 50);
        for r in results {
            assert_eq!(&*r.unwrap(), "t1");
        }
        assert_eq!(fetches, 1);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_queued_behind_a_failed_fetch_share_its_failure() {
        let cache = Arc::new(TokenCache::default());
        let (results, fetches) = concurrent_gets(&cache, 20, 50, || {
            Err(Failure::new(crate::FailureKind::Unauthorized, "no"))
        })
        .await;
        assert_eq!(results.len(), 20);
        for r in results {
            assert!(r.is_err());
        }
        assert_eq!(fetches, 1);
        // A later call tries again.
        let later = cache
            .get(|_| async {
                Ok(Token {
                    access: Arc::from("t2"),
                    refresh: None,
                    lifetime: Duration::from_secs(u64::MAX / 4),
                })
            })
            .await;
        assert_eq!(&*later.unwrap(), "t2");
    }

    #[test]
    fn renews_before_expiry() {
        let cache = TokenCache::default();
        cache.store(Token {
            access: Arc::from("t"),
            refresh: None,
            lifetime: Duration::from_secs(0),
        });
        assert!(cache.fresh().is_none());
        cache.store(Token {
            access: Arc::from("t"),
            refresh: None,
            lifetime: Duration::from_secs(100),
        });
        assert!(cache.fresh().is_some());
        cache.invalidate("t");
        assert!(cache.fresh().is_none());
    }
}
