//! The background worker: queues deadline reminders, delivers the outbox
//! with retries and backoff, and forgets expired idempotency keys. Delivery
//! is at least once: a message is leased before sending and marked sent
//! after, so a crash in between sends it again later, with the same Message-ID.

use crate::state::AppState;
use chrono::Duration;
use persistence::identity;
use std::sync::atomic::Ordering;
use std::sync::Weak;

/// How long a claimed message is left alone before another try.
pub const LEASE: Duration = Duration::seconds(60);

/// Seconds to wait after the `attempts`-th failure: 2, 4, 8, … up to an hour.
pub fn backoff(attempts: i32) -> Duration {
    Duration::seconds(2_i64.saturating_pow(u32::try_from(attempts.clamp(1, 12)).unwrap_or(12)).min(3600))
}

/// Queues the reminders due today: 7 and 1 days before the submission
/// deadline, for drafts and returned forecasts whose employer has a
/// confirmed address; once per forecast and day count.
pub fn queue_reminders(s: &AppState) -> Result<usize, persistence::StoreError> {
    let now = s.now();
    let today = domain::time::baku_date(now);
    let year = domain::time::default_target_year(now);
    s.db.write(|c| {
        let (campaign, _) = persistence::campaigns::get(c, year)?;
        let mut queued = 0;
        for days in domain::notify::REMINDER_DAYS {
            if campaign.submission_deadline - chrono::Duration::days(days) != today {
                continue;
            }
            for (id, number, email) in identity::unsubmitted_with_email(c, year)? {
                let m = domain::notify::deadline_near(number, year, campaign.submission_deadline, days);
                let key = format!("reminder:{id}:{days}");
                if identity::enqueue(c, Some(&key), "deadline_reminder", &email, &m, now.naive_utc())? {
                    queued += 1;
                }
            }
        }
        Ok(queued)
    })
}

/// Delivers the messages due now; returns how many were sent.
pub fn deliver_due(s: &AppState) -> Result<usize, persistence::StoreError> {
    let now = s.now().naive_utc();
    let batch = s.db.write(|c| identity::claim_due(c, now, LEASE, 20))?;
    let mut sent = 0;
    for m in batch {
        let result = s.mailer.send(&m);
        if s.worker_stopped.load(Ordering::SeqCst) {
            // Stopped mid-delivery (a crash, as tests simulate it): no
            // bookkeeping; the lease runs out and the message goes again.
            return Ok(sent);
        }
        let at = s.now().naive_utc();
        match result {
            Ok(()) => {
                s.db.write(|c| identity::mark_sent(c, &m.id, at))?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(message_id = %m.id, attempts = m.attempts, error = %e, "delivery failed; will retry");
                let retry = at + backoff(m.attempts);
                s.db.write(|c| identity::mark_failed(c, &m.id, &e, retry))?;
            }
        }
    }
    Ok(sent)
}

/// Runs the worker on its own thread until the server's state is gone.
pub fn spawn(state: Weak<AppState>, poll: std::time::Duration) {
    std::thread::spawn(move || loop {
        std::thread::sleep(poll);
        let Some(s) = state.upgrade() else { break };
        if s.worker_stopped.load(Ordering::SeqCst) {
            continue;
        }
        if let Err(e) = queue_reminders(&s) {
            tracing::warn!(error = %e, "could not queue reminders");
        }
        if let Err(e) = deliver_due(&s) {
            tracing::warn!(error = %e, "could not deliver the outbox");
        }
        // Idempotency keys are kept 48 hours (SPEC §7 asks at least 24).
        let now = s.now().naive_utc();
        if let Err(e) = s.db.write(|c| persistence::idempotency::purge_expired(c, now)) {
            tracing::warn!(error = %e, "could not purge expired idempotency keys");
        }
    });
}
