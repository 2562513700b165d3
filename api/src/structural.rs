//! Every structural fault of a JSON body in one answer: each missing field,
//! each value of the wrong type, each unknown field (issue 26: a form should
//! not need a round trip per field).
//!
//! serde stops at its first error. So the body is read again after each
//! fault, with the fault set aside: an unknown field is removed, and a
//! missing or mistyped value is replaced by a *hole*, a stand-in that gives
//! whatever the type asks for (an empty string, zero, the first variant of an
//! enum, a struct of holes). A value a hole cannot give (a date from an empty
//! string, a code from a list) is repaired from what the error says it
//! expected; faults inside a hole are repairs, never reported. The reading
//! ends when the body deserialises, or when nothing more can be learnt.

use domain::FieldError;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

/// What stands in for a value set aside. A real body cannot hold it: a NUL
/// is refused before a body is read as its type.
const HOLE: &str = "\u{0}hole";

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

fn steps(path: &serde_path_to_error::Path) -> Option<Vec<Step>> {
    use serde_path_to_error::Segment;
    path.iter()
        .map(|s| match s {
            Segment::Seq { index } => Some(Step::Index(*index)),
            Segment::Map { key } => Some(Step::Key(key.clone())),
            Segment::Enum { .. } | Segment::Unknown => None,
        })
        .collect()
}

fn at<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match (step, v) {
        (Step::Key(k), Value::Object(m)) => m.get_mut(k),
        (Step::Index(i), Value::Array(a)) => a.get_mut(*i),
        _ => None,
    })
}

/// The name inside the first pair of backticks after `prefix` in `msg`.
fn quoted<'a>(msg: &'a str, prefix: &str) -> Option<&'a str> {
    let rest = &msg[msg.find(prefix)? + prefix.len()..];
    let start = rest.find('`')? + 1;
    let end = rest[start..].find('`')?;
    Some(&rest[start..start + end])
}

/// A value the type at a hole accepts, as its error names it: the first
/// variant it expected, or a date.
fn repair_for(msg: &str) -> Option<Value> {
    if let Some(variant) = quoted(msg, "expected one of").or_else(|| quoted(msg, "expected")) {
        return Some(Value::String(variant.to_owned()));
    }
    msg.contains("date").then(|| Value::String("2000-01-01".to_owned()))
}

/// The faults of `json` read as `T`, after `first` (the error of the first
/// reading): each as `field_error` names it. `field_error` turns a path and
/// serde's message into the field error the problem lists.
pub fn faults<T: DeserializeOwned>(
    mut json: Value,
    first: serde_path_to_error::Error<serde_json::Error>,
    size: usize,
    field_error: impl Fn(&str, &str) -> FieldError,
) -> Vec<FieldError> {
    // Each reading goes over the whole body: fewer of them for a large one.
    let readings = if size > 64 * 1024 { 8 } else { 200 };
    let mut found: Vec<FieldError> = Vec::new();
    let mut holes: Vec<Vec<Step>> = Vec::new();
    let mut repairs: Vec<(Vec<Step>, u8)> = Vec::new();
    let mut error = first;
    for _ in 0..readings {
        let Some(path) = steps(error.path()) else { break };
        let msg = error.inner().to_string();
        let fault = field_error(&error.path().to_string(), &msg);
        let missing = quoted(&msg, "missing field").map(str::to_owned);
        let unknown = quoted(&msg, "unknown field").map(str::to_owned);
        // Where the fault is: the field itself (serde names a missing field
        // from its object, and an unknown one sometimes from the object too).
        let mut place = path.clone();
        if let Some(name) = missing.as_ref().or(unknown.as_ref()) {
            if place.last() != Some(&Step::Key(name.clone())) {
                place.push(Step::Key(name.clone()));
            }
        }
        let in_hole = holes.iter().any(|h| place.starts_with(h) && place.len() > h.len());
        let at_hole = holes.contains(&place);
        if in_hole {
            // A hole's stand-in struct that a type did not take: make each
            // hole above the fault a real object, filled field by field.
            for n in 1..place.len() {
                if let Some(v) = at(&mut json, &place[..n]).filter(|v| v.as_str() == Some(HOLE)) {
                    *v = Value::Object(Map::new());
                }
            }
            if !set_aside(&mut json, &place, missing.is_some(), unknown.is_some(), &msg, &mut repairs) {
                break;
            }
        } else if at_hole {
            if !set_aside(&mut json, &place, false, false, &msg, &mut repairs) {
                break;
            }
        } else {
            if found.contains(&fault) {
                break;
            }
            found.push(fault);
            if place.is_empty() {
                break;
            }
            if unknown.is_some() {
                let Some((Step::Key(name), parent)) = place.split_last() else { break };
                match at(&mut json, parent) {
                    Some(Value::Object(m)) => {
                        m.remove(name);
                    }
                    _ => break,
                }
            } else {
                let slot = match (&missing, place.split_last()) {
                    (Some(_), Some((Step::Key(name), parent))) => match at(&mut json, parent) {
                        Some(Value::Object(m)) => m.entry(name.clone()).or_insert(Value::Null),
                        _ => break,
                    },
                    _ => match at(&mut json, &place) {
                        Some(v) => v,
                        None => break,
                    },
                };
                *slot = Value::String(HOLE.to_owned());
                holes.push(place);
            }
        }
        match read::<T>(&json) {
            Ok(_) => break,
            Err(e) => error = e,
        }
    }
    found
}

/// Sets aside the fault at `place` inside a hole, or at a hole itself: a
/// missing field becomes a hole, an unknown one goes, a value the hole could
/// not give is repaired (at most twice a place). False when nothing helps.
fn set_aside(
    json: &mut Value,
    place: &[Step],
    missing: bool,
    unknown: bool,
    msg: &str,
    repairs: &mut Vec<(Vec<Step>, u8)>,
) -> bool {
    let Some((last, parent)) = place.split_last() else { return false };
    if missing || unknown {
        let (Step::Key(name), Some(Value::Object(m))) = (last, at(json, parent)) else { return false };
        if unknown {
            m.remove(name);
        } else {
            m.insert(name.clone(), Value::String(HOLE.to_owned()));
        }
        return true;
    }
    let tries = match repairs.iter_mut().find(|(p, _)| p == place) {
        Some((_, n)) => n,
        None => {
            repairs.push((place.to_vec(), 0));
            match repairs.last_mut() {
                Some((_, n)) => n,
                None => return false,
            }
        }
    };
    *tries += 1;
    match (repair_for(msg), at(json, place)) {
        (Some(good), Some(slot)) if *tries <= 2 => {
            *slot = good;
            true
        }
        _ => false,
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => de::Unexpected::Signed(i),
            (None, Some(f)) => de::Unexpected::Float(f),
            _ => de::Unexpected::Other("number"),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// Reads `json` as `T`, holes and all.
pub fn read<T: DeserializeOwned>(json: &Value) -> Result<T, serde_path_to_error::Error<serde_json::Error>> {
    serde_path_to_error::deserialize::<_, T>(Tolerant(json))
}

/// A JSON value read so that holes give what is asked of them.
struct Tolerant<'a>(&'a Value);

impl<'a> Tolerant<'a> {
    fn is_hole(&self) -> bool {
        self.0.as_str() == Some(HOLE)
    }
}

macro_rules! through {
    ($($method:ident($($arg:ident: $ty:ty),*)),* $(,)?) => {
        $(fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, serde_json::Error> {
            if self.is_hole() {
                Hole.$method($($arg,)* visitor)
            } else {
                self.0.$method($($arg,)* visitor)
            }
        })*
    };
}

impl<'de> de::Deserializer<'de> for Tolerant<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            _ if self.is_hole() => Hole.deserialize_any(visitor),
            Value::Object(m) => visitor.visit_map(TolerantMap { entries: m.iter(), value: None }),
            Value::Array(a) => visitor.visit_seq(TolerantSeq(a.iter())),
            other => other.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ if self.is_hole() => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Value::Object(m) => visitor.visit_map(TolerantMap { entries: m.iter(), value: None }),
            _ if self.is_hole() => Hole.deserialize_map(visitor),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Value::Object(m) => visitor.visit_map(TolerantMap { entries: m.iter(), value: None }),
            _ if self.is_hole() => Hole.deserialize_struct(name, fields, visitor),
            // serde would read a struct from an array, field by field in
            // order; a body is an object, as the document says.
            other => Err(de::Error::invalid_type(unexpected(other), &"an object")),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        match self.0 {
            Value::Array(a) => visitor.visit_seq(TolerantSeq(a.iter())),
            _ if self.is_hole() => Hole.deserialize_seq(visitor),
            other => other.deserialize_seq(visitor),
        }
    }

    through! {
        deserialize_bool(), deserialize_i8(), deserialize_i16(), deserialize_i32(), deserialize_i64(),
        deserialize_u8(), deserialize_u16(), deserialize_u32(), deserialize_u64(), deserialize_f32(),
        deserialize_f64(), deserialize_char(), deserialize_str(), deserialize_string(), deserialize_bytes(),
        deserialize_byte_buf(), deserialize_unit(), deserialize_identifier(), deserialize_ignored_any(),
        deserialize_unit_struct(name: &'static str),
        deserialize_tuple(len: usize),
        deserialize_tuple_struct(name: &'static str, len: usize),
        deserialize_enum(name: &'static str, variants: &'static [&'static str]),
    }
}

struct TolerantMap<'a> {
    entries: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de> de::MapAccess<'de> for TolerantMap<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, serde_json::Error> {
        match self.entries.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(BorrowedStrDeserializer::new(k.as_str())).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, serde_json::Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(Tolerant(v)),
            None => Err(de::Error::custom("a value without its key")),
        }
    }
}

struct TolerantSeq<'a>(std::slice::Iter<'a, Value>);

impl<'de> de::SeqAccess<'de> for TolerantSeq<'de> {
    type Error = serde_json::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, serde_json::Error> {
        self.0.next().map(|v| seed.deserialize(Tolerant(v))).transpose()
    }
}

/// The stand-in: whatever the type asks for, in its plainest form.
struct Hole;

impl<'de> de::Deserializer<'de> for Hole {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_unit()
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_bool(false)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_i64(0)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_u64(0)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_f64(0.0)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_borrowed_str("")
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_none()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_seq(HoleSeq(0))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_seq(HoleSeq(len))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        visitor.visit_seq(HoleSeq(len))
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_map(HoleMap([].iter()))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        visitor.visit_map(HoleMap(fields.iter()))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        visitor.visit_enum(HoleEnum(variants.first().copied().unwrap_or("")))
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit_struct identifier ignored_any
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_i64(0)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_i64(0)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_i64(0)
    }
    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_u64(0)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_u64(0)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_u64(0)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_f64(0.0)
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, serde_json::Error> {
        visitor.visit_borrowed_str("")
    }
}

struct HoleSeq(usize);

impl<'de> de::SeqAccess<'de> for HoleSeq {
    type Error = serde_json::Error;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<Option<S::Value>, serde_json::Error> {
        if self.0 == 0 {
            return Ok(None);
        }
        self.0 -= 1;
        seed.deserialize(Hole).map(Some)
    }
}

struct HoleMap(std::slice::Iter<'static, &'static str>);

impl<'de> de::MapAccess<'de> for HoleMap {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, serde_json::Error> {
        match self.0.next() {
            Some(name) => seed.deserialize(BorrowedStrDeserializer::new(name)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, serde_json::Error> {
        seed.deserialize(Hole)
    }
}

struct HoleEnum(&'static str);

impl<'de> de::EnumAccess<'de> for HoleEnum {
    type Error = serde_json::Error;
    type Variant = Hole;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Hole), serde_json::Error> {
        let name: BorrowedStrDeserializer<'de, serde_json::Error> = BorrowedStrDeserializer::new(self.0);
        Ok((seed.deserialize(name)?, Hole))
    }
}

impl<'de> de::VariantAccess<'de> for Hole {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), serde_json::Error> {
        Ok(())
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, serde_json::Error> {
        seed.deserialize(Hole)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, serde_json::Error> {
        de::Deserializer::deserialize_tuple(Hole, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, serde_json::Error> {
        de::Deserializer::deserialize_struct(Hole, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Line {
        code: String,
        total: u32,
        note: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "snake_case")]
    #[allow(dead_code)]
    enum Kind {
        Legal,
        Physical,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        kind: Kind,
        #[serde(deserialize_with = "crate::extract::date")]
        on: chrono::NaiveDate,
        count: u32,
        lines: Vec<Line>,
        inner: Line,
    }

    fn all(json: &str) -> Vec<(String, &'static str)> {
        match crate::extract::parse_json::<Body>(json.as_bytes()) {
            Err(crate::problem::HttpError::App(application::AppError::Validation(v))) => {
                v.0.into_iter().map(|e| (e.field, e.code.as_str())).collect()
            }
            Ok(b) => panic!("read: {b:?}"),
            Err(e) => panic!("not a validation error: {e:?}"),
        }
    }

    fn sorted(mut v: Vec<(String, &'static str)>) -> Vec<(String, &'static str)> {
        v.sort();
        v
    }

    #[test]
    fn an_empty_object_names_every_missing_field() {
        let got = sorted(all("{}"));
        let want: Vec<(String, &str)> =
            ["count", "inner", "kind", "lines", "name", "on"].iter().map(|f| ((*f).to_owned(), "required")).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn missing_mistyped_and_unknown_fields_come_together() {
        let got = sorted(all(r#"{"name": 5, "kind": "legall", "on": "2015-13-40", "count": -1, "extra": true,
                "lines": [{"code": "x", "total": "3", "colour": 1}, {"total": 1}],
                "inner": {}}"#));
        let want = vec![
            ("count".to_owned(), "invalid_type"),
            ("extra".to_owned(), "unknown_field"),
            ("inner.code".to_owned(), "required"),
            ("inner.total".to_owned(), "required"),
            ("kind".to_owned(), "invalid_type"),
            ("lines[0].colour".to_owned(), "unknown_field"),
            ("lines[0].total".to_owned(), "invalid_type"),
            ("lines[1].code".to_owned(), "required"),
            ("name".to_owned(), "invalid_type"),
            ("on".to_owned(), "invalid_type"),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_body_of_another_type_is_one_fault() {
        assert_eq!(all("[1, 2]"), vec![("body".to_owned(), "invalid_type")]);
    }
}
