//! The caller, its TIN's contact e-mail and the ERP systems' API clients
//! (SPEC §3). Handlers keep the HTTP and OAuth shapes; the decisions are here.

use crate::auth::{claims_for, mint, Caller};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::web;
use domain::contact::Attempt;
use domain::policy::Permission;
use domain::role::Role;
use domain::{FieldCode, FieldError, ValidationErrors};
use persistence::identity::{self, ClientRow, ContactRow};
use persistence::Page;
use sha2::{Digest, Sha256};

fn code_hash(tin: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{tin}:{code}").as_bytes()))
}

/// The TIN whose contact e-mail the caller keeps.
fn employer_tin(caller: &Caller) -> Result<String, ApiError> {
    caller.may(Permission::KeepContactEmail)?;
    caller.tin.clone().ok_or(ApiError::Forbidden { needs: vec![Role::Employer] })
}

/// For an employer, the contact of its TIN (`None` inside: none set yet);
/// `None` for staff.
pub async fn contact_of(state: &AppState, caller: &Caller) -> Result<Option<Option<ContactRow>>, ApiError> {
    match (&caller.tin, caller.roles.contains(&Role::Employer)) {
        (Some(tin), true) => {
            let tin = tin.clone();
            Ok(Some(state.read(move |c| identity::contact(c, &tin)).await?))
        }
        _ => Ok(None),
    }
}

/// Sets the address of the employer's TIN and queues a six-digit code to it
/// in the same transaction (SPEC §3).
pub async fn set_email(state: &AppState, caller: &Caller, email: &str) -> Result<Option<ContactRow>, ApiError> {
    let tin = employer_tin(caller)?;
    let email = domain::contact::check_email(email)?;
    let code = format!("{:06}", rand::random_range(0..1_000_000u32));
    let hash = code_hash(&tin, &code);
    let message = domain::notify::confirmation_code(&code);
    let now = state.now();
    let t = tin.clone();
    state.write(move |c| identity::set_pending(c, &t, &email, &hash, &message, now)).await?;
    state.read(move |c| identity::contact(c, &tin)).await
}

/// Confirms the address with the code sent. A wrong code uses up an
/// attempt: that change commits with the refusal.
pub async fn confirm_email(state: &AppState, caller: &Caller, code: &str) -> Result<Option<ContactRow>, ApiError> {
    let tin = employer_tin(caller)?;
    let code = domain::contact::check_code(code)?;
    let hash = code_hash(&tin, &code);
    let now = state.now();
    let t = tin.clone();
    let outcome = state.write(move |c| identity::attempt(c, &t, &hash, now)).await?;
    let refuse = |e: FieldError| ApiError::Validation(ValidationErrors(vec![e]));
    match outcome {
        None => Err(refuse(FieldError::new("code", FieldCode::NoPendingCode))),
        Some(Attempt::Expired) => Err(refuse(FieldError::new("code", FieldCode::CodeExpired))),
        Some(Attempt::Exhausted) => Err(refuse(FieldError::new("code", FieldCode::CodeAttemptsExhausted))),
        Some(Attempt::Wrong { attempts_left }) => {
            Err(refuse(FieldError::new("code", FieldCode::CodeWrong).with("left", attempts_left)))
        }
        Some(Attempt::Confirmed) => state.read(move |c| identity::contact(c, &tin)).await,
    }
}

/// A new secret and its argon2 hash (the only form it is stored in).
fn new_secret() -> Result<(String, String), ApiError> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let secret = hex::encode(rand::random::<[u8; 32]>());
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .to_string();
    Ok((secret, hash))
}

fn verify_secret(secret: &str, hash: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(secret.as_bytes(), &h).is_ok())
}

/// Admin registers an ERP system bound to one TIN; the secret is returned
/// once.
pub async fn create_client(
    state: &AppState,
    caller: &Caller,
    name: &str,
    tin: &str,
) -> Result<(ClientRow, String), ApiError> {
    caller.may(Permission::ManageApiClients)?;
    let (name, tin) = domain::contact::check_client(name, tin)?;
    let tin = tin.to_string();
    let (secret, hash) = web::block(new_secret).await??;
    let id = format!("qc_{}", hex::encode(rand::random::<[u8; 8]>()));
    let now = state.now().naive_utc();
    let row = state.write(move |c| identity::create_client(c, &id, &name, &tin, &hash, now)).await?;
    Ok((row, secret))
}

/// Every client, without secrets.
pub async fn list_clients(state: &AppState, caller: &Caller, page: Page) -> Result<(Vec<ClientRow>, i64), ApiError> {
    caller.may(Permission::ManageApiClients)?;
    state.read(move |c| identity::list_clients(c, page)).await
}

/// One client, without its secret.
pub async fn client(state: &AppState, caller: &Caller, id: String) -> Result<ClientRow, ApiError> {
    caller.may(Permission::ManageApiClients)?;
    state.read(move |c| identity::client(c, &id)).await?.ok_or(ApiError::NotFound)
}

/// A new secret for client `id`; the old one stops working at once.
pub async fn rotate_client(state: &AppState, caller: &Caller, id: String) -> Result<(ClientRow, String), ApiError> {
    caller.may(Permission::ManageApiClients)?;
    let (secret, hash) = web::block(new_secret).await??;
    let now = state.now().naive_utc();
    let row = state.write(move |c| identity::rotate_secret(c, &id, &hash, now)).await?;
    Ok((row, secret))
}

/// No new tokens for client `id`.
pub async fn revoke_client(state: &AppState, caller: &Caller, id: String) -> Result<(), ApiError> {
    caller.may(Permission::ManageApiClients)?;
    let now = state.now().naive_utc();
    state.write(move |c| identity::revoke_client(c, &id, now)).await
}

/// Why a client's token request is refused (answered the RFC 6749 way).
pub enum ClientRefusal {
    /// Too many wrong secrets lately: retry after this many seconds.
    Throttled(u64),
    /// Unknown client, wrong secret or revoked.
    Invalid,
}

/// An access token for client `id` with `secret` (OAuth 2.0 client
/// credentials): an employer token bound to the client's TIN, living
/// `CLIENT_TOKEN_TTL` seconds. Wrong secrets of a known client count
/// toward its throttle.
pub async fn issue_token(
    state: &AppState,
    id: String,
    secret: String,
) -> Result<Result<(String, i64), ClientRefusal>, ApiError> {
    if let Some(wait) = state.client_failures.blocked(&id) {
        return Ok(Err(ClientRefusal::Throttled(wait)));
    }
    // Our ids are `qc_` and 16 hex digits: a longer one is nobody's, and is
    // not looked up.
    let lookup = id.clone();
    let client = if id.len() <= 64 { state.read(move |c| identity::client(c, &lookup)).await? } else { None };
    let exists = client.is_some();
    let valid = match client {
        Some(c) if c.revoked_at.is_none() => {
            let h = c.secret_hash.clone();
            web::block(move || verify_secret(&secret, &h)).await?.then_some(c)
        }
        _ => None,
    };
    let Some(client) = valid else {
        if exists {
            state.client_failures.failed(&id);
        }
        return Ok(Err(ClientRefusal::Invalid));
    };
    state.client_failures.succeeded(&id);
    let ttl = state.config.client_token_ttl;
    // Token times follow the real clock, as their verification does.
    let now = chrono::Utc::now().timestamp();
    let sub = format!("client:{}", client.client_id);
    let mut claims = claims_for(&state.config.auth, &sub, &[Role::Employer], Some(&client.tin), now, ttl);
    claims.name = Some(client.name.clone());
    let token = mint(&state.config.auth, &claims).map_err(ApiError::Internal)?;
    Ok(Ok((token, ttl)))
}
