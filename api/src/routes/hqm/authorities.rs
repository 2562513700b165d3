//! The scoring authorities' contacts (SPEC §16.4.2).

use crate::auth::Caller;
use crate::dto::{HqmAuthorities, HqmAuthority, HqmAuthorityInput};
use crate::extract::JsonBody;
use crate::handler::{Id, Reply, State};
use actix_web::HttpResponse;
use application::hqm as uc;
use domain::hqm::criteria::AuthorityText;

/// Set an authority's contact
///
/// Admin: the address at which scoring authority `code` (`sectoral`,
/// `economy`, `education`, `sms`, `labour`) is told that an application has
/// entered its queue, and reminded 5 business days before a review deadline
/// while any of its criteria is unscored; with its title in az, en, ru and tr.
/// Replaces the earlier contact.
#[utoipa::path(
    put, path = "/api/v1/hqm-authorities/{code}", operation_id = "set_hqm_authority", tag = "hqm",
    request_body = HqmAuthorityInput,
    params(("code" = inline(AuthorityText), Path, description = "The authority")),
    responses((status = 200, description = "The contact as kept", body = HqmAuthority)),
)]
pub async fn put_authority(state: State, caller: Caller, code: Id, body: JsonBody<HqmAuthorityInput>) -> Reply {
    let code = code.into_inner();
    let input = body.value;
    let titles = domain::hqm::authorities::Titles {
        az: input.titles.az.into_string(),
        en: input.titles.en.into_string(),
        ru: input.titles.ru.into_string(),
        tr: input.titles.tr.into_string(),
    };
    let email = input.email.into_string();
    let now = state.now();
    let row = state.write(move |conn| uc::put_authority(conn, &caller, &code, &email, &titles, now)).await?;
    Ok(HttpResponse::Ok().json(HqmAuthority::from(&row)))
}

/// List the authorities' contacts
///
/// Officers, the Commission and admin: the contacts admin has set.
#[utoipa::path(
    get, path = "/api/v1/hqm-authorities", operation_id = "list_hqm_authorities", tag = "hqm",
    responses((status = 200, description = "The contacts set, in the order of the criteria's authorities", body = HqmAuthorities)),
)]
pub async fn list_authorities(state: State, caller: Caller) -> Reply {
    let rows = state.read(move |conn| uc::authorities(conn, &caller)).await?;
    Ok(HttpResponse::Ok().json(HqmAuthorities { items: rows.iter().map(HqmAuthority::from).collect() }))
}
