//! The Highly Qualified Migrant assessment (SPEC §14), told as its users
//! live it: an applicant files and submits, six authorities score, an
//! officer decides, anyone checks the signed decision.

use quota_tests::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub(crate) const PDF: &[u8] =
    b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
pub(crate) const PNG: &[u8] =
    &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, b'I', b'H', b'D', b'R', 0, 0, 0, 1];
pub(crate) const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0, 1];

/// Who scores what, in the order of the criteria (SPEC §14.3).
pub(crate) const CRITERIA: [(&str, &str); 6] = [
    ("work_experience", "sectoral"),
    ("national_priorities", "economy"),
    ("education", "education"),
    ("financial_stability", "sms"),
    ("labour_market_impact", "labour"),
    ("language_skills", "education"),
];

pub(crate) fn body(language: &str) -> Value {
    json!({
        "language": language,
        "applicant": {"given_name": "Ayşe", "surname": "Yılmaz", "citizenship": "TR", "date_of_birth": "1985-04-02",
            "passport_number": "U 1234-5678", "email": format!("ayse.{language}@example.com")},
        "field": {"occupation_code": "2512", "occupation_title": "software developers"},
        "experience_years": 12,
        "experience_summary": "Payments at scale.\n\nTwo patents.",
        "education": {"level": "master", "institution": "Orta Doğu Teknik Üniversitesi"},
        "language_certificates": [{"name": "IELTS", "level": "C1", "expires_on": "2027-05-01"}]
    })
}

pub(crate) fn path(id: &str) -> String {
    format!("/api/v1/hqm-applications/{id}")
}

pub(crate) async fn upload(app: &TestApp, token: &str, id: &str, kind: &str, content_type: &str, bytes: &[u8]) -> Resp {
    let url = format!("{}{}/documents?kind={kind}&filename={kind}-copy", app.base, path(id));
    let r = app
        .client
        .post(url)
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap();
    Resp::read(r).await
}

pub(crate) async fn draft(app: &TestApp, token: &str, language: &str) -> String {
    let r = app.post("/api/v1/hqm-applications", token, &body(language)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}

/// A draft with a passport, a diploma and a statement of income (the
/// evidence of financial stability, SPEC §16.4.6), submitted.
pub(crate) async fn submitted(app: &TestApp, token: &str, language: &str) -> String {
    let id = draft(app, token, language).await;
    assert_eq!(upload(app, token, &id, "passport", "application/pdf", PDF).await.status, StatusCode::CREATED);
    assert_eq!(upload(app, token, &id, "qualification", "image/png", PNG).await.status, StatusCode::CREATED);
    assert_eq!(upload(app, token, &id, "income_statement", "application/pdf", PDF).await.status, StatusCode::CREATED);
    let r = app.send(Method::POST, &format!("{}/submit", path(&id)), Some(token), None, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    id
}

pub(crate) async fn score(app: &TestApp, id: &str, criterion: &str, authority: &str, points: i64) -> Resp {
    let b = json!({"points": points, "justification": format!("{criterion}: assessed on the documents")});
    app.put(&format!("{}/scores/{criterion}", path(id)), &app.assessor(authority), &b).await
}

pub(crate) async fn score_all(app: &TestApp, id: &str, points: [i64; 6]) {
    for ((criterion, authority), p) in CRITERIA.iter().zip(points) {
        let r = score(app, id, criterion, authority, p).await;
        assert_eq!(r.status, StatusCode::OK, "{criterion}: {}", r.body);
    }
}

pub(crate) async fn decide(app: &TestApp, id: &str) -> Resp {
    app.send(Method::POST, &format!("{}/decide", path(id)), Some(&app.officer()), None, &[]).await
}

/// The text of a PDF as a reader extracts it: each content stream inflated,
/// each shown string's glyph ids mapped back through the font's ToUnicode
/// map, lines joined. Enough for the PDFs this API writes, and independent
/// of the code that writes them.
fn pdf_text(pdf: &[u8]) -> String {
    let mut streams = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&pdf[at..], b"stream\n") {
        let start = at + i + b"stream\n".len();
        let Some(len) = find(&pdf[start..], b"\nendstream") else { break };
        let dict_start = pdf[..at + i].windows(3).rposition(|w| w == b"obj").unwrap_or(0);
        let dict = &pdf[dict_start..at + i];
        let raw = &pdf[start..start + len];
        at = start + len + b"\nendstream".len();
        if find(dict, b"Length1").is_some() {
            continue; // the embedded font
        }
        let data = if find(dict, b"FlateDecode").is_some() {
            miniz_oxide::inflate::decompress_to_vec_zlib(raw).unwrap_or_default()
        } else {
            raw.to_vec()
        };
        streams.push(data);
    }
    // The ToUnicode map: `<gid> <unicode>` pairs.
    let mut map = std::collections::HashMap::new();
    for s in &streams {
        let text = String::from_utf8_lossy(s);
        if !text.contains("beginbfchar") {
            continue;
        }
        for line in text.lines() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            if parts.len() == 2 && parts[0].starts_with('<') && parts[1].starts_with('<') {
                let gid = u16::from_str_radix(parts[0].trim_matches(['<', '>']), 16).unwrap_or(0);
                let hex = parts[1].trim_matches(['<', '>']);
                let units: Vec<u16> =
                    (0..hex.len() / 4).map(|k| u16::from_str_radix(&hex[k * 4..k * 4 + 4], 16).unwrap_or(0)).collect();
                map.insert(gid, String::from_utf16_lossy(&units));
            }
        }
    }
    let mut out = String::new();
    for s in &streams {
        if find(s, b"Tj").is_none() {
            continue;
        }
        let mut i = 0;
        while i < s.len() {
            if s[i] == b'<' {
                // A hex string: glyph ids as four hex digits each.
                let end = s[i..].iter().position(|c| *c == b'>').map_or(s.len(), |e| i + e);
                let hex: String =
                    s[i + 1..end].iter().filter(|c| c.is_ascii_hexdigit()).map(|c| char::from(*c)).collect();
                for k in 0..hex.len() / 4 {
                    let gid = u16::from_str_radix(&hex[k * 4..k * 4 + 4], 16).unwrap_or(0);
                    out.push_str(map.get(&gid).map_or("\u{FFFD}", String::as_str));
                }
                out.push('\n');
                i = end + 1;
                continue;
            }
            if s[i] != b'(' {
                i += 1;
                continue;
            }
            let mut bytes = Vec::new();
            let mut depth = 1;
            i += 1;
            while i < s.len() && depth > 0 {
                match s[i] {
                    b'\\' => {
                        i += 1;
                        match s.get(i) {
                            Some(b'n') => bytes.push(b'\n'),
                            Some(b'r') => bytes.push(b'\r'),
                            Some(b't') => bytes.push(b'\t'),
                            Some(b'b') => bytes.push(8),
                            Some(b'f') => bytes.push(12),
                            Some(d) if d.is_ascii_digit() => {
                                let mut v = 0u32;
                                let mut n = 0;
                                while n < 3 && s.get(i).is_some_and(|c| (b'0'..=b'7').contains(c)) {
                                    v = v * 8 + u32::from(s[i] - b'0');
                                    i += 1;
                                    n += 1;
                                }
                                i -= 1;
                                bytes.push(u8::try_from(v & 0xFF).unwrap());
                            }
                            Some(c) => bytes.push(*c),
                            None => {}
                        }
                    }
                    b'(' => {
                        depth += 1;
                        bytes.push(b'(');
                    }
                    b')' => {
                        depth -= 1;
                        if depth > 0 {
                            bytes.push(b')');
                        }
                    }
                    c => bytes.push(c),
                }
                i += 1;
            }
            for pair in bytes.chunks(2) {
                if let [hi, lo] = pair {
                    out.push_str(map.get(&u16::from_be_bytes([*hi, *lo])).map_or("\u{FFFD}", String::as_str));
                }
            }
            out.push('\n');
        }
    }
    out
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The whole story of a recognised applicant (82 points): filed in Turkish,
/// documents checked and kept with their SHA-256, submitted with a deadline
/// counted over the May holidays, scored by the six criteria's authorities,
/// decided, the signed document downloaded as JSON and PDF, checked at the
/// public endpoint and offline, the applicant told in Turkish.
#[tokio::test]
async fn hqm_a_recognised_applicant_with_82_points() {
    let app = spawn().await;
    let ayse = app.applicant("applicant-ayse");
    let id = draft(&app, &ayse, "tr").await;
    let r = app.get(&path(&id), &ayse).await;
    assert_eq!(r.body["status"], "draft");
    assert_eq!(r.body["field"]["occupation_title"], "Software developers", "the classification's spelling");
    assert_eq!(r.body["applicant"]["passport_number"], "U12345678");
    assert_eq!(r.header("etag").as_deref(), Some("\"1\""));

    let up = upload(&app, &ayse, &id, "passport", "application/pdf", PDF).await;
    assert_eq!(up.status, StatusCode::CREATED, "{}", up.body);
    let sha = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(PDF));
    assert_eq!(up.body["sha256"].as_str(), Some(sha.as_str()));
    assert_eq!(up.body["size"], PDF.len());
    let doc = up.header("location").unwrap();
    assert_eq!(app.fetch(&doc, Some(&ayse)).await, PDF);
    assert_eq!(upload(&app, &ayse, &id, "qualification", "image/jpeg", JPEG).await.status, StatusCode::CREATED);
    assert_eq!(upload(&app, &ayse, &id, "bank_statement", "application/pdf", PDF).await.status, StatusCode::CREATED);
    let r = app.send(Method::POST, &format!("{}/submit", path(&id)), Some(&ayse), None, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["status"], "under_review");
    // Friday 15 May 2026: Qurban (27–28 May, 29 May in lieu) and 15 June are
    // not business days; the 20th business day is Thursday 18 June.
    assert_eq!(r.body["review_deadline"], "2026-06-18");
    assert_eq!(r.body["overdue"], false);
    // After submission only documents an officer asks for are added.
    let late = upload(&app, &ayse, &id, "other", "application/pdf", PDF).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    assert_eq!(late.body["type"], "/problems/documents-not-requested");

    // The queue of the Ministry of Economy holds it; the sectoral body's too.
    let q = app.get("/api/v1/hqm-applications?authority=economy", &app.assessor("economy")).await;
    assert_eq!(q.status, StatusCode::OK, "{}", q.body);
    assert_eq!(q.body["total"], 1);
    assert_eq!(q.body["items"][0]["id"], id.as_str());

    score_all(&app, &id, [30, 16, 12, 12, 8, 4]).await;
    // Scored: no longer in the Ministry of Economy's pending queue.
    let q = app.get("/api/v1/hqm-applications?authority=economy", &app.officer()).await;
    assert_eq!(q.body["total"], 0);
    let r = app.get(&path(&id), &app.officer()).await;
    assert_eq!(r.body["total"], 82);
    assert_eq!(r.body["scores"].as_array().unwrap().len(), 6);

    let d = decide(&app, &id).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!(d.body["status"], "recognised");
    assert_eq!(d.body["decision"]["outcome"], "recognised");
    assert_eq!(d.body["decision"]["late"], false);
    let number = d.body["decision"]["number"].as_str().unwrap().to_owned();

    // The signed document, as JSON.
    let doc = app.get(&format!("{}/decision", path(&id)), &ayse).await;
    assert_eq!(doc.status, StatusCode::OK, "{}", doc.body);
    assert_eq!(doc.body["number"], number.as_str());
    let content = &doc.body["content"];
    assert_eq!(content["outcome"], "recognised");
    assert_eq!(content["total"], 82);
    assert_eq!(content["applicant"]["surname"], "Yılmaz");
    assert_eq!(content["scores"][5]["authority"], "education");
    let languages: Vec<&str> =
        content["texts"].as_array().unwrap().iter().map(|t| t["language"].as_str().unwrap()).collect();
    assert_eq!(languages, ["tr", "az"]);
    let code = doc.body["verification_code"].as_str().unwrap().to_owned();

    // Offline, with the published key: the genuine document verifies, a
    // tampered one does not.
    let key = app.send(Method::GET, "/api/v1/hqm-decisions/public-key", None, None, &[]).await;
    assert_eq!(key.status, StatusCode::OK);
    assert_eq!(key.body["jwk"]["crv"], "Ed25519");
    let verifying = {
        use ed25519_dalek::pkcs8::DecodePublicKey;
        ed25519_dalek::VerifyingKey::from_public_key_pem(key.body["pem"].as_str().unwrap()).unwrap()
    };
    let check = |content: &Value| {
        use base64::Engine;
        use ed25519_dalek::Verifier;
        let sig =
            base64::engine::general_purpose::STANDARD.decode(doc.body["signature"]["value"].as_str().unwrap()).unwrap();
        let sig = ed25519_dalek::Signature::from_slice(&sig).unwrap();
        verifying.verify(application::signing::canonical_json(content).as_bytes(), &sig).is_ok()
    };
    assert!(check(content), "the genuine document verifies offline");
    let mut tampered = content.clone();
    tampered["total"] = json!(92);
    assert!(!check(&tampered), "a changed total breaks the signature");
    let mut tampered = content.clone();
    tampered["applicant"]["surname"] = json!("Yilmaz");
    assert!(!check(&tampered), "a changed name breaks the signature");

    // At the public endpoint, by number and code, with no token.
    let v = app.send(Method::GET, &format!("/api/v1/hqm-decisions/{number}?code={code}"), None, None, &[]).await;
    assert_eq!(v.status, StatusCode::OK, "{}", v.body);
    assert_eq!(v.body["valid"], true);
    assert_eq!(v.body["outcome"], "recognised");
    assert_eq!(v.body["total"], 82);
    assert_eq!(v.body["applicant"]["citizenship"], "TR");
    let wrong =
        app.send(Method::GET, &format!("/api/v1/hqm-decisions/{number}?code=AAAAAAAAAAAA"), None, None, &[]).await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    let unknown =
        app.send(Method::GET, &format!("/api/v1/hqm-decisions/HQM-2026-999999?code={code}"), None, None, &[]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);

    // The printable copy: a PDF whose text has the Turkish and Azerbaijani letters.
    let r = app
        .client
        .get(format!("{}{}/decision", app.base, path(&id)))
        .bearer_auth(&ayse)
        .header("Accept", "application/pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r.bytes().await.unwrap().to_vec();
    assert!(pdf.starts_with(b"%PDF-") && find(&pdf, b"/FontFile2").is_some() && find(&pdf, b"/DejaVuSans").is_some());
    let text = pdf_text(&pdf);
    for expected in [
        "Yüksek nitelikli göçmen sayılmaya ilişkin karar",
        "Yüksək ixtisaslı miqrant hesab olunma barədə qərar",
        "Yılmaz",
        "İlgili alanda iş deneyimi",
        "Elm və Təhsil Nazirliyi",
        &number,
        &code,
    ] {
        assert!(text.contains(expected), "{expected:?} not in the PDF's text:\n{text}");
    }

    // The trail, and the e-mails in Turkish.
    let h = app.get(&format!("{}/history?per_page=100", path(&id)), &ayse).await;
    let actions: Vec<&str> =
        h.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "create",
            "upload_document",
            "upload_document",
            "upload_document",
            "submit",
            "score",
            "score",
            "score",
            "score",
            "score",
            "score",
            "decide"
        ]
    );
    let first_score = &h.body["items"][5];
    assert_eq!((first_score["authority"].as_str(), first_score["after"].as_str()), (Some("sectoral"), Some("30")));
    let to = "ayse.tr@example.com".to_owned();
    let mail = app.db.read(move |c| persistence::identity::outbox_for(c, &to)).unwrap();
    assert_eq!(mail.len(), 2, "received and decided");
    assert!(mail[1].subject.contains(&number) && mail[1].subject.contains("Yüksek nitelikli göçmen sayılır"));
    assert!(mail[1].body.contains(&code));
}

/// 69 points, one under the threshold: refused, and told so in Russian.
#[tokio::test]
async fn hqm_refused_one_point_under_the_threshold() {
    let app = spawn().await;
    let ivan = app.applicant("applicant-ivan");
    let id = submitted(&app, &ivan, "ru").await;
    score_all(&app, &id, [25, 15, 10, 10, 6, 3]).await;
    let d = decide(&app, &id).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!((d.body["status"].as_str(), d.body["total"].as_i64()), (Some("refused"), Some(69)));
    let doc = app.get(&format!("{}/decision", path(&id)), &ivan).await;
    let statement = doc.body["content"]["texts"][0]["statement"].as_str().unwrap();
    assert!(statement.contains("69") && statement.contains("не признаётся"), "{statement}");
    let to = "ayse.ru@example.com".to_owned();
    let mail = app.db.read(move |c| persistence::identity::outbox_for(c, &to)).unwrap();
    assert!(mail.last().unwrap().subject.contains("Не признан"), "{}", mail.last().unwrap().subject);
}

/// Full points and an objection: refused. An objection is withdrawn only by
/// its own authority; one standing lets the officer decide before all scores.
#[tokio::test]
async fn hqm_refused_with_full_points_and_an_objection() {
    let app = spawn().await;
    let ana = app.applicant("applicant-ana");
    let id = submitted(&app, &ana, "en").await;
    score_all(&app, &id, [35, 20, 15, 15, 10, 5]).await;
    let reason = json!({"reason": "The bank statement could not be confirmed with the issuing bank."});
    let o = app.post(&format!("{}/objections", path(&id)), &app.assessor("sms"), &reason).await;
    assert_eq!(o.status, StatusCode::CREATED, "{}", o.body);
    let objection = o.header("location").unwrap();
    assert_eq!(o.body["objections"][0]["authority"], "sms");
    // Another authority may not withdraw it; the officer may not either.
    let r = app.delete(&objection, &app.assessor("labour")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(app.delete(&objection, &app.officer()).await.status, StatusCode::FORBIDDEN);
    // Withdrawn by its authority, raised again.
    let r = app.delete(&objection, &app.assessor("sms")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["objections"], json!([]));
    assert_eq!(app.delete(&objection, &app.assessor("sms")).await.status, StatusCode::NOT_FOUND);
    let o = app.post(&format!("{}/objections", path(&id)), &app.assessor("economy"), &reason).await;
    assert_eq!(o.status, StatusCode::CREATED);

    let d = decide(&app, &id).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.body);
    assert_eq!((d.body["status"].as_str(), d.body["total"].as_i64()), (Some("refused"), Some(100)));
    let doc = app.get(&format!("{}/decision", path(&id)), &app.officer()).await;
    assert_eq!(doc.body["content"]["objections"][0]["authority"], "economy");

    // An objection before any score: the officer may decide at once.
    let other = submitted(&app, &app.applicant("applicant-omar"), "az").await;
    let o = app.post(&format!("{}/objections", path(&other)), &app.assessor("sectoral"), &reason).await;
    assert_eq!(o.status, StatusCode::CREATED);
    let d = decide(&app, &other).await;
    assert_eq!((d.status, d.body["status"].as_str()), (StatusCode::OK, Some("refused")));
    let h = app.get(&format!("{}/history?per_page=100", path(&id)), &app.officer()).await;
    let actions: Vec<&str> =
        h.body["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(actions.ends_with(&["object", "withdraw_objection", "object", "decide"]), "{actions:?}");
}

/// The rules of scoring and deciding: only the criterion's authority (403),
/// points within the range (422), a decision waits for six scores (409),
/// nothing is scored after it (409), and a re-score replaces the score.
#[tokio::test]
async fn hqm_scoring_rules() {
    let app = spawn().await;
    let ayse = app.applicant("applicant-ayse");
    let id = submitted(&app, &ayse, "en").await;

    let r = score(&app, &id, "work_experience", "economy", 20).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/wrong-authority");
    let r = score(&app, &id, "language_skills", "sms", 5).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "SMS verifies language skills but does not score them");
    let r = app
        .put(&format!("{}/scores/education", path(&id)), &app.officer(), &json!({"points": 1, "justification": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    for (criterion, authority, points) in
        [("work_experience", "sectoral", 36), ("language_skills", "education", 6), ("education", "education", -1)]
    {
        let r = score(&app, &id, criterion, authority, points).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{criterion} {points}");
        assert_eq!(r.error_codes(), [("points".to_owned(), "out_of_range".to_owned())]);
    }
    let blank = json!({"points": 3, "justification": "  "});
    let r = app.put(&format!("{}/scores/language_skills", path(&id)), &app.assessor("education"), &blank).await;
    assert_eq!(r.error_codes(), [("justification".to_owned(), "required".to_owned())]);
    let r = score(&app, &id, "charisma", "education", 3).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    let r = decide(&app, &id).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["type"], "/problems/scores-incomplete");

    score_all(&app, &id, [20, 10, 10, 10, 5, 5]).await;
    let r = score(&app, &id, "work_experience", "sectoral", 35).await;
    assert_eq!(r.body["total"], 75, "the re-score replaced 20 with 35");
    assert!(decide(&app, &id).await.status.is_success());

    let r = score(&app, &id, "education", "education", 15).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert_eq!(r.body["current_status"], "recognised");
    assert_eq!(decide(&app, &id).await.status, StatusCode::CONFLICT, "decided once");
    let r = app.post(&format!("{}/objections", path(&id)), &app.assessor("sms"), &json!({"reason": "late"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app.send(Method::POST, &format!("{}/withdraw", path(&id)), Some(&ayse), None, &[]).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // The applicant withdraws another application under review: it leaves
    // the queues, and nothing more is scored on it.
    let other = submitted(&app, &ayse, "tr").await;
    assert_eq!(app.get("/api/v1/hqm-applications", &app.assessor("labour")).await.body["total"], 1);
    let r = app.send(Method::POST, &format!("{}/withdraw", path(&other)), Some(&ayse), None, &[]).await;
    assert_eq!((r.status, r.body["status"].as_str()), (StatusCode::OK, Some("withdrawn")));
    assert_eq!(app.get("/api/v1/hqm-applications", &app.assessor("labour")).await.body["total"], 0);
    assert_eq!(score(&app, &other, "labour_market_impact", "labour", 5).await.status, StatusCode::CONFLICT);
    let mine = app.get("/api/v1/hqm-applications?status=withdrawn", &ayse).await;
    assert_eq!(mine.body["items"][0]["id"], other.as_str());
}

/// An applicant sees only their own applications: another's is not found,
/// whatever the verb; assessors see no drafts; the list holds one's own.
#[tokio::test]
async fn hqm_another_applicants_application_is_not_found() {
    let app = spawn().await;
    let (ayse, ivan) = (app.applicant("applicant-ayse"), app.applicant("applicant-ivan"));
    let id = draft(&app, &ayse, "en").await;
    // A retry with the same Idempotency-Key files nothing twice.
    let key = [("Idempotency-Key", "ivan-2026-06-01")];
    let first = app.send(Method::POST, "/api/v1/hqm-applications", Some(&ivan), Some(&body("ru")), &key).await;
    let again = app.send(Method::POST, "/api/v1/hqm-applications", Some(&ivan), Some(&body("ru")), &key).await;
    assert_eq!((first.status, again.status), (StatusCode::CREATED, StatusCode::CREATED));
    assert_eq!(first.body["id"], again.body["id"]);
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(app.get(&path(&id), &ivan).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.put(&path(&id), &ivan, &body("ru")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&path(&id), &ivan).await.status, StatusCode::NOT_FOUND);
    assert_eq!(upload(&app, &ivan, &id, "passport", "application/pdf", PDF).await.status, StatusCode::NOT_FOUND);
    let r = app.send(Method::POST, &format!("{}/submit", path(&id)), Some(&ivan), None, &[]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("{}/history", path(&id)), &ivan).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&path(&id), &app.assessor("economy")).await.status,
        StatusCode::NOT_FOUND,
        "a draft is in no queue"
    );
    assert_eq!(app.get(&path(&id), &app.officer()).await.status, StatusCode::OK);
    // An employer is no applicant.
    let r = app.post("/api/v1/hqm-applications", &app.employer(TIN_A), &body("en")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&path(&id), &app.employer(TIN_A)).await.status, StatusCode::NOT_FOUND);
    // Nor does an applicant read forecasts of employers.
    let l = app.get("/api/v1/forecasts", &ivan).await;
    assert_eq!(l.body["total"], 0);

    let mine = app.get("/api/v1/hqm-applications", &ayse).await;
    assert_eq!(mine.body["total"], 1);
    assert_eq!(mine.body["items"][0]["id"], id.as_str());
    let all = app.get("/api/v1/hqm-applications", &app.officer()).await;
    assert_eq!(all.body["total"], 2);
    let queue = app.get("/api/v1/hqm-applications", &app.assessor("labour")).await;
    assert_eq!(queue.body["total"], 0, "drafts are in no queue");

    // The owner edits and deletes a draft; the trail stays.
    let r = app.put(&path(&id), &ayse, &body("az")).await;
    assert_eq!((r.status, r.body["language"].as_str()), (StatusCode::OK, Some("az")));
    let stale = app.send(Method::PUT, &path(&id), Some(&ayse), Some(&body("tr")), &[("If-Match", "\"1\"")]).await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(app.delete(&path(&id), &ayse).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get(&path(&id), &ayse).await.status, StatusCode::NOT_FOUND);
}

/// Files are what their bytes are: a PNG declared a PDF is refused (422), a
/// GIF or a renamed archive too (415); a form upload works; submission needs
/// a passport copy and a proof of qualifications; invalid data is named.
#[tokio::test]
async fn hqm_a_file_whose_bytes_are_not_its_declared_type() {
    let app = spawn().await;
    let ayse = app.applicant("applicant-ayse");
    let id = draft(&app, &ayse, "en").await;
    let r = upload(&app, &ayse, &id, "passport", "application/pdf", PNG).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_codes(), [("file".to_owned(), "content_mismatch".to_owned())]);
    let r = upload(&app, &ayse, &id, "passport", "image/gif", b"GIF89a....").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = upload(&app, &ayse, &id, "passport", "application/pdf", b"PK\x03\x04 a zip").await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let r = upload(&app, &ayse, &id, "diploma", "application/pdf", PDF).await;
    assert_eq!(r.error_codes(), [("kind".to_owned(), "kind_unknown".to_owned())]);
    assert_eq!(app.get(&path(&id), &ayse).await.body["documents"], json!([]));

    // A form upload, as a browser sends it.
    let boundary = "XyZboundary";
    let mut form = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    form.extend_from_slice(PNG);
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = app
        .client
        .post(format!("{}{}/documents?kind=passport&filename=p.png", app.base, path(&id)))
        .bearer_auth(&ayse)
        .header("Content-Type", format!("multipart/form-data; boundary={boundary}"))
        .body(form)
        .send()
        .await
        .unwrap();
    let r = Resp::read(r).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!((r.body["content_type"].as_str(), r.body["filename"].as_str()), (Some("image/png"), Some("p.png")));

    let submit = app.send(Method::POST, &format!("{}/submit", path(&id)), Some(&ayse), None, &[]).await;
    assert_eq!(submit.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(submit.error_codes(), [("documents".to_owned(), "qualification_missing".to_owned())]);
    let doc = upload(&app, &ayse, &id, "qualification", "application/pdf", PDF).await;
    let doc_path = doc.header("location").unwrap();
    assert_eq!(app.delete(&doc_path, &ayse).await.status, StatusCode::OK);
    assert_eq!(app.get(&doc_path, &ayse).await.status, StatusCode::NOT_FOUND, "deleted from the draft");

    let mut bad = body("de");
    bad["applicant"]["citizenship"] = json!("AZ");
    bad["applicant"]["date_of_birth"] = json!("2015-01-01");
    bad["field"]["occupation_title"] = json!("Bricklayers");
    let r = app.post("/api/v1/hqm-applications", &ayse, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.error_codes(),
        [
            ("language".to_owned(), "language_unsupported".to_owned()),
            ("applicant.citizenship".to_owned(), "citizenship_azerbaijan".to_owned()),
            ("applicant.date_of_birth".to_owned(), "not_adult".to_owned()),
            ("field.occupation_title".to_owned(), "occupation_title_mismatch".to_owned()),
        ]
    );
    let mut unknown = body("en");
    unknown["status"] = json!("recognised");
    let r = app.post("/api/v1/hqm-applications", &ayse, &unknown).await;
    assert_eq!(r.error_codes(), [("status".to_owned(), "unknown_field".to_owned())]);
}

/// The deadline across a weekend and holidays, extended by 10 business days
/// with a reason; past it the application is overdue and first in the
/// queue, and a decision then is flagged late.
#[tokio::test]
async fn hqm_the_deadline_across_a_weekend_and_a_holiday_with_an_extension() {
    let app = spawn().await;
    // Thursday 11 June 2026, 23:30 in Baku: still the 11th. Days off ahead:
    // Monday 15 June (National Salvation Day), Friday 26 June (Armed Forces Day).
    app.clock.set("2026-06-11T19:30:00Z".parse().unwrap());
    let ayse = app.applicant("applicant-ayse");
    let id = submitted(&app, &ayse, "az").await;
    let r = app.get(&path(&id), &ayse).await;
    // 12 June is day 1; 16–19, 22–25, 29–30 June, 1–3, 6–10 July; day 20 is Monday 13 July.
    assert_eq!(r.body["review_deadline"], "2026-07-13");

    // Without a reason, no extension; only an officer extends.
    let ext = format!("{}/extend", path(&id));
    let r = app.post(&ext, &app.officer(), &json!({"reason": " "})).await;
    assert_eq!(r.error_codes(), [("reason".to_owned(), "required".to_owned())]);
    let reason = json!({"reason": "The diploma is being verified with the issuing university."});
    assert_eq!(app.post(&ext, &app.assessor("economy"), &reason).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&ext, &ayse, &reason).await.status, StatusCode::FORBIDDEN);
    let r = app.post(&ext, &app.officer(), &reason).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // 14–17 and 20–24 July, then Monday 27 July is the 10th business day after.
    assert_eq!(r.body["review_deadline"], "2026-07-27");
    let r = app.post(&ext, &app.officer(), &reason).await;
    assert_eq!(r.body["review_deadline"], "2026-08-10", "extensions stack");

    // A second application, due earlier, and the clock past both deadlines.
    app.clock.set("2026-06-12T08:00:00Z".parse().unwrap());
    let early = submitted(&app, &app.applicant("applicant-ivan"), "ru").await;
    assert_eq!(app.get(&path(&early), &app.officer()).await.body["review_deadline"], "2026-07-14");
    app.clock.set("2026-08-10T19:59:00Z".parse().unwrap());
    let r = app.get(&path(&id), &app.officer()).await;
    assert_eq!(r.body["overdue"], false, "the deadline day counts in full in Baku");
    app.clock.set("2026-08-10T20:01:00Z".parse().unwrap());
    assert_eq!(app.get(&path(&id), &app.officer()).await.body["overdue"], true);
    let q = app.get("/api/v1/hqm-applications?overdue=true", &app.assessor("sectoral")).await;
    let ids: Vec<&str> = q.body["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [early.as_str(), id.as_str()], "sorted by deadline");
    assert_eq!(app.get("/api/v1/hqm-applications?overdue=false", &app.officer()).await.body["total"], 0);

    score_all(&app, &id, [30, 16, 12, 12, 8, 4]).await;
    let d = decide(&app, &id).await;
    assert_eq!(d.body["decision"]["late"], true, "decided after the deadline, and flagged");
    let h = app.get(&format!("{}/history?per_page=100", path(&id)), &ayse).await;
    let ext: Vec<&Value> = h.body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "extend").collect();
    assert_eq!((ext[0]["before"].as_str(), ext[0]["after"].as_str()), (Some("2026-07-13"), Some("2026-07-27")));
    assert_eq!(ext[0]["role"], "officer");
    let to = "ayse.az@example.com".to_owned();
    let mail = app.db.read(move |c| persistence::identity::outbox_for(c, &to)).unwrap();
    let kinds: Vec<&str> = mail.iter().map(|m| m.kind.as_str()).collect();
    assert_eq!(kinds, ["hqm_submitted", "hqm_extended", "hqm_extended", "hqm_decided"]);
    assert!(mail[1].subject.contains("uzadıldı"), "{}", mail[1].subject);
}

/// The holiday calendar ships for the current and next year; admin replaces
/// a year's list; a count that needs an unknown year is refused, not guessed.
#[tokio::test]
async fn hqm_holidays_are_kept_per_year_by_admin() {
    let app = spawn().await;
    let r = app.get("/api/v1/holidays/2026", &app.officer()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["source"], "built_in");
    assert!(r.body["days"].as_array().unwrap().iter().any(|d| d["date"] == "2026-03-20"));
    assert_eq!(app.get("/api/v1/holidays/2027", &app.officer()).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/holidays/2028", &app.officer()).await.status, StatusCode::NOT_FOUND);

    let list = json!({"year": 2028, "days": [{"date": "2028-01-03", "name": "Yeni il bayramı (köçürülmüş)"}]});
    assert_eq!(app.put("/api/v1/holidays/2028", &app.officer(), &list).await.status, StatusCode::FORBIDDEN);
    let weekend = json!({"year": 2028, "days": [{"date": "2028-01-01", "name": "Yeni il"}]});
    let r = app.put("/api/v1/holidays/2028", &app.admin(), &weekend).await;
    assert_eq!(r.error_codes(), [("days[0].date".to_owned(), "weekend".to_owned())]);
    let r = app.put("/api/v1/holidays/2027", &app.admin(), &list).await;
    assert_eq!(r.error_codes(), [("year".to_owned(), "path_mismatch".to_owned())]);
    let r = app.put("/api/v1/holidays/2028", &app.admin(), &list).await;
    assert_eq!((r.status, r.body["source"].as_str()), (StatusCode::OK, Some("admin")));

    // 20 business days from Monday 20 December 2027 run into January 2028,
    // whose list admin has just published (31 December 2027 and 3 January
    // 2028 are off): they end on Wednesday 19 January.
    app.clock.set("2027-12-20T08:00:00Z".parse().unwrap());
    let id = submitted(&app, &app.applicant("applicant-ayse"), "en").await;
    let r = app.get(&path(&id), &app.officer()).await;
    assert_eq!(r.body["review_deadline"], "2028-01-19");
    assert_eq!(r.body["review_deadline_provisional"], false);
    // Without 2029, an application submitted in late December 2028 is
    // counted provisionally (SPEC §16.4.4), not refused.
    app.clock.set("2028-12-20T08:00:00Z".parse().unwrap());
    let ivan = app.applicant("applicant-ivan");
    let other = draft(&app, &ivan, "en").await;
    upload(&app, &ivan, &other, "passport", "application/pdf", PDF).await;
    upload(&app, &ivan, &other, "qualification", "application/pdf", PDF).await;
    let r = app.send(Method::POST, &format!("{}/submit", path(&other)), Some(&ivan), None, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["review_deadline_provisional"], true);
    // Wednesday 20 December 2028: 21–29 December give 7 (Monday 25 is a
    // working day), 31 December is a Sunday; in 2029 1–2 January and 3
    // January (in lieu of 31 December) are off, so day 20 is 22 January.
    assert_eq!(r.body["review_deadline"], "2029-01-22");
    let mail = app.outbox_to("ayse.en@example.com");
    assert!(mail.last().unwrap().body.contains("provisional"), "{}", mail.last().unwrap().body);
}

/// The criteria table in the four languages (SPEC §14.3, §14.6).
#[tokio::test]
async fn hqm_the_criteria_table() {
    let app = spawn().await;
    let r = app.get("/api/v1/hqm-criteria", &app.applicant("a")).await;
    assert_eq!(r.status, StatusCode::OK);
    let codes: Vec<(&str, u64)> = r.body["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["code"].as_str().unwrap(), c["max_points"].as_u64().unwrap()))
        .collect();
    assert_eq!(codes.iter().map(|c| c.1).sum::<u64>(), 100);
    assert_eq!(codes[0], ("work_experience", 35));
    assert_eq!((r.body["threshold"].as_u64(), r.body["max_total"].as_u64()), (Some(70), Some(100)));
    assert_eq!(r.body["criteria"][2]["titles"]["tr"], "Eğitim");
}
