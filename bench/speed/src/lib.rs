//! Fixtures and in-process clients for the speed benches (`benches/speed.rs`).
//!
//! Both sides are driven through their public API only: `Client::send()` against an HTTP
//! client that answers at once, in process, with canned bytes. Ours gets an
//! `aws_lite_runtime::http::HttpClient` implementation, the official crate smithy's
//! `infallible_client_fn`. Each call hands the runtime its own copy of the same body bytes on
//! both sides (our `HttpResponse` gets a `Body` made from a `Vec<u8>` clone; the official side
//! an `SdkBody` made from a `Vec<u8>` clone), so the copy costs the same.

use std::sync::Arc;

/// Number of virtual interfaces in the DescribeVirtualInterfaces response.
pub const INTERFACES: usize = 1000;

/// Endpoint given to both clients (never contacted: the HTTP clients answer in process).
pub const ENDPOINT: &str = "http://127.0.0.1:1";

/// A DescribeVirtualInterfaces response body (awsJson 1.1) with `n` interfaces, each with every
/// member set, two BGP peers, one route filter prefix and two tags.
pub fn describe_virtual_interfaces_json(n: usize) -> Vec<u8> {
    let interfaces: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "ownerAccount": "123456789012",
                "virtualInterfaceId": format!("dxvif-{i:08x}"),
                "location": "EqDC2",
                "connectionId": format!("dxcon-{:08x}", i / 4),
                "virtualInterfaceType": if i % 2 == 0 { "private" } else { "transit" },
                "virtualInterfaceName": format!("interface number {i}"),
                "vlan": 100 + (i % 3000) as i64,
                "asn": 65000 + (i % 500) as i64,
                "asnLong": 4_200_000_000_i64 + i as i64,
                "amazonSideAsn": 64512,
                "authKey": "0xabcdef0123456789",
                "amazonAddress": format!("169.254.{}.{}/30", i % 256, 1),
                "customerAddress": format!("169.254.{}.{}/30", i % 256, 2),
                "addressFamily": "ipv4",
                "virtualInterfaceState": if i % 7 == 0 { "pending" } else { "available" },
                "customerRouterConfig": "<?xml version=\"1.0\"?>\n<logical_connection id=\"dxvif\">\n  <vlan>101</vlan>\n</logical_connection>\n",
                "mtu": if i % 2 == 0 { 1500 } else { 9001 },
                "jumboFrameCapable": i % 2 == 1,
                "virtualGatewayId": format!("vgw-{i:08x}"),
                "directConnectGatewayId": "5f294f92-bafb-4011-916d-9b0bec5e7b8c",
                "routeFilterPrefixes": [{ "cidr": format!("10.{}.0.0/16", i % 256) }],
                "bgpPeers": [
                    {
                        "bgpPeerId": format!("dxpeer-{i:08x}a"),
                        "asn": 65000,
                        "asnLong": 65000,
                        "authKey": "0xabcdef0123456789",
                        "addressFamily": "ipv4",
                        "amazonAddress": "169.254.255.1/30",
                        "customerAddress": "169.254.255.2/30",
                        "bgpPeerState": "available",
                        "bgpStatus": "up",
                        "awsDeviceV2": "EqDC2-123h49s71dabc",
                        "awsLogicalDeviceId": "EqDC2-1-abcdef"
                    },
                    {
                        "bgpPeerId": format!("dxpeer-{i:08x}b"),
                        "asn": 65001,
                        "addressFamily": "ipv6",
                        "amazonAddress": "2001:db8::1/125",
                        "customerAddress": "2001:db8::2/125",
                        "bgpPeerState": "pending",
                        "bgpStatus": "down",
                        "awsDeviceV2": "EqDC2-123h49s71dabc",
                        "awsLogicalDeviceId": "EqDC2-1-abcdef"
                    }
                ],
                "region": "us-east-1",
                "awsDeviceV2": "EqDC2-123h49s71dabc",
                "awsLogicalDeviceId": "EqDC2-1-abcdef",
                "tags": [
                    { "key": "team", "value": "network" },
                    { "key": "index", "value": i.to_string() }
                ],
                "siteLinkEnabled": i % 3 == 0
            })
        })
        .collect();
    serde_json::to_vec(&serde_json::json!({ "virtualInterfaces": interfaces }))
        .expect("serialisable")
}

/// The same document in CBOR (RPC v2 CBOR body): no timestamps or blobs in this shape, so a
/// generic JSON value converts one to one.
pub fn to_cbor(json: &[u8]) -> Vec<u8> {
    let value: serde_json::Value = serde_json::from_slice(json).expect("valid JSON");
    let mut out = Vec::new();
    ciborium::into_writer(&value, &mut out).expect("serialisable");
    out
}

/// A CreateConnection response body (awsJson 1.1): the new connection.
pub fn create_connection_json() -> Vec<u8> {
    br#"{"ownerAccount":"123456789012","connectionId":"dxcon-fg5678gh","connectionName":"bench connection","connectionState":"requested","region":"us-east-1","location":"EqDC2","bandwidth":"1Gbps","tags":[{"key":"team","value":"network"}],"providerName":"bench","jumboFrameCapable":false}"#.to_vec()
}

/// Number of keys in the ListObjectsV2 response (one full page).
pub const KEYS: usize = 1000;

/// The `n`-th key of the ListObjectsV2 response.
pub fn list_key(i: usize) -> String {
    format!(
        "photos/2026/{:02}/{:02}/image-{i:06}.jpg",
        1 + i % 12,
        1 + i % 28
    )
}

/// A ListObjectsV2 response body (rest-xml) with `n` objects, as S3 writes a full page: every
/// object with key, last-modified time, ETag (XML-escaped quotes, as S3 sends them), checksum
/// algorithm and type, size and storage class; truncated, with a continuation token.
pub fn list_objects_v2_xml(n: usize) -> Vec<u8> {
    use std::fmt::Write as _;
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bench-bucket</Name><Prefix>photos/</Prefix>",
    );
    let _ = write!(
        s,
        "<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken><KeyCount>{n}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
    );
    for i in 0..n {
        let _ = write!(
            s,
            "<Contents><Key>{}</Key><LastModified>2026-{:02}-{:02}T{:02}:{:02}:{:02}.000Z</LastModified><ETag>&quot;{:032x}&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>{}</Size><StorageClass>{}</StorageClass></Contents>",
            list_key(i),
            1 + i % 12,
            1 + i % 28,
            i % 24,
            i % 60,
            (i * 7) % 60,
            (i as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834),
            1024 + i * 37,
            if i % 5 == 0 {
                "STANDARD_IA"
            } else {
                "STANDARD"
            },
        );
    }
    s.push_str("</ListBucketResult>");
    s.into_bytes()
}

/// Wire format of a canned response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    /// awsJson 1.1.
    Json,
    /// Smithy RPC v2 CBOR (ours only: the official crate speaks awsJson 1.1 only).
    Cbor,
}

/// Our generated crate, answered in process.
pub mod ours {
    use super::*;
    use aws_lite_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};
    use lite::config::{BehaviorVersion, Credentials, Protocol, Region};

    /// Answers every request with the same status, headers and body.
    #[derive(Debug)]
    struct Canned {
        headers: Vec<(String, String)>,
        body: Arc<Vec<u8>>,
    }

    impl HttpClient for Canned {
        fn call(&self, _request: HttpRequest) -> HttpFuture<'_> {
            let response = HttpResponse {
                status: 200,
                headers: self.headers.clone(),
                body: self.body.as_ref().clone().into(),
            };
            Box::pin(async move { Ok(response) })
        }
    }

    /// A client whose every call gets `body` (in `wire` format) back.
    pub fn client(body: Vec<u8>, wire: Wire) -> lite::Client {
        let (protocol, headers) = match wire {
            Wire::Json => (
                Protocol::AwsJson1_1,
                vec![(
                    "content-type".to_owned(),
                    "application/x-amz-json-1.1".to_owned(),
                )],
            ),
            Wire::Cbor => (
                Protocol::RpcV2Cbor,
                vec![
                    ("content-type".to_owned(), "application/cbor".to_owned()),
                    ("smithy-protocol".to_owned(), "rpc-v2-cbor".to_owned()),
                ],
            ),
        };
        let config = lite::Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(ENDPOINT)
            .protocol(protocol)
            .http_client(Canned {
                headers,
                body: Arc::new(body),
            })
            .build();
        lite::Client::from_conf(config)
    }
}

/// Our generated S3 crate, answered in process (rest-xml, path-style addressing).
pub mod ours_s3 {
    use super::*;
    use aws_lite_runtime::http::{HttpClient, HttpFuture, HttpRequest, HttpResponse};
    use lite_s3::config::{BehaviorVersion, Credentials, Region};

    /// Answers every request with status 200 and the same XML body.
    #[derive(Debug)]
    struct Canned {
        body: Arc<Vec<u8>>,
    }

    impl HttpClient for Canned {
        fn call(&self, _request: HttpRequest) -> HttpFuture<'_> {
            let response = HttpResponse {
                status: 200,
                headers: vec![
                    ("content-type".to_owned(), "application/xml".to_owned()),
                    ("x-amz-request-id".to_owned(), "BENCH0123456789".to_owned()),
                ],
                body: self.body.as_ref().clone().into(),
            };
            Box::pin(async move { Ok(response) })
        }
    }

    /// A client whose every call gets `body` back.
    pub fn client(body: Vec<u8>) -> lite_s3::Client {
        let config = lite_s3::Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(ENDPOINT)
            .force_path_style(true)
            .http_client(Canned {
                body: Arc::new(body),
            })
            .build();
        lite_s3::Client::from_conf(config)
    }
}

/// The official S3 crate, answered in process through smithy's `infallible_client_fn`.
pub mod official_s3_side {
    use super::*;
    use aws_smithy_http_client::test_util::infallible_client_fn;
    use official_s3::config::{BehaviorVersion, Credentials, Region};

    /// A client whose every call gets `body` back.
    pub fn client(body: Vec<u8>) -> official_s3::Client {
        let body = Arc::new(body);
        let http_client = infallible_client_fn(move |_request| {
            http::Response::builder()
                .status(200)
                .header("content-type", "application/xml")
                .header("x-amz-request-id", "BENCH0123456789")
                .body(body.as_ref().clone())
                .expect("valid response")
        });
        let config = official_s3::Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(ENDPOINT)
            .force_path_style(true)
            .http_client(http_client)
            .build();
        official_s3::Client::from_conf(config)
    }
}

/// The official crate, answered in process through smithy's `infallible_client_fn`.
pub mod official_side {
    use super::*;
    use aws_smithy_http_client::test_util::infallible_client_fn;
    use official::config::{BehaviorVersion, Credentials, Region};

    /// A client whose every call gets `body` (awsJson 1.1) back.
    pub fn client(body: Vec<u8>) -> official::Client {
        let body = Arc::new(body);
        let http_client = infallible_client_fn(move |_request| {
            http::Response::builder()
                .status(200)
                .header("content-type", "application/x-amz-json-1.1")
                .body(body.as_ref().clone())
                .expect("valid response")
        });
        let config = official::Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "bench"))
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url(ENDPOINT)
            .http_client(http_client)
            .build();
        official::Client::from_conf(config)
    }
}

/// The benchmarked calls, written once and expanded for each crate: the two crates share the
/// API, so the same tokens compile against both.
macro_rules! calls {
    ($name:ident, $krate:ident) => {
        /// Calls on one crate (same source for both).
        pub mod $name {
            /// DescribeVirtualInterfaces; returns the number of interfaces and the last id.
            pub async fn describe_virtual_interfaces(client: &$krate::Client) -> (usize, String) {
                let out = client
                    .describe_virtual_interfaces()
                    .send()
                    .await
                    .expect("DescribeVirtualInterfaces succeeds");
                let interfaces = out.virtual_interfaces();
                let last = interfaces
                    .last()
                    .and_then(|v| v.virtual_interface_id())
                    .unwrap_or_default()
                    .to_owned();
                (interfaces.len(), last)
            }

            /// CreateConnection with every input member set; returns the new connection's id.
            pub async fn create_connection(client: &$krate::Client) -> String {
                let out = client
                    .create_connection()
                    .location("EqDC2")
                    .bandwidth("1Gbps")
                    .connection_name("bench connection")
                    .lag_id("dxlag-fgsu9erb")
                    .tags(
                        $krate::types::Tag::builder()
                            .key("team")
                            .value("network")
                            .build()
                            .expect("key is set"),
                    )
                    .tags(
                        $krate::types::Tag::builder()
                            .key("cost-centre")
                            .value("1234")
                            .build()
                            .expect("key is set"),
                    )
                    .provider_name("bench")
                    .request_mac_sec(false)
                    .send()
                    .await
                    .expect("CreateConnection succeeds");
                out.connection_id().unwrap_or_default().to_owned()
            }
        }
    };
}

calls!(ours_calls, lite);
calls!(official_calls, official);

/// The S3 calls, written once for both crates (as `calls!`).
macro_rules! s3_calls {
    ($name:ident, $krate:ident) => {
        /// S3 calls on one crate (same source for both).
        pub mod $name {
            /// ListObjectsV2 of one page; returns the number of objects, the last key, the sum
            /// of the sizes, the last object's modification time (epoch seconds), its ETag and
            /// the continuation token: every kind of value the response carries is read.
            pub async fn list_objects_v2(
                client: &$krate::Client,
            ) -> (usize, String, i64, i64, String, String) {
                let out = client
                    .list_objects_v2()
                    .bucket("bench-bucket")
                    .prefix("photos/")
                    .send()
                    .await
                    .expect("ListObjectsV2 succeeds");
                let contents = out.contents();
                let last = contents.last();
                (
                    contents.len(),
                    last.and_then(|o| o.key()).unwrap_or_default().to_owned(),
                    contents.iter().filter_map(|o| o.size()).sum(),
                    last.and_then(|o| o.last_modified())
                        .map(|t| t.secs())
                        .unwrap_or_default(),
                    last.and_then(|o| o.e_tag()).unwrap_or_default().to_owned(),
                    out.next_continuation_token().unwrap_or_default().to_owned(),
                )
            }
        }
    };
}

s3_calls!(ours_s3_calls, lite_s3);
s3_calls!(official_s3_calls, official_s3);

/// A current-thread tokio runtime with timers (the official crate's timeouts need them).
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}
