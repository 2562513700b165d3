//! The route table. Each path is one `web::resource` with its methods, so a
//! wrong method answers 405 with `Allow` (never 404), and every handler is
//! also listed in [`crate::openapi::ApiDoc`].

pub mod campaigns;
pub mod forecasts;
pub mod health;
pub mod identity;
pub mod quota;
pub mod reference;

use crate::problem::ApiError;
use actix_web::http::Method;
use actix_web::{web, FromRequest, Handler, HttpResponse, Resource, Responder};

/// A resource that remembers its methods for the `Allow` header of its 405.
struct Res {
    resource: Resource,
    allow: Vec<&'static str>,
}

impl Res {
    fn new(path: &str) -> Res {
        Res { resource: web::resource(path), allow: Vec::new() }
    }

    fn on<F, Args>(mut self, method: Method, handler: F) -> Res
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.allow.push(match method.as_str() {
            "GET" => "GET",
            "POST" => "POST",
            "PUT" => "PUT",
            "DELETE" => "DELETE",
            _ => "PATCH",
        });
        self.resource = self.resource.route(web::method(method).to(handler));
        self
    }

    fn get<F, Args>(self, h: F) -> Res
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::GET, h)
    }

    fn post<F, Args>(self, h: F) -> Res
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::POST, h)
    }

    fn put<F, Args>(self, h: F) -> Res
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::PUT, h)
    }

    fn delete<F, Args>(self, h: F) -> Res
    where
        F: Handler<Args>,
        Args: FromRequest + 'static,
        F::Output: Responder + 'static,
    {
        self.on(Method::DELETE, h)
    }

    fn done(self) -> Resource {
        let allow = self.allow.join(", ");
        self.resource.default_service(web::to(move || {
            let allow = allow.clone();
            async move { Err::<HttpResponse, ApiError>(ApiError::MethodNotAllowed { allow }) }
        }))
    }
}

/// Registers every route of the API.
pub fn configure(cfg: &mut web::ServiceConfig) {
    use forecasts as f;
    let v1 = "/api/v1";
    let r = |p: &str| Res::new(&format!("{v1}{p}"));
    cfg.service(r("/me").get(identity::me).done())
        .service(r("/occupations").get(reference::occupations).done())
        .service(r("/me/email").put(identity::set_email).done())
        .service(r("/me/email/confirm").post(identity::confirm_email).done())
        .service(r("/api-clients").get(identity::list_clients).post(identity::create_client).done())
        .service(r("/api-clients/{client_id}").delete(identity::revoke_client).done())
        .service(r("/api-clients/{client_id}/rotate-secret").post(identity::rotate_client).done())
        .service(r("/oauth/token").post(identity::token).done())
        .service(r("/occupations/imports").post(reference::import_occupations).done())
        .service(r("/exemption-categories").get(reference::exemption_categories).done())
        .service(
            r("/exemption-categories/{code}").put(reference::put_exemption).delete(reference::retire_exemption).done(),
        )
        .service(r("/economic-activities").get(reference::economic_activities).done())
        .service(r("/forecasts").get(f::list).post(f::create).done())
        .service(r("/forecasts/{id}").get(f::get).put(f::replace).delete(f::delete).done())
        .service(r("/forecasts/{id}/lines").post(f::add_line).done())
        .service(r("/forecasts/{id}/lines/{line_id}").put(f::update_line).delete(f::delete_line).done())
        .service(r("/forecasts/{id}/submit").post(f::submit).done())
        .service(r("/forecasts/{id}/withdraw").post(f::withdraw).done())
        .service(r("/forecasts/{id}/start-review").post(f::start_review).done())
        .service(r("/forecasts/{id}/return").post(f::return_).done())
        .service(r("/forecasts/{id}/accept").post(f::accept).done())
        .service(r("/forecasts/{id}/history").get(f::history).done())
        .service(r("/campaigns/{year}").get(campaigns::get).put(campaigns::put).done())
        .service(r("/summaries/{year}").get(quota::summary).done())
        .service(r("/summaries/{year}/activities/{code}").get(quota::activity_summary).done())
        .service(r("/quota-plans/{year}").get(quota::get_plan).post(quota::create_plan).put(quota::put_plan).done())
        .service(r("/quota-plans/{year}/propose").post(quota::propose).done())
        .service(r("/quota-plans/{year}/approve").post(quota::approve).done())
        .service(r("/quota-plans/{year}/history").get(quota::plan_history).done())
        .service(r("/quotas/{year}").get(quota::public_quota).done())
        .service(r("/quotas/{year}/allocations").post(quota::allocate).done())
        .service(r("/quotas/{year}/allocations/{permit_ref}").delete(quota::cancel).done())
        .service(r("/reports/forecast-accuracy/{year}").get(quota::accuracy).done())
        .service(Res::new("/health/live").get(health::live).done())
        .service(Res::new("/health/ready").get(health::ready).done())
        .service(Res::new("/metrics").get(health::metrics).done())
        .service(Res::new("/api-docs/openapi.json").get(crate::openapi::serve).done());
}
