//! DateTime type for representing Smithy timestamps (replacement for
//! `aws_smithy_types::date_time`).
//!
//! All calendar arithmetic is done by hand (proleptic Gregorian calendar, UTC, no leap
//! seconds), reproducing what `aws-smithy-types` 1.9.3 gets from the `time` crate.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const MILLIS_PER_SECOND: i64 = 1000;
const NANOS_PER_MILLI: u32 = 1_000_000;
const NANOS_PER_SECOND: i128 = 1_000_000_000;
const NANOS_PER_SECOND_U32: u32 = 1_000_000_000;
const SECONDS_PER_DAY: i64 = 86_400;

/// Epoch seconds of `0001-01-01T00:00:00Z`, the earliest formattable instant.
const MIN_FORMATTABLE_SECS: i64 = -62_135_596_800;
/// Epoch seconds of `9999-12-31T23:59:59Z`, the latest formattable second.
const MAX_FORMATTABLE_SECS: i64 = 253_402_300_799;

/// DateTime in time.
///
/// DateTime in time represented as seconds and sub-second nanos since
/// the Unix epoch (January 1, 1970 at midnight UTC/GMT).
///
/// The sub-second nanos are always below one second (`0..=999_999_999`) and always advance the
/// wall-clock time, even when `seconds` is negative.
///
/// This type can be converted to/from the standard library's [`SystemTime`]:
/// ```rust
/// # fn doc_fn() -> Result<(), aws_lite_runtime::primitives::date_time::ConversionError> {
/// # use aws_lite_runtime::primitives::date_time::DateTime;
/// # use std::time::SystemTime;
/// let the_millennium_as_system_time = SystemTime::try_from(DateTime::from_secs(946_713_600))?;
/// let now_as_date_time = DateTime::from(SystemTime::now());
/// # Ok(())
/// # }
/// ```
#[derive(PartialEq, Eq, Hash, Clone, Copy)]
pub struct DateTime {
    seconds: i64,
    subsecond_nanos: u32,
}

impl DateTime {
    /// Creates a `DateTime` from a number of seconds since the Unix epoch.
    pub fn from_secs(epoch_seconds: i64) -> Self {
        DateTime {
            seconds: epoch_seconds,
            subsecond_nanos: 0,
        }
    }

    /// Creates a `DateTime` from a number of milliseconds since the Unix epoch.
    pub fn from_millis(epoch_millis: i64) -> DateTime {
        let seconds = epoch_millis.div_euclid(MILLIS_PER_SECOND);
        // `rem_euclid` is in `0..1000`, so the cast and the multiplication cannot overflow.
        let millis = epoch_millis.rem_euclid(MILLIS_PER_SECOND) as u32;
        DateTime {
            seconds,
            subsecond_nanos: millis * NANOS_PER_MILLI,
        }
    }

    /// Creates a `DateTime` from a number of nanoseconds since the Unix epoch.
    ///
    /// Returns an error if the whole seconds do not fit into an `i64`.
    pub fn from_nanos(epoch_nanos: i128) -> Result<Self, ConversionError> {
        let seconds = i64::try_from(epoch_nanos.div_euclid(NANOS_PER_SECOND)).map_err(|_| {
            ConversionError("given epoch nanos are too large to fit into a DateTime")
        })?;
        // `rem_euclid` is in `0..1_000_000_000`, so it fits into a `u32`.
        let subsecond_nanos = epoch_nanos.rem_euclid(NANOS_PER_SECOND) as u32;
        Ok(DateTime {
            seconds,
            subsecond_nanos,
        })
    }

    /// Returns the number of nanoseconds since the Unix epoch that this `DateTime` represents.
    pub fn as_nanos(&self) -> i128 {
        // |seconds| * 1e9 + 1e9 is far below i128::MAX, so this cannot overflow.
        i128::from(self.seconds) * NANOS_PER_SECOND + i128::from(self.subsecond_nanos)
    }

    /// Creates a `DateTime` from a number of seconds and a fractional second since the Unix epoch.
    ///
    /// The fraction is converted with `(fraction * 1e9) as u32` (so NaN and negative fractions
    /// give 0 nanos and huge ones saturate at `u32::MAX` nanos); the resulting nanos are then
    /// normalized like [`DateTime::from_secs_and_nanos`] does. For fractions that round to a
    /// full second this matches `aws-smithy-types` (the second is rolled over); for fractions
    /// producing more than one second of nanos, where `aws-smithy-types` panics, the whole
    /// seconds are carried into the seconds instead.
    ///
    /// # Example
    /// ```
    /// # use aws_lite_runtime::primitives::date_time::DateTime;
    /// assert_eq!(
    ///     DateTime::from_secs_and_nanos(1, 500_000_000u32),
    ///     DateTime::from_fractional_secs(1, 0.5),
    /// );
    /// ```
    pub fn from_fractional_secs(epoch_seconds: i64, fraction: f64) -> Self {
        let subsecond_nanos = (fraction * 1_000_000_000_f64) as u32;
        DateTime::from_secs_and_nanos(epoch_seconds, subsecond_nanos)
    }

    /// Creates a `DateTime` from a number of seconds and sub-second nanos since the Unix epoch.
    ///
    /// Unlike `aws-smithy-types` (which panics when `subsecond_nanos >= 1_000_000_000`), this
    /// never panics: the whole seconds contained in an oversized `subsecond_nanos` are carried
    /// into the seconds. If that overflows `i64`, the result saturates to the latest
    /// representable instant (`i64::MAX` seconds and `999_999_999` nanos).
    ///
    /// # Example
    /// ```
    /// # use aws_lite_runtime::primitives::date_time::DateTime;
    /// assert_eq!(
    ///     DateTime::from_fractional_secs(1, 0.5),
    ///     DateTime::from_secs_and_nanos(1, 500_000_000u32),
    /// );
    /// assert_eq!(
    ///     DateTime::from_secs_and_nanos(1, 2_500_000_000u32),
    ///     DateTime::from_secs_and_nanos(3, 500_000_000u32),
    /// );
    /// ```
    pub fn from_secs_and_nanos(seconds: i64, subsecond_nanos: u32) -> Self {
        let carry = i64::from(subsecond_nanos / NANOS_PER_SECOND_U32);
        match seconds.checked_add(carry) {
            Some(seconds) => DateTime {
                seconds,
                subsecond_nanos: subsecond_nanos % NANOS_PER_SECOND_U32,
            },
            None => DateTime {
                seconds: i64::MAX,
                subsecond_nanos: NANOS_PER_SECOND_U32 - 1,
            },
        }
    }

    /// Returns the `DateTime` value as an `f64` representing the seconds since the Unix epoch.
    ///
    /// _Note: This conversion will lose precision due to the nature of floating point numbers._
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsecond_nanos) / 1_000_000_000_f64
    }

    /// Creates a `DateTime` from an `f64` representing the number of seconds since the Unix epoch.
    ///
    /// NaN gives the epoch, infinities and out-of-range values saturate the seconds.
    ///
    /// # Example
    /// ```
    /// # use aws_lite_runtime::primitives::date_time::DateTime;
    /// assert_eq!(
    ///     DateTime::from_fractional_secs(1, 0.5),
    ///     DateTime::from_secs_f64(1.5),
    /// );
    /// ```
    pub fn from_secs_f64(epoch_seconds: f64) -> Self {
        let floor = epoch_seconds.floor();
        DateTime::from_fractional_secs(floor as i64, epoch_seconds - floor)
    }

    /// Parses a `DateTime` from a string using the given `format`.
    #[allow(clippy::should_implement_trait)] // Same signature as `aws-smithy-types`.
    pub fn from_str(s: &str, format: Format) -> Result<Self, DateTimeParseError> {
        match format {
            Format::DateTime => rfc3339::parse(s, false),
            Format::DateTimeWithOffset => rfc3339::parse(s, true),
            Format::HttpDate => http_date::parse(s),
            Format::EpochSeconds => epoch_seconds::parse(s),
        }
    }

    /// Returns true if sub-second nanos is greater than zero.
    pub fn has_subsec_nanos(&self) -> bool {
        self.subsecond_nanos != 0
    }

    /// Returns the epoch seconds component of the `DateTime`.
    ///
    /// _Note: this does not include the sub-second nanos._
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// Set the seconds component of this `DateTime`.
    pub fn set_seconds(&mut self, seconds: i64) -> &mut Self {
        self.seconds = seconds;
        self
    }

    /// Returns the sub-second nanos component of the `DateTime`.
    ///
    /// _Note: this does not include the number of seconds since the epoch._
    pub fn subsec_nanos(&self) -> u32 {
        self.subsecond_nanos
    }

    /// Set the "sub-second" nanoseconds of this `DateTime`.
    ///
    /// A value of one second or more is normalized like [`DateTime::from_secs_and_nanos`]
    /// does (whole seconds are carried into the seconds, saturating), whereas
    /// `aws-smithy-types` stores the out-of-range value as is.
    pub fn set_subsec_nanos(&mut self, subsec_nanos: u32) -> &mut Self {
        *self = DateTime::from_secs_and_nanos(self.seconds, subsec_nanos);
        self
    }

    /// Converts the `DateTime` to the number of milliseconds since the Unix epoch.
    ///
    /// This is fallible since `DateTime` holds more precision than an `i64`, and will
    /// return a `ConversionError` for `DateTime` values that can't be converted.
    pub fn to_millis(self) -> Result<i64, ConversionError> {
        let subsec_millis = i64::from(self.subsecond_nanos / NANOS_PER_MILLI);
        let millis = if self.seconds < 0 {
            self.seconds
                .checked_add(1)
                .and_then(|seconds| seconds.checked_mul(MILLIS_PER_SECOND))
                .and_then(|millis| millis.checked_sub(MILLIS_PER_SECOND - subsec_millis))
        } else {
            self.seconds
                .checked_mul(MILLIS_PER_SECOND)
                .and_then(|millis| millis.checked_add(subsec_millis))
        };
        millis.ok_or(ConversionError(
            "DateTime value too large to fit into i64 epoch millis",
        ))
    }

    /// Read 1 date of `format` from `s`, expecting either `delim` or EOF
    ///
    /// Enable parsing multiple dates from the same string. On success, the remainder after the
    /// delimiter is returned. (`aws-smithy-types` panics when `delim` is not ASCII and is found
    /// after the date; here the whole delimiter is skipped instead.)
    pub fn read(s: &str, format: Format, delim: char) -> Result<(Self, &str), DateTimeParseError> {
        let (inst, next) = match format {
            Format::DateTime => rfc3339::read(s, false)?,
            Format::DateTimeWithOffset => rfc3339::read(s, true)?,
            Format::HttpDate => http_date::read(s)?,
            Format::EpochSeconds => {
                let (head, rest) = s.split_at(s.find(delim).unwrap_or(s.len()));
                (epoch_seconds::parse(head)?, rest)
            }
        };
        if next.is_empty() {
            Ok((inst, next))
        } else if let Some(rest) = next.strip_prefix(delim) {
            Ok((inst, rest))
        } else {
            Err(invalid("didn't find expected delimiter"))
        }
    }

    /// Formats the `DateTime` to a string using the given `format`.
    ///
    /// Returns an error if the given `DateTime` cannot be represented by the desired format.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeFormatError> {
        match format {
            Format::DateTime | Format::DateTimeWithOffset => rfc3339::format(self),
            Format::EpochSeconds => Ok(epoch_seconds::format(self)),
            Format::HttpDate => http_date::format(self),
        }
    }
}

/// Tries to convert a [`DateTime`] into a [`SystemTime`].
///
/// This can fail if the `DateTime` value is larger or smaller than what the `SystemTime`
/// can represent on the operating system it's compiled for.
impl TryFrom<DateTime> for SystemTime {
    type Error = ConversionError;

    fn try_from(date_time: DateTime) -> Result<Self, Self::Error> {
        let secs = date_time.seconds.unsigned_abs();
        let nanos = date_time.subsecond_nanos;
        if date_time.seconds < 0 {
            // `secs >= 1` here and `nanos < 1e9`, so neither operation can overflow.
            let duration = if nanos != 0 {
                Duration::new(secs - 1, NANOS_PER_SECOND_U32 - nanos)
            } else {
                Duration::new(secs, 0)
            };
            UNIX_EPOCH.checked_sub(duration).ok_or(ConversionError(
                "overflow occurred when subtracting duration from UNIX_EPOCH",
            ))
        } else {
            UNIX_EPOCH
                .checked_add(Duration::new(secs, nanos))
                .ok_or(ConversionError(
                    "overflow occurred when adding duration to UNIX_EPOCH",
                ))
        }
    }
}

impl From<SystemTime> for DateTime {
    /// Converts a `SystemTime`; values beyond the `DateTime` range (impossible on common
    /// platforms) saturate.
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => match i64::try_from(after.as_secs()) {
                Ok(seconds) => DateTime {
                    seconds,
                    subsecond_nanos: after.subsec_nanos(),
                },
                Err(_) => DateTime::from_secs_and_nanos(i64::MAX, NANOS_PER_SECOND_U32 - 1),
            },
            Err(before) => {
                let before = before.duration();
                let nanos = -(i128::from(before.as_secs()) * NANOS_PER_SECOND
                    + i128::from(before.subsec_nanos()));
                DateTime::from_nanos(nanos).unwrap_or(DateTime::from_secs(i64::MIN))
            }
        }
    }
}

impl PartialOrd for DateTime {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for DateTime {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_nanos().cmp(&other.as_nanos())
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Some dates are out of range to be serialized with `DateTime`.
        // In these cases, fallback to using epoch seconds which always works
        match rfc3339::format(self) {
            Ok(date) => f.write_str(&date),
            Err(_) => f.write_str(&epoch_seconds::format(self)),
        }
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Failure to convert a `DateTime` to or from another type.
#[derive(Debug)]
#[non_exhaustive]
pub struct ConversionError(&'static str);

impl StdError for ConversionError {}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// Formats for representing a `DateTime` in the Smithy protocols.
#[derive(Clone, Copy, Debug, Eq, PartialEq)]
#[non_exhaustive]
pub enum Format {
    /// RFC-3339 Date Time. If the date time has an offset, an error will be returned.
    /// e.g. `2019-12-16T23:48:18Z`
    DateTime,

    /// RFC-3339 Date Time. Offsets are supported.
    /// e.g. `2019-12-16T23:48:18+01:00`
    DateTimeWithOffset,

    /// Date format used by the HTTP `Date` header, specified in RFC-7231.
    /// e.g. `Mon, 16 Dec 2019 23:48:18 GMT`
    HttpDate,

    /// Number of seconds since the Unix epoch formatted as a floating point.
    /// e.g. `1576540098.52`
    EpochSeconds,
}

#[derive(Debug)]
enum DateTimeParseErrorKind {
    /// The given date-time string was invalid.
    Invalid(Cow<'static, str>),
    /// Failed to parse an integer inside the given date-time string.
    IntParseError,
}

/// Error returned when date-time parsing fails.
#[derive(Debug)]
pub struct DateTimeParseError {
    kind: DateTimeParseErrorKind,
}

impl StdError for DateTimeParseError {}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            DateTimeParseErrorKind::Invalid(msg) => write!(f, "invalid date-time: {msg}"),
            DateTimeParseErrorKind::IntParseError => write!(f, "failed to parse int"),
        }
    }
}

fn invalid(msg: impl Into<Cow<'static, str>>) -> DateTimeParseError {
    DateTimeParseError {
        kind: DateTimeParseErrorKind::Invalid(msg.into()),
    }
}

fn int_parse_error() -> DateTimeParseError {
    DateTimeParseError {
        kind: DateTimeParseErrorKind::IntParseError,
    }
}

/// Error returned when date-time formatting fails.
#[derive(Debug)]
pub struct DateTimeFormatError {
    message: Cow<'static, str>,
}

impl StdError for DateTimeFormatError {}

impl fmt::Display for DateTimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "date-time cannot be formatted since it is out of range: {}",
            self.message
        )
    }
}

/// Calendar arithmetic on the proleptic Gregorian calendar.
mod civil {
    /// Whether `year` is a leap year.
    pub(super) fn is_leap_year(year: i64) -> bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Number of days in `month` (1..=12) of `year`; 0 for an invalid month.
    pub(super) fn days_in_month(year: i64, month: u32) -> u32 {
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if is_leap_year(year) => 29,
            2 => 28,
            _ => 0,
        }
    }

    /// Days since 1970-01-01 of the given date (month 1..=12, day 1..=31).
    ///
    /// Only called with `|year| <= 10_000`, so no overflow is possible.
    pub(super) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
        let year = if month <= 2 { year - 1 } else { year };
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month = i64::from(month);
        let day_of_year =
            (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    /// `(year, month, day)` of the given number of days since 1970-01-01.
    ///
    /// Only called with day counts of years within `-10_000..=10_000`.
    pub(super) fn civil_from_days(days: i64) -> (i64, u32, u32) {
        let days = days + 719_468;
        let era = days.div_euclid(146_097);
        let day_of_era = days.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        } as u32;
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// Broken-down UTC date-time of an instant within the formattable range.
    pub(super) struct Civil {
        pub(super) year: i64,
        pub(super) month: u32,
        pub(super) day: u32,
        pub(super) hour: u32,
        pub(super) minute: u32,
        pub(super) second: u32,
        /// 0 = Sunday, ..., 6 = Saturday.
        pub(super) weekday: u32,
    }

    impl Civil {
        /// Splits epoch seconds into calendar fields. Callers guarantee that `seconds` lies in
        /// the formattable range, which keeps all arithmetic far from overflow.
        pub(super) fn from_epoch_seconds(seconds: i64) -> Civil {
            let days = seconds.div_euclid(super::SECONDS_PER_DAY);
            let second_of_day = seconds.rem_euclid(super::SECONDS_PER_DAY) as u32;
            let (year, month, day) = civil_from_days(days);
            Civil {
                year,
                month,
                day,
                hour: second_of_day / 3600,
                minute: second_of_day / 60 % 60,
                second: second_of_day % 60,
                // 1970-01-01 was a Thursday.
                weekday: (days + 4).rem_euclid(7) as u32,
            }
        }
    }
}

mod epoch_seconds {
    use super::{DateTime, DateTimeParseError, int_parse_error, invalid};

    /// Formats a `DateTime` into the Smithy epoch seconds date-time format.
    pub(super) fn format(date_time: &DateTime) -> String {
        if date_time.subsecond_nanos == 0 {
            return date_time.seconds.to_string();
        }
        let mut result = if date_time.seconds < 0 {
            // seconds < 0 so `unsigned_abs() >= 1`; nanos are in 1..1e9.
            format!(
                "-{}.{:09}",
                date_time.seconds.unsigned_abs() - 1,
                super::NANOS_PER_SECOND_U32 - date_time.subsecond_nanos
            )
        } else {
            format!("{}.{:09}", date_time.seconds, date_time.subsecond_nanos)
        };
        while result.ends_with('0') {
            result.pop();
        }
        result
    }

    /// Parses the Smithy epoch seconds date-time format into a `DateTime`.
    pub(super) fn parse(value: &str) -> Result<DateTime, DateTimeParseError> {
        let (whole_str, decimal_str) = match value.split_once('.') {
            Some((whole, decimal)) => (whole, Some(decimal)),
            None => (value, None),
        };
        let mut whole: i64 = whole_str.parse().map_err(|_| int_parse_error())?;
        let mut decimal: u32 = 0;
        if let Some(decimal_str) = decimal_str {
            if decimal_str.starts_with(['+', '-']) {
                return Err(invalid("invalid epoch-seconds timestamp"));
            }
            if decimal_str.len() > 9 {
                return Err(invalid("decimal is longer than 9 digits"));
            }
            decimal = decimal_str.parse().map_err(|_| int_parse_error())?;
            // At most 9 digits were parsed, so scaling up to 9 digits cannot overflow.
            for _ in decimal_str.len()..9 {
                decimal *= 10;
            }
        }
        if decimal != 0 && value.starts_with('-') {
            whole = whole
                .checked_sub(1)
                .ok_or_else(|| invalid("epoch-seconds timestamp out of range"))?;
            decimal = super::NANOS_PER_SECOND_U32 - decimal;
        }
        Ok(DateTime {
            seconds: whole,
            subsecond_nanos: decimal,
        })
    }
}

mod http_date {
    use super::civil::{self, Civil};
    use super::{
        DateTime, DateTimeFormatError, DateTimeParseError, MAX_FORMATTABLE_SECS,
        MIN_FORMATTABLE_SECS, int_parse_error, invalid,
    };
    use std::str::FromStr;

    const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];

    /// Format a `DateTime` in the HTTP date format (imf-fixdate); sub-second nanos are dropped.
    ///
    /// Example: "Mon, 16 Dec 2019 23:48:18 GMT"
    pub(super) fn format(date_time: &DateTime) -> Result<String, DateTimeFormatError> {
        if !(MIN_FORMATTABLE_SECS..=MAX_FORMATTABLE_SECS).contains(&date_time.seconds) {
            return Err(DateTimeFormatError {
                message: "HTTP dates support dates between Mon, 01 Jan 0001 00:00:00 GMT \
                          and Fri, 31 Dec 9999 23:59:59.999 GMT."
                    .into(),
            });
        }
        let c = Civil::from_epoch_seconds(date_time.seconds);
        let weekday = WEEKDAYS
            .get(c.weekday as usize)
            .copied()
            .unwrap_or_default();
        let month = MONTHS
            .get((c.month as usize).wrapping_sub(1))
            .copied()
            .unwrap_or_default();
        Ok(format!(
            "{weekday}, {:02} {month} {:04} {:02}:{:02}:{:02} GMT",
            c.day, c.year, c.hour, c.minute, c.second
        ))
    }

    /// Parse an IMF-fixdate formatted date (with up to 3 fraction digits) into a DateTime.
    ///
    /// Like `aws-smithy-types`, only the fixed positions of the format are inspected: the
    /// weekday name is not validated and, when the seconds are followed by a space, anything
    /// between them and the final ` GMT` is ignored.
    pub(super) fn parse(s: &str) -> Result<DateTime, DateTimeParseError> {
        if !s.is_ascii() {
            return Err(invalid("date-time must be ASCII"));
        }
        parse_imf_fixdate(s.trim())
    }

    pub(super) fn read(s: &str) -> Result<(DateTime, &str), DateTimeParseError> {
        if !s.is_ascii() {
            return Err(invalid("date-time must be ASCII"));
        }
        match s.find(" GMT") {
            Some(idx) => {
                let (first_date, rest) = s.split_at(idx + " GMT".len());
                Ok((parse(first_date)?, rest))
            }
            None => Err(invalid("date-time is not GMT")),
        }
    }

    /// Parses the ASCII substring `s[range]` like `str::parse::<T>` does.
    fn field<T: FromStr>(s: &str, range: std::ops::Range<usize>) -> Result<T, DateTimeParseError> {
        s.get(range)
            .ok_or_else(|| invalid("incorrectly shaped string"))?
            .parse()
            .map_err(|_| int_parse_error())
    }

    fn parse_imf_fixdate(s: &str) -> Result<DateTime, DateTimeParseError> {
        // Example: `Sun, 06 Nov 1994 08:49:37 GMT`
        let b = s.as_bytes();
        let shape_error = || invalid("incorrectly shaped string");
        if !(29..=33).contains(&b.len())
            || !b.ends_with(b" GMT")
            || b.get(16) != Some(&b' ')
            || b.get(19) != Some(&b':')
            || b.get(22) != Some(&b':')
        {
            return Err(shape_error());
        }
        let end = b.len() - 4;
        let nanos: u32 = match b.get(25) {
            Some(b'.') => {
                let digits = end.saturating_sub(26);
                let multiplier = match digits {
                    1 => 100_000_000,
                    2 => 10_000_000,
                    3 => 1_000_000,
                    _ => {
                        // Zero digits fail to parse; more than three are not supported.
                        let _: u32 = field(s, 26..end)?;
                        return Err(invalid(
                            "Smithy http-date only supports millisecond precision",
                        ));
                    }
                };
                // At most 3 characters, so at most 999 * 1e8 < u32::MAX is impossible to
                // exceed: the value has at most `digits` digits.
                let fraction: u32 = field(s, 26..end)?;
                fraction.saturating_mul(multiplier)
            }
            Some(b' ') => 0,
            _ => return Err(shape_error()),
        };

        let hours: u8 = field(s, 17..19)?;
        let minutes: u8 = field(s, 20..22)?;
        let seconds: u8 = field(s, 23..25)?;
        if hours > 23 || minutes > 59 || seconds > 59 {
            return Err(invalid("time components are out of range"));
        }

        let month = match b.get(7..12) {
            Some(b" Jan ") => 1,
            Some(b" Feb ") => 2,
            Some(b" Mar ") => 3,
            Some(b" Apr ") => 4,
            Some(b" May ") => 5,
            Some(b" Jun ") => 6,
            Some(b" Jul ") => 7,
            Some(b" Aug ") => 8,
            Some(b" Sep ") => 9,
            Some(b" Oct ") => 10,
            Some(b" Nov ") => 11,
            Some(b" Dec ") => 12,
            _ => {
                return Err(invalid(format!(
                    "invalid month: {}",
                    s.get(7..12).unwrap_or_default()
                )));
            }
        };
        let year: i32 = field(s, 12..16)?;
        let day: u8 = field(s, 5..7)?;
        let year = i64::from(year);
        let day = u32::from(day);
        if day == 0 || day > civil::days_in_month(year, month) {
            return Err(invalid("date components are out of range"));
        }
        let days = civil::days_from_civil(year, month, day);
        let seconds = days * super::SECONDS_PER_DAY
            + i64::from(hours) * 3600
            + i64::from(minutes) * 60
            + i64::from(seconds);
        Ok(DateTime {
            seconds,
            subsecond_nanos: nanos,
        })
    }
}

mod rfc3339 {
    use super::civil::{self, Civil};
    use super::{
        DateTime, DateTimeFormatError, DateTimeParseError, MAX_FORMATTABLE_SECS,
        MIN_FORMATTABLE_SECS, invalid,
    };
    use std::fmt::Write;

    /// Parses `1985-04-12T23:20:50.52Z`-style strings. When `allow_offsets` is false the
    /// string must end in `Z`; otherwise `z`/`Z` or a `+hh:mm`/`-hh:mm` offset is accepted.
    pub(super) fn parse(s: &str, allow_offsets: bool) -> Result<DateTime, DateTimeParseError> {
        if !allow_offsets && !s.ends_with('Z') {
            return Err(invalid(
                "Smithy does not support timezone offsets in RFC-3339 date times",
            ));
        }
        if s.len() > 10 && !matches!(s.as_bytes().get(10), Some(b'T' | b't')) {
            return Err(invalid(
                "RFC-3339 only allows `T` as a separator for date-time values",
            ));
        }
        parse_rfc3339(s.as_bytes()).ok_or_else(|| invalid("invalid RFC-3339 date-time"))
    }

    /// Read 1 RFC-3339 date (up to and including the first `Z`) and return the remaining str
    pub(super) fn read(
        s: &str,
        allow_offsets: bool,
    ) -> Result<(DateTime, &str), DateTimeParseError> {
        let delim = s.find('Z').map_or(s.len(), |idx| idx + 1);
        let (head, rest) = s.split_at(delim);
        Ok((parse(head, allow_offsets)?, rest))
    }

    /// Small cursor over ASCII bytes.
    struct Cursor<'a>(&'a [u8]);

    impl Cursor<'_> {
        fn digits(&mut self, n: usize) -> Option<u32> {
            if self.0.len() < n {
                return None;
            }
            let (head, tail) = self.0.split_at(n);
            let mut value = 0u32;
            for &c in head {
                if !c.is_ascii_digit() {
                    return None;
                }
                value = value * 10 + u32::from(c - b'0');
            }
            self.0 = tail;
            Some(value)
        }

        fn literal(&mut self, c: u8) -> Option<()> {
            match self.0.split_first() {
                Some((&first, rest)) if first == c => {
                    self.0 = rest;
                    Some(())
                }
                _ => None,
            }
        }

        fn any(&mut self) -> Option<u8> {
            let (&first, rest) = self.0.split_first()?;
            self.0 = rest;
            Some(first)
        }

        fn peek(&self) -> Option<u8> {
            self.0.first().copied()
        }
    }

    fn parse_rfc3339(s: &[u8]) -> Option<DateTime> {
        let mut c = Cursor(s);
        let year = i64::from(c.digits(4)?);
        c.literal(b'-')?;
        let month = c.digits(2)?;
        c.literal(b'-')?;
        let day = c.digits(2)?;
        c.any()?; // separator (already checked to be `T`/`t`)
        let hour = c.digits(2)?;
        c.literal(b':')?;
        let minute = c.digits(2)?;
        c.literal(b':')?;
        let mut second = c.digits(2)?;
        let mut nanos = 0u32;
        if c.literal(b'.').is_some() {
            // At least one digit; any number of further digits, beyond the 9th ignored.
            let first = c.digits(1)?;
            nanos = first * 100_000_000;
            let mut multiplier = 10_000_000;
            while let Some(d) = c.digits(1) {
                nanos += d * multiplier;
                multiplier /= 10;
            }
        }
        let offset_seconds: i64 = match c.any()? {
            b'Z' | b'z' => 0,
            sign @ (b'+' | b'-') => {
                let offset_hour = c.digits(2)?;
                c.literal(b':')?;
                let offset_minute = c.digits(2)?;
                if offset_hour > 23 || offset_minute > 59 {
                    return None;
                }
                let magnitude = i64::from(offset_hour * 3600 + offset_minute * 60);
                if sign == b'-' { -magnitude } else { magnitude }
            }
            _ => return None,
        };
        if c.peek().is_some() {
            return None;
        }

        // Leap seconds are accepted as the last nanosecond before them, but only when that is
        // the last second of a month in UTC.
        let leap_second = second == 60;
        if leap_second {
            second = 59;
            nanos = 999_999_999;
        }
        if !(1..=12).contains(&month)
            || day == 0
            || day > civil::days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let seconds = civil::days_from_civil(year, month, day) * super::SECONDS_PER_DAY
            + i64::from(hour * 3600 + minute * 60 + second)
            - offset_seconds;
        if leap_second {
            let utc = Civil::from_epoch_seconds(seconds);
            let valid = (-9999..=9999).contains(&utc.year)
                && utc.hour == 23
                && utc.minute == 59
                && utc.second == 59
                && utc.day == civil::days_in_month(utc.year, utc.month);
            if !valid {
                return None;
            }
        }
        Some(DateTime {
            seconds,
            subsecond_nanos: nanos,
        })
    }

    /// Format a [DateTime] in the RFC-3339 date format (microsecond precision, truncated).
    pub(super) fn format(date_time: &DateTime) -> Result<String, DateTimeFormatError> {
        if !(MIN_FORMATTABLE_SECS..=MAX_FORMATTABLE_SECS).contains(&date_time.seconds) {
            return Err(DateTimeFormatError {
                message: "RFC-3339 timestamps support dates between 0001-01-01T00:00:00.000Z \
                          and 9999-12-31T23:59:59.999Z."
                    .into(),
            });
        }
        let c = Civil::from_epoch_seconds(date_time.seconds);
        let mut out = String::with_capacity(33);
        // Writing into a `String` cannot fail.
        let _ = write!(
            out,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        );
        let micros = date_time.subsecond_nanos / 1000;
        if micros > 0 {
            let fraction = format!("{micros:06}");
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('Z');
        Ok(out)
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn formats() {
        let dt = DateTime::from_fractional_secs(1576540098, 0.52);
        assert_eq!(dt.fmt(Format::DateTime).unwrap(), "2019-12-16T23:48:18.52Z");
        assert_eq!(dt.fmt(Format::EpochSeconds).unwrap(), "1576540098.52");
        assert_eq!(
            dt.fmt(Format::HttpDate).unwrap(),
            "Mon, 16 Dec 2019 23:48:18 GMT"
        );
        let early = DateTime::from_str("Mon, 16 Dec -019 23:48:18 GMT", Format::HttpDate).unwrap();
        assert_eq!(format!("{early}"), "-62736509502");
    }

    #[test]
    fn calendar_round_trip() {
        for days in -800_000..800_000 {
            let (y, m, d) = civil::civil_from_days(days);
            assert_eq!(civil::days_from_civil(y, m, d), days);
            assert!(d >= 1 && d <= civil::days_in_month(y, m));
        }
    }

    #[test]
    fn oversized_nanos_carry() {
        assert_eq!(
            DateTime::from_secs_and_nanos(i64::MAX, 1_000_000_000),
            DateTime::from_secs_and_nanos(i64::MAX, 999_999_999)
        );
        let mut dt = DateTime::from_secs(-1);
        dt.set_subsec_nanos(u32::MAX);
        assert_eq!((dt.secs(), dt.subsec_nanos()), (3, 294_967_295));
        assert_eq!(
            DateTime::from_fractional_secs(0, 1e300),
            DateTime::from_secs_and_nanos(4, 294_967_295)
        );
    }
}
