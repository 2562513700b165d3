//! The background worker: queues deadline reminders, delivers the outbox
//! with retries and backoff, and forgets expired idempotency keys. Delivery
//! is at least once: a message is leased before sending and marked sent
//! after, so a crash in between sends it again later, with the same Message-ID.

use crate::state::AppState;
use chrono::Duration;
use persistence::identity;
use std::sync::Weak;

/// How long a claimed message is left alone before another try.
pub const LEASE: Duration = Duration::seconds(60);

/// Seconds to wait after the `attempts`-th failure: 2, 4, 8, … up to an hour.
pub fn backoff(attempts: i32) -> Duration {
    Duration::seconds(2_i64.saturating_pow(u32::try_from(attempts.clamp(1, 12)).unwrap_or(12)).min(3600))
}

/// Queues the reminders due today, once per forecast, deadline and day
/// count, for employers with a confirmed address: drafts 7 and 1 days before
/// their campaign's submission deadline; returned forecasts 7 and 1 days
/// before their own `correction_due`, which the reminder names (SPEC §15.3);
/// and the HQM scoring authorities with criteria unscored 5 business days
/// before a review deadline (SPEC §16.4.2).
pub fn queue_reminders(s: &AppState) -> Result<usize, persistence::StoreError> {
    let now = s.now();
    let today = domain::time::baku_date(now);
    let at = now.naive_utc();
    s.db.write(|c| {
        let mut queued = 0;
        for year in identity::draft_years(c)? {
            let (campaign, _) = persistence::campaigns::get(c, year)?;
            let Some(days) = domain::messages::mail::reminder_due(campaign.submission_deadline, today) else {
                continue;
            };
            for (id, number, email) in identity::drafts_with_email(c, year)? {
                let m = domain::messages::mail::deadline_near(number, year, campaign.submission_deadline, days);
                let key = format!("reminder:{id}:{days}");
                if identity::enqueue(c, Some(&key), "deadline_reminder", &email, &m, at)? {
                    queued += 1;
                }
            }
        }
        let due_days: Vec<chrono::NaiveDate> = domain::messages::mail::REMINDER_DAYS
            .iter()
            .filter_map(|d| today.checked_add_days(chrono::Days::new(u64::try_from(*d).ok()?)))
            .collect();
        for r in identity::returned_due_with_email(c, &due_days)? {
            let Some(days) = domain::messages::mail::reminder_due(r.correction_due, today) else { continue };
            let m = domain::messages::mail::correction_due_near(r.number, r.target_year, r.correction_due, days);
            // A forecast returned again has another day: its own reminders.
            let key = format!("correction:{}:{}:{days}", r.id, r.correction_due);
            if identity::enqueue(c, Some(&key), "correction_reminder", &r.email, &m, at)? {
                queued += 1;
            }
        }
        // The scoring authorities, 5 business days before a review deadline
        // (SPEC §16.4.2).
        queued += application::hqm::queue_authority_reminders(c, now)?;
        Ok(queued)
    })
}

/// Whether a test stopped the worker where it stands (a simulated crash).
#[cfg(feature = "test-hooks")]
fn stopped(s: &AppState) -> bool {
    s.worker_stopped.load(std::sync::atomic::Ordering::SeqCst)
}

#[cfg(not(feature = "test-hooks"))]
fn stopped(_: &AppState) -> bool {
    false
}

/// Holds the claiming transaction open as long as a test asks.
#[cfg(feature = "test-hooks")]
fn claim_pause(s: &AppState) {
    let ms = s.claim_pause_ms.load(std::sync::atomic::Ordering::SeqCst);
    if ms > 0 {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

#[cfg(not(feature = "test-hooks"))]
fn claim_pause(_: &AppState) {}

/// Delivers the messages due now; returns how many were sent.
pub fn deliver_due(s: &AppState) -> Result<usize, persistence::StoreError> {
    let now = s.now().naive_utc();
    let batch = s.db.write(|c| identity::claim_due(c, now, LEASE, 20))?;
    let mut sent = 0;
    for m in batch {
        let result = s.mailer.send(&m);
        if stopped(s) {
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

/// Deliveries claimed at once: each may take the 10 s timeout, and all must
/// be done within the lease.
const WEBHOOK_BATCH: i64 = 5;

/// Sends the webhook deliveries due now, each recorded in its own
/// transaction after its attempt; returns how many were delivered. Claims
/// are leased ([`application::webhooks::LEASE`]), so a crash between the
/// attempt and its record sends it again later with the same `webhook-id`.
pub fn deliver_webhooks(
    s: &AppState,
    sender: &mut Option<crate::webhooks::Sender>,
) -> Result<usize, application::AppError> {
    let hooks = &s.webhooks;
    let now = s.now();
    let batch = s.db.write(|c| {
        let claimed = application::webhooks::claim(c, &hooks.sealer, now, WEBHOOK_BATCH)?;
        claim_pause(s);
        Ok::<_, application::AppError>(claimed)
    })?;
    if batch.is_empty() {
        return Ok(0);
    }
    // The HTTP client (and the runtime thread it keeps) is made when there
    // is something to send: most servers of a test run never send any.
    let sender = match sender {
        Some(s) => s,
        None => sender.insert(crate::webhooks::Sender::new(hooks.policy).map_err(application::AppError::bug)?),
    };
    let mut delivered = 0;
    for out in batch {
        let sent = sender.send(&out, s.now());
        if stopped(s) {
            return Ok(delivered);
        }
        let at = s.now();
        if sent.delivered() {
            delivered += 1;
        } else {
            tracing::warn!(webhook_id = %out.id, endpoint = %out.endpoint_id, attempts = out.attempts + 1,
                error = sent.error.as_deref().unwrap_or(""), "webhook delivery failed");
        }
        s.db.write(|c| application::webhooks::record(c, &out, &sent, at))?;
    }
    Ok(delivered)
}

/// Runs the webhook sender on a thread of its own (a slow receiver must not
/// hold up e-mail) until the server's state is gone.
pub fn spawn_webhooks(state: Weak<AppState>, poll: std::time::Duration) {
    std::thread::spawn(move || {
        let mut sender = None;
        loop {
            std::thread::sleep(poll);
            let Some(s) = state.upgrade() else { break };
            if stopped(&s) || !s.is_db_ready() {
                continue;
            }
            if let Err(e) = deliver_webhooks(&s, &mut sender) {
                tracing::warn!(error = %e, "could not deliver webhooks");
            }
        }
    });
}

/// Runs the worker on its own thread until the server's state is gone.
pub fn spawn(state: Weak<AppState>, poll: std::time::Duration) {
    std::thread::spawn(move || loop {
        std::thread::sleep(poll);
        let Some(s) = state.upgrade() else { break };
        if stopped(&s) || !s.is_db_ready() {
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
