//! Tokens are verified strictly (SPEC §3, §10).

use base64::Engine;
use domain::role::Role;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

fn claims(exp_offset: i64) -> serde_json::Value {
    let now = chrono::Utc::now().timestamp();
    json!({"iss": "quota-api", "aud": "quota-api", "sub": "u1", "iat": now, "exp": now + exp_offset, "roles": ["employer"], "tin": TIN_A})
}

fn sign(claims: &serde_json::Value, alg: Algorithm, secret: &[u8]) -> String {
    encode(&Header::new(alg), claims, &EncodingKey::from_secret(secret)).unwrap()
}

#[tokio::test]
async fn forged_tokens_are_refused_with_401() {
    let app = spawn().await;
    let b64 = |v: &serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    let unsigned = format!("{}.{}.", b64(&json!({"alg": "none", "typ": "JWT"})), b64(&claims(600)));
    let mut wrong_aud = claims(600);
    wrong_aud["aud"] = json!("another-api");
    let mut wrong_iss = claims(600);
    wrong_iss["iss"] = json!("someone");
    let mut string_exp = claims(600);
    string_exp["exp"] = json!("99999999999");
    let mut no_sub = claims(600);
    no_sub.as_object_mut().unwrap().remove("sub");
    let mut future_nbf = claims(600);
    future_nbf["nbf"] = json!(chrono::Utc::now().timestamp() + 3600);
    let mut others_only = claims(600);
    others_only["aud"] = json!(["portal", "another-api"]);
    let mut employer_without_tin = claims(600);
    employer_without_tin.as_object_mut().unwrap().remove("tin");
    let cases = [
        ("expired", sign(&claims(-3600), Algorithm::HS256, SECRET)),
        ("unsigned", unsigned),
        ("another key", sign(&claims(600), Algorithm::HS256, b"another-secret-another-secret-another")),
        ("another algorithm", sign(&claims(600), Algorithm::HS512, SECRET)),
        ("another audience", sign(&wrong_aud, Algorithm::HS256, SECRET)),
        ("an audience array without ours", sign(&others_only, Algorithm::HS256, SECRET)),
        ("another issuer", sign(&wrong_iss, Algorithm::HS256, SECRET)),
        ("string exp", sign(&string_exp, Algorithm::HS256, SECRET)),
        ("no sub", sign(&no_sub, Algorithm::HS256, SECRET)),
        ("not yet valid", sign(&future_nbf, Algorithm::HS256, SECRET)),
        ("employer without tin", sign(&employer_without_tin, Algorithm::HS256, SECRET)),
        ("garbage", "not.a.token".to_owned()),
    ];
    for (name, token) in cases {
        let r = app.get("/api/v1/forecasts", &token).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{name}: {}", r.body);
        assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"), "{name}");
        assert_eq!(r.header("content-type").unwrap(), "application/problem+json", "{name}");
    }
    let r = app.send(Method::GET, "/api/v1/forecasts", None, None, &[]).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let good = sign(&claims(600), Algorithm::HS256, SECRET);
    assert_eq!(app.get("/api/v1/forecasts", &good).await.status, StatusCode::OK);
    // RFC 7519 §4.1.3: `aud` may be an array; ours in it is enough.
    let mut several = claims(600);
    several["aud"] = json!(["portal", "quota-api"]);
    let r = app.get("/api/v1/forecasts", &sign(&several, Algorithm::HS256, SECRET)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
}

#[tokio::test]
async fn me_tells_the_caller_what_its_token_says() {
    let app = spawn().await;
    let r = app.get("/api/v1/me", &app.employer(TIN_A)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["roles"], json!(["employer"]));
    assert_eq!(r.body["tin"], TIN_A);
}

#[tokio::test]
async fn staff_routes_refuse_other_roles() {
    let app = spawn().await;
    let id = app.create_draft(TIN_A, two_lines()).await;
    let emp = app.employer(TIN_A);
    assert_eq!(app.action(&id, "submit", &emp).await.status, StatusCode::OK);
    for action in ["start-review", "accept"] {
        let r = app.action(&id, action, &emp).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "employer {action}");
        assert_eq!(r.body["type"], "/problems/forbidden");
        let r = app.action(&id, action, &app.admin()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "admin {action}");
    }
    let r = app.post(&format!("/api/v1/forecasts/{id}/return"), &emp, &json!({"reason": "no"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let campaign = app.get("/api/v1/campaigns/2027", &emp).await.body;
    for t in [emp.clone(), app.officer(), app.token(&[Role::Commission], None)] {
        assert_eq!(app.put("/api/v1/campaigns/2027", &t, &campaign).await.status, StatusCode::FORBIDDEN);
    }
}
