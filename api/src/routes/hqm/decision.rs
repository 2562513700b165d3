//! The decision document of an HQM application, its public check and the
//! criteria table (SPEC §14.3, §14.5).

use super::*;
use crate::handler::{Id, Reply, State};
use domain::hqm::decision::{DecisionNumberText, VerificationCodeText, MAX_CODE_AS_TYPED};

/// Download the decision
///
/// Owner and staff: the signed decision document. As JSON (the default):
/// `number`, `verification_code`, the `content` that is signed and the
/// `signature` (Ed25519 over the RFC 8785 canonical JSON of `content`;
/// check it with the key of `GET /api/v1/hqm-decisions/public-key`). With
/// `Accept: application/pdf`, a printable copy in the application's language
/// and in Azerbaijani.
#[utoipa::path(
    get, path = "/api/v1/hqm-applications/{id}/decision", operation_id = "get_hqm_decision", tag = "hqm",
    params(("id" = String, Path, description = "Application id")),
    responses((status = 200, description = "The decision document", content(
        (HqmDecisionDocument = "application/json"), (BinaryFile = "application/pdf")))),
)]
pub async fn decision(state: State, req: HttpRequest, caller: Caller, id: Id) -> Reply {
    let id = id.into_inner();
    let d = state.read(move |conn| uc::decision(conn, &caller, &id)).await?;
    let doc = HqmDecisionDocument::new(&d);
    if !wants_pdf(&req) {
        return Ok(HttpResponse::Ok().insert_header((header::VARY, "Accept")).json(doc));
    }
    let pdf = web::block(move || {
        crate::pdf::decision_pdf(&crate::pdf::Printable {
            number: &doc.number,
            verification_code: &doc.verification_code,
            signature: &doc.signature.value,
            key_id: &doc.signature.key_id,
            content: &doc.content,
        })
    })
    .await?
    .map_err(AppError::bug)?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::VARY, "Accept"))
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{}.pdf\"", d.number)))
        .body(pdf))
}

/// The public key
///
/// Public: the Ed25519 key that signs decision documents, as PEM and as a
/// JWK, to check a document offline.
#[utoipa::path(
    get, path = "/api/v1/hqm-decisions/public-key", operation_id = "get_hqm_public_key", tag = "hqm",
    responses((status = 200, description = "The key", body = HqmPublicKey))
)]
pub async fn public_key(state: State) -> Reply {
    let s = &state.signer;
    crate::respond::cached_json(&HqmPublicKey {
        algorithm: application::signing::ALGORITHM.to_owned(),
        key_id: s.key_id().to_owned(),
        pem: s.public_key_pem().map_err(|e| AppError::bug(format!("public key: {e}")))?,
        jwk: HqmJwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: s.public_key_x(),
            kid: s.key_id().to_owned(),
            r#use: "sig".into(),
            alg: "EdDSA".into(),
        },
    })
}

/// The verification code of a decision.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckParams {
    /// The verification code printed on the document.
    #[param(value_type = VerificationCodeText, inline)]
    pub code: Option<String>,
}

/// Check a decision
///
/// Public: by its number and verification code, what the decision says and
/// whether its signature verifies. An unknown number or a wrong code is not found.
#[utoipa::path(
    get, path = "/api/v1/hqm-decisions/{number}", operation_id = "check_hqm_decision", tag = "hqm",
    params(("number" = inline(DecisionNumberText), Path, description = "The decision's number", example = "HQM-2026-000001"), CheckParams),
    responses((status = 200, description = "The decision", body = HqmDecisionCheck))
)]
pub async fn check(state: State, number: Id, q: Query<CheckParams>) -> Reply {
    let number = number.into_inner();
    let code = q.0.code.unwrap_or_default();
    if code.is_empty() || code.len() > MAX_CODE_AS_TYPED {
        return Err(AppError::NotFound.into());
    }
    let shared = state.clone();
    let (d, valid, row) = state.read(move |conn| uc::verify(conn, &shared.signer, &number, &code)).await?;
    Ok(HttpResponse::Ok().json(HqmDecisionCheck {
        number: d.number,
        valid,
        outcome: d.outcome,
        total: d.total,
        decided_at: d.decided_at.and_utc(),
        applicant: crate::dto::HqmApplicantName {
            given_name: row.given_name,
            surname: row.surname,
            citizenship: row.citizenship,
        },
    }))
}

/// The criteria
///
/// The six criteria of Decision No. 99 (3 April 2025), their maximum
/// points and authorities, with titles in az, en, ru and tr; the threshold.
#[utoipa::path(
    get, path = "/api/v1/hqm-criteria", operation_id = "get_hqm_criteria", tag = "hqm",
    responses((status = 200, description = "The criteria table", body = HqmCriteria)),
)]
pub async fn criteria(_caller: Caller) -> Reply {
    let titles = |f: &dyn Fn(Lang) -> &'static str| domain::hqm::authorities::Titles {
        az: f(Lang::Az).to_owned(),
        en: f(Lang::En).to_owned(),
        ru: f(Lang::Ru).to_owned(),
        tr: f(Lang::Tr).to_owned(),
    };
    let criteria = Criterion::ALL
        .iter()
        .map(|c| HqmCriterion {
            code: c.as_str().to_owned(),
            max_points: c.max_points(),
            authority: c.authority().as_str().to_owned(),
            titles: titles(&|l| domain::messages::criteria::criterion(*c, l)),
            authority_titles: titles(&|l| domain::messages::criteria::authority(c.authority(), l)),
        })
        .collect();
    crate::respond::cached_json(&HqmCriteria { criteria, max_total: MAX_TOTAL, threshold: THRESHOLD })
}
