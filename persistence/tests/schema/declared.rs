//! What schema.rs declares, read from its text: every `diesel::table!`
//! block's table, primary key, columns and their SQL types. Reading the text
//! keeps the check free of a second, hand-kept list of tables. Anything the
//! reader does not understand is an error, never a silently skipped table.

use crate::catalogue::{Catalogue, Column, Kind, Table};

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Arrow,
    PathSep,
    Punct(char),
}

fn tokens(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let end = (i + 2..chars.len().saturating_sub(1)).find(|&j| chars[j] == '*' && chars[j + 1] == '/');
            i = end.ok_or("unterminated /* comment")? + 2;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(chars[start..i].iter().collect()));
        } else if c == '"' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                s.extend(chars.get(i));
                i += 1;
            }
            if i >= chars.len() {
                return Err("unterminated string".into());
            }
            i += 1;
            out.push(Tok::Str(s));
        } else if c == '-' && next == Some('>') {
            out.push(Tok::Arrow);
            i += 2;
        } else if c == ':' && next == Some(':') {
            out.push(Tok::PathSep);
            i += 2;
        } else {
            out.push(Tok::Punct(c));
            i += 1;
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    at: usize,
    current: String,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at)
    }

    fn fail<T>(&self, what: &str) -> Result<T, String> {
        let near: Vec<String> = self.toks[self.at.min(self.toks.len())..]
            .iter()
            .take(6)
            .map(|t| match t {
                Tok::Ident(s) => s.clone(),
                Tok::Str(s) => format!("{s:?}"),
                Tok::Arrow => "->".into(),
                Tok::PathSep => "::".into(),
                Tok::Punct(c) => c.to_string(),
            })
            .collect();
        Err(format!("schema.rs, table {:?}: expected {what}, found `{}`", self.current, near.join(" ")))
    }

    fn punct(&mut self, c: char) -> Result<(), String> {
        if self.peek() == Some(&Tok::Punct(c)) {
            self.at += 1;
            Ok(())
        } else {
            self.fail(&format!("`{c}`"))
        }
    }

    fn eat(&mut self, t: &Tok) -> bool {
        let hit = self.peek() == Some(t);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn ident(&mut self) -> Result<String, String> {
        match self.peek().cloned() {
            // A raw identifier, `r#type`, is the SQL name `type`.
            Some(Tok::Ident(r)) if r == "r" && self.toks.get(self.at + 1) == Some(&Tok::Punct('#')) => {
                self.at += 2;
                self.ident()
            }
            Some(Tok::Ident(s)) => {
                self.at += 1;
                Ok(s)
            }
            _ => self.fail("a name"),
        }
    }

    /// `#[...]` attributes; returns the `sql_name` one names, if any.
    fn attributes(&mut self) -> Result<Option<String>, String> {
        let mut sql_name = None;
        while self.eat(&Tok::Punct('#')) {
            self.punct('[')?;
            let name = self.ident()?;
            if name == "sql_name" {
                self.punct('=')?;
                match self.peek().cloned() {
                    Some(Tok::Str(s)) => {
                        self.at += 1;
                        sql_name = Some(s);
                    }
                    _ => return self.fail("a quoted sql_name"),
                }
            }
            let mut depth = 1;
            while depth > 0 {
                match self.peek() {
                    Some(Tok::Punct('[')) => depth += 1,
                    Some(Tok::Punct(']')) => depth -= 1,
                    None => return self.fail("`]`"),
                    _ => {}
                }
                self.at += 1;
            }
        }
        Ok(sql_name)
    }

    /// A diesel SQL type: `Text`, `Nullable<BigInt>`, `diesel::sql_types::Date`.
    fn sql_type(&mut self) -> Result<String, String> {
        let mut name = self.ident()?;
        while self.eat(&Tok::PathSep) {
            name = self.ident()?;
        }
        if self.eat(&Tok::Punct('<')) {
            let inner = self.sql_type()?;
            self.punct('>')?;
            name = format!("{name}<{inner}>");
        }
        Ok(name)
    }

    /// One `table! { ... }` block, from just after `table!`.
    fn table(&mut self) -> Result<(String, Table), String> {
        self.punct('{')?;
        // `use` lines bring custom SQL types into scope.
        while self.peek() == Some(&Tok::Ident("use".into())) {
            while !self.eat(&Tok::Punct(';')) {
                if self.peek().is_none() {
                    return self.fail("`;`");
                }
                self.at += 1;
            }
        }
        let sql_name = self.attributes()?;
        let rust_name = self.ident()?;
        if self.peek() == Some(&Tok::Punct('.')) {
            return self.fail("a table outside a named schema");
        }
        let name = sql_name.unwrap_or(rust_name);
        self.current = name.clone();
        let mut rust_pk = Vec::new();
        self.punct('(')?;
        while !self.eat(&Tok::Punct(')')) {
            rust_pk.push(self.ident()?);
            if !self.eat(&Tok::Punct(',')) {
                self.punct(')')?;
                break;
            }
        }
        self.punct('{')?;
        let mut table = Table::default();
        let mut sql_names = std::collections::BTreeMap::new();
        while !self.eat(&Tok::Punct('}')) {
            let sql_name = self.attributes()?;
            let rust = self.ident()?;
            if !self.eat(&Tok::Arrow) {
                return self.fail("`->`");
            }
            let declared = self.sql_type()?;
            let column = column(&declared);
            let col = sql_name.unwrap_or_else(|| rust.clone());
            sql_names.insert(rust, col.clone());
            if table.columns.insert(col.clone(), column).is_some() {
                return Err(format!("schema.rs: {name}.{col} is declared twice"));
            }
            if !self.eat(&Tok::Punct(',')) {
                self.punct('}')?;
                break;
            }
        }
        self.punct('}')?;
        for k in rust_pk {
            match sql_names.get(&k) {
                Some(col) => table.primary_key.push(col.clone()),
                None => return Err(format!("schema.rs: the primary key of {name} names {k}, not a column")),
            }
        }
        Ok((name, table))
    }
}

fn column(declared: &str) -> Column {
    let (nullable, inner) = match declared.strip_prefix("Nullable<").and_then(|s| s.strip_suffix('>')) {
        Some(inner) => (true, inner),
        None => (false, declared),
    };
    let kind = match inner {
        "SmallInt" | "Int2" => Kind::SmallInt,
        "Integer" | "Int4" => Kind::Integer,
        "BigInt" | "Int8" => Kind::BigInt,
        "Float" | "Float4" => Kind::Float,
        "Double" | "Float8" => Kind::Double,
        "Text" | "VarChar" | "Varchar" => Kind::Text,
        "Bool" => Kind::Bool,
        "Timestamp" => Kind::Timestamp,
        "Timestamptz" => Kind::Timestamptz,
        "Date" => Kind::Date,
        "Time" => Kind::Time,
        "Binary" | "Bytea" | "Blob" => Kind::Binary,
        other => Kind::Unrecognised(other.to_owned()),
    };
    Column { kind, nullable, declared: declared.to_owned() }
}

/// Every table that `src` (the text of a schema.rs) declares.
pub fn parse(src: &str) -> Result<Catalogue, String> {
    let mut p = Parser { toks: tokens(src)?, at: 0, current: String::new() };
    let mut out = Catalogue::new();
    while p.at < p.toks.len() {
        let is_table = p.toks[p.at] == Tok::Ident("table".into()) && p.toks.get(p.at + 1) == Some(&Tok::Punct('!'));
        if !is_table {
            p.at += 1;
            continue;
        }
        p.at += 2;
        p.current = String::new();
        let (name, table) = p.table()?;
        if out.insert(name.clone(), table).is_some() {
            return Err(format!("schema.rs: table {name} is declared twice"));
        }
    }
    Ok(out)
}
