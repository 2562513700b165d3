//! The OpenAPI 3.1 document, generated from the route table (SPEC §9), and
//! the modifiers that write what the generator does not.

use actix_web::HttpResponse;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::HttpMethod;
use utoipa::openapi::{ContentBuilder, RefOr, Response, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::{identity, ApiDoc};

pub(crate) struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::Path;
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "oauth2",
            SecurityScheme::OAuth2(utoipa::openapi::security::OAuth2::with_description(
                [utoipa::openapi::security::Flow::ClientCredentials(
                    utoipa::openapi::security::ClientCredentials::new(
                        identity::__path_token::path(),
                        utoipa::openapi::security::Scopes::new(),
                    ),
                )],
                format!(
                    "An employer's ERP system: client credentials registered by admin (POST {}). The token is a JWT verified as RFC8725 (JSON Web Token Best Current Practices) asks: one pinned algorithm, `exp`, `iss`, `aud` and `sub` required.",
                    identity::__path_create_client::path()
                ),
            )),
        );
        // Every operation but the public ones takes a bearer token or a
        // client-credentials token.
        let public = super::public_operations();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [
                (HttpMethod::Get, &mut item.get),
                (HttpMethod::Put, &mut item.put),
                (HttpMethod::Post, &mut item.post),
                (HttpMethod::Delete, &mut item.delete),
                (HttpMethod::Patch, &mut item.patch),
            ];
            for (method, op) in ops {
                let Some(op) = op else { continue };
                if !public.iter().any(|(p, methods)| p == path && methods.contains(&method)) {
                    op.security = Some(vec![
                        SecurityRequirement::new("bearer", Vec::<String>::new()),
                        SecurityRequirement::new("oauth2", Vec::<String>::new()),
                    ]);
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
                    .description(Some("A JWT with `roles` (and `tin` for employers), verified as RFC8725 (JSON Web Token Best Current Practices) asks: the configured algorithm only (never `none`), `exp`, `iss`, `aud` and `sub` required. Locally: `quota-api token --role employer --tin 1012345061`."))
                    .build(),
            ),
        );
    }
}

/// Adds the problem responses every operation can give, so each one
/// documents its 4XX/5XX with the one shared schema.
pub(crate) struct ProblemResponses;

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

fn add_common(op: &mut Operation, has_body: bool, api: bool) {
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    if !secured {
        // Public: say so (`security: []`) rather than leave it unstated.
        op.security = Some(Vec::new());
    }
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
    }
    if api {
        // Every /api/v1 call passes content negotiation and the rate limit.
        common.push(("406", "`Accept` does not admit JSON"));
        common.push(("429", "Rate limit; retry after `Retry-After`"));
    }
    if has_body {
        common.push(("408", "Body not received within `BODY_TIMEOUT_SECS`"));
        common.push(("413", "Body over 1 MiB"));
        // The token endpoint answers a wrong media type the RFC 6749 way (its own 400).
        let form =
            op.request_body.as_ref().is_some_and(|b| b.content.contains_key("application/x-www-form-urlencoded"));
        if !form {
            common.push(("415", "Body is not application/json"));
        }
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
        for (path, item) in openapi.paths.paths.iter_mut() {
            let api = path.starts_with(super::SCOPE);
            for op in [&mut item.get, &mut item.put, &mut item.delete, &mut item.patch].into_iter().flatten() {
                let body = op.request_body.is_some();
                add_common(op, body, api);
            }
            if let Some(op) = item.post.as_mut() {
                add_common(op, true, api);
            }
        }
    }
}

/// `Paged<T>` is generic, so utoipa writes `T`'s schema inline into every
/// `Paged_T`; generated clients then get a second type for each item. This
/// points `items` at the component `T` instead.
pub(crate) struct PagedItemsByReference;

impl Modify for PagedItemsByReference {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{ArrayItems, Schema};
        let Some(components) = openapi.components.as_mut() else { return };
        let names: Vec<String> = components.schemas.keys().cloned().collect();
        for name in names.iter().filter(|n| n.starts_with("Paged_")) {
            let item = &name["Paged_".len()..];
            if !components.schemas.contains_key(item) {
                continue;
            }
            if let Some(RefOr::T(Schema::Object(page))) = components.schemas.get_mut(name) {
                if let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items") {
                    items.items =
                        ArrayItems::RefOrSchema(Box::new(utoipa::openapi::Ref::from_schema_name(item).into()));
                }
            }
        }
    }
}

/// The rule every text of the API follows (`domain::text::is_forbidden_control`):
/// no C0 control character other than tab, line feed and carriage return, and
/// no DEL. Written into the document as a `pattern`, so that clients and
/// fuzzers know the refusal before they meet it.
pub const TEXT_PATTERN: &str = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$";

/// Gives [`TEXT_PATTERN`] to every string of the document that does not say
/// more already (a pattern, a format or an enumeration): the properties of
/// every schema, path and query parameters, and request bodies.
pub(crate) struct TextPattern;

fn bar_controls(schema: &mut RefOr<utoipa::openapi::schema::Schema>) {
    use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema, SchemaType, Type};
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(o) => {
            let text = match &o.schema_type {
                SchemaType::Type(t) => *t == Type::String,
                SchemaType::Array(ts) => ts.contains(&Type::String),
                SchemaType::AnyValue => false,
            };
            if text && o.pattern.is_none() && o.format.is_none() && o.enum_values.is_none() {
                o.pattern = Some(TEXT_PATTERN.to_owned());
            }
            o.properties.values_mut().for_each(bar_controls);
            if let Some(AdditionalProperties::RefOr(extra)) = o.additional_properties.as_deref_mut() {
                bar_controls(extra);
            }
        }
        Schema::Array(a) => {
            if let ArrayItems::RefOrSchema(items) = &mut a.items {
                bar_controls(items);
            }
        }
        Schema::OneOf(x) => x.items.iter_mut().for_each(bar_controls),
        Schema::AllOf(x) => x.items.iter_mut().for_each(bar_controls),
        Schema::AnyOf(x) => x.items.iter_mut().for_each(bar_controls),
        _ => {}
    }
}

impl Modify for TextPattern {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        if let Some(components) = openapi.components.as_mut() {
            components.schemas.values_mut().for_each(bar_controls);
        }
        for item in openapi.paths.paths.values_mut() {
            for op in
                [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten()
            {
                for p in op.parameters.iter_mut().flatten() {
                    if matches!(p.parameter_in, ParameterIn::Path | ParameterIn::Query) {
                        p.schema.iter_mut().for_each(bar_controls);
                    }
                }
                for content in op.request_body.iter_mut().flat_map(|b| b.content.values_mut()) {
                    content.schema.iter_mut().for_each(bar_controls);
                }
            }
        }
    }
}

/// utoipa documents an optional body (`request_body = Option<T>`) as
/// `oneOf: [null, T]`, which Swagger UI shows as `null`; this documents it
/// as `T`, not required.
pub(crate) struct OptionalBodies;

impl Modify for OptionalBodies {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::Schema;
        use utoipa::openapi::Required;
        for item in openapi.paths.paths.values_mut() {
            for op in [&mut item.post, &mut item.put].into_iter().flatten() {
                let Some(body) = op.request_body.as_mut() else { continue };
                for content in body.content.values_mut() {
                    let Some(RefOr::T(Schema::OneOf(one))) = content.schema.as_ref() else { continue };
                    let refs: Vec<_> = one.items.iter().filter(|i| matches!(i, RefOr::Ref(_))).cloned().collect();
                    if let ([only], 2) = (refs.as_slice(), one.items.len()) {
                        content.schema = Some(only.clone());
                        body.required = Some(Required::False);
                    }
                }
            }
        }
    }
}

/// The document as served and committed: the generated one, with what the
/// generator cannot say added by [`complete`].
pub fn api_doc() -> utoipa::openapi::OpenApi {
    let mut value = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    complete(&mut value);
    serde_json::from_value(value).unwrap_or_else(|_| ApiDoc::openapi())
}

/// The document as Swagger UI reads it, with what utoipa's model cannot
/// hold: the events of the `webhooks` section (SPEC §17).
pub fn document_value() -> serde_json::Value {
    let mut doc = serde_json::to_value(api_doc()).unwrap_or_default();
    let hooks = super::webhooks::section(&doc);
    if let Some(o) = doc.as_object_mut() {
        o.insert("webhooks".into(), hooks);
    }
    doc
}

/// The document as text: utoipa's, in its order, with the `webhooks`
/// section last.
pub fn document() -> String {
    let doc = api_doc();
    let text = doc.to_pretty_json().unwrap_or_default();
    let hooks = super::webhooks::section(&serde_json::to_value(&doc).unwrap_or_default());
    let hooks = serde_json::to_string_pretty(&serde_json::json!({ "webhooks": hooks })).unwrap_or_default();
    // Both are objects printed with the same indentation: the second's
    // member goes in before the first's closing brace.
    match (text.strip_suffix("\n}"), hooks.strip_prefix("{\n")) {
        (Some(head), Some(member)) => format!("{head},\n{member}\n"),
        _ => text + "\n",
    }
}

/// Longest value of each path parameter that is a string: the ids the API
/// makes (UUIDs, `qc_` client ids), permit references (domain
/// `MAX_PERMIT_REF`) and codes of the classifications.
const PATH_PARAMETER_LENGTHS: [(&str, u64); 10] = [
    ("id", 64),
    ("line_id", 64),
    ("client_id", 64),
    ("permit_ref", 64),
    ("code", 50),
    ("doc_id", 64),
    ("objection_id", 64),
    ("criterion", 32),
    ("file_id", 64),
    ("delivery_id", 64),
];

/// A property whose type is a value type that writes its own schema (the
/// domain's `Text`, `Number`, `Date`, `List`) comes out of the generator
/// wrapped: `oneOf` of that one schema (to hold the description), or of
/// `null` and it when optional. Written plainly instead, as for a `String`:
/// the schema itself, `type` widened with `null` when optional.
fn unwrap_value_types(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(o) => {
            // A property the object requires is never null, whatever its
            // Rust type (an `Option` whose absence the rules name).
            let required: Vec<String> = o
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default();
            if let Some(Value::Object(props)) = o.get_mut("properties") {
                for (name, prop) in props.iter_mut() {
                    plain_value_type(prop, required.contains(name));
                }
            }
            o.values_mut().for_each(unwrap_value_types);
            plain_value_type(v, false);
        }
        Value::Array(a) => a.iter_mut().for_each(unwrap_value_types),
        _ => {}
    }
}

/// `v` written plainly if it is a value type's schema wrapped in `oneOf`
/// (see [`unwrap_value_types`]); `required`: never null.
fn plain_value_type(v: &mut serde_json::Value, required: bool) {
    use serde_json::Value;
    let Value::Object(o) = v else { return };
    let null = Value::from("null");
    if let (true, Some(Value::Array(types))) = (required, o.get_mut("type")) {
        types.retain(|t| *t != null);
        if let [only] = types.as_slice() {
            let only = only.clone();
            o.insert("type".into(), only);
        }
    }
    let Some(Value::Array(one_of)) = o.get("oneOf") else { return };
    let nullable = one_of.iter().any(|s| s.get("type") == Some(&null));
    let inner: Vec<&Value> = one_of.iter().filter(|s| s.get("type") != Some(&null)).collect();
    let [Value::Object(inner)] = inner.as_slice() else { return };
    let Some(Value::String(ty)) = inner.get("type") else { return };
    let mut plain = inner.clone();
    if nullable && !required {
        plain.insert("type".into(), Value::from(vec![Value::from(ty.clone()), null]));
    }
    o.remove("oneOf");
    for (k, x) in plain {
        o.entry(k).or_insert(x);
    }
}

/// The example of each property of an object schema that has none of its
/// own, taken from the object's example, and the example of each component
/// an example names (a nested object, the items of a list): one example per
/// body, written once where the type is declared.
fn examples_from_objects(schemas: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::Value;
    let component = |r: &Value| r.as_str().and_then(|r| r.strip_prefix("#/components/schemas/")).map(str::to_owned);
    // Components first, from the outside in: a body's example gives its
    // parts theirs, which give theirs to their parts.
    loop {
        let mut found: Vec<(String, Value)> = Vec::new();
        for schema in schemas.values() {
            let (Some(Value::Object(example)), Some(Value::Object(props))) =
                (schema.get("example"), schema.get("properties"))
            else {
                continue;
            };
            for (name, prop) in props {
                let Some(value) = example.get(name) else { continue };
                let reference = prop.get("$ref").or_else(|| {
                    prop.get("oneOf").and_then(Value::as_array).and_then(|a| a.iter().find_map(|x| x.get("$ref")))
                });
                let (target, value) = match (reference, prop.pointer("/items/$ref"), value) {
                    (Some(r), _, Value::Object(_)) => (component(r), value.clone()),
                    (_, Some(r), Value::Array(items)) => (component(r), items.first().cloned().unwrap_or(Value::Null)),
                    _ => (None, Value::Null),
                };
                if let (Some(t), true) = (target, value.is_object()) {
                    if schemas.get(&t).is_some_and(|s| s.get("example").is_none()) {
                        found.push((t, value));
                    }
                }
            }
        }
        if found.is_empty() {
            break;
        }
        for (t, value) in found {
            if let Some(Value::Object(s)) = schemas.get_mut(&t) {
                s.entry("example").or_insert(value);
            }
        }
    }
    for schema in schemas.values_mut() {
        let Some(Value::Object(example)) = schema.get("example").cloned() else { continue };
        let Some(Value::Object(props)) = schema.get_mut("properties") else { continue };
        for (name, prop) in props.iter_mut() {
            let (Some(Value::Object(p)), Some(value)) = (Some(prop), example.get(name)) else { continue };
            if value.is_null() || p.contains_key("$ref") || p.contains_key("example") || p.contains_key("allOf") {
                continue;
            }
            if !value.is_object() && !value.is_array() {
                p.insert("example".into(), value.clone());
            }
        }
    }
}

/// The example of a free-text property that has none from its type or its
/// object's example (issue 26: Swagger UI otherwise invents a string from
/// the no-control-characters pattern, `"tin": "gqF!DxYhoGf%~`BC5"`): by the
/// schema and property, else by the property alone. Each is a value the
/// property holds in real use, short enough for every limit.
const TEXT_EXAMPLES: &[(&str, &str, &str)] = &[
    ("ApiClient", "name", "Abşeron Tikinti 1C"),
    ("WebhookChange", "url", "https://erp.example.az/hooks/quota"),
    ("Employer", "name", "Əli"),
    ("Me", "name", "Əli Məmmədov"),
    ("HqmCertificate", "name", "IELTS"),
    ("HqmApplicantName", "surname", "Yılmaz"),
    ("ActivitySummary", "title", "Construction"),
    ("HqmSignature", "value", "3q2+7wBhc2lnbmF0dXJlIG9mIHRoZSBjYW5vbmljYWwgY29udGVudA=="),
    ("HqmTitles", "az", "İqtisadiyyat Nazirliyi"),
    ("HqmTitles", "en", "Ministry of Economy"),
    ("HqmTitles", "ru", "Министерство экономики"),
    ("HqmTitles", "tr", "Ekonomi Bakanlığı"),
    ("HqmDecisionContent", "number", "HQM-2026-000001"),
    ("HqmDecisionText", "title", "Decision on recognition as a Highly Qualified Migrant"),
    ("HqmDecisionText", "statement", "Recognised with 82 points of 100 (threshold 70) and no objection."),
    ("HqmDecisionText", "criteria", "Work experience in the field"),
    ("HqmDecisionText", "authorities", "Ministry of Economy"),
    ("", "application_id", "0195a0c4-8f4e-7b1a-9c1e-2f0d3c4b5a69"),
    ("", "passport_number", "U12345678"),
    ("", "occupation_code", "2512"),
    ("AccuracyReport", "by", "activity"),
    ("AccuracyRow", "key", "F"),
    ("", "economic_activity", "F"),
    ("", "exemption", "permanent_resident"),
    ("", "permit_ref", "WP-2027-000123"),
    ("", "created_by", "contributor-labour"),
    ("", "updated_by", "contributor-labour"),
    ("", "uploaded_by", "contributor-labour"),
    ("", "taken_by", "sms-officer-17"),
    ("", "actor", "sms-officer-17"),
    ("", "tin", "1012345061"),
    ("", "sub", "employer-1012345061"),
    ("", "client_secret", "Zq3v9XkT2pL8mR4wY7bN1cD6fH0jK5sA"),
    ("", "note", "Figures of the 2026 labour force survey."),
    ("", "pending_email", "hr@absheron.az"),
    ("", "surname", "Məmmədov"),
    ("", "patronymic", "Vəli oğlu"),
    ("", "given_name", "Ayşe"),
    ("", "title_az", "Daimi yaşamaq icazəsi olanlar"),
    ("", "title_en", "Permanent residents"),
    ("", "title_ru", "Лица с видом на постоянное жительство"),
    ("", "notification", "Line 2: the justification does not name the project."),
    ("", "other_notification", "Accepted with the figures of the 2026 survey."),
    ("", "id", "0195a0c4-8f4e-7b1a-9c1e-2f0d3c4b5a69"),
    ("", "reason", "The justification does not name the project."),
    ("", "citizenship", "TR"),
    ("", "experience_summary", "Twelve years of payment systems at scale; two patents."),
    ("", "institution", "Orta Doğu Teknik Üniversitesi"),
    ("", "justification", "Twelve years in the field; led a team of 20."),
    ("", "kid", "3f2a9c0d1e4b5a69"),
    ("", "key_id", "3f2a9c0d1e4b5a69"),
    ("", "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"),
    ("", "pem", "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n-----END PUBLIC KEY-----\n"),
    ("", "isco_groups", "25"),
    ("", "sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ("", "error_description", "client authentication failed"),
    ("", "occupation_title", "Bənna, xarici suvaq"),
    ("", "action", "approve"),
    ("", "allowed_actions", "withdraw"),
    ("", "missing_evidence", "income_statement"),
    ("", "requested_kinds", "passport"),
    ("", "kinds", "passport"),
    ("", "request_id", "5b0c2f9e-8a1d-4c3b-9f7e-2d6a1b0c3e4f"),
    ("", "scope", "forecasts"),
    ("", "access_token", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxY181ZjJhOWMwZTFiN2Q0YTM2In0.c2lnbmF0dXJl"),
];

/// Gives every free-text property (a string with no format, no values
/// listed and no example) its example from [`TEXT_EXAMPLES`]; in a list, its
/// items.
fn text_examples(schemas: &mut serde_json::Map<String, serde_json::Value>) {
    use serde_json::Value;
    fn free_text(s: &serde_json::Map<String, Value>) -> bool {
        let string = match s.get("type") {
            Some(Value::String(t)) => t == "string",
            Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
            _ => false,
        };
        string && !["format", "enum", "const", "example", "examples", "$ref"].iter().any(|k| s.contains_key(*k))
    }
    fn fill(schema: &str, value: &mut Value) {
        let Some(props) = value.get_mut("properties").and_then(Value::as_object_mut) else { return };
        for (name, prop) in props.iter_mut() {
            let example = TEXT_EXAMPLES
                .iter()
                .find(|(s, n, _)| *s == schema && n == name)
                .or_else(|| TEXT_EXAMPLES.iter().find(|(s, n, _)| s.is_empty() && n == name))
                .map(|(_, _, e)| *e);
            let Some(example) = example else { continue };
            let list = match prop.get("type") {
                Some(Value::String(t)) => t == "array",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "array"),
                _ => false,
            };
            let target = if list { prop.get_mut("items") } else { Some(prop) };
            if let Some(Value::Object(t)) = target {
                if free_text(t) {
                    t.insert("example".into(), Value::String(example.to_owned()));
                }
            }
        }
    }
    for (name, schema) in schemas.iter_mut() {
        fill(name, schema);
        for key in ["allOf", "oneOf", "anyOf"] {
            for part in schema.get_mut(key).and_then(Value::as_array_mut).into_iter().flatten() {
                fill(name, part);
            }
        }
    }
}

/// What the generator does not write but callers and linters need:
/// - the longest value of every string path parameter (a longer one is
///   simply not found);
/// - `maxLength` 10 on every date (`YYYY-MM-DD`, all the API reads);
/// - `Access-Control-Allow-Origin` on every response that names headers
///   (sent to the origins of `CORS_ALLOWED_ORIGINS`);
/// - the server's audience (`x-internal`) and environment.
fn complete(doc: &mut serde_json::Value) {
    use serde_json::{json, Value};
    super::webhooks::add_schemas(doc);
    unwrap_value_types(doc);
    if let Some(schemas) = doc.pointer_mut("/components/schemas").and_then(Value::as_object_mut) {
        examples_from_objects(schemas);
        text_examples(schemas);
    }
    fn dates(v: &mut Value) {
        match v {
            Value::Object(o) => {
                if o.get("format").and_then(Value::as_str) == Some("date") && !o.contains_key("maxLength") {
                    o.insert("maxLength".into(), json!(10));
                }
                o.values_mut().for_each(dates);
            }
            Value::Array(a) => a.iter_mut().for_each(dates),
            _ => {}
        }
    }
    dates(doc);
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for op in paths.values_mut().filter_map(Value::as_object_mut).flat_map(|item| item.values_mut()) {
            for p in op.get_mut("parameters").and_then(Value::as_array_mut).into_iter().flatten() {
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default().to_owned();
                let in_path = p.get("in").and_then(Value::as_str) == Some("path");
                if let Some(schema) = p.get_mut("schema").and_then(Value::as_object_mut) {
                    let string = schema.get("type").and_then(Value::as_str) == Some("string");
                    let limit = PATH_PARAMETER_LENGTHS.iter().find(|(n, _)| *n == name).map(|(_, l)| *l);
                    if let (true, true, Some(l), false) = (in_path, string, limit, schema.contains_key("maxLength")) {
                        schema.insert("maxLength".into(), json!(l));
                    }
                }
            }
            for r in op.get_mut("responses").and_then(Value::as_object_mut).into_iter().flat_map(|r| r.values_mut()) {
                if let Some(h) = r.get_mut("headers").and_then(Value::as_object_mut) {
                    h.insert(
                        "Access-Control-Allow-Origin".into(),
                        json!({"description": "The calling page's origin, when it is one of CORS_ALLOWED_ORIGINS", "schema": {"type": "string"}}),
                    );
                }
            }
        }
    }
    // Files a caller sends are read up to the upload limit.
    let file_limit = json!(crate::extract::FileBody::LIMIT);
    for name in ["BinaryFile", "CsvFile"] {
        if let Some(schema) = doc.pointer_mut(&format!("/components/schemas/{name}")).and_then(Value::as_object_mut) {
            schema.insert("maxLength".into(), file_limit.clone());
        }
    }
    if let Some(servers) = doc.get_mut("servers").and_then(Value::as_array_mut) {
        for s in servers.iter_mut().filter_map(Value::as_object_mut) {
            s.insert("x-internal".into(), json!(false));
        }
    }
}

/// The OpenAPI document
///
/// This document, as Swagger UI and client generators read it.
#[utoipa::path(get, path = "/api-docs/openapi.json", tag = "operations", operation_id = "get_openapi_document",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)))]
pub async fn serve() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(document())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_pattern_admits_what_the_boundary_admits() {
        let re = regex::Regex::new(TEXT_PATTERN).unwrap();
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(re.is_match(&c.to_string()), !domain::text::is_forbidden_control(c), "{:?}", c);
        }
        assert!(re.is_match("Bənna\tline one\r\nline two"));
    }

    /// Every string a caller sends or reads says what it may hold: a pattern
    /// (the text rule at least), a format or an enumeration.
    #[test]
    fn every_string_of_the_document_says_what_it_may_hold() {
        fn walk(v: &serde_json::Value, at: &str, loose: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(o) => {
                    let string = o.get("type").is_some_and(|t| {
                        t == "string" || t.as_array().is_some_and(|a| a.iter().any(|t| t == "string"))
                    });
                    if string && !["pattern", "format", "enum"].iter().any(|k| o.contains_key(*k)) {
                        loose.push(at.to_owned());
                    }
                    for (k, v) in o {
                        walk(v, &format!("{at}/{k}"), loose);
                    }
                }
                serde_json::Value::Array(a) => {
                    a.iter().enumerate().for_each(|(i, v)| walk(v, &format!("{at}/{i}"), loose))
                }
                _ => {}
            }
        }
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        let mut loose = Vec::new();
        walk(&doc["components"], "components", &mut loose);
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                for p in op["parameters"].as_array().into_iter().flatten().filter(|p| p["in"] != "header") {
                    walk(&p["schema"], &format!("{method} {path} {}", p["name"]), &mut loose);
                }
                walk(&op["requestBody"], &format!("{method} {path} body"), &mut loose);
            }
        }
        assert!(loose.is_empty(), "{loose:#?}");
    }
}
