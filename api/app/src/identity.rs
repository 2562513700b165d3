//! The caller, its TIN's contact e-mail and the ERP systems' API clients
//! (SPEC §3). The HTTP and OAuth shapes are the handlers'; the decisions
//! are here.

use crate::{AppError, Caller};
use chrono::{DateTime, NaiveDateTime, Utc};
use domain::contact::Attempt;
use domain::policy::Permission;
use domain::role::Role;
use domain::{FieldCode, FieldError};
use persistence::identity::{self, ClientRow, ContactRow};
use persistence::{DbConnection, Page};
use sha2::{Digest, Sha256};

fn code_hash(tin: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{tin}:{code}").as_bytes()))
}

/// The TIN whose contact e-mail the caller keeps.
fn employer_tin(caller: &Caller) -> Result<&str, AppError> {
    caller.may(Permission::KeepContactEmail)?;
    caller.tin.as_deref().ok_or(AppError::Forbidden { needs: vec![Role::Employer] })
}

/// For an employer, the contact of its TIN (`None` inside: none set yet);
/// `None` for staff.
pub fn contact_of(conn: &mut DbConnection, caller: &Caller) -> Result<Option<Option<ContactRow>>, AppError> {
    match (&caller.tin, caller.roles.contains(&Role::Employer)) {
        (Some(tin), true) => Ok(Some(identity::contact(conn, tin)?)),
        _ => Ok(None),
    }
}

/// Sets the address of the employer's TIN and queues a six-digit code to it
/// in the same transaction (SPEC §3).
pub fn set_email(
    conn: &mut DbConnection,
    caller: &Caller,
    email: &str,
    now: DateTime<Utc>,
) -> Result<Option<ContactRow>, AppError> {
    let tin = employer_tin(caller)?;
    let email = domain::contact::check_email(email)?;
    let code = format!("{:06}", rand::random_range(0..1_000_000u32));
    let message = domain::messages::mail::confirmation_code(&code);
    identity::set_pending(conn, tin, &email, &code_hash(tin, &code), &message, now)?;
    Ok(identity::contact(conn, tin)?)
}

/// Confirms the address with the code sent. A wrong code uses up an
/// attempt, and that change commits with the refusal: the outer result is
/// the transaction's, the inner one the answer.
pub fn confirm_email(
    conn: &mut DbConnection,
    caller: &Caller,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Result<Option<ContactRow>, AppError>, AppError> {
    let tin = employer_tin(caller)?;
    let code = domain::contact::check_code(code)?;
    let refuse = |e: FieldError| Ok(Err(AppError::from(e)));
    match identity::attempt(conn, tin, &code_hash(tin, &code), now)? {
        None => refuse(FieldError::new("code", FieldCode::NoPendingCode)),
        Some(Attempt::Expired) => refuse(FieldError::new("code", FieldCode::CodeExpired)),
        Some(Attempt::Exhausted) => refuse(FieldError::new("code", FieldCode::CodeAttemptsExhausted)),
        Some(Attempt::Wrong { attempts_left }) => {
            refuse(FieldError::new("code", FieldCode::CodeWrong).with("left", attempts_left))
        }
        Some(Attempt::Confirmed) => Ok(Ok(identity::contact(conn, tin)?)),
    }
}

/// A new client secret: shown once, stored only as its argon2 hash.
pub struct NewSecret {
    pub secret: String,
    hash: String,
}

/// A new secret and its hash for an API client, if `caller` manages them:
/// CPU work of tens of milliseconds, to run before the transaction that
/// stores it ([`create_client`], [`rotate_client`]).
pub fn new_secret(caller: &Caller) -> Result<NewSecret, AppError> {
    caller.may(Permission::ManageApiClients)?;
    use argon2::password_hash::{PasswordHasher, SaltString};
    let secret = hex::encode(rand::random::<[u8; 32]>());
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).map_err(|e| AppError::bug(e.to_string()))?;
    let hash = argon2::Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|e| AppError::bug(e.to_string()))?
        .to_string();
    Ok(NewSecret { secret, hash })
}

fn verify_secret(secret: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(secret.as_bytes(), &h).is_ok())
}

/// Admin registers an ERP system bound to one TIN with `secret` (from
/// [`new_secret`]), returned once.
pub fn create_client(
    conn: &mut DbConnection,
    caller: &Caller,
    name: &str,
    tin: &str,
    secret: &NewSecret,
    now: DateTime<Utc>,
) -> Result<ClientRow, AppError> {
    caller.may(Permission::ManageApiClients)?;
    let (name, tin) = domain::contact::check_client(name, tin)?;
    let id = format!("qc_{}", hex::encode(rand::random::<[u8; 8]>()));
    Ok(identity::create_client(conn, &id, &name, tin.as_str(), &secret.hash, now.naive_utc())?)
}

/// Every client, without secrets.
pub fn list_clients(conn: &mut DbConnection, caller: &Caller, page: Page) -> Result<(Vec<ClientRow>, i64), AppError> {
    caller.may(Permission::ManageApiClients)?;
    Ok(identity::list_clients(conn, page)?)
}

/// One client, without its secret.
pub fn client(conn: &mut DbConnection, caller: &Caller, id: &str) -> Result<ClientRow, AppError> {
    caller.may(Permission::ManageApiClients)?;
    identity::client(conn, id)?.ok_or(AppError::NotFound)
}

/// `secret` (from [`new_secret`]) replaces client `id`'s; the old one stops
/// working at once.
pub fn rotate_client(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    secret: &NewSecret,
    now: DateTime<Utc>,
) -> Result<ClientRow, AppError> {
    caller.may(Permission::ManageApiClients)?;
    Ok(identity::rotate_secret(conn, id, &secret.hash, now.naive_utc())?)
}

/// No new tokens for client `id`.
pub fn revoke_client(conn: &mut DbConnection, caller: &Caller, id: &str, now: DateTime<Utc>) -> Result<(), AppError> {
    caller.may(Permission::ManageApiClients)?;
    Ok(identity::revoke_client(conn, id, now.naive_utc())?)
}

/// What a client's credentials are (OAuth 2.0 client credentials).
pub enum ClientCheck {
    /// No such client: nothing to throttle.
    Unknown,
    /// A known client with a wrong secret, or revoked.
    Invalid,
    /// The client, whose token the caller mints.
    Valid(ClientRow),
}

/// The outbox as operators watch it (SPEC §16.6): messages not sent yet,
/// and the age of the oldest in seconds at `now`.
pub struct OutboxBacklog {
    pub depth: i64,
    pub oldest_age_seconds: Option<i64>,
}

/// The outbox's backlog at `now`: readiness and metrics report it, so a
/// mail relay that stopped is seen before employers are stuck.
pub fn outbox_backlog(conn: &mut DbConnection, now: NaiveDateTime) -> Result<OutboxBacklog, AppError> {
    let (depth, oldest) = identity::outbox_backlog(conn)?;
    Ok(OutboxBacklog { depth, oldest_age_seconds: oldest.map(|t| (now - t).num_seconds().max(0)) })
}

/// The longest client id read: ours are `qc_` and 16 hex digits, so a
/// longer one is nobody's, and is not looked up.
pub const MAX_CLIENT_ID: u64 = 64;
/// The longest client secret read (ours are 43 characters).
pub const MAX_CLIENT_SECRET: u64 = 200;
/// The longest `scope` read (the only scope is `employer`).
pub const MAX_SCOPE: u64 = 100;

/// Checks client `id`'s `secret` (an id longer than [`MAX_CLIENT_ID`] is
/// nobody's).
pub fn check_client(conn: &mut DbConnection, id: &str, secret: &str) -> Result<ClientCheck, AppError> {
    let client = if id.len() as u64 <= MAX_CLIENT_ID { identity::client(conn, id)? } else { None };
    Ok(match client {
        None => ClientCheck::Unknown,
        Some(c) if c.revoked_at.is_none() && verify_secret(secret, &c.secret_hash) => ClientCheck::Valid(c),
        Some(_) => ClientCheck::Invalid,
    })
}
