//! A small closed-loop load generator for the benchmark scripts: `C`
//! concurrent clients send GET requests to the given URLs in turn for `D`
//! seconds against 127.0.0.1 and print the throughput, the status counts and
//! the 50th and 99th percentile latencies (ms).
//!
//! Usage: quota-load --concurrency 16 --seconds 10 [--token T] [--post FILE]
//!        [--employers N [--offset K]] [--idempotency] URL [URL ...]
//! With `--post FILE` every request is a POST of that JSON body.
//! With `--employers N` as well, request `i` files for the `i`-th of N
//! employers (an employer has one forecast a year): `employer.tin` of the
//! body is that employer's TIN, and the token is minted for it with the
//! server's own configuration (the same environment as `quota-api token`);
//! `--offset K` starts at the K-th employer, so a second run files for
//! employers the first did not. `--idempotency` sends a fresh
//! `Idempotency-Key` with each request, as an ERP system would.
//! `--print-body` sends one request only and prints the answer's body.
//! `quota-load tins N` prints those N TINs, one a line.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

/// The `i`-th employer's TIN: valid, legal, from serial 10,000,000 on.
fn employer_tin(i: usize) -> String {
    quota_tests::tin(10_000_000 + u32::try_from(i * 2).unwrap_or(0), true)
}

/// A request body and the token it is sent with.
type Filing = (Vec<u8>, String);

/// One body and token per employer, for `--employers`.
fn per_employer(body: &[u8], n: usize, offset: usize) -> Result<Vec<Filing>, String> {
    let config = api::config::Config::from_env()?;
    let template: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let now = chrono::Utc::now().timestamp();
    (offset..offset + n)
        .map(|i| {
            let tin = employer_tin(i);
            let mut b = template.clone();
            b["employer"]["tin"] = serde_json::json!(tin);
            let roles = [domain::role::Role::Employer];
            let claims = api::auth::claims_for(&config.auth, &format!("bench-{tin}"), &roles, Some(&tin), now, 3600);
            Ok((serde_json::to_vec(&b).map_err(|e| e.to_string())?, api::auth::mint(&config.auth, &claims)?))
        })
        .collect()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("tins") {
        let n: usize = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(0);
        for i in 0..n {
            println!("{}", employer_tin(i));
        }
        return;
    }
    let concurrency: usize = arg(&args, "--concurrency").and_then(|v| v.parse().ok()).unwrap_or(16);
    let seconds: u64 = arg(&args, "--seconds").and_then(|v| v.parse().ok()).unwrap_or(10);
    let token = arg(&args, "--token");
    let offset: usize = arg(&args, "--offset").and_then(|v| v.parse().ok()).unwrap_or(0);
    let idempotency = args.iter().any(|a| a == "--idempotency");
    let print_body = args.iter().any(|a| a == "--print-body");
    let post: Option<Arc<Vec<u8>>> = arg(&args, "--post").and_then(|f| std::fs::read(f).ok()).map(Arc::new);
    let employers: Option<Arc<Vec<Filing>>> =
        match (arg(&args, "--employers").and_then(|v| v.parse::<usize>().ok()), &post) {
            (Some(n), Some(body)) => match per_employer(body, n, offset) {
                Ok(v) => Some(Arc::new(v)),
                Err(e) => {
                    eprintln!("--employers: {e}");
                    std::process::exit(2);
                }
            },
            _ => None,
        };
    let mut urls = Vec::new();
    let mut skip = false;
    for a in &args {
        if skip {
            skip = false;
            continue;
        }
        if a == "--idempotency" || a == "--print-body" {
            continue;
        }
        if a.starts_with("--") {
            skip = true;
            continue;
        }
        urls.push(a.clone());
    }
    if urls.is_empty() || urls.iter().any(|u| !u.starts_with("http://127.0.0.1")) {
        eprintln!("give one or more http://127.0.0.1 URLs");
        std::process::exit(2);
    }
    let client = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build().unwrap_or_default();
    if print_body {
        let rb = match (&employers, &post, &token) {
            (Some(e), _, _) => client.post(&urls[0]).bearer_auth(&e[0].1).body(e[0].0.clone()),
            (None, Some(b), _) => client.post(&urls[0]).body(b.as_ref().clone()),
            (None, None, _) => client.get(&urls[0]),
        };
        let rb = match (&employers, &token) {
            (None, Some(t)) => rb.bearer_auth(t),
            _ => rb,
        };
        let rb = rb.header("content-type", "application/json");
        match rb.send().await {
            Ok(r) => print!("{}", r.text().await.unwrap_or_default()),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        return;
    }
    let urls = Arc::new(urls);
    let next = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (client, urls, next, token, post, employers) =
            (client.clone(), urls.clone(), next.clone(), token.clone(), post.clone(), employers.clone());
        tasks.push(tokio::spawn(async move {
            let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
            let mut latencies: Vec<u32> = Vec::new();
            while Instant::now() < deadline {
                let n = next.fetch_add(1, Ordering::Relaxed);
                let i = n % urls.len();
                let json = |b: Vec<u8>| client.post(&urls[i]).header("content-type", "application/json").body(b);
                let rb = match (&employers, &post) {
                    (Some(e), _) => {
                        let (body, token) = &e[n % e.len()];
                        json(body.clone()).bearer_auth(token)
                    }
                    (None, Some(body)) => json(body.as_ref().clone()),
                    (None, None) => client.get(&urls[i]),
                };
                let rb = match (&employers, &token) {
                    (None, Some(t)) => rb.bearer_auth(t),
                    _ => rb,
                };
                let rb = if idempotency { rb.header("idempotency-key", uuid::Uuid::new_v4().to_string()) } else { rb };
                let sent = Instant::now();
                let code = match rb.send().await {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        let _ = r.bytes().await;
                        s
                    }
                    Err(_) => 0,
                };
                latencies.push(u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX));
                *statuses.entry(code).or_default() += 1;
            }
            (statuses, latencies)
        }));
    }
    let mut total: BTreeMap<u16, u64> = BTreeMap::new();
    let mut latencies: Vec<u32> = Vec::new();
    for t in tasks {
        if let Ok((s, l)) = t.await {
            for (k, v) in s {
                *total.entry(k).or_default() += v;
            }
            latencies.extend(l);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let n: u64 = total.values().sum();
    latencies.sort_unstable();
    let pct = |p: usize| latencies.get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1))).copied();
    let ms = |v: Option<u32>| v.map_or(f64::NAN, |v| f64::from(v) / 1000.0);
    println!(
        "requests={n} seconds={elapsed:.2} rps={:.1} p50_ms={:.2} p99_ms={:.2} statuses={total:?}",
        n as f64 / elapsed,
        ms(pct(50)),
        ms(pct(99))
    );
}
