//! The printable copy of an HQM decision (SPEC §14.5): an A4 PDF written
//! with `pdf-writer`, its text set in DejaVu Sans, which is embedded (with a
//! `ToUnicode` map, so the text can be searched and copied) and covers the
//! Azerbaijani, Turkish and Russian letters (ə ğ ı İ ö ü ç ş, Cyrillic).
//! The font ships in `api/assets/` with its licence.

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// DejaVu Sans (Bitstream Vera licence, see `api/assets/DejaVuSans-LICENSE.txt`).
pub const FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
/// The name the PDF gives the embedded font.
pub const FONT_NAME: &[u8] = b"DejaVuSans";

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;

/// The font file, compressed once.
fn font_stream() -> &'static [u8] {
    static COMPRESSED: OnceLock<Vec<u8>> = OnceLock::new();
    COMPRESSED.get_or_init(|| miniz_oxide::deflate::compress_to_vec_zlib(FONT, 6))
}

/// What the printable copy shows besides the signed content.
pub struct Printable<'a> {
    pub number: &'a str,
    pub verification_code: &'a str,
    pub signature: &'a str,
    pub key_id: &'a str,
    /// The signed content (see `domain::hqm::decision::DecisionContent`).
    pub content: &'a Value,
}

/// A line to set: its size and its text.
struct Line {
    size: f32,
    text: String,
    gap: f32,
}

struct Layout<'f> {
    face: ttf_parser::Face<'f>,
    lines: Vec<Line>,
}

impl Layout<'_> {
    fn width(&self, s: &str, size: f32) -> f32 {
        let upem = f32::from(self.face.units_per_em());
        s.chars()
            .map(|c| {
                let gid = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
                f32::from(self.face.glyph_hor_advance(gid).unwrap_or(0)) * size / upem
            })
            .sum()
    }

    /// Adds `text` wrapped at word boundaries to the text width.
    fn para(&mut self, size: f32, text: &str, gap: f32) {
        let max = PAGE_W - 2.0 * MARGIN;
        for source_line in text.split('\n') {
            let mut line = String::new();
            for word in source_line.split(' ') {
                let candidate = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
                if self.width(&candidate, size) <= max || line.is_empty() {
                    line = candidate;
                    // A single word wider than the line is cut by characters.
                    while self.width(&line, size) > max {
                        let mut head = String::new();
                        for c in line.chars() {
                            if self.width(&format!("{head}{c}"), size) > max {
                                break;
                            }
                            head.push(c);
                        }
                        if head.is_empty() {
                            break;
                        }
                        let rest = line[head.len()..].to_owned();
                        self.lines.push(Line { size, text: head, gap: 0.0 });
                        line = rest;
                    }
                } else {
                    self.lines.push(Line { size, text: std::mem::take(&mut line), gap: 0.0 });
                    line = word.to_owned();
                }
            }
            self.lines.push(Line { size, text: line, gap: 0.0 });
        }
        if let Some(last) = self.lines.last_mut() {
            last.gap = gap;
        }
    }
}

fn s<'v>(v: &'v Value, key: &str) -> &'v str {
    v[key].as_str().unwrap_or_default()
}

fn lang_of(code: &str) -> domain::lang::Lang {
    domain::lang::Lang::parse(code).unwrap_or(domain::lang::Lang::En)
}

/// Writes the text of the document, once per language of its `texts`.
fn compose(layout: &mut Layout<'_>, p: &Printable<'_>) {
    use domain::messages::decision::{labels, outcome_name};
    let c = p.content;
    let outcome = match s(c, "outcome") {
        "recognised" => domain::hqm::application::Outcome::Recognised,
        _ => domain::hqm::application::Outcome::Refused,
    };
    let empty = Vec::new();
    let texts = c["texts"].as_array().unwrap_or(&empty);
    for (i, t) in texts.iter().enumerate() {
        let lang = lang_of(s(t, "language"));
        let l = labels(lang);
        if i > 0 {
            layout.para(10.0, "—", 10.0);
        }
        layout.para(15.0, s(t, "title"), 8.0);
        layout.para(10.0, &format!("{}: {}    {}: {}", l[0], p.number, l[1], s(c, "decided_on")), 2.0);
        let a = &c["applicant"];
        layout.para(
            10.0,
            &format!(
                "{}: {} {}    {}: {}    {}: {}    {}: {}",
                l[2],
                s(a, "given_name"),
                s(a, "surname"),
                l[3],
                s(a, "citizenship"),
                l[4],
                s(a, "date_of_birth"),
                l[5],
                s(a, "passport_number")
            ),
            2.0,
        );
        let f = &c["field"];
        layout.para(10.0, &format!("{}: {} {}", l[6], s(f, "occupation_code"), s(f, "occupation_title")), 2.0);
        layout.para(10.0, &format!("{}: {}", l[14], s(c, "review_deadline")), 6.0);
        let criteria = t["criteria"].as_array().unwrap_or(&empty);
        let authorities = t["authorities"].as_array().unwrap_or(&empty);
        for (k, score) in c["scores"].as_array().unwrap_or(&empty).iter().enumerate() {
            let points = score["points"].as_u64().map_or_else(|| "—".to_owned(), |p| p.to_string());
            let title = criteria.get(k).and_then(Value::as_str).unwrap_or_default();
            let body = authorities.get(k).and_then(Value::as_str).unwrap_or_default();
            layout.para(10.0, &format!("{}. {title}: {points} / {}", k + 1, score["max_points"]), 0.0);
            layout.para(8.5, &format!("{}: {body}", l[8]), 0.0);
            if let Some(j) = score["justification"].as_str() {
                layout.para(8.5, j, 3.0);
            } else {
                layout.para(8.5, "", 3.0);
            }
        }
        layout.para(11.0, &format!("{}: {} / {}", l[10], c["total"], c["max_total"]), 3.0);
        let objections = c["objections"].as_array().unwrap_or(&empty);
        if !objections.is_empty() {
            layout.para(10.0, &format!("{}:", l[11]), 0.0);
            for o in objections {
                layout.para(8.5, &format!("{}: {}", s(o, "authority"), s(o, "reason")), 2.0);
            }
        }
        layout.para(12.0, &format!("{}: {}", l[12], outcome_name(lang, outcome)), 3.0);
        layout.para(10.0, s(t, "statement"), 6.0);
        layout.para(10.0, &format!("{}: {}", l[13], p.verification_code), 2.0);
    }
    layout.para(
        8.0,
        &format!(
            "GET /api/v1/hqm-decisions/{}?code={} · Ed25519 · key {} · GET /api/v1/hqm-decisions/public-key",
            p.number, p.verification_code, p.key_id
        ),
        2.0,
    );
    layout.para(7.0, p.signature, 0.0);
}

/// The printable PDF of a decision.
pub fn decision_pdf(p: &Printable<'_>) -> Result<Vec<u8>, String> {
    let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| format!("font: {e}"))?;
    let mut layout = Layout { face, lines: Vec::new() };
    compose(&mut layout, p);
    let face = &layout.face;
    let upem = f32::from(face.units_per_em());
    let to_pdf = |v: f32| v * 1000.0 / upem;

    // Paginate: lines top to bottom, a new page when the next does not fit.
    let mut pages: Vec<Vec<(f32, f32, &Line)>> = vec![Vec::new()];
    let mut y = PAGE_H - MARGIN;
    for line in &layout.lines {
        let advance = line.size * 1.35;
        if y - advance < MARGIN {
            pages.push(Vec::new());
            y = PAGE_H - MARGIN;
        }
        y -= advance;
        if let Some(page) = pages.last_mut() {
            page.push((MARGIN, y, line));
        }
        y -= line.gap;
    }

    let mut used: BTreeMap<u16, char> = BTreeMap::new();
    let mut alloc = 1;
    let mut next = || {
        let r = Ref::new(alloc);
        alloc += 1;
        r
    };
    let (catalog, tree, type0, cid, descriptor, cmap_id, font_file) =
        (next(), next(), next(), next(), next(), next(), next());
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (next(), next())).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(page_ids.iter().map(|(p, _)| *p)).count(i32::try_from(page_ids.len()).unwrap_or(1));
    pdf.document_info(next()).title(pdf_writer::TextStr("Decision")).producer(pdf_writer::TextStr("quota-api"));

    for (lines, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree);
        page.contents(*content_id);
        page.resources().fonts().pair(Name(b"F1"), type0);
        page.finish();
        let mut content = Content::new();
        for (x, y, line) in lines {
            let mut glyphs = Vec::with_capacity(line.text.len() * 2);
            for c in line.text.chars() {
                let gid = face.glyph_index(c).map_or(0, |g| g.0);
                used.entry(gid).or_insert(c);
                glyphs.extend_from_slice(&gid.to_be_bytes());
            }
            content.begin_text();
            content.set_font(Name(b"F1"), line.size);
            content.next_line(*x, *y);
            content.show(Str(&glyphs));
            content.end_text();
        }
        let data = miniz_oxide::deflate::compress_to_vec_zlib(&content.finish(), 6);
        pdf.stream(*content_id, &data).filter(Filter::FlateDecode);
    }

    let info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    let mut t0 = pdf.type0_font(type0);
    t0.base_font(Name(FONT_NAME)).encoding_predefined(Name(b"Identity-H")).descendant_font(cid).to_unicode(cmap_id);
    t0.finish();

    let mut cf = pdf.cid_font(cid);
    cf.subtype(CidFontType::Type2)
        .base_font(Name(FONT_NAME))
        .system_info(info)
        .font_descriptor(descriptor)
        .default_width(0.0)
        .cid_to_gid_map_predefined(Name(b"Identity"));
    let mut widths = cf.widths();
    for gid in used.keys() {
        let w = to_pdf(f32::from(face.glyph_hor_advance(ttf_parser::GlyphId(*gid)).unwrap_or(0)));
        widths.consecutive(*gid, [w]);
    }
    widths.finish();
    cf.finish();

    let bbox = face.global_bounding_box();
    let mut fd = pdf.font_descriptor(descriptor);
    fd.name(Name(FONT_NAME))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(
            to_pdf(f32::from(bbox.x_min)),
            to_pdf(f32::from(bbox.y_min)),
            to_pdf(f32::from(bbox.x_max)),
            to_pdf(f32::from(bbox.y_max)),
        ))
        .italic_angle(0.0)
        .ascent(to_pdf(f32::from(face.ascender())))
        .descent(to_pdf(f32::from(face.descender())))
        .cap_height(to_pdf(f32::from(face.capital_height().unwrap_or(face.ascender()))))
        .stem_v(80.0)
        .font_file2(font_file);
    fd.finish();

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), info);
    for (gid, c) in &used {
        cmap.pair(*gid, *c);
    }
    let cmap_bytes = cmap.finish();
    pdf.cmap(cmap_id, &cmap_bytes);

    let font = font_stream();
    pdf.stream(font_file, font)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), i32::try_from(FONT.len()).unwrap_or(i32::MAX));

    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_font_covers_azerbaijani_turkish_and_russian_letters() {
        let face = ttf_parser::Face::parse(FONT, 0).unwrap();
        for c in "əƏğĞıİöÖüÜçÇşŞЖжЮю".chars() {
            assert!(face.glyph_index(c).is_some(), "{c}");
        }
    }

    #[test]
    fn a_decision_prints_to_a_pdf_with_the_font_embedded() {
        let content = serde_json::json!({
            "outcome": "recognised", "decided_on": "2026-06-01", "total": 82, "max_total": 100,
            "review_deadline": "2026-06-29",
            "applicant": {"given_name": "Ayşe", "surname": "Yılmaz", "citizenship": "TR", "date_of_birth": "1985-04-02", "passport_number": "U12345678"},
            "field": {"occupation_code": "2512", "occupation_title": "Software developers"},
            "scores": [{"points": 30, "max_points": 35, "justification": "İyi. ".repeat(200)}],
            "objections": [],
            "texts": [{"language": "tr", "title": "Karar", "statement": "Kişi yüksek nitelikli göçmen sayılır.", "criteria": ["İş deneyimi"], "authorities": ["Ekonomi Bakanlığı"]}]
        });
        let pdf = decision_pdf(&Printable {
            number: "HQM-2026-000001",
            verification_code: "ABCDEFGHJKMN",
            signature: "c2ln",
            key_id: "0011223344556677",
            content: &content,
        })
        .unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/BaseFont /DejaVuSans") && text.contains("/FontFile2") && text.contains("/ToUnicode"));
        assert!(text.trim_end().ends_with("%%EOF"));
    }
}
