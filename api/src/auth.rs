//! Bearer tokens (SPEC §3): strict verification per RFC 8725 and local minting.

use crate::config::AuthConfig;
use crate::problem::{AuthFailure, HttpError};
use actix_web::{dev::Payload, http::header, web, FromRequest, HttpMessage, HttpRequest};
use domain::commission_inputs::Body;
use domain::hqm::criteria::Authority;
use domain::role::Role;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::future::{ready, Ready};

/// The `aud` claim: one audience, or several (RFC 7519 §4.1.3). Which one
/// must be ours is checked by `jsonwebtoken`'s validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl From<&str> for Audience {
    fn from(s: &str) -> Self {
        Audience::One(s.to_owned())
    }
}

/// The claims this API reads (SPEC §3).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: Audience,
    pub sub: String,
    pub exp: i64,
    pub iat: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The scoring authority of an `assessor` (SPEC §14.1): `sectoral`,
    /// `economy`, `education`, `sms` or `labour`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authority: Option<String>,
    /// The body a `contributor` sends the Commission's input for (SPEC
    /// §16.2): `labour`, `economy`, `education` or `socar`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The sectoral body of a `sectoral` assessor (SPEC §16.4.5); without
    /// it the assessor acts for the default body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
}

/// How far a token's times may be off the server's clock (`nbf`, `iat`, `exp`).
pub const LEEWAY_SECONDS: u64 = 30;

/// The subject of tokens minted for API clients: `client:` and the client id.
pub use application::CLIENT_SUBJECT_PREFIX;

/// Verifies tokens with the one configured algorithm and key.
pub struct Verifier {
    key: DecodingKey,
    validation: Validation,
    /// The longest `exp − iat` of a user's token.
    max_lifetime: i64,
    /// The longest `exp − iat` of a client-credentials token: the lifetime
    /// this API issues them with (`CLIENT_TOKEN_TTL`).
    client_lifetime: i64,
}

impl Verifier {
    pub fn new(cfg: &AuthConfig) -> Result<Verifier, String> {
        let key = match cfg.alg {
            Algorithm::HS256 => DecodingKey::from_secret(cfg.secret.as_deref().unwrap_or_default()),
            Algorithm::RS256 => DecodingKey::from_rsa_pem(cfg.public_key_pem.as_deref().unwrap_or_default())
                .map_err(|e| format!("AUTH_JWT_PUBLIC_KEY: {e}"))?,
            Algorithm::ES256 => DecodingKey::from_ec_pem(cfg.public_key_pem.as_deref().unwrap_or_default())
                .map_err(|e| format!("AUTH_JWT_PUBLIC_KEY: {e}"))?,
            other => return Err(format!("unsupported algorithm {other:?}")),
        };
        // The algorithm is pinned: a token naming another (or `none`) fails.
        let mut validation = Validation::new(cfg.alg);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.set_issuer(&[&cfg.issuer]);
        validation.set_audience(&[&cfg.audience]);
        validation.validate_nbf = true;
        validation.leeway = LEEWAY_SECONDS;
        let max_lifetime = cfg.max_token_lifetime;
        Ok(Verifier { key, validation, max_lifetime, client_lifetime: max_lifetime })
    }

    /// Client-credentials tokens (`sub` = `client:…`, minted by
    /// `POST /api/v1/oauth/token`) are held to the lifetime they are issued
    /// with, not to the users' maximum.
    pub fn with_client_lifetime(mut self, seconds: i64) -> Verifier {
        self.client_lifetime = seconds;
        self
    }

    /// The caller a token stands for, or why it is refused.
    pub fn verify(&self, token: &str) -> Result<application::Caller, HttpError> {
        let data = decode::<Claims>(token, &self.key, &self.validation).map_err(|e| {
            HttpError::Unauthorized(match e.kind() {
                ErrorKind::ExpiredSignature => AuthFailure::TokenExpired,
                ErrorKind::ImmatureSignature => AuthFailure::TokenNotYetValid,
                ErrorKind::InvalidSignature => AuthFailure::BadSignature,
                ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => AuthFailure::WrongAlgorithm,
                ErrorKind::InvalidAudience => AuthFailure::WrongAudience,
                ErrorKind::InvalidIssuer => AuthFailure::WrongIssuer,
                ErrorKind::MissingRequiredClaim(_) => AuthFailure::MissingClaim,
                _ => AuthFailure::MalformedToken,
            })
        })?;
        let c = data.claims;
        if c.sub.trim().is_empty() {
            return Err(HttpError::Unauthorized(AuthFailure::MissingClaim));
        }
        // jsonwebtoken checks `exp` and `nbf` but not `iat`: a token issued
        // "tomorrow" would otherwise live a day longer than its `exp − iat`
        // says, and a very long one is a stolen key's best friend.
        if c.iat > chrono::Utc::now().timestamp().saturating_add_unsigned(LEEWAY_SECONDS) {
            return Err(HttpError::Unauthorized(AuthFailure::TokenIssuedInFuture));
        }
        let max = if c.sub.starts_with(CLIENT_SUBJECT_PREFIX) { self.client_lifetime } else { self.max_lifetime };
        if c.exp.saturating_sub(c.iat) > max {
            return Err(HttpError::Unauthorized(AuthFailure::TokenLifetimeTooLong));
        }
        // What a token says is stored (history, idempotency keys): it obeys
        // the rule for every text a request carries.
        let texts = [
            Some(&c.sub),
            c.tin.as_ref(),
            c.name.as_ref(),
            c.email.as_ref(),
            c.authority.as_ref(),
            c.body.as_ref(),
            c.sector.as_ref(),
        ];
        if texts.into_iter().flatten().any(|t| t.chars().any(domain::text::is_forbidden_control)) {
            return Err(HttpError::Unauthorized(AuthFailure::MalformedToken));
        }
        let roles: Vec<Role> = c.roles.iter().filter_map(|r| Role::parse(r)).collect();
        let tin = c.tin.filter(|t| !t.is_empty());
        if roles.contains(&Role::Employer) {
            match &tin {
                Some(t) if domain::tin::Tin::parse(t).is_ok() => {}
                _ => return Err(HttpError::Unauthorized(AuthFailure::EmployerWithoutValidTin)),
            }
        }
        // An assessor scores for one authority, which the token must name
        // (SPEC §14.1); the claim means nothing without the role.
        let authority = match (roles.contains(&Role::Assessor), c.authority.as_deref()) {
            (true, Some(a)) => match Authority::parse(a) {
                Some(a) => Some(a),
                None => return Err(HttpError::Unauthorized(AuthFailure::AssessorWithoutValidAuthority)),
            },
            (true, None) => return Err(HttpError::Unauthorized(AuthFailure::AssessorWithoutValidAuthority)),
            (false, _) => None,
        };
        // A contributor sends the input of one body, which the token must
        // name (SPEC §16.2); the claim means nothing without the role.
        let body = match (roles.contains(&Role::Contributor), c.body.as_deref()) {
            (true, Some(b)) => match Body::parse(b) {
                Some(b) => Some(b),
                None => return Err(HttpError::Unauthorized(AuthFailure::ContributorWithoutValidBody)),
            },
            (true, None) => return Err(HttpError::Unauthorized(AuthFailure::ContributorWithoutValidBody)),
            (false, _) => None,
        };
        // The claim names a body of the sectoral authority only; its form is
        // a body's code.
        let sector = match (authority, c.sector) {
            (Some(Authority::Sectoral), Some(s)) if domain::hqm::sectors::is_code(&s) => Some(s),
            (Some(Authority::Sectoral), Some(_)) => {
                return Err(HttpError::Unauthorized(AuthFailure::AssessorWithoutValidAuthority))
            }
            _ => None,
        };
        Ok(application::Caller { sub: c.sub, roles, tin, name: c.name, email: c.email, authority, body, sector })
    }
}

/// Signs tokens for local use and tests (`quota-api token`).
pub fn mint(cfg: &AuthConfig, claims: &Claims) -> Result<String, String> {
    let key = match cfg.alg {
        Algorithm::HS256 => EncodingKey::from_secret(cfg.secret.as_deref().unwrap_or_default()),
        Algorithm::RS256 => EncodingKey::from_rsa_pem(
            cfg.private_key_pem.as_deref().ok_or("minting RS256 tokens needs AUTH_JWT_PRIVATE_KEY")?,
        )
        .map_err(|e| e.to_string())?,
        Algorithm::ES256 => EncodingKey::from_ec_pem(
            cfg.private_key_pem.as_deref().ok_or("minting ES256 tokens needs AUTH_JWT_PRIVATE_KEY")?,
        )
        .map_err(|e| e.to_string())?,
        other => return Err(format!("unsupported algorithm {other:?}")),
    };
    encode(&Header::new(cfg.alg), claims, &key).map_err(|e| e.to_string())
}

/// Claims for a token of `roles` (and `tin`) valid for `ttl_seconds` from `now`.
pub fn claims_for(
    cfg: &AuthConfig,
    sub: &str,
    roles: &[Role],
    tin: Option<&str>,
    now: i64,
    ttl_seconds: i64,
) -> Claims {
    Claims {
        iss: cfg.issuer.clone(),
        aud: Audience::One(cfg.audience.clone()),
        sub: sub.to_owned(),
        exp: now + ttl_seconds,
        iat: now,
        nbf: None,
        roles: roles.iter().map(|r| r.as_str().to_owned()).collect(),
        tin: tin.map(str::to_owned),
        name: None,
        email: None,
        authority: None,
        body: None,
        sector: None,
    }
}

/// The authenticated caller of a request: the extractor of the use cases'
/// [`application::Caller`], which it derefs to.
#[derive(Debug, Clone)]
pub struct Caller(pub application::Caller);

impl std::ops::Deref for Caller {
    type Target = application::Caller;

    fn deref(&self) -> &application::Caller {
        &self.0
    }
}

/// The token of a request, if it sent one.
pub fn bearer_token(req: &HttpRequest) -> Option<&str> {
    let h = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = h.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

impl FromRequest for Caller {
    type Error = HttpError;
    type Future = Ready<Result<Caller, HttpError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(verifier) = req.app_data::<web::Data<Verifier>>() else {
            return ready(Err(application::AppError::bug("application state missing").into()));
        };
        // The envelope verified the token already when it was valid.
        if let Some(caller) = req.extensions().get::<application::Caller>() {
            return ready(Ok(Caller(caller.clone())));
        }
        ready(match bearer_token(req) {
            None => Err(HttpError::Unauthorized(AuthFailure::MissingToken)),
            Some(t) => verifier.verify(t).map(Caller),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> AuthConfig {
        AuthConfig {
            alg: Algorithm::HS256,
            secret: Some(b"0123456789abcdef0123456789abcdef".to_vec()),
            public_key_pem: None,
            private_key_pem: None,
            issuer: "quota-api".into(),
            audience: "quota-api".into(),
            generated_secret: false,
            max_token_lifetime: crate::config::DEFAULT_MAX_TOKEN_LIFETIME,
        }
    }

    /// jsonwebtoken 10 needs a crypto backend feature, and without one it
    /// panics at run time: this test signs and verifies a real token.
    #[test]
    fn a_minted_token_verifies() {
        let c = cfg();
        let now = chrono::Utc::now().timestamp();
        let t = mint(&c, &claims_for(&c, "u1", &[Role::Employer], Some("1012345061"), now, 60)).unwrap();
        let caller = Verifier::new(&c).unwrap().verify(&t).unwrap();
        assert_eq!(caller.roles, vec![Role::Employer]);
        assert_eq!(caller.tin.as_deref(), Some("1012345061"));
    }

    /// A contributor's token names its body (SPEC §16.2).
    #[test]
    fn a_contributor_needs_a_known_body() {
        let c = cfg();
        let v = Verifier::new(&c).unwrap();
        let now = chrono::Utc::now().timestamp();
        let mut claims = claims_for(&c, "c1", &[Role::Contributor], None, now, 60);
        assert!(matches!(
            v.verify(&mint(&c, &claims).unwrap()),
            Err(HttpError::Unauthorized(AuthFailure::ContributorWithoutValidBody))
        ));
        claims.body = Some("sms".into());
        assert!(v.verify(&mint(&c, &claims).unwrap()).is_err(), "the SMS's input is computed");
        claims.body = Some("socar".into());
        assert_eq!(v.verify(&mint(&c, &claims).unwrap()).unwrap().body, Some(Body::Socar));
        claims.roles = vec!["officer".into()];
        assert_eq!(v.verify(&mint(&c, &claims).unwrap()).unwrap().body, None, "no body without the role");
    }

    /// An assessor's token names its authority (SPEC §14.1).
    #[test]
    fn an_assessor_needs_a_known_authority() {
        let c = cfg();
        let v = Verifier::new(&c).unwrap();
        let now = chrono::Utc::now().timestamp();
        let mut claims = claims_for(&c, "a1", &[Role::Assessor], None, now, 60);
        assert!(matches!(
            v.verify(&mint(&c, &claims).unwrap()),
            Err(HttpError::Unauthorized(AuthFailure::AssessorWithoutValidAuthority))
        ));
        claims.authority = Some("ministry".into());
        assert!(v.verify(&mint(&c, &claims).unwrap()).is_err());
        claims.authority = Some("economy".into());
        assert_eq!(v.verify(&mint(&c, &claims).unwrap()).unwrap().authority, Some(Authority::Economy));
    }

    /// A throw-away P-256 key pair made for this test only.
    const EC_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgT1xGlN1f8JJm47TR\nvcepRtup6ihYtM/pGgz4aALz/UqhRANCAAR4QgmcGXXi+Kf/CgeuYPWtSWyfcWZc\nZJExemTBRTYIt70LaGW4VhH845Vtz7PlDwJVtLLyzXgUVqHVvVScoUjK\n-----END PRIVATE KEY-----\n";
    const EC_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEeEIJnBl14vin/woHrmD1rUlsn3Fm\nXGSRMXpkwUU2CLe9C2hluFYR/OOVbc+z5Q8CVbSy8s14FFah1b1UnKFIyg==\n-----END PUBLIC KEY-----\n";

    #[test]
    fn es256_with_a_pem_key_pair_and_no_algorithm_switching() {
        let es = AuthConfig {
            alg: Algorithm::ES256,
            secret: None,
            public_key_pem: Some(EC_PUBLIC.as_bytes().to_vec()),
            private_key_pem: Some(EC_PRIVATE.as_bytes().to_vec()),
            ..cfg()
        };
        let now = chrono::Utc::now().timestamp();
        let t = mint(&es, &claims_for(&es, "u1", &[Role::Officer], None, now, 60)).unwrap();
        assert_eq!(Verifier::new(&es).unwrap().verify(&t).unwrap().roles, vec![Role::Officer]);
        // An HS256 token, even one signed with the public key's text as a secret, is refused.
        let hs = AuthConfig { secret: Some(EC_PUBLIC.as_bytes().to_vec()), ..cfg() };
        let forged = mint(&hs, &claims_for(&hs, "u1", &[Role::Admin], None, now, 60)).unwrap();
        assert!(matches!(
            Verifier::new(&es).unwrap().verify(&forged),
            Err(HttpError::Unauthorized(AuthFailure::WrongAlgorithm))
        ));
    }

    /// RFC 7519 §4.1.3: `aud` may be an array; a token is for us when the
    /// array holds our audience.
    #[test]
    fn an_audience_array_that_holds_ours_is_accepted() {
        let c = cfg();
        let now = chrono::Utc::now().timestamp();
        let mut claims = claims_for(&c, "u1", &[Role::Officer], None, now, 60);
        claims.aud = Audience::Many(vec!["portal".into(), "quota-api".into()]);
        let caller = Verifier::new(&c).unwrap().verify(&mint(&c, &claims).unwrap()).unwrap();
        assert_eq!(caller.roles, vec![Role::Officer]);
    }

    #[test]
    fn expired_and_wrong_audience_are_refused() {
        let c = cfg();
        let v = Verifier::new(&c).unwrap();
        let now = chrono::Utc::now().timestamp();
        let expired = mint(&c, &claims_for(&c, "u1", &[Role::Officer], None, now - 3600, 60)).unwrap();
        assert!(matches!(v.verify(&expired), Err(HttpError::Unauthorized(AuthFailure::TokenExpired))));
        let mut claims = claims_for(&c, "u1", &[Role::Officer], None, now, 60);
        claims.aud = "someone-else".into();
        let other = mint(&c, &claims).unwrap();
        assert!(matches!(v.verify(&other), Err(HttpError::Unauthorized(AuthFailure::WrongAudience))));
        claims.aud = Audience::Many(vec!["someone-else".into(), "another".into()]);
        let others = mint(&c, &claims).unwrap();
        assert!(matches!(v.verify(&others), Err(HttpError::Unauthorized(AuthFailure::WrongAudience))));
        claims.aud = Audience::Many(vec![]);
        assert!(v.verify(&mint(&c, &claims).unwrap()).is_err());
    }
}
