//! Text normalisation shared by every search and every comparison of titles.
//!
//! People type Azerbaijani without its marks (seed 001: the product must
//! handle ə, ğ, ı, ö, ü, ç, ş everywhere, including search; SPEC §6), so search
//! compares a folded form: lower case with Azerbaijani casing, marks removed.

/// Folds `s` for search: Azerbaijani-aware lower case (`İ`→`i`, `I`→`ı`), then
/// letters with marks to their plain forms (ə→e, ı→i, ş→s, ç→c, ğ→g, ö→o, ü→u),
/// anything that is not a letter or digit to a space, and runs of spaces to one.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        let mapped: Option<char> = match c {
            'İ' | 'I' | 'ı' | 'i' | 'Ì' | 'Í' | 'ì' | 'í' | 'Î' | 'î' => Some('i'),
            'Ə' | 'ə' | 'Ä' | 'ä' | 'É' | 'é' | 'È' | 'è' => Some('e'),
            'Ş' | 'ş' => Some('s'),
            'Ç' | 'ç' => Some('c'),
            'Ğ' | 'ğ' => Some('g'),
            'Ö' | 'ö' => Some('o'),
            'Ü' | 'ü' => Some('u'),
            c if c.is_alphanumeric() => None,
            _ => {
                pending_space = !out.is_empty();
                continue;
            }
        };
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match mapped {
            Some(m) => out.push(m),
            None if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            None => out.extend(c.to_lowercase()),
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
