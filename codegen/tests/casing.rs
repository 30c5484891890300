//! The generator's casing against the official SDK generator's own expectations.
//!
//! `data/smithy-rs-snake-case.txt` is smithy-rs's table of 62,988 names from AWS models with
//! the `snake_case` form its `toSnakeCase` must give them (provenance in `data/README.md`).
//! The PascalCase cases are those of Smithy's `CaseUtilsTest` composed as smithy-rs's
//! `toPascalCase` composes them.

use codegen::naming::{camel, snake, unraw};

#[test]
fn snake_case_matches_smithy_rs_table() {
    let table = include_str!("data/smithy-rs-snake-case.txt");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in table.lines().filter(|l| !l.trim().is_empty()) {
        let (input, expected) = line
            .split_once(',')
            .unwrap_or_else(|| panic!("malformed line {line:?}"));
        let ours = snake(input);
        if unraw(&ours) != expected {
            wrong.push(format!("{input}: ours {ours}, official {expected}"));
        }
        checked += 1;
    }
    assert_eq!(checked, 62_988, "the table is complete");
    assert!(
        wrong.is_empty(),
        "{} of {checked} names differ, first ones:\n{}",
        wrong.len(),
        wrong
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn snake_case_cases_of_smithy_rs_strings_test() {
    // smithy-rs `StringsTest.kt`: `TestCasesProvider`, `correctlyConvertToSnakeCase`,
    // `handleDashes`.
    let cases = [
        ("ACLs", "acls"),
        ("ACLsUpdateStatus", "acls_update_status"),
        ("AllowedAllVPCs", "allowed_all_vpcs"),
        ("BluePrimaryX", "blue_primary_x"),
        ("CIDRs", "cidrs"),
        ("AuthTtL", "auth_ttl"),
        ("CNAMEPrefix", "cname_prefix"),
        ("S3Location", "s3_location"),
        ("signatureS", "signature_s"),
        ("signatureR", "signature_r"),
        ("M3u8Settings", "m3u8_settings"),
        ("IAMUser", "iam_user"),
        ("OtaaV1_0_x", "otaa_v1_0_x"),
        ("DynamoDBv2Action", "dynamo_dbv2_action"),
        ("SessionKeyEmv2000", "session_key_emv2000"),
        ("SupportsClassB", "supports_class_b"),
        (
            "UnassignIpv6AddressesRequest",
            "unassign_ipv6_addresses_request",
        ),
        ("TotalGpuMemoryInMiB", "total_gpu_memory_in_mib"),
        ("WriteIOs", "write_ios"),
        ("dynamoDBv2", "dynamo_dbv2"),
        ("ipv4Address", "ipv4_address"),
        ("sigv4", "sigv4"),
        ("s3key", "s3_key"),
        ("sha256sum", "sha256_sum"),
        ("Av1QvbrSettings", "av1_qvbr_settings"),
        ("Av1Settings", "av1_settings"),
        ("AwsElbv2LoadBalancer", "aws_elbv2_load_balancer"),
        ("SigV4Authorization", "sigv4_authorization"),
        ("IpV6Address", "ipv6_address"),
        ("IpV6Cidr", "ipv6_cidr"),
        ("IpV4Addresses", "ipv4_addresses"),
        ("NotificationARNs", "notification_arns"),
        ("application/x-amzn-json-1.1", "application_x_amzn_json_1_1"),
    ];
    for (input, expected) in cases {
        assert_eq!(snake(input), expected, "snake({input:?})");
    }
}

#[test]
fn pascal_case_as_smithy_case_utils() {
    // Smithy `CaseUtilsTest`: its `toSnakeCase` and `snakeToPascalCase` expectations, composed
    // as smithy-rs's `toPascalCase` composes them. The official crates' own type names are
    // checked by `official_names.rs`.
    let cases = [
        ("foo_bar", "FooBar"),
        ("Foo_bar", "FooBar"),
        ("__foo_bar", "FooBar"),
        ("FooBar", "FooBar"),
        ("FooAPI", "FooApi"),
        ("Ec2Foo", "Ec2Foo"),
        ("10-foo", "N10Foo"),
    ];
    for (input, expected) in cases {
        assert_eq!(camel(input), expected, "camel({input:?})");
    }
}
