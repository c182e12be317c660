//! The ceiling of `npm run bench`: the same workload as the JavaScript clients, sent by
//! reqwest on a multi-thread tokio runtime with no JavaScript at all.
//!
//! `ceiling --url http://127.0.0.1:PORT --op status|transfer --concurrency N --seconds S
//! --warmup W` prints one JSON line: `{calls, seconds, callsPerSec, p50Ms, p99Ms,
//! peakRssMb, …}`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use serde_json::{json, Value};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The fixed inputs every client of the benchmark sends.
const BEARER: &str = "Bearer bench-access-token";
const SUBSCRIPTION_KEY: &str = "0123456789abcdef0123456789abcdef";
const TARGET: &str = "sandbox";
const STATUS_ID: &str = "6f1c2a9e-3b4d-4e5f-8a7b-9c0d1e2f3a4b";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Status,
    Transfer,
}

struct Args {
    url: String,
    op: Op,
    concurrency: usize,
    seconds: f64,
    warmup: f64,
}

fn parse_args() -> Result<Args, Error> {
    let mut args = Args {
        url: String::new(),
        op: Op::Status,
        concurrency: 1,
        seconds: 3.0,
        warmup: 1.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--url" => args.url = value.trim_end_matches('/').to_owned(),
            "--op" => {
                args.op = match value.as_str() {
                    "status" => Op::Status,
                    "transfer" => Op::Transfer,
                    _ => return Err(format!("--op must be status or transfer, not {value}").into()),
                }
            }
            "--concurrency" => args.concurrency = value.parse()?,
            "--seconds" => args.seconds = value.parse()?,
            "--warmup" => args.warmup = value.parse()?,
            _ => return Err(format!("unknown flag {flag}").into()),
        }
    }
    if args.url.is_empty() {
        return Err("--url is required".into());
    }
    if args.concurrency == 0 {
        return Err("--concurrency must be at least 1".into());
    }
    Ok(args)
}

struct Ctx {
    http: reqwest::Client,
    op: Op,
    status_url: String,
    transfer_url: String,
}

const SUBSCRIPTION: HeaderName = HeaderName::from_static("ocp-apim-subscription-key");
const TARGET_ENV: HeaderName = HeaderName::from_static("x-target-environment");
const REFERENCE: HeaderName = HeaderName::from_static("x-reference-id");

/// One call as the package makes it; true when the answer is the expected one.
async fn call(ctx: &Ctx) -> bool {
    let builder = match ctx.op {
        Op::Status => ctx.http.get(&ctx.status_url),
        Op::Transfer => {
            let reference = uuid::Uuid::new_v4().to_string();
            let body = json!({
                "amount": "100",
                "currency": "EUR",
                "externalId": "bench-1",
                "payee": { "partyIdType": "MSISDN", "partyId": "46733123450" },
                "payerMessage": "bench",
                "payeeNote": "bench",
            });
            let Ok(reference) = HeaderValue::from_str(&reference) else {
                return false;
            };
            ctx.http
                .post(&ctx.transfer_url)
                .header(REFERENCE, reference)
                .header(CONTENT_TYPE, "application/json")
                .body(body.to_string())
        }
    };
    let sent = builder
        .header(AUTHORIZATION, BEARER)
        .header(SUBSCRIPTION, SUBSCRIPTION_KEY)
        .header(TARGET_ENV, TARGET)
        .send()
        .await;
    let Ok(response) = sent else { return false };
    let status = response.status().as_u16();
    let Ok(body) = response.bytes().await else {
        return false;
    };
    match ctx.op {
        Op::Status => status == 200 && serde_json::from_slice::<Value>(&body).is_ok(),
        Op::Transfer => status == 202,
    }
}

struct Tally {
    calls: u64,
    errors: u64,
    latencies_us: Vec<u32>,
}

async fn worker(ctx: Arc<Ctx>, until: Instant) -> Tally {
    let mut tally = Tally {
        calls: 0,
        errors: 0,
        latencies_us: Vec::with_capacity(4096),
    };
    while Instant::now() < until {
        let started = Instant::now();
        let ok = call(&ctx).await;
        let us = u32::try_from(started.elapsed().as_micros()).unwrap_or(u32::MAX);
        tally.calls += 1;
        tally.errors += u64::from(!ok);
        tally.latencies_us.push(us);
    }
    tally
}

/// CPU time of this process (all threads, user and system) in microseconds.
fn cpu_us() -> f64 {
    // Fields 14 and 15 of /proc/self/stat, after the parenthesised command name, in clock
    // ticks (100 per second on Linux).
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let mut fields = rest.split_whitespace().skip(11);
            let user: f64 = fields.next()?.parse().ok()?;
            let system: f64 = fields.next()?.parse().ok()?;
            Some((user + system) * 10_000.0)
        })
        .unwrap_or(0.0)
}

async fn phase(
    ctx: &Arc<Ctx>,
    concurrency: usize,
    seconds: f64,
) -> Result<(Tally, f64, f64), Error> {
    let cpu = cpu_us();
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(seconds);
    let handles: Vec<_> = (0..concurrency)
        .map(|_| tokio::spawn(worker(ctx.clone(), until)))
        .collect();
    let mut total = Tally {
        calls: 0,
        errors: 0,
        latencies_us: Vec::new(),
    };
    for h in handles {
        let t = h.await?;
        total.calls += t.calls;
        total.errors += t.errors;
        total.latencies_us.extend(t.latencies_us);
    }
    Ok((total, started.elapsed().as_secs_f64(), cpu_us() - cpu))
}

fn percentile_ms(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted_us.len() as f64).ceil() as usize).clamp(1, sorted_us.len()) - 1;
    sorted_us
        .get(rank)
        .map_or(0.0, |&us| f64::from(us) / 1000.0)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (x * f).round() / f
}

async fn run(args: Args) -> Result<Value, Error> {
    let http = reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(1024)
        .tcp_nodelay(true)
        .build()?;
    let ctx = Arc::new(Ctx {
        http,
        op: args.op,
        status_url: format!("{}/disbursement/v1_0/transfer/{STATUS_ID}", args.url),
        transfer_url: format!("{}/disbursement/v1_0/transfer", args.url),
    });
    if args.warmup > 0.0 {
        phase(&ctx, args.concurrency, args.warmup).await?;
    }
    let (mut tally, elapsed, cpu) = phase(&ctx, args.concurrency, args.seconds).await?;
    tally.latencies_us.sort_unstable();
    Ok(json!({
        "client": "ceiling",
        "op": if args.op == Op::Status { "status" } else { "transfer" },
        "concurrency": args.concurrency,
        "calls": tally.calls,
        "errors": tally.errors,
        "seconds": round(elapsed, 3),
        "callsPerSec": round(tally.calls as f64 / elapsed, 1),
        "p50Ms": round(percentile_ms(&tally.latencies_us, 0.50), 3),
        "p99Ms": round(percentile_ms(&tally.latencies_us, 0.99), 3),
        "cpuUsPerCall": round(cpu / (tally.calls.max(1) as f64), 2),
        "peakRssMb": round(peak_rss_mb(), 1),
    }))
}

fn main() -> Result<(), Error> {
    let args = parse_args()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let line = runtime.block_on(run(args))?;
    println!("{line}");
    Ok(())
}
