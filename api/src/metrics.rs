//! Request counters and durations in Prometheus text format (SPEC §7).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// (method, route pattern, status) → (count, total seconds)
type Table = BTreeMap<(String, String, u16), (u64, f64)>;

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<Table>,
}

impl Metrics {
    pub fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut m) = self.requests.lock() {
            let e = m.entry((method.to_owned(), route.to_owned(), status)).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += seconds;
        }
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        out.push_str("# HELP http_requests_total Requests answered, by method, route and status.\n");
        out.push_str("# TYPE http_requests_total counter\n");
        let snapshot = self.requests.lock().map(|m| m.clone()).unwrap_or_default();
        for ((m, r, s), (n, _)) in &snapshot {
            let _ = writeln!(out, "http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{s}\"}} {n}");
        }
        out.push_str("# HELP http_request_duration_seconds_sum Time spent answering, by method, route and status.\n");
        out.push_str("# TYPE http_request_duration_seconds_sum counter\n");
        for ((m, r, s), (_, secs)) in &snapshot {
            let _ = writeln!(
                out,
                "http_request_duration_seconds_sum{{method=\"{m}\",route=\"{r}\",status=\"{s}\"}} {secs:.6}"
            );
        }
        out
    }
}
