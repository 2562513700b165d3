//! Validation errors in a form every caller can render: a field path, a
//! machine code and the parameters of the message (SPEC §7: `errors: [{field,
//! code, message}]`). Messages are rendered by the API in the caller's language.

use std::collections::BTreeMap;

/// One rule broken by one field. `field` is a JSON path such as
/// `lines[2].demand_foreigners`; `code` is stable and documented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
    /// Named values for the message, e.g. `max` → `2000`.
    pub params: BTreeMap<&'static str, String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self { field: field.into(), code, params: BTreeMap::new() }
    }

    pub fn with(mut self, key: &'static str, value: impl ToString) -> Self {
        self.params.insert(key, value.to_string());
        self
    }
}

/// All the rules an input broke, collected rather than stopping at the first,
/// so a caller can fix a form in one round trip.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when nothing was collected.
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Takes the errors of the `validator` derive, prefixing each field with `prefix`.
    pub fn extend_from_validator(&mut self, prefix: &str, errs: &validator::ValidationErrors) {
        for (field, list) in errs.field_errors() {
            for e in list {
                let code = match e.code.as_ref() {
                    "length" => "length",
                    "range" => "out_of_range",
                    _ => "invalid",
                };
                let mut fe = FieldError::new(format!("{prefix}{field}"), code);
                for (k, v) in &e.params {
                    let key: &'static str = match k.as_ref() {
                        "min" => "min",
                        "max" => "max",
                        _ => continue,
                    };
                    fe = fe.with(key, v.to_string().trim_matches('"'));
                }
                self.push(fe);
            }
        }
    }
}
