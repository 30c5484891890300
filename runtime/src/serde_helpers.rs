//! Modules for `#[serde(with = "...")]` on generated fields whose JSON form differs from
//! their Rust type: timestamps as epoch seconds and blobs as base64 strings.

use aws_smithy_types::{Blob, DateTime};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};
use std::fmt;

fn serialize_date_time<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
    use serde::Serialize;
    // Binary formats (CBOR) carry the epoch seconds under tag 1, as Smithy RPC v2 CBOR wants.
    match (serializer.is_human_readable(), value.has_subsec_nanos()) {
        (true, true) => serializer.serialize_f64(value.as_secs_f64()),
        (true, false) => serializer.serialize_i64(value.secs()),
        (false, true) => ciborium::tag::Required::<f64, 1>(value.as_secs_f64()).serialize(serializer),
        (false, false) => ciborium::tag::Required::<i64, 1>(value.secs()).serialize(serializer),
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
        DateTime::from_str(v, aws_smithy_types::date_time::Format::EpochSeconds)
            .map_err(|e| E::custom(format!("invalid epoch-seconds timestamp {v:?}: {e}")))
    }
}

/// Epoch seconds as a plain number, for reading inside a CBOR tag.
struct EpochNumber(DateTime);

impl<'de> serde::Deserialize<'de> for EpochNumber {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateTimeVisitor).map(EpochNumber)
    }
}

/// Reads epoch seconds: a number (or numeric string) in JSON; in CBOR a number under tag 1,
/// or untagged.
fn deserialize_date_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
    use serde::Deserialize;
    if deserializer.is_human_readable() {
        deserializer.deserialize_any(DateTimeVisitor)
    } else {
        ciborium::tag::Accepted::<EpochNumber, 1>::deserialize(deserializer).map(|tagged| tagged.0.0)
    }
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
        aws_smithy_types::base64::decode(v)
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
            serializer.serialize_str(&aws_smithy_types::base64::encode(value.as_ref()))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};

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
}
