//! What generated `Serialize`/`Deserialize` impls call: codecs ([`SerializeAs`],
//! [`DeserializeAs`], used through [`Ser`] and [`Seed`]) for values whose wire form differs
//! from their Rust type (timestamps, blobs, floats, at any depth in lists and maps), the shared
//! key matcher [`FieldIndex`] and [`deserialize_structure`]. The `#[serde(with = "...")]`
//! modules ([`epoch_seconds`], [`blob_base64`], ...) are the same conversions for hand-written
//! serde types.

use crate::primitives::{Blob, DateTime};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

fn serialize_date_time<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
    // Binary formats (CBOR) carry the epoch seconds under tag 1, as Smithy RPC v2 CBOR wants;
    // without the `rpc-v2-cbor` feature there is no CBOR, and binary formats get the number.
    #[cfg(feature = "rpc-v2-cbor")]
    if !serializer.is_human_readable() {
        use serde::Serialize;
        return if value.has_subsec_nanos() {
            ciborium::tag::Required::<f64, 1>(value.as_secs_f64()).serialize(serializer)
        } else {
            ciborium::tag::Required::<i64, 1>(value.secs()).serialize(serializer)
        };
    }
    if value.has_subsec_nanos() {
        serializer.serialize_f64(value.as_secs_f64())
    } else {
        serializer.serialize_i64(value.secs())
    }
}

/// Converts fractional epoch seconds, rounding to the microsecond (an `f64` holding a current
/// timestamp cannot carry more), or `None` when out of range.
fn date_time_from_f64(value: f64) -> Option<DateTime> {
    if !value.is_finite() {
        return None;
    }
    let micros = (value * 1_000_000.0).round();
    // i64 microseconds cover +-292,000 years; stay well inside to avoid saturating casts.
    if micros.abs() >= 9.0e18 {
        return None;
    }
    let micros = micros as i64;
    let secs = micros.div_euclid(1_000_000);
    let nanos = u32::try_from(micros.rem_euclid(1_000_000) * 1_000).ok()?;
    Some(DateTime::from_secs_and_nanos(secs, nanos))
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a timestamp in epoch seconds")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
        Ok(DateTime::from_secs(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
        i64::try_from(v)
            .map(DateTime::from_secs)
            .map_err(|_| E::custom(format!("timestamp {v} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
        date_time_from_f64(v).ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        DateTime::from_str(v, crate::primitives::DateTimeFormat::EpochSeconds)
            .map_err(|e| E::custom(format!("invalid epoch-seconds timestamp {v:?}: {e}")))
    }
}

/// Epoch seconds as a plain number, for reading inside a CBOR tag.
#[cfg(feature = "rpc-v2-cbor")]
struct EpochNumber(DateTime);

#[cfg(feature = "rpc-v2-cbor")]
impl<'de> serde::Deserialize<'de> for EpochNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(DateTimeVisitor)
            .map(EpochNumber)
    }
}

/// Reads epoch seconds: a number (or numeric string) in JSON; in CBOR a number under tag 1,
/// or untagged.
fn deserialize_date_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
    #[cfg(feature = "rpc-v2-cbor")]
    if !deserializer.is_human_readable() {
        use serde::Deserialize;
        return ciborium::tag::Accepted::<EpochNumber, 1>::deserialize(deserializer)
            .map(|tagged| tagged.0.0);
    }
    deserializer.deserialize_any(DateTimeVisitor)
}

/// A [`DateTime`] as a JSON number of seconds since the epoch (fractions allowed), or in CBOR
/// as tag 1 around that number.
pub mod epoch_seconds {
    use super::*;

    /// Serializes as whole seconds, or fractional seconds when there are sub-second nanos.
    pub fn serialize<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_date_time(value, serializer)
    }

    /// Deserializes from an integer or fractional number (or a numeric string).
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_date_time(deserializer)
    }
}

/// An `Option<DateTime>` as a JSON number of epoch seconds or `null`.
pub mod epoch_seconds_opt {
    use super::*;

    /// Serializes `Some` as [`epoch_seconds`] does, `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<DateTime>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serialize_date_time(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes a number as `Some`, `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime>, D::Error> {
        deserializer.deserialize_option(OptionVisitor(DateTimeVisitor))
    }
}

struct BlobVisitor;

impl Visitor<'_> for BlobVisitor {
    type Value = Blob;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a base64 string or a byte string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Blob, E> {
        crate::primitives::base64::decode(v)
            .map(Blob::new)
            .map_err(|e| E::custom(format!("invalid base64: {e}")))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Blob, E> {
        Ok(Blob::new(v.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Blob, E> {
        Ok(Blob::new(v))
    }
}

/// A [`Blob`] as a base64 string (standard alphabet, padded) in JSON, a byte string in CBOR.
pub mod blob_base64 {
    use super::*;

    /// Serializes as a base64 string.
    pub fn serialize<S: Serializer>(value: &Blob, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            serializer.serialize_str(&crate::primitives::base64::encode(value.as_ref()))
        } else {
            serializer.serialize_bytes(value.as_ref())
        }
    }

    /// Deserializes from a base64 string.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Blob, D::Error> {
        deserializer.deserialize_any(BlobVisitor)
    }
}

/// An `Option<Blob>` as a base64 string or `null`.
pub mod blob_base64_opt {
    use super::*;

    /// Serializes `Some` as a base64 string, `None` as `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<Blob>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => blob_base64::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes a base64 string as `Some`, `null` as `None`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Blob>, D::Error> {
        deserializer.deserialize_option(OptionVisitor(BlobVisitor))
    }
}

/// Wraps a value visitor into one for `Option<_>`.
struct OptionVisitor<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for OptionVisitor<V>
where
    V: DeserializeWith<'de>,
{
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.deserialize_with(deserializer).map(Some)
    }
}

/// How a value visitor drives a deserializer.
trait DeserializeWith<'de>: Visitor<'de> {
    fn deserialize_with<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error>;
}

impl<'de> DeserializeWith<'de> for DateTimeVisitor {
    fn deserialize_with<D: Deserializer<'de>>(self, deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_date_time(deserializer)
    }
}

impl<'de> DeserializeWith<'de> for BlobVisitor {
    fn deserialize_with<D: Deserializer<'de>>(self, deserializer: D) -> Result<Blob, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// Codecs for values whose wire form differs from their serde form, at any depth: a timestamp
/// or a blob inside a list or a map (`Vec<DateTime>`, `HashMap<String, Vec<Blob>>`, ...), or a
/// timestamp with a `timestampFormat` other than epoch seconds.
///
/// Generated impls pass a codec type to [`Ser`] and [`Seed`]; hand-written serde types can
/// name one in [`serialize_with`]/[`deserialize_with`]:
///
/// ```ignore
/// #[serde(
///     serialize_with = "serialize_with::<OptionOf<ListOf<EpochSeconds>>, _, _>",
///     deserialize_with = "deserialize_with::<OptionOf<ListOf<EpochSeconds>>, _, _>",
///     default
/// )]
/// pub at: Option<Vec<DateTime>>,
/// ```
///
/// Writing and reading are separate traits, so a map whose keys only deserialize (an enum of
/// a response-only shape) still has a reading codec.
pub trait SerializeAs<T> {
    /// Writes `value` in its wire form.
    fn serialize_as<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;
}

/// The reading half of a codec: see [`SerializeAs`].
pub trait DeserializeAs<T> {
    /// Reads a value from its wire form.
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// `serialize_with` entry point for a codec.
pub fn serialize_with<C: SerializeAs<T>, T, S: Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    C::serialize_as(value, serializer)
}

/// `deserialize_with` entry point for a codec.
pub fn deserialize_with<'de, C: DeserializeAs<T>, T, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    C::deserialize_as(deserializer)
}

/// A value with its usual serde form (map keys, strings, numbers, structures).
pub struct Plain;

impl<T: serde::Serialize> SerializeAs<T> for Plain {
    fn serialize_as<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }
}

impl<T: serde::de::DeserializeOwned> DeserializeAs<T> for Plain {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// A timestamp as epoch seconds (JSON number; CBOR tag 1), as [`epoch_seconds`].
pub struct EpochSeconds;

impl SerializeAs<DateTime> for EpochSeconds {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_date_time(value, serializer)
    }
}

impl DeserializeAs<DateTime> for EpochSeconds {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_date_time(deserializer)
    }
}

/// A timestamp as an RFC 3339 / ISO 8601 string (`timestampFormat: iso8601`). Binary formats
/// (CBOR) ignore `timestampFormat` and use tag 1 epoch seconds.
pub struct Iso8601;

/// A timestamp as an HTTP date string (`timestampFormat: rfc822`). Binary formats (CBOR) use
/// tag 1 epoch seconds.
pub struct HttpDate;

fn serialize_formatted<S: Serializer>(
    value: &DateTime,
    format: crate::primitives::DateTimeFormat,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if !serializer.is_human_readable() {
        return serialize_date_time(value, serializer);
    }
    let text = value.fmt(format).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

struct FormattedVisitor(crate::primitives::DateTimeFormat);

impl Visitor<'_> for FormattedVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a timestamp string ({:?}) or epoch seconds", self.0)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        use crate::primitives::DateTimeFormat as Format;
        // RFC 3339 date-times may carry a UTC offset (`2019-12-16T22:48:18-01:00`); it is
        // applied, as botocore and the AWS SDKs do when reading responses.
        let format = match self.0 {
            Format::DateTime => Format::DateTimeWithOffset,
            other => other,
        };
        DateTime::from_str(v, format)
            .map_err(|e| E::custom(format!("invalid timestamp {v:?}: {e}")))
    }

    // Services sometimes send numbers whatever the model says: accept epoch seconds too.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<DateTime, E> {
        DateTimeVisitor.visit_i64(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<DateTime, E> {
        DateTimeVisitor.visit_u64(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<DateTime, E> {
        DateTimeVisitor.visit_f64(v)
    }
}

fn deserialize_formatted<'de, D: Deserializer<'de>>(
    format: crate::primitives::DateTimeFormat,
    deserializer: D,
) -> Result<DateTime, D::Error> {
    if deserializer.is_human_readable() {
        deserializer.deserialize_any(FormattedVisitor(format))
    } else {
        deserialize_date_time(deserializer)
    }
}

impl SerializeAs<DateTime> for Iso8601 {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_formatted(
            value,
            crate::primitives::DateTimeFormat::DateTime,
            serializer,
        )
    }
}

impl DeserializeAs<DateTime> for Iso8601 {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_formatted(crate::primitives::DateTimeFormat::DateTime, deserializer)
    }
}

impl SerializeAs<DateTime> for HttpDate {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_formatted(
            value,
            crate::primitives::DateTimeFormat::HttpDate,
            serializer,
        )
    }
}

impl DeserializeAs<DateTime> for HttpDate {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_formatted(crate::primitives::DateTimeFormat::HttpDate, deserializer)
    }
}

/// A `float` or `double`: a number, except that JSON carries NaN and the infinities as the
/// strings `"NaN"`, `"Infinity"` and `"-Infinity"` (JSON numbers cannot express them); CBOR
/// carries them as floats.
pub struct Float;

fn serialize_float<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if serializer.is_human_readable() && !value.is_finite() {
        serializer.serialize_str(if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "Infinity"
        } else {
            "-Infinity"
        })
    } else {
        serializer.serialize_f64(value)
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        match v {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

impl SerializeAs<f64> for Float {
    fn serialize_as<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_float(*value, serializer)
    }
}

impl DeserializeAs<f64> for Float {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl SerializeAs<f32> for Float {
    fn serialize_as<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        if value.is_finite() {
            serializer.serialize_f32(*value)
        } else {
            serialize_float(f64::from(*value), serializer)
        }
    }
}

impl DeserializeAs<f32> for Float {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        // The wire value is read as a double and narrowed to the member's precision.
        deserializer.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
}

/// A blob as base64 in JSON, a byte string in CBOR, as [`blob_base64`].
pub struct Base64;

impl SerializeAs<Blob> for Base64 {
    fn serialize_as<S: Serializer>(value: &Blob, serializer: S) -> Result<S::Ok, S::Error> {
        blob_base64::serialize(value, serializer)
    }
}

impl DeserializeAs<Blob> for Base64 {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Blob, D::Error> {
        blob_base64::deserialize(deserializer)
    }
}

/// Serializes one value through codec `C`: what generated `Serialize` impls pass to
/// `serialize_field` for members whose wire form differs from their serde form.
pub struct Ser<'a, C, T>(&'a T, std::marker::PhantomData<C>);

impl<'a, C, T> Ser<'a, C, T> {
    /// Wraps `value`.
    pub fn new(value: &'a T) -> Self {
        Ser(value, std::marker::PhantomData)
    }
}

impl<C: SerializeAs<T>, T> serde::Serialize for Ser<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        C::serialize_as(self.0, serializer)
    }
}

/// Deserializes one value through codec `C`.
struct De<C, T>(T, std::marker::PhantomData<C>);

impl<'de, C: DeserializeAs<T>, T> serde::Deserialize<'de> for De<C, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        C::deserialize_as(deserializer).map(|v| De(v, std::marker::PhantomData))
    }
}

/// `Option<T>` through codec `C` (`None` is `null`).
pub struct OptionOf<C>(std::marker::PhantomData<C>);

impl<C: SerializeAs<T>, T> SerializeAs<Option<T>> for OptionOf<C> {
    fn serialize_as<S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => C::serialize_as(v, serializer),
            None => serializer.serialize_none(),
        }
    }
}

impl<C: DeserializeAs<T>, T> DeserializeAs<Option<T>> for OptionOf<C> {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        use serde::Deserialize;
        Option::<De<C, T>>::deserialize(deserializer).map(|o| o.map(|d| d.0))
    }
}

/// `Vec<T>` with each element through codec `C`.
pub struct ListOf<C>(std::marker::PhantomData<C>);

impl<C: SerializeAs<T>, T> SerializeAs<Vec<T>> for ListOf<C> {
    fn serialize_as<S: Serializer>(value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(
            value
                .iter()
                .map(|v| Ser::<C, T>(v, std::marker::PhantomData)),
        )
    }
}

impl<C: DeserializeAs<T>, T> DeserializeAs<Vec<T>> for ListOf<C> {
    fn deserialize_as<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        use serde::Deserialize;
        Vec::<De<C, T>>::deserialize(deserializer).map(|v| v.into_iter().map(|d| d.0).collect())
    }
}

/// `HashMap<K, T>` with keys in their plain form and each value through codec `C`.
pub struct MapOf<C>(std::marker::PhantomData<C>);

impl<C, K, T> SerializeAs<std::collections::HashMap<K, T>> for MapOf<C>
where
    C: SerializeAs<T>,
    K: serde::Serialize,
{
    fn serialize_as<S: Serializer>(
        value: &std::collections::HashMap<K, T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(
            value
                .iter()
                .map(|(k, v)| (k, Ser::<C, T>(v, std::marker::PhantomData))),
        )
    }
}

impl<C, K, T> DeserializeAs<std::collections::HashMap<K, T>> for MapOf<C>
where
    C: DeserializeAs<T>,
    K: serde::de::DeserializeOwned + Eq + std::hash::Hash,
{
    fn deserialize_as<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<std::collections::HashMap<K, T>, D::Error> {
        use serde::Deserialize;
        std::collections::HashMap::<K, De<C, T>>::deserialize(deserializer)
            .map(|m| m.into_iter().map(|(k, d)| (k, d.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

    /// Reads `{"k": v, ...}` as (index of each key, value) through [`FieldIndex`].
    fn indices(json: &str, fields: &'static [&'static str]) -> Vec<(usize, serde_json::Value)> {
        struct Pairs(&'static [&'static str]);
        impl<'de> de::DeserializeSeed<'de> for Pairs {
            type Value = Vec<(usize, serde_json::Value)>;
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_map(self)
            }
        }
        impl<'de> Visitor<'de> for Pairs {
            type Value = Vec<(usize, serde_json::Value)>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(i) = map.next_key_seed(FieldIndex(self.0))? {
                    out.push((i, map.next_value()?));
                }
                Ok(out)
            }
        }
        de::DeserializeSeed::deserialize(
            Pairs(fields),
            &mut serde_json::Deserializer::from_str(json),
        )
        .unwrap()
    }

    #[test]
    fn field_index_matches_keys_exactly_and_marks_unknown_ones() {
        let fields = &["a", "ab", "b\"quoted"];
        let got = indices(
            r#"{"ab": 1, "a": 2, "A": 3, "abc": 4, "b\"quoted": 5, "\u0061": 6, "": 7}"#,
            fields,
        );
        let idx: Vec<usize> = got.iter().map(|(i, _)| *i).collect();
        // "\u0061" is "a" once unescaped (an owned key, not a borrowed one).
        assert_eq!(
            idx,
            [
                1,
                0,
                FieldIndex::UNKNOWN,
                FieldIndex::UNKNOWN,
                2,
                0,
                FieldIndex::UNKNOWN
            ]
        );
        assert_eq!(got[4].1, serde_json::json!(5));
        assert!(indices("{}", fields).is_empty());
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Shape {
        #[serde(with = "epoch_seconds")]
        at: DateTime,
        #[serde(with = "epoch_seconds_opt", default)]
        maybe_at: Option<DateTime>,
        #[serde(with = "blob_base64")]
        data: Blob,
        #[serde(with = "blob_base64_opt", default)]
        maybe_data: Option<Blob>,
    }

    #[test]
    fn epoch_seconds_round_trip_with_fractions() {
        let shape = Shape {
            at: DateTime::from_secs_and_nanos(1_700_000_000, 123_000_000),
            maybe_at: Some(DateTime::from_secs(1_600_000_000)),
            data: Blob::new(b"hello\x00\xff".to_vec()),
            maybe_data: None,
        };
        let json = serde_json::to_string(&shape).expect("serializes");
        assert_eq!(
            json,
            r#"{"at":1700000000.123,"maybe_at":1600000000,"data":"aGVsbG8A/w==","maybe_data":null}"#
        );
        let back: Shape = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, shape);
    }

    #[test]
    fn epoch_seconds_accepts_ints_floats_and_negative() {
        let parse = |text: &str| {
            serde_json::from_str::<Shape>(&format!(r#"{{"at":{text},"data":""}}"#)).map(|s| s.at)
        };
        assert_eq!(parse("0").ok(), Some(DateTime::from_secs(0)));
        assert_eq!(
            parse("1.5").ok(),
            Some(DateTime::from_secs_and_nanos(1, 500_000_000))
        );
        assert_eq!(
            parse("-1.5").ok(),
            Some(DateTime::from_secs_and_nanos(-2, 500_000_000))
        );
        assert_eq!(parse("1.5e3").ok(), Some(DateTime::from_secs(1500)));
        assert!(parse("1e300").is_err());
        assert!(parse("18446744073709551615").is_err());
        assert!(parse("true").is_err());
        assert!(parse(r#""abc""#).is_err());
    }

    #[test]
    fn optional_fields_null_and_missing() {
        let shape: Shape =
            serde_json::from_str(r#"{"at":1,"maybe_at":null,"data":"","maybe_data":"AQI="}"#)
                .expect("deserializes");
        assert_eq!(shape.maybe_at, None);
        assert_eq!(shape.maybe_data, Some(Blob::new(vec![1u8, 2])));
        let shape: Shape = serde_json::from_str(r#"{"at":1,"data":""}"#).expect("deserializes");
        assert_eq!(shape.maybe_at, None);
        assert_eq!(shape.maybe_data, None);
        assert_eq!(shape.data, Blob::new(Vec::new()));
    }

    #[test]
    fn invalid_base64_is_an_error() {
        let err = serde_json::from_str::<Shape>(r#"{"at":1,"data":"not base64!"}"#);
        assert!(err.is_err());
        let err = serde_json::from_str::<Shape>(r#"{"at":1,"data":12}"#);
        assert!(err.is_err());
    }

    type Nested = std::collections::HashMap<String, Vec<DateTime>>;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Collections {
        #[serde(
            serialize_with = "serialize_with::<ListOf<Base64>, _, _>",
            deserialize_with = "deserialize_with::<ListOf<Base64>, _, _>"
        )]
        blobs: Vec<Blob>,
        #[serde(
            serialize_with = "serialize_with::<OptionOf<MapOf<ListOf<EpochSeconds>>>, _, _>",
            deserialize_with = "deserialize_with::<OptionOf<MapOf<ListOf<EpochSeconds>>>, _, _>",
            default,
            skip_serializing_if = "Option::is_none"
        )]
        times: Option<Nested>,
        #[serde(
            serialize_with = "serialize_with::<OptionOf<Iso8601>, _, _>",
            deserialize_with = "deserialize_with::<OptionOf<Iso8601>, _, _>",
            default
        )]
        iso: Option<DateTime>,
    }

    #[test]
    fn codecs_reach_inside_lists_and_maps() {
        let value = Collections {
            blobs: vec![Blob::new(b"a".to_vec()), Blob::new(Vec::new())],
            times: Some(
                [(
                    "k".to_string(),
                    vec![
                        DateTime::from_secs(1),
                        DateTime::from_secs_and_nanos(2, 500_000_000),
                    ],
                )]
                .into_iter()
                .collect(),
            ),
            iso: Some(DateTime::from_secs(1_700_000_000)),
        };
        let json = serde_json::to_string(&value).expect("serializes");
        assert_eq!(
            json,
            r#"{"blobs":["YQ==",""],"times":{"k":[1,2.5]},"iso":"2023-11-14T22:13:20Z"}"#
        );
        let back: Collections = serde_json::from_str(&json).expect("deserializes");
        assert_eq!(back, value);
        // CBOR: byte strings and tag-1 timestamps, also for the iso8601 member.
        #[cfg(feature = "rpc-v2-cbor")]
        {
            let mut cbor = Vec::new();
            ciborium::into_writer(&value, &mut cbor).expect("cbor");
            let back: Collections = ciborium::from_reader(&cbor[..]).expect("cbor back");
            assert_eq!(back, value);
        }
        // Missing and null optional members.
        let back: Collections =
            serde_json::from_str(r#"{"blobs":[],"iso":null}"#).expect("defaults");
        assert_eq!(back.times, None);
        assert_eq!(back.iso, None);
        assert!(serde_json::from_str::<Collections>(r#"{"blobs":["!"]}"#).is_err());
        assert!(serde_json::from_str::<Collections>(r#"{"blobs":[],"iso":"yesterday"}"#).is_err());
    }
    #[derive(Debug, Serialize, Deserialize)]
    struct Floats {
        #[serde(
            serialize_with = "serialize_with::<Float, _, _>",
            deserialize_with = "deserialize_with::<Float, _, _>"
        )]
        double: f64,
        #[serde(
            serialize_with = "serialize_with::<OptionOf<Float>, _, _>",
            deserialize_with = "deserialize_with::<OptionOf<Float>, _, _>",
            default
        )]
        single: Option<f32>,
        #[serde(
            serialize_with = "serialize_with::<ListOf<Float>, _, _>",
            deserialize_with = "deserialize_with::<ListOf<Float>, _, _>"
        )]
        list: Vec<f64>,
    }

    #[test]
    fn floats_carry_nan_and_infinities_as_strings_in_json() {
        let value = Floats {
            double: f64::NAN,
            single: Some(f32::NEG_INFINITY),
            list: vec![1.5, f64::INFINITY],
        };
        let json = serde_json::to_string(&value).expect("serializes");
        assert_eq!(
            json,
            r#"{"double":"NaN","single":"-Infinity","list":[1.5,"Infinity"]}"#
        );
        let back: Floats = serde_json::from_str(&json).expect("deserializes");
        assert!(back.double.is_nan());
        assert_eq!(back.single, Some(f32::NEG_INFINITY));
        assert_eq!(back.list, vec![1.5, f64::INFINITY]);
        let ints: Floats =
            serde_json::from_str(r#"{"double":2,"single":7.625,"list":[]}"#).expect("numbers");
        assert_eq!((ints.double, ints.single), (2.0, Some(7.625)));
        assert!(serde_json::from_str::<Floats>(r#"{"double":"nan","list":[]}"#).is_err());
        // CBOR carries them as floats.
        #[cfg(feature = "rpc-v2-cbor")]
        {
            let mut cbor = Vec::new();
            ciborium::into_writer(&value, &mut cbor).expect("cbor");
            let back: Floats = ciborium::from_reader(&cbor[..]).expect("cbor back");
            assert!(back.double.is_nan());
            assert_eq!(back.single, Some(f32::NEG_INFINITY));
        }
    }

    #[test]
    fn iso8601_reads_utc_offsets() {
        let parse = |text: &str| {
            serde_json::from_str::<Collections>(&format!(r#"{{"blobs":[],"iso":"{text}"}}"#))
                .map(|c| c.iso)
        };
        let expected = Some(DateTime::from_secs(1_576_540_098));
        assert_eq!(parse("2019-12-16T22:48:18-01:00").ok(), Some(expected));
        assert_eq!(parse("2019-12-17T00:48:18+01:00").ok(), Some(expected));
        assert_eq!(parse("2019-12-16T23:48:18Z").ok(), Some(expected));
    }
}

/// Reads the key of a structure's member as its index in the model's list of wire names, or
/// [`FieldIndex::UNKNOWN`] for a key the model does not list (skipped by the caller, so newer
/// service members never break an older client).
///
/// Generated `Deserialize` impls of structures use it with `MapAccess::next_key_seed`: one
/// non-generic key matcher shared by every structure, instead of a field enum and key visitor
/// per structure.
#[derive(Debug, Clone, Copy)]
pub struct FieldIndex(pub &'static [&'static str]);

impl FieldIndex {
    /// The index given to a key the structure does not have.
    pub const UNKNOWN: usize = usize::MAX;

    fn find(self, key: &str) -> usize {
        self.0
            .iter()
            .position(|name| *name == key)
            .unwrap_or(Self::UNKNOWN)
    }
}

impl<'de> de::DeserializeSeed<'de> for FieldIndex {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for FieldIndex {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(self.find(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<usize, E> {
        Ok(std::str::from_utf8(v).map_or(Self::UNKNOWN, |v| self.find(v)))
    }
}

/// The per-structure half of a generated `Deserialize` impl: reading the members from a map.
/// The other half, [`deserialize_structure`], is the same for every structure.
pub trait Structure<'de>: Sized {
    /// What the structure is, for error messages (`struct Name`).
    const EXPECTING: &'static str;

    /// Reads the members from `map`.
    fn visit_map<A: de::MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// `Deserialize::deserialize` of a generated structure: a map, read by
/// [`Structure::visit_map`].
pub fn deserialize_structure<'de, T: Structure<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(StructureVisitor(std::marker::PhantomData::<fn() -> T>))
}

struct StructureVisitor<T>(std::marker::PhantomData<fn() -> T>);

impl<'de, T: Structure<'de>> Visitor<'de> for StructureVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTING)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::visit_map(map)
    }
}

/// Reads one value through codec `C`: the `MapAccess::next_value_seed` form of
/// [`deserialize_with`], for members whose wire form differs from their serde form.
pub struct Seed<C, T>(std::marker::PhantomData<fn() -> (C, T)>);

impl<C, T> Seed<C, T> {
    /// The seed (it carries no data).
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        Seed(std::marker::PhantomData)
    }
}

impl<'de, C: DeserializeAs<T>, T> de::DeserializeSeed<'de> for Seed<C, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        C::deserialize_as(deserializer)
    }
}

/// A float as botocore writes it in text (headers, query strings, XML): `NaN`, `Infinity`,
/// `-Infinity`, and an integral value with `.0` (Python's `str`). `shortest` is the value at
/// its own precision (an `f32` or `f64`), whose `Display` is the shortest round-trip form.
#[allow(dead_code)]
pub(crate) fn write_float(value: f64, shortest: impl std::fmt::Display, out: &mut String) {
    use std::fmt::Write as _;
    if value.is_nan() {
        out.push_str("NaN");
    } else if value.is_infinite() {
        out.push_str(if value > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let start = out.len();
        let _ = write!(out, "{shortest}");
        if !out[start..].contains(['.', 'e', 'E']) {
            out.push_str(".0");
        }
    }
}
