//! "Now" comes from an injectable clock, so tests move time across the
//! deadlines instead of waiting (SPEC §4.4).

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The real time.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// Real time shifted by an offset that tests set (or a fixed instant).
#[cfg(feature = "test-hooks")]
#[derive(Debug, Clone, Default)]
pub struct TestClock {
    offset: std::sync::Arc<std::sync::RwLock<chrono::Duration>>,
}

#[cfg(feature = "test-hooks")]
impl TestClock {
    /// Moves the clock so that it now reads `at` (and runs on from there).
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut o) = self.offset.write() {
            *o = at - Utc::now();
        }
    }
}

#[cfg(feature = "test-hooks")]
impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        let off = self.offset.read().map(|o| *o).unwrap_or_default();
        Utc::now() + off
    }
}
