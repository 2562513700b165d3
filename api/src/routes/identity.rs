//! The caller, its contact e-mail, API clients for ERP systems and the OAuth
//! 2.0 token endpoint (SPEC §3).

use crate::auth::{claims_for, mint, Caller};
use crate::dto::{
    ApiClient, ApiClientCreated, ApiClientInput, Contact, EmailConfirmInput, EmailInput, Me, Paged, TokenResponse,
};
use crate::extract::{FileBody, JsonBody, PageParams, Query};
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use domain::contact::Attempt;
use domain::role::Role;
use domain::{FieldError, ValidationErrors};
use persistence::identity::{self, ClientRow, ContactRow};
use sha2::{Digest, Sha256};

fn contact_dto(c: Option<ContactRow>) -> Contact {
    match c {
        None => Contact { email: None, email_confirmed: false, pending_email: None, code_expires_at: None },
        Some(c) => Contact {
            email_confirmed: c.confirmed_at.is_some() && c.email.is_some(),
            email: c.email,
            pending_email: c.pending_email,
            code_expires_at: c.code_expires_at.map(|t| t.and_utc()),
        },
    }
}

/// Who am I
///
/// The caller as its token says: roles, the TIN an employer acts for, and
/// for employers the TIN's contact e-mail and whether it is confirmed.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "identity",
    responses((status = 200, description = "The caller", body = Me)),
    security(("bearer" = []))
)]
pub async fn me(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let contact = match (&caller.tin, caller.roles.contains(&Role::Employer)) {
        (Some(tin), true) => {
            let tin = tin.clone();
            Some(contact_dto(state.read(move |c| identity::contact(c, &tin)).await?))
        }
        _ => None,
    };
    Ok(HttpResponse::Ok().json(Me {
        sub: caller.sub,
        roles: caller.roles.into_iter().map(Into::into).collect(),
        tin: caller.tin,
        name: caller.name,
        contact,
    }))
}

fn code_hash(tin: &str, code: &str) -> String {
    hex::encode(Sha256::digest(format!("{tin}:{code}").as_bytes()))
}

fn employer_tin(caller: &Caller) -> Result<String, ApiError> {
    caller.require(&[Role::Employer])?;
    caller.tin.clone().ok_or(ApiError::Forbidden { needs: vec![Role::Employer] })
}

/// Set the contact e-mail
///
/// Employer: sets the address of its TIN (shared by all its users and ERP
/// clients) and sends a six-digit code to it, valid 24 hours. An address
/// confirmed before stays in force until the new one is confirmed.
#[utoipa::path(
    put, path = "/api/v1/me/email", tag = "identity", operation_id = "set_contact_email",
    request_body = EmailInput,
    responses((status = 202, description = "Code sent; confirm with POST /api/v1/me/email/confirm", body = Contact)),
    security(("bearer" = []))
)]
pub async fn set_email(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<EmailInput>,
) -> Result<HttpResponse, ApiError> {
    let tin = employer_tin(&caller)?;
    let email = domain::contact::check_email(&body.value.email)?;
    let code = format!("{:06}", rand::random_range(0..1_000_000u32));
    let hash = code_hash(&tin, &code);
    let message = domain::notify::confirmation_code(&code);
    let now = state.now();
    let t = tin.clone();
    state.write(move |c| identity::set_pending(c, &t, &email, &hash, &message, now)).await?;
    let contact = state.read(move |c| identity::contact(c, &tin)).await?;
    Ok(HttpResponse::Accepted().json(contact_dto(contact)))
}

/// Confirm the contact e-mail
///
/// Employer: confirms the address with the code sent. Five wrong codes, or
/// 24 hours, and a new code is needed (set the address again).
#[utoipa::path(
    post, path = "/api/v1/me/email/confirm", tag = "identity", operation_id = "confirm_contact_email",
    request_body = EmailConfirmInput,
    responses((status = 200, description = "Confirmed", body = Contact)),
    security(("bearer" = []))
)]
pub async fn confirm_email(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<EmailConfirmInput>,
) -> Result<HttpResponse, ApiError> {
    let tin = employer_tin(&caller)?;
    let code = domain::contact::check_code(&body.value.code)?;
    let hash = code_hash(&tin, &code);
    let now = state.now();
    let t = tin.clone();
    // A wrong code uses up an attempt: that change commits with the refusal.
    let outcome = state.write(move |c| identity::attempt(c, &t, &hash, now)).await?;
    let refuse = |code: &'static str| ApiError::Validation(ValidationErrors(vec![FieldError::new("code", code)]));
    match outcome {
        None => Err(refuse("no_pending_code")),
        Some(Attempt::Expired) => Err(refuse("code_expired")),
        Some(Attempt::Exhausted) => Err(refuse("code_attempts_exhausted")),
        Some(Attempt::Wrong { attempts_left }) => {
            Err(ApiError::Validation(ValidationErrors(vec![
                FieldError::new("code", "code_wrong").with("left", attempts_left)
            ])))
        }
        Some(Attempt::Confirmed) => {
            let contact = state.read(move |c| identity::contact(c, &tin)).await?;
            Ok(HttpResponse::Ok().json(contact_dto(contact)))
        }
    }
}

fn client_dto(c: &ClientRow) -> ApiClient {
    ApiClient {
        client_id: c.client_id.clone(),
        name: c.name.clone(),
        tin: c.tin.clone(),
        created_at: c.created_at.and_utc(),
        secret_rotated_at: c.secret_rotated_at.and_utc(),
        revoked_at: c.revoked_at.map(|t| t.and_utc()),
    }
}

/// A new secret: 32 random bytes, shown once; stored as an argon2 hash.
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

/// Register an API client
///
/// Admin: registers an employer's ERP system, bound to one TIN. The secret
/// is in this answer only; it is stored as a hash.
#[utoipa::path(
    post, path = "/api/v1/api-clients", tag = "identity", operation_id = "create_api_client",
    request_body = ApiClientInput,
    responses((status = 201, description = "Registered; keep the secret now", body = ApiClientCreated)),
    security(("bearer" = []))
)]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ApiClientInput>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let (name, tin) = domain::contact::check_client(&body.value.name, &body.value.tin)?;
    let tin = tin.to_string();
    let (secret, hash) = web::block(new_secret).await??;
    let id = format!("qc_{}", hex::encode(rand::random::<[u8; 8]>()));
    let now = state.now().naive_utc();
    let row = state.write(move |c| identity::create_client(c, &id, &name, &tin, &hash, now)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/api-clients/{}", row.client_id)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ApiClientCreated { client: client_dto(&row), client_secret: secret }))
}

/// List API clients
///
/// Admin: every client, without secrets.
#[utoipa::path(
    get, path = "/api/v1/api-clients", tag = "identity", operation_id = "list_api_clients",
    params(PageParams),
    responses((status = 200, description = "Clients", body = Paged<ApiClient>)),
    security(("bearer" = []))
)]
pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Caller,
    q: Query<PageParams>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let page = q.0.page()?;
    let (rows, total) = state.read(move |c| identity::list_clients(c, page)).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows.iter().map(client_dto).collect(), page, total)))
}

/// Rotate a client's secret
///
/// Admin: a new secret, shown once; the old one stops working at once.
#[utoipa::path(
    post, path = "/api/v1/api-clients/{client_id}/rotate-secret", tag = "identity", operation_id = "rotate_api_client_secret",
    params(("client_id" = String, Path, description = "Client id")),
    responses((status = 200, description = "The new secret", body = ApiClientCreated)),
    security(("bearer" = []))
)]
pub async fn rotate_client(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let id = path.into_inner();
    let (secret, hash) = web::block(new_secret).await??;
    let now = state.now().naive_utc();
    let row = state.write(move |c| identity::rotate_secret(c, &id, &hash, now)).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ApiClientCreated { client: client_dto(&row), client_secret: secret }))
}

/// Revoke a client
///
/// Admin: no new tokens; tokens already issued end with their short lifetime.
#[utoipa::path(
    delete, path = "/api/v1/api-clients/{client_id}", tag = "identity", operation_id = "revoke_api_client",
    params(("client_id" = String, Path, description = "Client id")),
    responses((status = 204, description = "Revoked")),
    security(("bearer" = []))
)]
pub async fn revoke_client(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Admin])?;
    let id = path.into_inner();
    let now = state.now().naive_utc();
    state.write(move |c| identity::revoke_client(c, &id, now)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// An OAuth 2.0 error answer (RFC 6749 §5.2): not a problem document,
/// because OAuth clients expect exactly this shape.
fn oauth_error(status: StatusCode, error: &str, description: &str, basic: bool) -> HttpResponse {
    let mut b = HttpResponse::build(status);
    b.insert_header((header::CACHE_CONTROL, "no-store"));
    if basic {
        b.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"quota-api\""));
    }
    b.json(serde_json::json!({"error": error, "error_description": description}))
}

/// The form of a client-credentials token request (RFC 6749 §4.4.2).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct TokenForm {
    /// Must be `client_credentials`.
    #[schema(example = "client_credentials")]
    grant_type: Option<String>,
    /// Or HTTP Basic authentication.
    #[schema(example = "qc_5f2a9c0e1b7d4a36")]
    client_id: Option<String>,
    client_secret: Option<String>,
    /// Optional; the only scope is `employer`.
    scope: Option<String>,
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    use base64::Engine;
    let h = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, value) = h.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()?;
    let text = String::from_utf8(raw).ok()?;
    let (id, secret) = text.split_once(':')?;
    // RFC 6749 §2.3.1: both parts are form-url-encoded.
    let dec = |s: &str| form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Some((dec(id)?, dec(secret)?))
}

/// Get a token (OAuth 2.0 client credentials)
///
/// An employer's ERP system exchanges its client id and secret (form fields
/// or HTTP Basic) for a short-lived bearer token with role `employer` and
/// its TIN. Errors follow RFC 6749 §5.2. Repeated wrong secrets are throttled.
#[utoipa::path(
    post, path = "/api/v1/oauth/token", tag = "identity", operation_id = "oauth_token",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded",
        description = "grant_type=client_credentials&client_id=…&client_secret=…"),
    responses(
        (status = 200, description = "A bearer token", body = TokenResponse),
        (status = 400, description = "RFC 6749 error: invalid_request, unsupported_grant_type", body = crate::dto::OAuthError),
        (status = 401, description = "RFC 6749 error: invalid_client", body = crate::dto::OAuthError),
        (status = 429, description = "Too many failed attempts for this client", body = crate::dto::OAuthError),
    )
)]
pub async fn token(state: web::Data<AppState>, req: HttpRequest, body: FileBody) -> Result<HttpResponse, ApiError> {
    let is_form = body.content_type.as_deref().is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "send application/x-www-form-urlencoded",
            false,
        ));
    }
    let Ok(form) = serde_urlencoded::from_bytes::<TokenForm>(&body.bytes) else {
        return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "the form could not be read", false));
    };
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        None => return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required", false)),
        Some(_) => {
            return Ok(oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "only client_credentials", false))
        }
    }
    if form.scope.as_ref().is_some_and(|s| !s.trim().is_empty() && s.trim() != "employer") {
        return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", "the only scope is employer", false));
    }
    let basic = basic_credentials(&req);
    let used_basic = basic.is_some();
    let (id, secret) = match (basic, form.client_id, form.client_secret) {
        (Some(b), _, _) => b,
        (None, Some(i), Some(s)) => (i, s),
        _ => {
            return Ok(oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client_id and client_secret are required",
                used_basic,
            ))
        }
    };
    if let Some(wait) = state.client_failures.blocked(&id) {
        let mut r = oauth_error(
            StatusCode::TOO_MANY_REQUESTS,
            "invalid_client",
            "too many failed attempts; retry later",
            used_basic,
        );
        r.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(wait));
        return Ok(r);
    }
    let lookup = id.clone();
    let client = state.read(move |c| identity::client(c, &lookup)).await?;
    let valid = match client {
        Some(c) if c.revoked_at.is_none() => {
            let (s, h) = (secret.clone(), c.secret_hash.clone());
            web::block(move || verify_secret(&s, &h)).await?.then_some(c)
        }
        _ => None,
    };
    let Some(client) = valid else {
        state.client_failures.failed(&id);
        return Ok(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "unknown client, wrong secret or revoked",
            used_basic,
        ));
    };
    state.client_failures.succeeded(&id);
    let ttl = state.config.client_token_ttl;
    // Token times follow the real clock, as their verification does.
    let now = chrono::Utc::now().timestamp();
    let mut claims = claims_for(
        &state.config.auth,
        &format!("client:{}", client.client_id),
        &[Role::Employer],
        Some(&client.tin),
        now,
        ttl,
    );
    claims.name = Some(client.name.clone());
    let token = mint(&state.config.auth, &claims).map_err(ApiError::Internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(TokenResponse { access_token: token, token_type: "Bearer".into(), expires_in: ttl }))
}
