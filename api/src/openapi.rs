//! The OpenAPI 3.1 document, generated from the code (SPEC §9).

use crate::dto;
use crate::problem::{Problem, ProblemFieldError};
use crate::routes::{campaigns, forecasts, health, identity, quota, reference};
use actix_web::HttpResponse;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Labour Migration Quota API",
        description = "Employers in Azerbaijan forecast their demand for foreign workers; the State Migration Service reviews and summarises the forecasts; the Commission turns them into a yearly quota per economic activity. Errors are application/problem+json (RFC 9457); messages follow Accept-Language (az, en, ru).",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        identity::me,
        identity::set_email,
        identity::confirm_email,
        identity::create_client,
        identity::list_clients,
        identity::rotate_client,
        identity::revoke_client,
        identity::token,
        reference::occupations,
        reference::import_occupations,
        reference::economic_activities,
        reference::exemption_categories,
        reference::put_exemption,
        reference::retire_exemption,
        forecasts::create,
        forecasts::list,
        forecasts::get,
        forecasts::replace,
        forecasts::delete,
        forecasts::add_line,
        forecasts::update_line,
        forecasts::delete_line,
        forecasts::submit,
        forecasts::withdraw,
        forecasts::start_review,
        forecasts::return_,
        forecasts::accept,
        forecasts::history,
        quota::summary,
        quota::activity_summary,
        quota::get_plan,
        quota::create_plan,
        quota::put_plan,
        quota::propose,
        quota::approve,
        quota::plan_history,
        quota::public_quota,
        quota::allocate,
        quota::cancel,
        quota::accuracy,
        campaigns::get,
        campaigns::put,
        health::live,
        health::ready,
        health::metrics,
    ),
    components(schemas(Problem, ProblemFieldError, dto::Forecast, dto::ForecastSummary, dto::Campaign, forecasts::Sort, reference::Mode, quota::Format, quota::AccuracyBy)),
    modifiers(&Security, &ProblemResponses),
    tags(
        (name = "forecasts", description = "The employer's forecast and its review"),
        (name = "reference", description = "Classifications"),
        (name = "campaigns", description = "The yearly calendar"),
        (name = "quota", description = "Summary, quota plan and enforcement"),
        (name = "identity", description = "The caller"),
        (name = "operations", description = "Probes and metrics"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(utoipa::openapi::security::OAuth2::with_description(
                [utoipa::openapi::security::Flow::ClientCredentials(
                    utoipa::openapi::security::ClientCredentials::new(
                        "/api/v1/oauth/token",
                        utoipa::openapi::security::Scopes::new(),
                    ),
                )],
                "An employer's ERP system: client credentials registered by admin (POST /api/v1/api-clients).",
            )),
        );
        // Every operation that takes a bearer token also takes a client-credentials token.
        for item in openapi.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete].into_iter().flatten() {
                if let Some(sec) = op.security.as_mut() {
                    if !sec.is_empty() {
                        sec.push(utoipa::openapi::security::SecurityRequirement::new("oauth2", Vec::<String>::new()));
                    }
                }
            }
        }
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A JWT with `roles` (and `tin` for employers). Locally: `quota-api token --role employer --tin 1012345061`."))
                    .build(),
            ),
        );
    }
}

/// Adds the problem responses every operation can give, so each one
/// documents its 4XX/5XX with the one shared schema.
struct ProblemResponses;

fn problem(description: &str) -> RefOr<Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new().schema(Some(utoipa::openapi::Ref::from_schema_name("Problem"))).build(),
            )
            .build(),
    )
}

fn add_common(op: &mut Operation, has_body: bool) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut common: Vec<(&str, &str)> = vec![
        ("400", "Malformed request"),
        ("404", "Not found, or not visible to the caller"),
        ("405", "Method not allowed (see `Allow`)"),
        ("422", "Invalid fields; `errors` names each"),
        ("500", "Internal error (the problem carries the request id)"),
        ("503", "Database unavailable; retry after `Retry-After`"),
    ];
    if secured {
        common.push(("401", "Missing or invalid bearer token"));
        common.push(("403", "The token lacks the needed role"));
        common.push(("406", "`Accept` does not admit JSON"));
        common.push(("429", "Rate limit; retry after `Retry-After`"));
    }
    if has_body {
        common.push(("413", "Body over 1 MiB"));
        common.push(("415", "Body is not application/json"));
    }
    let conditional = op.parameters.as_ref().is_some_and(|ps| ps.iter().any(|p| p.name == "If-Match"));
    if conditional {
        common.push(("412", "`If-Match` names another version than the current one"));
        common.push(("428", "`If-Match` is required (when the server is configured so)"));
    }
    for (code, desc) in common {
        if !op.responses.responses.contains_key(code) {
            op.responses.responses.insert(code.to_owned(), problem(desc));
        }
    }
}

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for op in [&mut item.get, &mut item.put, &mut item.delete].into_iter().flatten() {
                let body = op.request_body.is_some();
                add_common(op, body);
            }
            if let Some(op) = item.post.as_mut() {
                add_common(op, true);
            }
        }
    }
}

/// The document as served and committed.
pub fn document() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default() + "\n"
}

/// The OpenAPI document.
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(document())
}
