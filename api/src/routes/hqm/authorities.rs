//! The scoring authorities' contacts (SPEC §16.4.2).

use crate::auth::Caller;
use crate::dto::{HqmAuthorities, HqmAuthority, HqmAuthorityInput, HqmSector, HqmSectorInput, HqmSectors};
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
    let titles = domain::hqm::authorities::Titles::from(input.titles);
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

/// Set a sectoral body
///
/// Admin: the state body in charge of a field, which scores
/// `work_experience` for applications of that field: its titles and the
/// ISCO-08 sub-major groups (two digits) of its field, none claimed by
/// another body; `default: true` makes it the body for fields no body claims
/// (and unmarks the one that was). A `sectoral` assessor's token names its
/// body in the claim `sector`; without it the assessor acts for the default body.
#[utoipa::path(
    put, path = "/api/v1/hqm-sectors/{code}", operation_id = "set_hqm_sector", tag = "hqm",
    request_body = HqmSectorInput,
    params(("code" = String, Path, description = "The body's code: lower-case letters, digits, `-` and `_`",
        pattern = "^[a-z0-9][a-z0-9_-]{0,49}$")),
    responses((status = 200, description = "The body as kept", body = HqmSector)),
)]
pub async fn put_sector(state: State, caller: Caller, code: Id, body: JsonBody<HqmSectorInput>) -> Reply {
    let code = code.into_inner();
    let input = body.value;
    let titles = domain::hqm::authorities::Titles::from(input.titles);
    let groups: Vec<String> = input.isco_groups.into_vec().into_iter().map(|g| g.into_string()).collect();
    let default = input.default.unwrap_or(false);
    let now = state.now();
    let row = state
        .write(move |conn| {
            let groups: Vec<&str> = groups.iter().map(String::as_str).collect();
            uc::put_sector(conn, &caller, &code, &titles, &groups, default, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(HqmSector::from(&row)))
}

/// List the sectoral bodies
///
/// Officers, the Commission, admin and assessors: the bodies, by code.
#[utoipa::path(
    get, path = "/api/v1/hqm-sectors", operation_id = "list_hqm_sectors", tag = "hqm",
    responses((status = 200, description = "The sectoral bodies", body = HqmSectors)),
)]
pub async fn list_sectors(state: State, caller: Caller) -> Reply {
    let rows = state.read(move |conn| uc::sectors(conn, &caller)).await?;
    Ok(HttpResponse::Ok().json(HqmSectors { items: rows.iter().map(HqmSector::from).collect() }))
}
