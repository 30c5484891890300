//! Request checksums against the official SDK's checksum crate (`aws-smithy-checksums`) and
//! the hand-written SHA-1 against the `sha1` crate: the same header value for every algorithm
//! and body, and the same answer to every algorithm name.

use aws_lite_runtime::checksum::ChecksumAlgorithm;
use proptest::prelude::*;

const NAMES: [&str; 5] = ["crc32", "crc32c", "crc64nvme", "sha1", "sha256"];

fn theirs(name: &str, body: &[u8]) -> String {
    let algorithm: aws_smithy_checksums::ChecksumAlgorithm = name.parse().expect("known");
    let mut checksum = algorithm.into_impl();
    checksum.update(body);
    checksum.header_value().to_str().expect("ASCII").to_owned()
}

fn ours(name: &str, body: &[u8]) -> String {
    let algorithm: ChecksumAlgorithm = name.parse().expect("known");
    algorithm.header_value(body)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn header_values_match_the_official_crate(body in prop::collection::vec(any::<u8>(), 0..3000)) {
        for name in NAMES {
            prop_assert_eq!(ours(name, &body), theirs(name, &body), "{}", name);
        }
    }

    #[test]
    fn sha1_matches_the_sha1_crate(body in prop::collection::vec(any::<u8>(), 0..600)) {
        use sha1::Digest;
        let expected = sha1::Sha1::digest(&body);
        let algorithm: ChecksumAlgorithm = "SHA1".parse().unwrap();
        prop_assert_eq!(algorithm.digest(&body), expected.to_vec());
    }
}

#[test]
fn every_block_boundary_matches() {
    // Lengths around the 64-byte block and the 56-byte padding limit.
    for len in 0..=260 {
        let body: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
        for name in NAMES {
            assert_eq!(ours(name, &body), theirs(name, &body), "{name} {len}");
        }
    }
}

#[test]
fn names_are_read_as_the_official_crate_reads_them() {
    for name in [
        "CRC32",
        "crc32c",
        "Crc64Nvme",
        "SHA1",
        "sha256",
        "MD5",
        "md5",
    ] {
        let ours: ChecksumAlgorithm = name.parse().expect("known");
        let theirs: aws_smithy_checksums::ChecksumAlgorithm = name.parse().expect("known");
        assert_eq!(
            ours.header_name(),
            format!("x-amz-checksum-{}", theirs.as_str()),
            "{name}"
        );
    }
    for name in ["sha512", "XXHASH64", "", "crc"] {
        assert!(name.parse::<ChecksumAlgorithm>().is_err(), "{name}");
        assert!(
            name.parse::<aws_smithy_checksums::ChecksumAlgorithm>()
                .is_err(),
            "{name}"
        );
    }
}
