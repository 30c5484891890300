//! Request checksums, as botocore and the official SDK send them for operations with the
//! `httpChecksum` trait (S3's `PutObject`, `DeleteObjects`, `PutBucketLifecycleConfiguration`,
//! …) or the older `httpChecksumRequired`.
//!
//! The rule (botocore's `resolve_request_checksum_algorithm`, request checksum calculation
//! `when_supported`, the default of both SDKs):
//! - a request that already has an `x-amz-checksum-*` header is left alone;
//! - the algorithm the caller chose (the operation's algorithm member, which the protocol has
//!   put in a header such as `x-amz-sdk-checksum-algorithm`) is used;
//! - otherwise, when the operation requires a checksum or names an algorithm member, CRC32,
//!   and that header is set to `CRC32`;
//! - the checksum of the body goes in `x-amz-checksum-<algorithm>` (base64 of the digest,
//!   big-endian for CRCs).
//!
//! Algorithms: CRC32, CRC32C, CRC64NVME (through the `crc` crate: two small crates), SHA1
//! (written here, as SHA-256 is: the `sha1` crate brings eight crates; checked against it in the
//! tests) and SHA256. `MD5` is answered with CRC32, as the official SDK does; other names
//! (`SHA512`, `XXHASH64`, …) are refused before sending, naming the algorithms supported.
//!
//! A streaming body of known length is sent `aws-chunked` with the checksum in a trailer
//! (module `aws_chunked`, as botocore and the official SDK send it); one of unknown length is sent
//! without a checksum unless the caller set one. Not done here: validation of response
//! checksums.

mod aws_chunked;

use crate::http::Body;
use crate::protocol::ProtocolRequest;
use aws_chunked::AwsChunked;

/// An operation's checksum requirement, from the model's `httpChecksum` trait.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RequestChecksum {
    /// `requestChecksumRequired` (or the older `httpChecksumRequired`): a checksum is always
    /// sent.
    pub required: bool,
    /// The header the operation's `requestAlgorithmMember` is bound to (e.g.
    /// `x-amz-sdk-checksum-algorithm`): the caller's choice of algorithm. With one, a checksum
    /// is sent by default (CRC32) even when not required.
    pub algorithm_header: Option<&'static str>,
}

/// A request checksum algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC-32 (ISO-HDLC), the default.
    Crc32,
    /// CRC-32C (Castagnoli).
    Crc32c,
    /// CRC-64/NVME.
    Crc64Nvme,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
}

/// The checksum algorithm a request asked for is not one this client computes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "checksum algorithm {0:?} is not supported: choose CRC32, CRC32C, CRC64NVME, SHA1 or SHA256 \
     (or set an x-amz-checksum-* header yourself)"
)]
pub struct UnsupportedChecksumAlgorithm(pub String);

impl std::str::FromStr for ChecksumAlgorithm {
    type Err = UnsupportedChecksumAlgorithm;

    /// Case-insensitive; `MD5` gives CRC32, as in the official SDK.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let algorithm = match name.to_ascii_lowercase().as_str() {
            "crc32" | "md5" => ChecksumAlgorithm::Crc32,
            "crc32c" => ChecksumAlgorithm::Crc32c,
            "crc64nvme" => ChecksumAlgorithm::Crc64Nvme,
            "sha1" => ChecksumAlgorithm::Sha1,
            "sha256" => ChecksumAlgorithm::Sha256,
            _ => return Err(UnsupportedChecksumAlgorithm(name.to_owned())),
        };
        Ok(algorithm)
    }
}

impl ChecksumAlgorithm {
    /// The name in `x-amz-checksum-<name>` (lower case).
    pub fn header_name(self) -> &'static str {
        match self {
            ChecksumAlgorithm::Crc32 => "x-amz-checksum-crc32",
            ChecksumAlgorithm::Crc32c => "x-amz-checksum-crc32c",
            ChecksumAlgorithm::Crc64Nvme => "x-amz-checksum-crc64nvme",
            ChecksumAlgorithm::Sha1 => "x-amz-checksum-sha1",
            ChecksumAlgorithm::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The digest of `data` (big-endian for CRCs).
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        let mut hasher = Hasher::new(self);
        hasher.update(data);
        hasher.finish()
    }

    /// The header value: base64 of the digest.
    pub fn header_value(self, data: &[u8]) -> String {
        crate::primitives::base64::encode(self.digest(data))
    }
}

/// A checksum computed piece by piece (for a body sent as it is read).
pub(crate) enum Hasher {
    Crc32(crc::Digest<'static, u32>),
    Crc32c(crc::Digest<'static, u32>),
    Crc64Nvme(crc::Digest<'static, u64>),
    Sha1(Sha1),
    Sha256(crate::sigv4::sha256::Sha256),
}

impl Hasher {
    pub(crate) fn new(algorithm: ChecksumAlgorithm) -> Self {
        match algorithm {
            ChecksumAlgorithm::Crc32 => Hasher::Crc32(CRC32.digest()),
            ChecksumAlgorithm::Crc32c => Hasher::Crc32c(CRC32C.digest()),
            ChecksumAlgorithm::Crc64Nvme => Hasher::Crc64Nvme(CRC64NVME.digest()),
            ChecksumAlgorithm::Sha1 => Hasher::Sha1(Sha1::new()),
            ChecksumAlgorithm::Sha256 => Hasher::Sha256(crate::sigv4::sha256::Sha256::new()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::Crc32(d) | Hasher::Crc32c(d) => d.update(data),
            Hasher::Crc64Nvme(d) => d.update(data),
            Hasher::Sha1(h) => h.update(data),
            Hasher::Sha256(h) => h.update(data),
        }
    }

    /// The digest (big-endian for CRCs).
    pub(crate) fn finish(self) -> Vec<u8> {
        match self {
            Hasher::Crc32(d) | Hasher::Crc32c(d) => d.finalize().to_be_bytes().to_vec(),
            Hasher::Crc64Nvme(d) => d.finalize().to_be_bytes().to_vec(),
            Hasher::Sha1(h) => h.finish().to_vec(),
            Hasher::Sha256(h) => h.finish().to_vec(),
        }
    }
}

static CRC32: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
static CRC32C: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISCSI);
static CRC64NVME: crc::Crc<u64> = crc::Crc::<u64>::new(&crc::CRC_64_NVME);

/// Adds the checksum `requirement` asks for to `request` (see the module docs).
pub(crate) fn apply(
    request: &mut ProtocolRequest,
    requirement: Option<&RequestChecksum>,
) -> Result<(), UnsupportedChecksumAlgorithm> {
    let Some(requirement) = requirement else {
        return Ok(());
    };
    let has = |name: &str| {
        request
            .headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    if request
        .headers
        .iter()
        .any(|(n, _)| n.len() > 15 && n[..15].eq_ignore_ascii_case("x-amz-checksum-"))
    {
        return Ok(());
    }
    let chosen = requirement.algorithm_header.and_then(|header| {
        request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(header))
            .map(|(_, v)| v.clone())
    });
    let algorithm = match &chosen {
        Some(name) => name.parse::<ChecksumAlgorithm>()?,
        None if requirement.required || requirement.algorithm_header.is_some() => {
            ChecksumAlgorithm::Crc32
        }
        None => return Ok(()),
    };
    // A streaming body's checksum goes in an aws-chunked trailer, which needs its length; one
    // of unknown length is sent without a checksum (nor the default algorithm's name).
    let streaming_length = match request.body.bytes() {
        Some(_) => None,
        None => match request.body.content_length() {
            Some(length) => Some(length),
            None => return Ok(()),
        },
    };
    if chosen.is_none()
        && let Some(header) = requirement.algorithm_header
        && !has(header)
    {
        request
            .headers
            .push((header.to_owned(), "CRC32".to_owned()));
    }
    match streaming_length {
        None => {
            let value = algorithm.header_value(request.body.bytes().unwrap_or_default());
            request
                .headers
                .push((algorithm.header_name().to_owned(), value));
        }
        Some(length) => {
            let body = std::mem::take(&mut request.body);
            request.body = body.wrapped(move |body| {
                Body::from_http_body(AwsChunked::new(body, algorithm, length))
            });
            match request
                .headers
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-encoding"))
            {
                Some((_, value)) => value.push_str(",aws-chunked"),
                None => request
                    .headers
                    .push(("content-encoding".to_owned(), "aws-chunked".to_owned())),
            }
            request.headers.push((
                "x-amz-decoded-content-length".to_owned(),
                length.to_string(),
            ));
            request.headers.push((
                "x-amz-trailer".to_owned(),
                algorithm.header_name().to_owned(),
            ));
        }
    }
    Ok(())
}

/// SHA-1 (FIPS 180-4) of `data`.
#[cfg(test)]
fn sha1(data: &[u8]) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(data);
    hasher.finish()
}

/// SHA-1 computed piece by piece.
pub(crate) struct Sha1 {
    state: [u32; 5],
    /// The start of a block not yet hashed (`filled` bytes of it).
    block: [u8; 64],
    filled: usize,
    /// Bytes hashed so far.
    length: u64,
}

impl Sha1 {
    pub(crate) fn new() -> Self {
        Self {
            state: [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0],
            block: [0; 64],
            filled: 0,
            length: 0,
        }
    }

    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        if self.filled > 0 {
            let take = (64 - self.filled).min(data.len());
            self.block[self.filled..self.filled + take].copy_from_slice(&data[..take]);
            self.filled += take;
            data = &data[take..];
            if self.filled < 64 {
                return;
            }
            sha1_block(&mut self.state, &self.block);
            self.filled = 0;
        }
        let mut blocks = data.chunks_exact(64);
        for block in &mut blocks {
            sha1_block(&mut self.state, block);
        }
        let rest = blocks.remainder();
        self.block[..rest.len()].copy_from_slice(rest);
        self.filled = rest.len();
    }

    pub(crate) fn finish(mut self) -> [u8; 20] {
        // The rest, 0x80, zeros to 56 mod 64, and the 64-bit big-endian bit length.
        let mut tail = [0u8; 128];
        tail[..self.filled].copy_from_slice(&self.block[..self.filled]);
        tail[self.filled] = 0x80;
        let tail_len = if self.filled < 56 { 64 } else { 128 };
        let bits = self.length.wrapping_mul(8);
        tail[tail_len - 8..tail_len].copy_from_slice(&bits.to_be_bytes());
        for block in tail[..tail_len].chunks_exact(64) {
            sha1_block(&mut self.state, block);
        }
        let mut out = [0u8; 20];
        for (bytes, word) in out.chunks_exact_mut(4).zip(self.state) {
            bytes.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

/// One 64-byte block of SHA-1.
fn sha1_block(state: &mut [u32; 5], block: &[u8]) {
    let mut w = [0u32; 80];
    for (word, bytes) in w.iter_mut().zip(block.chunks_exact(4)) {
        *word = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
    }
    for t in 16..80 {
        w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
    }
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for (t, w) in w.iter().enumerate() {
        let (f, k) = match t {
            0..=19 => ((b & c) | (!b & d), 0x5A827999),
            20..=39 => (b ^ c ^ d, 0x6ED9EBA1),
            40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1BBCDC),
            _ => (b ^ c ^ d, 0xCA62C1D6),
        };
        let temp = a
            .rotate_left(5)
            .wrapping_add(f)
            .wrapping_add(e)
            .wrapping_add(k)
            .wrapping_add(*w);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = temp;
    }
    for (s, v) in state.iter_mut().zip([a, b, c, d, e]) {
        *s = s.wrapping_add(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Body;

    fn request(headers: &[(&str, &str)], body: &'static [u8]) -> ProtocolRequest {
        ProtocolRequest {
            method: "PUT",
            path_and_query: "/bucket?tagging".to_owned(),
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
            body: Body::from(body),
        }
    }

    const S3: RequestChecksum = RequestChecksum {
        required: true,
        algorithm_header: Some("x-amz-sdk-checksum-algorithm"),
    };

    #[test]
    fn sha1_matches_the_published_vectors() {
        let hex = |d: [u8; 20]| d.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(hex(sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(sha1(&vec![b'a'; 1_000_000])),
            "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
        );
    }

    #[test]
    fn default_is_crc32_with_the_algorithm_header() {
        let mut req = request(&[], b"hello");
        apply(&mut req, Some(&S3)).unwrap();
        assert_eq!(
            req.headers,
            [
                (
                    "x-amz-sdk-checksum-algorithm".to_owned(),
                    "CRC32".to_owned()
                ),
                ("x-amz-checksum-crc32".to_owned(), "NhCmhg==".to_owned()),
            ]
        );
    }

    #[test]
    fn the_chosen_algorithm_is_used_and_unknown_ones_refused() {
        let mut req = request(&[("x-amz-sdk-checksum-algorithm", "sha256")], b"hello");
        apply(&mut req, Some(&S3)).unwrap();
        assert_eq!(
            req.headers[1],
            (
                "x-amz-checksum-sha256".to_owned(),
                "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ=".to_owned()
            )
        );
        let mut req = request(&[("x-amz-sdk-checksum-algorithm", "XXHASH64")], b"hello");
        let err = apply(&mut req, Some(&S3)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("checksum algorithm \"XXHASH64\" is not supported")
        );
    }

    #[test]
    fn a_checksum_set_by_the_caller_or_no_requirement_leaves_the_request_alone() {
        let mut req = request(&[("X-Amz-Checksum-Crc32c", "AAAAAA==")], b"hello");
        apply(&mut req, Some(&S3)).unwrap();
        assert_eq!(req.headers.len(), 1);
        let mut req = request(&[], b"hello");
        apply(&mut req, None).unwrap();
        assert!(req.headers.is_empty());
        let optional = RequestChecksum {
            required: false,
            algorithm_header: None,
        };
        apply(&mut req, Some(&optional)).unwrap();
        assert!(req.headers.is_empty(), "not required, no algorithm member");
        let required = RequestChecksum {
            required: true,
            algorithm_header: None,
        };
        apply(&mut req, Some(&required)).unwrap();
        assert_eq!(
            req.headers,
            [("x-amz-checksum-crc32".to_owned(), "NhCmhg==".to_owned())]
        );
    }

    proptest::proptest! {
        /// Each algorithm fed in pieces gives the one-shot digest of the `crc` and `sha1`
        /// crates (SHA-256 is checked the same way in `sigv4::sha256`).
        #[test]
        fn digests_in_pieces_match_the_libraries(
            data in proptest::collection::vec(proptest::num::u8::ANY, 0..400),
            cuts in proptest::collection::vec(0usize..400, 0..6),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(data.len())).collect();
            cuts.sort_unstable();
            let pieces = |algorithm| {
                let mut hasher = Hasher::new(algorithm);
                let mut at = 0;
                for &cut in &cuts {
                    hasher.update(&data[at..cut]);
                    at = cut;
                }
                hasher.update(&data[at..]);
                hasher.finish()
            };
            use sha1::Digest as _;
            proptest::prop_assert_eq!(pieces(ChecksumAlgorithm::Sha1), sha1::Sha1::digest(&data).to_vec());
            proptest::prop_assert_eq!(
                pieces(ChecksumAlgorithm::Crc32),
                crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC).checksum(&data).to_be_bytes().to_vec()
            );
            proptest::prop_assert_eq!(
                pieces(ChecksumAlgorithm::Crc32c),
                crc::Crc::<u32>::new(&crc::CRC_32_ISCSI).checksum(&data).to_be_bytes().to_vec()
            );
            proptest::prop_assert_eq!(
                pieces(ChecksumAlgorithm::Crc64Nvme),
                crc::Crc::<u64>::new(&crc::CRC_64_NVME).checksum(&data).to_be_bytes().to_vec()
            );
        }
    }
}
