//! The caller, its contact e-mail, API clients for ERP systems and the OAuth
//! 2.0 token endpoint (SPEC §3).

use crate::auth::{claims_for, mint, Caller};
use crate::dto::{
    ApiClient, ApiClientCreated, ApiClientInput, Contact, EmailConfirmInput, EmailInput, Me, Paged, TokenResponse,
};
use crate::extract::{FileBody, JsonBody, PageParams, Query};
use crate::handler::{Id, Reply, State};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse};
use application::identity as uc;
use application::AppError;
use domain::role::Role;
use domain::value::Text;
use domain::ValidationErrors;
use persistence::identity::{ClientRow, ContactRow};

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
)]
pub async fn me(state: State, caller: Caller) -> Reply {
    let c = caller.clone();
    let contact = state.read_one(move |conn| uc::contact_of(conn, &c)).await?.map(contact_dto);
    let caller = caller.0;
    Ok(HttpResponse::Ok().json(Me {
        sub: caller.sub,
        roles: caller.roles.into_iter().collect(),
        tin: caller.tin,
        name: caller.name,
        contact,
    }))
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
)]
pub async fn set_email(state: State, caller: Caller, body: JsonBody<EmailInput>) -> Reply {
    let (email, now) = (body.value.email, state.now());
    let contact = state.write(move |c| uc::set_email(c, &caller, &email, now)).await?;
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
)]
pub async fn confirm_email(state: State, caller: Caller, body: JsonBody<EmailConfirmInput>) -> Reply {
    let (code, now) = (body.value.code, state.now());
    // A wrong code uses up an attempt: that change commits with the refusal.
    let contact = state.write(move |c| uc::confirm_email(c, &caller, &code, now)).await??;
    Ok(HttpResponse::Ok().json(contact_dto(contact)))
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

/// Register an API client
///
/// Admin: registers an employer's ERP system, bound to one TIN. The secret
/// is in this answer only; it is stored as a hash.
#[utoipa::path(
    post, path = "/api/v1/api-clients", tag = "identity", operation_id = "create_api_client",
    request_body = ApiClientInput,
    responses((status = 201, description = "Registered; keep the secret now", body = ApiClientCreated)),
)]
pub async fn create_client(state: State, caller: Caller, body: JsonBody<ApiClientInput>) -> Reply {
    let (input, now) = (body.value, state.now());
    let (row, secret) = state
        .blocking(move |db| {
            let secret = uc::new_secret(&caller)?;
            let row = db.write(|c| uc::create_client(c, &caller, &input.name, &input.tin, &secret, now))?;
            Ok((row, secret.secret))
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            crate::handler::location::<__path_get_client>(&[("client_id", &row.client_id)]),
        ))
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
)]
pub async fn list_clients(state: State, caller: Caller, q: Query<PageParams>) -> Reply {
    let page = q.0.page()?;
    let (rows, total) = state.read(move |c| uc::list_clients(c, &caller, page)).await?;
    Ok(HttpResponse::Ok().json(Paged::new(rows.iter().map(client_dto).collect(), page, total)))
}

/// Read an API client
///
/// Admin: one client, without its secret (the `Location` of its registration).
/// A revoked client stays on record and is read here with its `revoked_at`.
#[utoipa::path(
    get, path = "/api/v1/api-clients/{client_id}", tag = "identity", operation_id = "get_api_client",
    params(("client_id" = inline(ClientIdText), Path, description = "Client id")),
    responses((status = 200, description = "The client", body = ApiClient)),
)]
pub async fn get_client(state: State, caller: Caller, path: Id) -> Reply {
    let id = path.into_inner();
    let row = state.read_one(move |c| uc::client(c, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(client_dto(&row)))
}

/// Rotate a client's secret
///
/// Admin: a new secret, shown once; the old one stops working at once.
#[utoipa::path(
    post, path = "/api/v1/api-clients/{client_id}/rotate-secret", tag = "identity", operation_id = "rotate_api_client_secret",
    params(("client_id" = String, Path, description = "Client id")),
    responses((status = 200, description = "The new secret", body = ApiClientCreated)),
)]
pub async fn rotate_client(state: State, caller: Caller, path: Id) -> Reply {
    let (id, now) = (path.into_inner(), state.now());
    let (row, secret) = state
        .blocking(move |db| {
            let secret = uc::new_secret(&caller)?;
            let row = db.write(|c| uc::rotate_client(c, &caller, &id, &secret, now))?;
            Ok((row, secret.secret))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(ApiClientCreated { client: client_dto(&row), client_secret: secret }))
}

/// Revoke a client
///
/// Admin: no new tokens; tokens already issued end with their short lifetime.
/// The client is not erased: it stays on record, readable with its
/// `revoked_at`, so an audit can still tell which system filed what.
#[utoipa::path(
    delete, path = "/api/v1/api-clients/{client_id}", tag = "identity", operation_id = "revoke_api_client",
    params(("client_id" = String, Path, description = "Client id")),
    responses((status = 204, description = "Revoked")),
)]
pub async fn revoke_client(state: State, caller: Caller, path: Id) -> Reply {
    let (id, now) = (path.into_inner(), state.now());
    state.write(move |c| uc::revoke_client(c, &caller, &id, now)).await?;
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

/// The one grant a token request may name (RFC 6749 §4.4.2).
const CLIENT_CREDENTIALS: &str = "client_credentials";

/// The shape of `grant_type`: [`CLIENT_CREDENTIALS`] only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
struct GrantShape;

impl domain::value::Shape for GrantShape {
    fn pattern() -> std::borrow::Cow<'static, str> {
        format!("^{CLIENT_CREDENTIALS}$").into()
    }

    fn min() -> u64 {
        CLIENT_CREDENTIALS.len() as u64
    }

    fn max() -> u64 {
        CLIENT_CREDENTIALS.len() as u64
    }
}

type GrantText = domain::value::Shaped<GrantShape>;
type ClientIdText = Text<1, { uc::MAX_CLIENT_ID }>;

/// The form of a client-credentials token request (RFC 6749 §4.4.2).
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"grant_type": CLIENT_CREDENTIALS, "client_id": "qc_5f2a9c0e1b7d4a36", "client_secret": "…"}))]
pub struct TokenForm {
    /// Must be `client_credentials`. Read as optional so that its absence is
    /// answered the RFC 6749 way (`invalid_request`), but documented as required.
    #[schema(value_type = GrantText, inline, required = true)]
    grant_type: Option<String>,
    /// Or HTTP Basic authentication.
    #[schema(value_type = Option<ClientIdText>, inline)]
    client_id: Option<String>,
    #[schema(value_type = Option<Text<1, { uc::MAX_CLIENT_SECRET }>>, inline)]
    client_secret: Option<String>,
    /// Optional; the only scope is `employer`.
    #[schema(value_type = Option<Text<0, { uc::MAX_SCOPE }>>, inline)]
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
pub async fn token(state: State, req: HttpRequest, body: FileBody) -> Reply {
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
    // Refused before anything is looked up: PostgreSQL cannot hold NUL.
    let basic = basic_credentials(&req);
    let mut errs = ValidationErrors::default();
    let (basic_id, basic_secret) = basic.as_ref().map(|(i, s)| (Some(i), Some(s))).unwrap_or_default();
    for (name, v) in [
        ("grant_type", form.grant_type.as_ref()),
        ("client_id", form.client_id.as_ref()),
        ("client_secret", form.client_secret.as_ref()),
        ("scope", form.scope.as_ref()),
        ("client_id", basic_id),
        ("client_secret", basic_secret),
    ] {
        if let Some(Err(e)) = v.map(|v| domain::text::check_controls(name, v)) {
            errs.push(e);
        }
    }
    if !errs.is_empty() {
        return Err(errs.into());
    }
    match form.grant_type.as_deref() {
        Some(CLIENT_CREDENTIALS) => {}
        None => return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required", false)),
        Some(_) => {
            return Ok(oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "only client_credentials", false))
        }
    }
    if form.scope.as_ref().is_some_and(|s| !s.trim().is_empty() && s.trim() != "employer") {
        return Ok(oauth_error(StatusCode::BAD_REQUEST, "invalid_scope", "the only scope is employer", false));
    }
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
    let refused = |status, description| oauth_error(status, "invalid_client", description, used_basic);
    if let Some(wait) = state.client_failures.blocked(&id) {
        let mut r = refused(StatusCode::TOO_MANY_REQUESTS, "too many failed attempts; retry later");
        r.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(wait));
        return Ok(r);
    }
    let lookup = id.clone();
    let client = match state.read_one(move |c| uc::check_client(c, &lookup, &secret)).await? {
        uc::ClientCheck::Valid(client) => client,
        other => {
            // Wrong secrets of a known client count toward its throttle.
            if matches!(other, uc::ClientCheck::Invalid) {
                state.client_failures.failed(&id);
            }
            return Ok(refused(StatusCode::UNAUTHORIZED, "unknown client, wrong secret or revoked"));
        }
    };
    state.client_failures.succeeded(&id);
    // An employer token bound to the client's TIN, living CLIENT_TOKEN_TTL
    // seconds; token times follow the real clock, as their verification does.
    let ttl = state.config.client_token_ttl;
    let now = chrono::Utc::now().timestamp();
    let sub = format!("{}{}", crate::auth::CLIENT_SUBJECT_PREFIX, client.client_id);
    let mut claims = claims_for(&state.config.auth, &sub, &[Role::Employer], Some(&client.tin), now, ttl);
    claims.name = Some(client.name.clone());
    let token = mint(&state.config.auth, &claims).map_err(AppError::bug)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(TokenResponse { access_token: token, token_type: "Bearer".into(), expires_in: ttl }))
}
