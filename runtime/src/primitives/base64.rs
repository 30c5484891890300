//! Standard-alphabet, padded base64 (replacement for `aws_smithy_types::base64`).
//!
//! Decoding is strict, exactly like `base64_simd::STANDARD`: the input length must be a
//! multiple of four, at most two trailing `=` are allowed, every other character must be in
//! the standard alphabet (no whitespace, no URL-safe characters) and the unused trailing bits
//! of the last symbol must be zero. The empty string decodes to an empty vector.

use std::error::Error;
use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Failure to decode a base64 value.
#[derive(Debug)]
pub struct DecodeError(());

impl Error for DecodeError {}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to decode base64")
    }
}

fn symbol(index: u32) -> char {
    // `index & 63` is always a valid index into the 64-entry alphabet.
    char::from(ALPHABET[(index & 63) as usize])
}

fn value(c: u8) -> Result<u32, DecodeError> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return Err(DecodeError(())),
    };
    Ok(u32::from(v))
}

/// Decode `input` from base64 using the standard base64 alphabet
///
/// If input is not a valid base64 encoded string, this function will return `DecodeError`.
pub fn decode(input: impl AsRef<str>) -> Result<Vec<u8>, DecodeError> {
    let bytes = input.as_ref().as_bytes();
    if !bytes.len().is_multiple_of(4) {
        return Err(DecodeError(()));
    }
    let data = bytes
        .strip_suffix(b"==")
        .or_else(|| bytes.strip_suffix(b"="))
        .unwrap_or(bytes);
    let mut out = Vec::with_capacity(data.len() / 4 * 3 + 2);
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let mut acc = 0u32;
        for &c in chunk {
            acc = (acc << 6) | value(c)?;
        }
        out.extend_from_slice(&acc.to_be_bytes()[1..]);
    }
    match *chunks.remainder() {
        [] => {}
        [a, b] => {
            let (a, b) = (value(a)?, value(b)?);
            if b & 0x0f != 0 {
                return Err(DecodeError(()));
            }
            out.push(((a << 2) | (b >> 4)) as u8);
        }
        [a, b, c] => {
            let (a, b, c) = (value(a)?, value(b)?, value(c)?);
            if c & 0x03 != 0 {
                return Err(DecodeError(()));
            }
            out.push(((a << 2) | (b >> 4)) as u8);
            out.push((((b & 0x0f) << 4) | (c >> 2)) as u8);
        }
        // A remainder of one symbol cannot occur (length is a multiple of 4 and at most two
        // padding characters were removed), but reject it rather than assume.
        _ => return Err(DecodeError(())),
    }
    Ok(out)
}

/// Encode `input` into base64 using the standard base64 alphabet
pub fn encode(input: impl AsRef<[u8]>) -> String {
    let input = input.as_ref();
    let mut out = String::with_capacity(encoded_length(input.len()));
    let mut chunks = input.chunks_exact(3);
    for chunk in &mut chunks {
        let n = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
        for shift in [18, 12, 6, 0] {
            out.push(symbol(n >> shift));
        }
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.push(symbol(n >> 18));
            out.push(symbol(n >> 12));
            out.push_str("==");
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.push(symbol(n >> 18));
            out.push(symbol(n >> 12));
            out.push(symbol(n >> 6));
            out.push('=');
        }
        _ => {}
    }
    out
}

/// Returns the base64 representation's length for the given `length` of data
///
/// Unlike `aws-smithy-types` (which panics when `length > usize::MAX / 2`), this never panics:
/// larger lengths get their exact encoded length, or `usize::MAX` if that does not fit.
pub fn encoded_length(length: usize) -> usize {
    let groups = length / 3 + usize::from(!length.is_multiple_of(3));
    groups.saturating_mul(4)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn round_trip_and_strictness() {
        for (raw, enc) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"\xff\xfe", "//4="),
        ] {
            assert_eq!(encode(raw), enc);
            assert_eq!(decode(enc).unwrap(), raw);
            assert_eq!(encoded_length(raw.len()), enc.len());
        }
        for bad in [
            "Zg", "Zg=", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", "-_==", "====", "Z===", "Zg==Zg==",
        ] {
            assert!(decode(bad).is_err(), "{bad}");
        }
        assert_eq!(encoded_length(usize::MAX), usize::MAX);
    }
}
