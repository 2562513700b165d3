//! What every handler is made of: the state and path extractors, the
//! action extractor of acting `POST`s, and the paged answer of lists.

use crate::problem::HttpError;
use actix_web::{web, HttpResponse};
use application::AppError;

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

/// The path of operation `P` (as its `#[utoipa::path]` declares it) with
/// its parameters filled in: what a `Location` header names.
pub fn location<P: utoipa::Path>(params: &[(&str, &str)]) -> String {
    params.iter().fold(P::path(), |path, (name, value)| path.replace(&format!("{{{name}}}"), value))
}

/// What a step of a status machine answers, documented once (`responses(Stepped<T>)`):
/// 200 with the resource `T` in its new status and its new `ETag`, or 409
/// when the step is not allowed from the current status — the problem names
/// the status and the steps that are.
pub struct Stepped<T>(std::marker::PhantomData<T>);

impl<T: utoipa::ToSchema> utoipa::IntoResponses for Stepped<T> {
    fn responses() -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::response::Response>> {
        use utoipa::openapi::header::HeaderBuilder;
        use utoipa::openapi::{schema::Type, ContentBuilder, ObjectBuilder, Ref, ResponseBuilder};
        let body =
            |name: std::borrow::Cow<'_, str>| ContentBuilder::new().schema(Some(Ref::from_schema_name(name))).build();
        let done = ResponseBuilder::new()
            .description(format!("Done; the `{}` in its new status", T::name()))
            .content("application/json", body(T::name()))
            .header(
                "ETag",
                HeaderBuilder::new()
                    .schema(ObjectBuilder::new().schema_type(Type::String))
                    .description(Some("The new version"))
                    .build(),
            )
            .build();
        let refused = ResponseBuilder::new()
            .description("Not allowed from the current status; the problem names it and the allowed actions")
            .content(crate::problem::PROBLEM_JSON, body(<crate::problem::Problem as utoipa::ToSchema>::name()))
            .build();
        [("200".to_owned(), done.into()), ("409".to_owned(), refused.into())].into_iter().collect()
    }
}
