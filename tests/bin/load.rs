//! A small closed-loop load generator for the benchmark scripts: `C`
//! concurrent clients send GET requests to the given URLs in turn for `D`
//! seconds against 127.0.0.1 and print the throughput and status counts.
//!
//! Usage: quota-load --concurrency 16 --seconds 10 [--token T] [--post FILE] URL [URL ...]
//! With `--post FILE` every request is a POST of that JSON body.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let concurrency: usize = arg(&args, "--concurrency").and_then(|v| v.parse().ok()).unwrap_or(16);
    let seconds: u64 = arg(&args, "--seconds").and_then(|v| v.parse().ok()).unwrap_or(10);
    let token = arg(&args, "--token");
    let post: Option<Arc<Vec<u8>>> = arg(&args, "--post").and_then(|f| std::fs::read(f).ok()).map(Arc::new);
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
        let (client, urls, next, token, post) =
            (client.clone(), urls.clone(), next.clone(), token.clone(), post.clone());
        tasks.push(tokio::spawn(async move {
            let mut statuses: BTreeMap<u16, u64> = BTreeMap::new();
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed) % urls.len();
                let mut rb = match &post {
                    Some(body) => {
                        client.post(&urls[i]).header("content-type", "application/json").body(body.as_ref().clone())
                    }
                    None => client.get(&urls[i]),
                };
                if let Some(t) = &token {
                    rb = rb.bearer_auth(t);
                }
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
