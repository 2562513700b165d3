//! The route table: every operation is listed once, below. Its path and
//! method are read from the handler's `#[utoipa::path]` attribute, so the
//! router and the OpenAPI document are made from one declaration. Each path
//! is one `web::resource` with its methods, so a wrong method answers 405
//! with `Allow` (never 404).

pub mod campaigns;
pub mod commission_inputs;
pub mod docs;
pub mod forecasts;
pub mod health;
pub mod holidays;
pub mod hqm;
pub mod identity;
pub mod quota;
pub mod reference;
pub mod snapshots;
pub mod summaries;
pub mod webhooks;

use crate::problem::HttpError;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, HttpMessage, HttpResponse, Route};
use docs::{OptionalBodies, PagedItemsByReference, ProblemResponses, Security, TextPattern};
use domain::policy::Permission;
use utoipa::openapi::path::HttpMethod;

/// One operation: where the document says it is served, its handler, and
/// the permission a caller needs before its body is read.
pub struct Operation {
    pub path: String,
    pub methods: Vec<Method>,
    route: fn() -> Route,
    pub needs: Option<Permission>,
}

impl Operation {
    fn new<P: utoipa::Path>(route: fn() -> Route, needs: Option<Permission>) -> Operation {
        let methods = P::methods()
            .into_iter()
            .map(|m| match m {
                HttpMethod::Get => Method::GET,
                HttpMethod::Post => Method::POST,
                HttpMethod::Put => Method::PUT,
                HttpMethod::Delete => Method::DELETE,
                HttpMethod::Patch => Method::PATCH,
                HttpMethod::Head => Method::HEAD,
                HttpMethod::Options => Method::OPTIONS,
                HttpMethod::Trace => Method::TRACE,
            })
            .collect();
        Operation { path: P::path(), methods, route, needs }
    }
}

/// The documented order of checks is 403 → 404 → 409 → 422 → 412: an
/// operation that reads a body first refuses a caller without the role it
/// needs, so an employer sending `{}` to an admin's operation learns that it
/// may not, not which fields are missing. The use case asks again (with the
/// resource at hand); a request without a valid token goes on to its 401.
async fn role_before_body(
    needs: Permission,
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let refused = req.extensions().get::<application::Caller>().and_then(|c| c.may(needs).err());
    match refused {
        // An answer, not a middleware error: the envelope renders it and
        // CORS grants it like any handler's refusal.
        Some(e) => Ok(req.error_response(HttpError::from(e))),
        None => next.call(req).await,
    }
}

/// Lists the operations once and makes from that list both [`operations`]
/// (for the router) and [`ApiDoc`] (the document's paths, in this order).
macro_rules! operations {
    (doc: { $($doc:tt)* } ops: [ $($m:ident :: $h:ident $(needs $p:ident)?),* $(,)? ] public: [ $($pm:ident :: $ph:ident),* $(,)? ]) => {
        /// Every operation the API serves, in the document's order.
        pub fn operations() -> Vec<Operation> {
            vec![$(paste::paste! {
                Operation::new::<$m::[<__path_ $h>]>(|| web::route().to($m::$h), None $(.or(Some(Permission::$p)))?)
            }),*]
        }

        /// The operations anyone may call: the path and methods of each.
        /// Every other operation takes the `Caller` (a bearer or
        /// client-credentials token), and the document says so.
        pub fn public_operations() -> Vec<(String, Vec<HttpMethod>)> {
            use utoipa::Path;
            vec![$(paste::paste! { ($pm::[<__path_ $ph>]::path(), $pm::[<__path_ $ph>]::methods()) }),*]
        }

        /// The OpenAPI document (SPEC §9): the operations above and the frame.
        #[derive(utoipa::OpenApi)]
        #[openapi(paths($($m::$h),*), $($doc)*)]
        pub struct ApiDoc;
    };
}

operations! {
    doc: {
        info(
            title = "Labour Migration Quota API",
            description = "Employers in Azerbaijan forecast their demand for foreign workers; the State Migration Service reviews and summarises the forecasts; the Commission turns them into a yearly quota per economic activity. Foreigners apply to be recognised as Highly Qualified Migrants; six authorities score them and the Service issues a signed decision. Errors are application/problem+json (RFC 9457); messages follow Accept-Language (az, en, ru, tr).",
            license(name = "MIT OR Apache-2.0")
        ),
        components(schemas(
            crate::problem::Problem, crate::problem::ProblemFieldError, crate::dto::Forecast,
            crate::dto::ForecastSummary, crate::dto::Campaign, forecasts::Sort, reference::Mode, summaries::Format,
            summaries::AccuracyBy
        )),
        servers((url = "/", description = "The deployment serving this document: production, staging, test or a local development server")),
        modifiers(&Security, &ProblemResponses, &PagedItemsByReference, &TextPattern, &OptionalBodies),
        tags(
            (name = "forecasts", description = "The employer's forecast and its review"),
            (name = "reference", description = "Classifications"),
            (name = "campaigns", description = "The yearly calendar"),
            (name = "quota", description = "Summary, quota plan and enforcement"),
            (name = "hqm", description = "Highly Qualified Migrant assessment: applications, scores, objections, deadlines, signed decisions"),
            (name = "identity", description = "The caller"),
            (name = "webhooks", description = "Signed events for employers' ERP systems (Standard Webhooks); the events are in the document's `webhooks` section"),
            (name = "operations", description = "Probes and metrics"),
        )
    }
    ops: [
        identity::me,
        identity::set_email needs KeepContactEmail,
        identity::confirm_email needs KeepContactEmail,
        identity::create_client needs ManageApiClients,
        identity::list_clients,
        identity::get_client,
        identity::rotate_client,
        identity::revoke_client,
        identity::token,
        webhooks::create,
        webhooks::list,
        webhooks::get,
        webhooks::update,
        webhooks::delete,
        webhooks::rotate,
        webhooks::test,
        webhooks::deliveries,
        webhooks::retry,
        reference::occupations,
        reference::import_occupations needs ManageReferenceData,
        reference::economic_activities,
        reference::exemption_categories,
        reference::put_exemption needs ManageReferenceData,
        reference::retire_exemption,
        forecasts::create needs FileForecasts,
        forecasts::list,
        forecasts::get,
        forecasts::replace needs FileForecasts,
        forecasts::delete,
        forecasts::add_line needs FileForecasts,
        forecasts::update_line needs FileForecasts,
        forecasts::delete_line,
        forecasts::submit,
        forecasts::withdraw,
        forecasts::start_review,
        forecasts::return_ needs ReviewForecasts,
        forecasts::accept needs ReviewForecasts,
        forecasts::reject needs ReviewForecasts,
        forecasts::reopen needs ReviewForecasts,
        forecasts::history,
        summaries::summary,
        summaries::summary_csv,
        summaries::summary_xlsx,
        summaries::activity_summary,
        snapshots::create,
        snapshots::list,
        snapshots::get,
        snapshots::csv,
        snapshots::xlsx,
        quota::get_plan,
        quota::create_plan,
        quota::put_plan needs EditQuotaPlan,
        quota::propose,
        quota::approve needs ApproveQuota,
        quota::return_plan needs ApproveQuota,
        quota::withdraw_proposal needs ProposeQuota,
        quota::amend needs ApproveQuota,
        quota::amendments,
        quota::get_amendment,
        quota::plan_history,
        commission_inputs::list,
        commission_inputs::get,
        commission_inputs::put needs SendCommissionInputs,
        commission_inputs::history,
        commission_inputs::add_file needs SendCommissionInputs,
        commission_inputs::get_file,
        commission_inputs::delete_file,
        quota::public_quota,
        quota::allocate needs RecordPermits,
        quota::cancel,
        quota::end needs RecordPermits,
        summaries::accuracy,
        campaigns::get,
        campaigns::put needs SetCampaigns,
        hqm::criteria,
        hqm::create needs FileHqmApplications,
        hqm::list,
        hqm::get,
        hqm::replace needs FileHqmApplications,
        hqm::delete,
        hqm::upload_document needs FileHqmApplications,
        hqm::get_document,
        hqm::delete_document,
        hqm::submit,
        hqm::withdraw,
        hqm::score needs AssessHqmApplications,
        hqm::object needs AssessHqmApplications,
        hqm::withdraw_objection,
        hqm::extend needs DecideHqmApplications,
        hqm::request_documents needs DecideHqmApplications,
        hqm::put_authority needs ManageReferenceData,
        hqm::list_authorities,
        hqm::put_sector needs ManageReferenceData,
        hqm::list_sectors,
        hqm::decide,
        hqm::history,
        hqm::decision,
        hqm::public_key,
        hqm::check,
        holidays::get,
        holidays::put needs ManageHolidays,
        health::live,
        health::ready,
        health::metrics,
        docs::serve,
    ]
    public: [
        identity::token,
        quota::public_quota,
        hqm::public_key,
        hqm::check,
        health::live,
        health::ready,
        health::metrics,
        docs::serve,
    ]
}

/// The media types the operations of path `pattern` answer besides JSON,
/// as the document declares them, with the ranges that cover them (`image/*`,
/// `text/*`; `application/octet-stream` for a binary `application/` type):
/// what an `Accept` header may ask for there (else 406).
pub fn media_types(pattern: &str) -> &'static [String] {
    static TYPES: std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>> = std::sync::OnceLock::new();
    let all = TYPES.get_or_init(|| {
        use utoipa::OpenApi;
        let mut all = std::collections::HashMap::new();
        for (path, item) in ApiDoc::openapi().paths.paths {
            let ops = [&item.get, &item.put, &item.post, &item.delete, &item.patch];
            let mut types: Vec<String> = Vec::new();
            for op in ops.into_iter().flatten() {
                for response in op.responses.responses.values() {
                    let utoipa::openapi::RefOr::T(r) = response else { continue };
                    for media in r.content.keys() {
                        let essence = media.split(';').next().unwrap_or("").trim().to_owned();
                        if matches!(essence.as_str(), "application/json" | "application/problem+json") {
                            continue;
                        }
                        let range = match essence.split_once('/') {
                            Some(("application", _)) => "application/octet-stream".to_owned(),
                            Some((major, _)) => format!("{major}/*"),
                            None => continue,
                        };
                        for t in [essence, range] {
                            if !types.contains(&t) {
                                types.push(t);
                            }
                        }
                    }
                }
            }
            all.insert(path, types);
        }
        all
    });
    all.get(pattern).map_or(&[], Vec::as_slice)
}

/// The scope every operation of the API is served under (SPEC §7: the
/// version lives in the path).
pub const SCOPE: &str = "/api/v1";

/// Where the resources a problem names are, by the paths of their operations.
pub struct RouteLinks;

impl crate::problem::Links for RouteLinks {
    fn forecast(&self, id: &str) -> Option<String> {
        Some(forecasts::location(id))
    }
}

/// The path pattern of the operation a request was routed to, as the
/// document writes it: the label of its metrics, read without matching the
/// path against the route table again.
pub struct RoutePattern(pub String);

/// Registers every operation: one resource per path, with a 405 naming the
/// path's methods for any other.
pub fn configure(cfg: &mut web::ServiceConfig) {
    type Routes = Vec<(Method, fn() -> Route, Option<Permission>)>;
    let mut paths: Vec<(String, Routes)> = Vec::new();
    for op in operations() {
        let i = match paths.iter().position(|(p, _)| *p == op.path) {
            Some(i) => i,
            None => {
                paths.push((op.path.clone(), Vec::new()));
                paths.len() - 1
            }
        };
        for m in op.methods {
            paths[i].1.push((m, op.route, op.needs));
        }
    }
    // `Allow` lists methods in one fixed order, whatever the table's order.
    let rank = |m: &Method| ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].iter().position(|x| *x == m.as_str());
    for (path, mut routes) in paths {
        routes.sort_by_key(|(m, _, _)| rank(m));
        // HEAD is answered wherever GET is (the envelope routes it as GET).
        let mut methods: Vec<&str> = routes.iter().map(|(m, _, _)| m.as_str()).collect();
        if let Some(i) = methods.iter().position(|m| *m == "GET") {
            methods.insert(i + 1, "HEAD");
        }
        let allow = methods.join(", ");
        let mut resource = web::resource(path.clone()).app_data(RoutePattern(path));
        for (method, route, needs) in routes {
            let route = route().method(method);
            resource = resource.route(match needs {
                Some(p) => route.wrap(from_fn(move |req, next| role_before_body(p, req, next))),
                None => route,
            });
        }
        cfg.service(resource.default_service(web::to(move || {
            let allow = allow.clone();
            async move { Err::<HttpResponse, HttpError>(HttpError::MethodNotAllowed { allow }) }
        })));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The router and the document are made from one list, so they name the
    /// same operations: every (path, method) served is documented, and back.
    #[test]
    fn served_operations_are_the_documented_ones() {
        let mut served: Vec<(String, String)> = operations()
            .into_iter()
            .flat_map(|op| op.methods.into_iter().map(move |m| (op.path.clone(), m.as_str().to_ascii_lowercase())))
            .collect();
        let doc = serde_json::to_value(docs::api_doc()).unwrap();
        let mut documented: Vec<(String, String)> = doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(p, item)| item.as_object().unwrap().keys().map(move |m| (p.clone(), m.clone())))
            .collect();
        served.sort();
        documented.sort();
        assert_eq!(served, documented);
        let unique: std::collections::BTreeSet<_> = served.iter().collect();
        assert_eq!(unique.len(), served.len(), "an operation listed twice");
    }
}
