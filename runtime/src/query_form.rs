//! The form-encoded request body of the query and ec2 protocols
//! (`Action=Op&Version=2020-01-08&Name.member.1=a`), written as botocore's `QuerySerializer`
//! and `EC2Serializer` write it.
//!
//! Generated inputs and the structures they contain implement [`QueryWrite`]; they write
//! each set member under its key (`prefix.Name`, see [`QueryWriter::key`]), scalars through
//! [`QueryWriter::value`] (or [`QueryWriter::timestamp`] for a format other than ISO 8601),
//! lists through [`QueryWriter::list`], maps through [`QueryWriter::map`]. Keys and values
//! are percent-encoded as Python's `urlencode` does (space as `+`).

use crate::primitives::{Blob, DateTime, DateTimeFormat};
use std::collections::HashMap;

/// A value written as one or more form pairs under a key.
pub trait QueryWrite {
    /// Writes `self` under `key` (a structure writes its members under `key.Member`).
    fn write_query(&self, writer: &mut QueryWriter, key: &str);
}

/// The body being written.
#[derive(Debug, Clone)]
pub struct QueryWriter {
    out: String,
    ec2: bool,
}

/// Appends `text` form-encoded: unreserved characters as they are, space as `+`, the rest as
/// `%XX` of its UTF-8 bytes (Python's `quote_plus`, which botocore's body goes through).
fn encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 15)] as char);
            }
        }
    }
}

impl QueryWriter {
    /// A body starting with `Action={action}&Version={version}`; `ec2` selects the ec2
    /// protocol's list rules (always flattened, nothing for an empty list).
    pub fn new(action: &str, version: &str, ec2: bool) -> Self {
        let mut w = QueryWriter {
            out: String::with_capacity(128),
            ec2,
        };
        w.pair("Action", action);
        w.pair("Version", version);
        w
    }

    /// Whether this is an ec2 body.
    pub fn is_ec2(&self) -> bool {
        self.ec2
    }

    /// One `key=value` pair.
    pub fn pair(&mut self, key: &str, value: &str) {
        if !self.out.is_empty() {
            self.out.push('&');
        }
        encode_into(&mut self.out, key);
        self.out.push('=');
        encode_into(&mut self.out, value);
    }

    /// The key of a member `name` under `prefix` (`name` alone at the top level).
    pub fn key(prefix: &str, name: &str) -> String {
        if prefix.is_empty() {
            name.to_owned()
        } else {
            let mut key = String::with_capacity(prefix.len() + 1 + name.len());
            key.push_str(prefix);
            key.push('.');
            key.push_str(name);
            key
        }
    }

    /// A scalar, enum or structure under `key`.
    pub fn value<T: QueryWrite + ?Sized>(&mut self, key: &str, value: &T) {
        value.write_query(self, key);
    }

    /// A timestamp in `format` (ISO 8601, the protocols' default, is [`QueryWriter::value`]).
    pub fn timestamp(&mut self, key: &str, value: &DateTime, format: DateTimeFormat) {
        match format {
            DateTimeFormat::EpochSeconds => self.pair(key, &value.secs().to_string()),
            _ => {
                let text = value.fmt(format).unwrap_or_default();
                self.pair(key, &text);
            }
        }
    }

    /// A list under `key`.
    ///
    /// query: `key.{member}.N` (`member` is the list member's `locationName`, else
    /// `member`); flattened (`member == None`), `key.N`, where a `flattened_name` (the
    /// member's `locationName`) replaces the last part of `key`; an empty list is `key=`.
    /// ec2: always `key.N`, nothing for an empty list.
    pub fn list<T>(
        &mut self,
        key: &str,
        member: Option<&str>,
        flattened_name: Option<&str>,
        items: &[T],
        mut write: impl FnMut(&mut Self, &str, &T),
    ) {
        if items.is_empty() {
            if !self.ec2 {
                self.pair(key, "");
            }
            return;
        }
        let base = if self.ec2 {
            key.to_owned()
        } else {
            match (member, flattened_name) {
                (Some(member), _) => Self::key(key, member),
                (None, Some(name)) => match key.rsplit_once('.') {
                    Some((parent, _)) => Self::key(parent, name),
                    None => name.to_owned(),
                },
                (None, None) => key.to_owned(),
            }
        };
        for (i, item) in items.iter().enumerate() {
            let item_key = Self::key(&base, &(i + 1).to_string());
            write(self, &item_key, item);
        }
    }

    /// A map under `key`: `key.entry.N.{key_name}` and `key.entry.N.{value_name}`, or
    /// without `.entry` when flattened; entries in the order of their keys, so the body is
    /// deterministic. An empty map writes nothing.
    #[allow(clippy::too_many_arguments)]
    pub fn map<K: AsRef<str>, V>(
        &mut self,
        key: &str,
        flattened: bool,
        key_name: &str,
        value_name: &str,
        map: &HashMap<K, V>,
        mut write: impl FnMut(&mut Self, &str, &V),
    ) {
        let mut entries: Vec<(&K, &V)> = map.iter().collect();
        entries.sort_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
        let base = if flattened {
            key.to_owned()
        } else {
            Self::key(key, "entry")
        };
        for (i, (k, v)) in entries.into_iter().enumerate() {
            let entry = Self::key(&base, &(i + 1).to_string());
            self.pair(&Self::key(&entry, key_name), k.as_ref());
            write(self, &Self::key(&entry, value_name), v);
        }
    }

    /// The body.
    pub fn finish(self) -> String {
        self.out
    }
}

impl QueryWrite for str {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        w.pair(key, self);
    }
}

impl QueryWrite for String {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        w.pair(key, self);
    }
}

impl QueryWrite for bool {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        w.pair(key, if *self { "true" } else { "false" });
    }
}

impl QueryWrite for i32 {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        w.pair(key, &self.to_string());
    }
}

impl QueryWrite for i64 {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        w.pair(key, &self.to_string());
    }
}

/// A float as Python's `str` writes it (botocore's form values): `NaN`, `Infinity`,
/// `-Infinity`, a decimal point always (`1.0`), exponents from 1e16 and below 1e-4.
pub fn format_float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".into();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let abs = value.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Rust writes `1e20` and `1.5e-7`; Python `1e+20` and `1.5e-07`.
        let text = format!("{value:e}");
        let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exp),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    let mut text = value.to_string();
    if !text.contains('.') {
        text.push_str(".0");
    }
    text
}

impl QueryWrite for f64 {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        w.pair(key, &format_float(*self));
    }
}

impl QueryWrite for f32 {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        // Through the shortest decimal of the f32 (`10.8`, not `10.800000190734863`).
        let value: f64 = self.to_string().parse().unwrap_or(f64::from(*self));
        w.pair(key, &format_float(value));
    }
}

impl QueryWrite for Blob {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        w.pair(key, &crate::primitives::base64::encode(self.as_ref()));
    }
}

impl QueryWrite for DateTime {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        w.timestamp(key, self, DateTimeFormat::DateTime);
    }
}

impl<T: QueryWrite + ?Sized> QueryWrite for Box<T> {
    fn write_query(&self, w: &mut QueryWriter, key: &str) {
        (**self).write_query(w, key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_encoded_as_python_does() {
        let mut w = QueryWriter::new("Op", "2020-01-08", false);
        w.value("A b", "x y+z/ü~*");
        w.value("T", &DateTime::from_secs(1422172800));
        w.value("F", &10.8f32);
        w.value("D", &1.0f64);
        w.value("Blob", &Blob::new("value"));
        assert_eq!(
            w.finish(),
            "Action=Op&Version=2020-01-08&A+b=x+y%2Bz%2F%C3%BC~%2A\
             &T=2015-01-25T08%3A00%3A00Z&F=10.8&D=1.0&Blob=dmFsdWU%3D"
        );
    }

    #[test]
    fn floats_as_python_str() {
        for (v, s) in [
            (1.0, "1.0"),
            (10.8, "10.8"),
            (-0.5, "-0.5"),
            (1e16, "1e+16"),
            (1.5e-7, "1.5e-07"),
            (123456789.125, "123456789.125"),
            (0.0, "0.0"),
        ] {
            assert_eq!(format_float(v), s);
        }
    }

    #[test]
    fn lists_and_maps() {
        let items = vec!["a".to_string(), "b".to_string()];
        let mut w = QueryWriter::new("Op", "v", false);
        w.list("L", Some("member"), None, &items, |w, k, v| w.value(k, v));
        w.list("P.Flat", None, Some("Hi"), &items, |w, k, v| w.value(k, v));
        w.list("E", Some("member"), None, &[] as &[String], |w, k, v| {
            w.value(k, v)
        });
        let map: HashMap<String, i32> = [("foo".into(), 2), ("bar".into(), 1)].into();
        w.map("M", false, "key", "value", &map, |w, k, v| w.value(k, v));
        w.map("F", true, "K", "V", &map, |w, k, v| w.value(k, v));
        assert_eq!(
            w.finish(),
            "Action=Op&Version=v&L.member.1=a&L.member.2=b&P.Hi.1=a&P.Hi.2=b&E=\
             &M.entry.1.key=bar&M.entry.1.value=1&M.entry.2.key=foo&M.entry.2.value=2\
             &F.1.K=bar&F.1.V=1&F.2.K=foo&F.2.V=2"
        );
        let mut ec2 = QueryWriter::new("Op", "v", true);
        ec2.list("L", Some("member"), None, &items, |w, k, v| w.value(k, v));
        ec2.list("E", None, None, &[] as &[String], |w, k, v| w.value(k, v));
        assert_eq!(ec2.finish(), "Action=Op&Version=v&L.1=a&L.2=b");
    }
}
