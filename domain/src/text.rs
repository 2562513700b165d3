//! Text normalisation shared by every search and every comparison of titles.
//!
//! People type Azerbaijani without its marks (seed 001: the product must
//! handle ə, ğ, ı, ö, ü, ç, ş everywhere, including search; SPEC §6), so search
//! compares a folded form: lower case with Azerbaijani casing, marks removed.

/// Folds `s` for search: Azerbaijani-aware lower case (`İ`→`i`, `I`→`ı`), then
/// letters with marks to their plain forms (ə→e, ı→i, ş→s, ç→c, ğ→g, ö→o, ü→u),
/// anything that is not a letter or digit to a space, and runs of spaces to one.
pub fn fold(s: &str) -> String {
    fold_with(s, 'e')
}

/// [`fold`] with ə (and ä, its spelling of 1991–1992) as `a`: the other way
/// people type it without the letter (SPEC §16.5: the guideline itself
/// prints "Banna" for "Bənna"). Search holds both forms of a title.
pub fn fold_schwa_as_a(s: &str) -> String {
    fold_with(s, 'a')
}

/// [`fold`] with ə as `schwa`.
fn fold_with(s: &str, schwa: char) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        push_folded(&mut out, c, schwa);
    }
    out
}

/// Pushes `c` lower case, with the Azerbaijani letters (and the i-letters
/// of both casings) as their plain Latin base; ə as `schwa`.
fn push_folded(out: &mut String, c: char, schwa: char) {
    let mapped = match c {
        'İ' | 'I' | 'ı' | 'i' | 'Ì' | 'Í' | 'ì' | 'í' | 'Î' | 'î' => 'i',
        'Ə' | 'ə' | 'Ä' | 'ä' => schwa,
        'É' | 'é' | 'È' | 'è' => 'e',
        'Ş' | 'ş' => 's',
        'Ç' | 'ç' => 'c',
        'Ğ' | 'ğ' => 'g',
        'Ö' | 'ö' => 'o',
        'Ü' | 'ü' => 'u',
        c if c.is_ascii() => c.to_ascii_lowercase(),
        c => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push(mapped);
}

/// How a typed occupation title is compared with the classification's
/// (SPEC §16.5): case, spacing and the Azerbaijani letters folded to their
/// Latin base (ə→e, ı→i, ö→o, ü→u, ç→c, ş→s, ğ→g; `İ` and `I` → i), as
/// [`fold`] folds them. Punctuation stays — "Bənna, xarici suvaq" is not
/// "Bənna xarici suvaq" — but white space beside it is spacing: runs of
/// white space count as one space between letters or digits, and as none
/// next to punctuation or at the ends.
pub fn title_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut space, mut after_word) = (false, false);
    for c in s.chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let word = c.is_alphanumeric();
        if space && word && after_word {
            out.push(' ');
        }
        space = false;
        after_word = word;
        if word {
            push_folded(&mut out, c, 'e');
        } else {
            out.push(c);
        }
    }
    out
}

/// The words of a search query, folded; empty words are dropped.
pub fn fold_words(q: &str) -> Vec<String> {
    fold(q).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect()
}

/// Trims and collapses inner runs of white space to one space: the form in
/// which free text is stored (SPEC §4.1: "text fields are trimmed").
pub fn tidy(s: &str) -> String {
    // One allocation: every line of every filing passes here (SPEC §11).
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A required free text: at most `max` characters as sent, not blank once
/// tidied; returns the tidied text (SPEC §4.1: "text fields are trimmed,
/// non-empty where required, with sensible maximum lengths").
pub fn required(field: &str, raw: &str, max: usize) -> Result<String, crate::FieldError> {
    if raw.chars().count() > max {
        return Err(crate::FieldError::new(field, crate::FieldCode::Length).with("max", max));
    }
    let t = tidy(raw);
    if t.is_empty() {
        return Err(crate::FieldError::new(field, crate::FieldCode::Required));
    }
    Ok(t)
}

/// Case folding that keeps the other marks: how a typed title is compared
/// with the classification's (guideline II.5: code and title must match;
/// case is not a difference a person sees as one). The four i-letters (I, İ,
/// ı, i) compare equal, because English and Azerbaijani casing disagree on
/// them and keyboards without Azerbaijani letters cannot type them apart.
pub fn caseless(s: &str) -> String {
    caseless_chars(s).collect()
}

/// Whether `a` and `b` are one text by [`caseless`], compared without
/// building either.
pub fn caseless_eq(a: &str, b: &str) -> bool {
    caseless_chars(a).eq(caseless_chars(b))
}

/// The characters of [`caseless`]: words joined by one space, lower case,
/// the four i-letters as `i`.
fn caseless_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.split_whitespace().enumerate().flat_map(|(i, word)| {
        let space = (i > 0).then_some(' ');
        space
            .into_iter()
            .chain(word.chars().flat_map(|c| if matches!(c, 'İ' | 'I' | 'ı') { 'i' } else { c }.to_lowercase()))
    })
}

/// Whether `c` is a control character no text of this API may hold: the C0
/// controls other than tab, line feed and carriage return (which white-space
/// handling turns into spaces where a text is one line), and DEL. PostgreSQL
/// `text` cannot hold NUL at all, and SQLite would store it silently, so
/// every string a request carries is checked against this one rule at the
/// boundary (body, path, query, form, imported files).
pub fn is_forbidden_control(c: char) -> bool {
    c.is_ascii_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// The refusal of a text holding a forbidden control character (see
/// [`is_forbidden_control`]), naming `field`.
pub fn check_controls(field: &str, s: &str) -> Result<(), crate::FieldError> {
    match s.chars().position(is_forbidden_control) {
        None => Ok(()),
        Some(at) => Err(crate::FieldError::new(field, crate::FieldCode::ControlCharacter).with("position", at)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn azerbaijani_letters_fold_to_plain_latin() {
        assert_eq!(fold("Fermer, ipəkçilik"), "fermer ipekcilik");
        assert_eq!(fold("İPƏKÇİLİK"), "ipekcilik");
        assert_eq!(fold("XARICI SUVAQ"), "xarici suvaq");
        assert_eq!(fold("Bənna, xarici suvaq"), "benna xarici suvaq");
        assert_eq!(fold("  Marşal,   aviasiya "), "marsal aviasiya");
        assert_eq!(fold("ĞÖÜ"), "gou");
    }

    #[test]
    fn the_schwa_folds_to_a_in_the_other_form_only() {
        assert_eq!(fold_schwa_as_a("Bənna, xarici suvaq"), "banna xarici suvaq");
        assert_eq!(fold_schwa_as_a("MÜHƏNDİS"), "muhandis");
        assert_eq!(fold("MÜHƏNDİS"), "muhendis");
        assert_eq!(fold_schwa_as_a("Fermer, ipəkçilik"), "fermer ipakcilik");
        assert_eq!(fold_schwa_as_a("IŞIQ ÇƏKƏN"), "isiq cakan");
        assert_eq!(fold_schwa_as_a("Märkəz"), "markaz", "ä is ə as written in 1991–1992");
        assert_eq!(fold_schwa_as_a("Operator"), "operator", "a written e stays e");
    }

    #[test]
    fn a_title_key_folds_case_spacing_and_azerbaijani_letters_but_keeps_punctuation() {
        let key = title_key("Bənna, xarici suvaq");
        assert_eq!(key, "benna,xarici suvaq");
        for typed in [
            "Benna, xarici suvaq",
            "BƏNNA, XARİCİ SUVAQ",
            "BENNA, XARICI SUVAQ",
            "  bənna ,  xarici   suvaq ",
            "Bənna,xarici suvaq",
            "Bənna,\txarici\nsuvaq",
        ] {
            assert_eq!(title_key(typed), key, "{typed:?}");
        }
        for other in ["Bənna xarici suvaq", "Banna, xarici suvaq", "Bənna, xaricisuvaq", "Bənna; xarici suvaq"] {
            assert_ne!(title_key(other), key, "{other:?}");
        }
        assert_eq!(title_key("Fermer, ipəkçilik"), title_key("FERMER, İPƏKÇİLİK"));
        assert_eq!(title_key("Ağır-yük   sürücüsü"), "agir-yuk surucusu");
        assert_eq!(title_key("ŞÖFER (ÇÖL)"), "sofer(col)");
    }

    #[test]
    fn words_are_folded_and_split() {
        assert_eq!(fold_words(" fermer  İPƏK "), vec!["fermer", "ipek"]);
        assert!(fold_words(" ,; ").is_empty());
    }

    #[test]
    fn required_texts_are_tidied_and_bounded_as_sent() {
        assert_eq!(required("f", "  a   b ", 10).unwrap(), "a b");
        assert_eq!(required("f", "   ", 10).unwrap_err().code.as_str(), "required");
        assert_eq!(required("f", &" ".repeat(11), 10).unwrap_err().code.as_str(), "length");
    }

    #[test]
    fn caseless_keeps_marks_but_not_case() {
        assert_eq!(caseless("BƏNNA, XARİCİ  SUVAQ"), caseless("Bənna, xarici suvaq"));
        assert_ne!(caseless("Banna, xarici suvaq"), caseless("Bənna, xarici suvaq"));
        assert_eq!(caseless("IŞIQ"), "işiq");
        assert_eq!(caseless("ADMIRAL"), caseless("Admiral"));
        for (a, b) in
            [("BƏNNA, XARİCİ  SUVAQ", "Bənna, xarici suvaq"), ("Banna", "Bənna"), ("IŞIQ", " işiq "), ("a b", "ab")]
        {
            assert_eq!(caseless_eq(a, b), caseless(a) == caseless(b), "{a} / {b}");
        }
    }

    #[test]
    fn nul_and_other_controls_are_refused_but_tab_and_newlines_pass() {
        assert!(check_controls("f", "a\tb\r\nc").is_ok());
        let e = check_controls("f", "ab\0c").unwrap_err();
        assert_eq!((e.field.as_str(), e.code.as_str()), ("f", "control_character"));
        assert_eq!(e.params.get("position").map(String::as_str), Some("2"));
        for c in ['\u{1}', '\u{1b}', '\u{1f}', '\u{7f}'] {
            assert!(check_controls("f", &format!("x{c}")).is_err(), "{c:?}");
        }
        assert!(check_controls("f", "Bənna, xarici suvaq").is_ok());
    }
}
