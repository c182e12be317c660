//! Deterministic simulation of the payout engine against an adversarial provider (the way
//! FoundationDB and TigerBeetle test): each seed is one schedule of delays, late landings,
//! lost answers, lagging lookups, refusals, throttling, token failures, silence, crashes
//! at any await point, stalls past the lease, skewed clocks, and an operator who retries
//! and tops up, all on one paused tokio runtime; after it, the guarantees of docs/bulk-payouts.md
//! are checked against the provider's book.
//!
//! `MMN_SIM_SCHEDULES=N` plays N schedules per test (default below);
//! `MMN_SIM_SEED=S` replays one seed, printing its log.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "payouts_sim/actors.rs"]
mod actors;
#[path = "payouts_sim/checks.rs"]
mod checks;
#[path = "payouts_sim/ledger.rs"]
mod ledger;
#[path = "payouts_sim/provider.rs"]
mod provider;
#[path = "payouts_sim/runner_ledger.rs"]
mod runner_ledger;
#[path = "payouts_sim/sim.rs"]
mod sim;
#[path = "payouts_sim/verifying.rs"]
mod verifying;
#[path = "payouts_sim/world.rs"]
mod world;

/// Schedules per test; two tests share them (cargo runs tests on both cores).
const SCHEDULES: u64 = 5_000;

fn schedules() -> u64 {
    std::env::var("MMN_SIM_SCHEDULES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SCHEDULES)
}

fn play_range(first: u64) {
    if let Some(seed) = std::env::var("MMN_SIM_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        if first == 0 {
            match world::play(seed) {
                Ok(summary) => println!("seed {seed}: {summary}"),
                Err(e) => panic!("{e}"),
            }
        }
        return;
    }
    let n = schedules();
    let start = std::time::Instant::now();
    for seed in (first * 1_000_000_007)..(first * 1_000_000_007 + n) {
        if let Err(e) = world::play(seed) {
            panic!("{e}\nreplay: MMN_SIM_SEED={seed} cargo test -p mobilemoney-core --test payouts_sim -- --nocapture");
        }
    }
    println!("{n} schedules in {:?}", start.elapsed());
}

#[test]
fn schedules_keep_the_invariants_a() {
    play_range(0);
}

#[test]
fn schedules_keep_the_invariants_b() {
    play_range(1);
}

/// Verification first: a held item is never sent unless approved, a rejected one ends
/// refused, two decisions on one item never both win, and a verification cut short by a
/// crash resumes.
#[test]
fn schedules_with_verification_keep_the_invariants() {
    let n = schedules() / 5;
    let (mut held, mut refused) = (0, 0);
    for seed in 0..n {
        match world::play_verifying(seed) {
            Ok(summary) => {
                held += summary.matches(":held/").count();
                refused += summary.matches(":refused/").count();
            }
            Err(e) => panic!("{e}\nthe verifying schedule of seed {seed} broke an invariant"),
        }
    }
    // The schedules did hold items, and rejected some (else the invariants prove nothing).
    assert!(held > 0 && refused > 0, "held {held}, refused {refused}");
    println!("{n} verifying schedules: {held} items left held, {refused} refused");
}

/// Seeds that once broke an invariant, kept so that they always replay: 7, 47 and
/// 1_000_000_0{07,24} found a double payment when a rule of `decide` was taken out (a
/// resend's refusal taken as final; a Mismatch taken as paid); 960 and 1_000_000_282 found
/// a run that paused on a lack of funds older than the top-up (a resend had moved the
/// generation's send time), leaving items unpaid after a calm run.
#[test]
fn seeds_that_once_broke_an_invariant() {
    for seed in [7, 47, 960, 1_000_000_007, 1_000_000_024, 1_000_000_282] {
        if let Err(e) = world::play(seed) {
            panic!("{e}");
        }
    }
}
