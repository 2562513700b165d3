//! Request counters and durations in Prometheus text format (SPEC §7).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// (method, route pattern, status) → (count, total seconds)
type Table = BTreeMap<(String, String, u16), (u64, f64)>;

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<Table>,
    /// Writes tried in one statement (SPEC §11): done so, and handed on to
    /// a transaction because a check did not hold.
    at_once: [AtomicU64; 2],
}

/// The method as a label: the standard ones by name, any other as `OTHER`,
/// so a caller inventing methods cannot add a series per request.
fn method_label(method: &str) -> &'static str {
    match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "CONNECT" => "CONNECT",
        _ => "OTHER",
    }
}

impl Metrics {
    /// Counts a request; `route` is a route pattern (or a fixed placeholder),
    /// never the path as sent.
    pub fn record(&self, method: &str, route: &str, status: u16, seconds: f64) {
        if let Ok(mut m) = self.requests.lock() {
            let e = m.entry((method_label(method).to_owned(), route.to_owned(), status)).or_insert((0, 0.0));
            e.0 += 1;
            e.1 += seconds;
        }
    }

    /// Counts a write tried in one statement: `done`, or handed on.
    pub fn at_once(&self, done: bool) {
        self.at_once[usize::from(!done)].fetch_add(1, Ordering::Relaxed);
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
        out.push_str(
            "# HELP writes_at_once_total Writes tried in one statement: written, or handed on to a transaction.\n",
        );
        out.push_str("# TYPE writes_at_once_total counter\n");
        for (outcome, n) in ["written", "handed_on"].iter().zip(&self.at_once) {
            let _ = writeln!(out, "writes_at_once_total{{outcome=\"{outcome}\"}} {}", n.load(Ordering::Relaxed));
        }
        out
    }
}

/// The outbox's gauges in the text exposition: messages waiting, and the
/// age in seconds of the oldest (0 when none waits).
pub fn outbox_lines(depth: i64, oldest_age_seconds: Option<i64>) -> String {
    format!(
        "# HELP outbox_depth E-mails queued and not sent yet.\n# TYPE outbox_depth gauge\noutbox_depth {depth}\n\
         # HELP outbox_oldest_unsent_age_seconds Age of the oldest e-mail not sent yet (0: none waits).\n\
         # TYPE outbox_oldest_unsent_age_seconds gauge\noutbox_oldest_unsent_age_seconds {}\n",
        oldest_age_seconds.unwrap_or(0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_share_one_series() {
        let m = Metrics::default();
        for method in ["FOO", "BAR1", "X-Y", "GET"] {
            m.record(method, "(unmatched)", 405, 0.001);
        }
        let text = m.render();
        assert!(text.contains(r#"http_requests_total{method="OTHER",route="(unmatched)",status="405"} 3"#), "{text}");
        assert!(text.contains(r#"method="GET""#));
        assert!(!text.contains("FOO"));
    }
}
