//! The route table: every operation is listed once, below. Its path and
//! method are read from the handler's `#[utoipa::path]` attribute, so the
//! router and the OpenAPI document are made from one declaration. Each path
//! is one `web::resource` with its methods, so a wrong method answers 405
//! with `Allow` (never 404).

pub mod campaigns;
pub mod forecasts;
pub mod health;
pub mod holidays;
pub mod hqm;
pub mod identity;
pub mod quota;
pub mod reference;
pub mod snapshots;
pub mod summaries;

use crate::openapi::{OptionalBodies, PagedItemsByReference, ProblemResponses, Security, TextPattern};
use crate::problem::HttpError;
use actix_web::http::Method;
use actix_web::{web, HttpResponse, Route};
use application::AppError;
use utoipa::openapi::path::HttpMethod;

/// The application state, as a handler receives it.
pub type State = web::Data<crate::state::AppState>;
/// What a handler answers: a response, or a problem document.
pub type Reply = Result<HttpResponse, HttpError>;
/// One id in the path.
pub type Id = web::Path<String>;
/// Two segments of the path: a resource's id and its part's, or a year and a number.
pub type TwoSegments = web::Path<(String, String)>;
/// What a `POST` acting on one resource receives: the state, the request
/// (whose method, path and body the idempotency key is bound to), the
/// caller, the resource's id (the first segment of its path), `If-Match`
/// and `Idempotency-Key`.
pub struct Action {
    pub state: State,
    pub req: actix_web::HttpRequest,
    pub caller: crate::auth::Caller,
    pub id: String,
    pub if_match: crate::extract::IfMatch,
    pub key: crate::extract::IdempotencyKey,
}

impl actix_web::FromRequest for Action {
    type Error = actix_web::Error;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Action, actix_web::Error>>;

    fn from_request(req: &actix_web::HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        type Parts = (
            State,
            actix_web::HttpRequest,
            crate::auth::Caller,
            Id,
            crate::extract::IfMatch,
            crate::extract::IdempotencyKey,
        );
        let parts = Parts::from_request(req, payload);
        Box::pin(async move {
            let (state, req, caller, id, if_match, key) = parts.await?;
            Ok(Action { state, req, caller, id: id.into_inner(), if_match, key })
        })
    }
}

impl Action {
    /// Runs `f` (the use case and its answer) as one transaction under the
    /// request's `Idempotency-Key`, with `body` the raw body the key is bound to.
    pub async fn run(
        self,
        body: &[u8],
        f: impl Fn(
                &mut persistence::DbConnection,
                &application::Caller,
                &str,
                Option<i64>,
                chrono::DateTime<chrono::Utc>,
            ) -> Result<persistence::idempotency::StoredResponse, AppError>
            + Send
            + 'static,
    ) -> Reply {
        let Action { state, req, caller, id, if_match, key } = self;
        let c = caller.0.clone();
        state.idempotent(&req, &caller, key, body, move |conn, now| f(conn, &c, &id, if_match.0, now)).await
    }
}

/// One operation: where the document says it is served, and its handler.
pub struct Operation {
    pub path: String,
    pub methods: Vec<Method>,
    route: fn() -> Route,
}

impl Operation {
    fn new<P: utoipa::Path>(route: fn() -> Route) -> Operation {
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
        Operation { path: P::path(), methods, route }
    }
}

/// Lists the operations once and makes from that list both [`operations`]
/// (for the router) and [`ApiDoc`] (the document's paths, in this order).
macro_rules! operations {
    (doc: { $($doc:tt)* } ops: [ $($m:ident :: $h:ident),* $(,)? ] public: [ $($pm:ident :: $ph:ident),* $(,)? ]) => {
        /// Every operation the API serves, in the document's order.
        pub fn operations() -> Vec<Operation> {
            vec![$(paste::paste! { Operation::new::<$m::[<__path_ $h>]>(|| web::route().to($m::$h)) }),*]
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

use crate::openapi as docs;

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
            (name = "operations", description = "Probes and metrics"),
        )
    }
    ops: [
        identity::me,
        identity::set_email,
        identity::confirm_email,
        identity::create_client,
        identity::list_clients,
        identity::get_client,
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
        quota::put_plan,
        quota::propose,
        quota::approve,
        quota::plan_history,
        quota::public_quota,
        quota::allocate,
        quota::cancel,
        summaries::accuracy,
        campaigns::get,
        campaigns::put,
        hqm::criteria,
        hqm::create,
        hqm::list,
        hqm::get,
        hqm::replace,
        hqm::delete,
        hqm::upload_document,
        hqm::get_document,
        hqm::delete_document,
        hqm::submit,
        hqm::withdraw,
        hqm::score,
        hqm::object,
        hqm::withdraw_objection,
        hqm::extend,
        hqm::decide,
        hqm::history,
        hqm::decision,
        hqm::public_key,
        hqm::check,
        holidays::get,
        holidays::put,
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

/// A page of the rows that `read` finds (in a read transaction) for the
/// page `q` asks for, each shown as `show` makes it, with the total.
pub async fn paged<R, T, E>(
    state: &State,
    q: crate::extract::Query<crate::extract::PageParams>,
    read: impl FnOnce(&mut persistence::DbConnection, persistence::Page) -> Result<(Vec<R>, i64), AppError> + Send + 'static,
    show: impl Fn(&R) -> Result<T, E>,
) -> Reply
where
    R: Send + 'static,
    T: serde::Serialize + utoipa::ToSchema,
    HttpError: From<E>,
{
    let page = q.0.page()?;
    let (rows, total) = state.read(move |c| read(c, page)).await?;
    let items = rows.iter().map(show).collect::<Result<Vec<T>, E>>()?;
    Ok(HttpResponse::Ok().json(crate::dto::Paged::new(items, page, total)))
}

/// The path pattern of the operation a request was routed to, as the
/// document writes it: the label of its metrics, read without matching the
/// path against the route table again.
pub struct RoutePattern(pub String);

/// Registers every operation: one resource per path, with a 405 naming the
/// path's methods for any other.
pub fn configure(cfg: &mut web::ServiceConfig) {
    type Routes = Vec<(Method, fn() -> Route)>;
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
            paths[i].1.push((m, op.route));
        }
    }
    // `Allow` lists methods in one fixed order, whatever the table's order.
    let rank = |m: &Method| ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"].iter().position(|x| *x == m.as_str());
    for (path, mut routes) in paths {
        routes.sort_by_key(|(m, _)| rank(m));
        let allow = routes.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>().join(", ");
        let mut resource = web::resource(path.clone()).app_data(RoutePattern(path));
        for (method, route) in routes {
            resource = resource.route(route().method(method));
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
        let doc = serde_json::to_value(crate::openapi::api_doc()).unwrap();
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
