//! A small closed-loop load generator for the benchmark scripts: `C`
//! concurrent clients send GET requests to the given URLs in turn for `D`
//! seconds against 127.0.0.1 and print the throughput and status counts.
//!
//! Usage: quota-load --concurrency 16 --seconds 10 [--token T] [--post FILE] URL [URL ...]
//! With `--post FILE` every request is a POST of that JSON body.
//! With `--employers N` as well, request `i` files for the `i`-th of N
//! employers (an employer has one forecast a year): `employer.tin` of the
//! body is that employer's TIN, and the token is minted for it with the
//! server's own configuration (the same environment as `quota-api token`).
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
fn per_employer(body: &[u8], n: usize) -> Result<Vec<Filing>, String> {
    let config = api::config::Config::from_env()?;
    let template: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let now = chrono::Utc::now().timestamp();
    (0..n)
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
    let post: Option<Arc<Vec<u8>>> = arg(&args, "--post").and_then(|f| std::fs::read(f).ok()).map(Arc::new);
    let employers: Option<Arc<Vec<Filing>>> =
        match (arg(&args, "--employers").and_then(|v| v.parse::<usize>().ok()), &post) {
            (Some(n), Some(body)) => match per_employer(body, n) {
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
                let code = match rb.send().await {
                    Ok(r) => {
                        let s = r.status().as_u16();
                        let _ = r.bytes().await;
                        s
                    }
                    Err(_) => 0,
                };
                *statuses.entry(code).or_default() += 1;
            }
            statuses
        }));
    }
    let mut total: BTreeMap<u16, u64> = BTreeMap::new();
    for t in tasks {
        if let Ok(s) = t.await {
            for (k, v) in s {
                *total.entry(k).or_default() += v;
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let n: u64 = total.values().sum();
    println!("requests={n} seconds={elapsed:.2} rps={:.1} statuses={total:?}", n as f64 / elapsed);
}
