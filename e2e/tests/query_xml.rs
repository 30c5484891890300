//! The query fixture (`codegen/tests/fixtures/query_xml.json`: nested and flattened lists,
//! renamed list members, maps of lists, flattened maps with enum keys, XML attributes,
//! recursive structures, timestamp formats, a union, an exception whose code differs from its
//! name)
//! on the wire, through the capturing HTTP client. The expected request body and the expected
//! values are botocore 1.44.8's own: its `QuerySerializer` and `QueryParser` were run on the
//! same model, parameters and response body (`serialize.create_serializer('query')`,
//! `parsers.create_parser('query')`), and their output is written here.

use aws_lite_fixture_query_xml::Client;
use aws_lite_fixture_query_xml::operation::describe::DescribeError;
use aws_lite_fixture_query_xml::types::{Choice, Color, Node};
use aws_lite_runtime::config::retry::RetryConfig;
use aws_lite_runtime::config::{BehaviorVersion, Config, Credentials, Region};
use aws_lite_runtime::error::RequestId;
use aws_lite_runtime::primitives::{Blob, DateTime};
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};
use std::collections::HashMap;

fn config(http: &CaptureClient) -> Config {
    Config::builder()
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "fixtures"))
        .behavior_version(BehaviorVersion::latest())
        .endpoint_url("http://127.0.0.1:1")
        .http_client(http.clone())
        // `Throttling` is a throttling code: one attempt, the one canned response.
        .retry_config(RetryConfig::disabled())
        .build()
}

/// botocore's body for the request below (`urlencode(serialized['body'], doseq=True)`).
const BOTOCORE_BODY: &str = "Action=Describe&Version=2020-01-01&Names.Name.1=a&Names.Name.2=b+c\
&Item.1=x&Item.2=y&Matrix.member.1.Name.1=m1&Matrix.member.1.Name.2=m2&Matrix.member.2=\
&Groups.entry.1.GroupName=admins&Groups.entry.1.Members.Name.1=ann&Groups.entry.1.Members.Name.2=bob\
&Groups.entry.2.GroupName=ops&Groups.entry.2.Members.Name.1=cy&Since=1422172800\
&Until=Sun%2C+25+Jan+2015+08%3A00%3A00+GMT&Colors.member.1=red&Colors.member.2=green\
&Payload=aGkAdGhlcmU%3D&Node.Value=v1&Node.Next.Value=v2";

const RESPONSE: &str = r#"<DescribeResponse xmlns="https://queryxml.example.com/doc/2020-01-01/">
  <DescribeResult kind="full" size="3">
    <id>id-1</id>
    <Item>i1</Item><Item>i2</Item>
    <Entries><key>red</key><value>1</value></Entries>
    <Entries><key>green</key><value>2</value></Entries>
    <Matrix><member><Name>p</Name><Name>q</Name></member><member/></Matrix>
    <Groups><entry><GroupName>g</GroupName><Members><Name>u1</Name></Members></entry></Groups>
    <Node><Value>n1</Value><Next><Value>n2</Value><Next><Value>n3</Value></Next></Next></Node>
    <Since>1422172800</Since>
    <Created>2015-01-25T08:00:00.250Z</Created>
    <Color>green</Color>
    <Ratio>-1.5e-3</Ratio>
    <Enabled>true</Enabled>
    <Big>9007199254740993</Big>
    <Payload>aGkAdGhlcmU=</Payload>
    <Unknown><deep>ignored</deep></Unknown>
  </DescribeResult>
  <ResponseMetadata><RequestId>req-7</RequestId></ResponseMetadata>
</DescribeResponse>"#;

#[tokio::test]
async fn request_and_response_match_botocore() {
    let http = CaptureClient::new(vec![
        CannedResponse::new(200, RESPONSE).header("content-type", "text/xml"),
    ]);
    let client = Client::from_conf(config(&http));
    let at = DateTime::from_secs(1422172800);
    let out = client
        .describe()
        .names("a")
        .names("b c")
        .flat("x")
        .flat("y")
        .matrix(vec!["m1".into(), "m2".into()])
        .matrix(vec![])
        .groups("admins", vec!["ann".into(), "bob".into()])
        .groups("ops", vec!["cy".into()])
        .since(at)
        .until(at)
        .colors(Color::Red)
        .colors(Color::Green)
        .payload(Blob::new(&b"hi\0there"[..]))
        .node(
            Node::builder()
                .value("v1")
                .next(Node::builder().value("v2").build())
                .build(),
        )
        .send()
        .await
        .expect("the call succeeds");

    let requests = http.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    // Byte for byte: members in model order, map entries by key, as botocore writes them.
    assert_eq!(String::from_utf8_lossy(&request.body), BOTOCORE_BODY);

    // botocore: {'Id': 'id-1', 'Kind': 'full', 'Size': '3', 'Flat': ['i1', 'i2'],
    // 'Entries': {'red': 1, 'green': 2}, 'Matrix': [['p', 'q'], []], 'Groups': {'g': ['u1']},
    // 'Node': {'Value': 'n1', 'Next': {'Value': 'n2', 'Next': {'Value': 'n3'}}},
    // 'Since': 2015-01-25 08:00:00, 'Created': 2015-01-25 08:00:00.250000, 'Color': 'green',
    // 'Ratio': -0.0015, 'Enabled': True, 'Big': 9007199254740993, 'Payload': b'hi\x00there',
    // 'ResponseMetadata': {'RequestId': 'req-7'}} (botocore leaves attributes as text).
    assert_eq!(out.id(), "id-1");
    assert_eq!((out.kind(), out.size()), (Some("full"), Some(3)));
    assert_eq!(out.flat(), ["i1", "i2"]);
    let entries: HashMap<Color, i32> = [(Color::Red, 1), (Color::Green, 2)].into();
    assert_eq!(out.entries(), Some(&entries));
    assert_eq!(
        out.matrix(),
        [vec!["p".to_string(), "q".to_string()], vec![]]
    );
    let groups: HashMap<String, Vec<String>> = [("g".to_string(), vec!["u1".to_string()])].into();
    assert_eq!(out.groups(), Some(&groups));
    let node = out.node().expect("node");
    let next = node.next().expect("next");
    assert_eq!(
        (
            node.value(),
            next.value(),
            next.next().and_then(Node::value)
        ),
        (Some("n1"), Some("n2"), Some("n3"))
    );
    assert_eq!(out.since(), Some(&at));
    assert_eq!(
        out.created(),
        Some(&DateTime::from_secs_and_nanos(1422172800, 250_000_000))
    );
    assert_eq!(out.color(), Some(&Color::Green));
    assert_eq!(out.ratio(), Some(-0.0015));
    assert_eq!(out.enabled(), Some(true));
    assert_eq!(out.big(), Some(9007199254740993));
    assert_eq!(out.payload().map(|b| b.as_ref()), Some(&b"hi\0there"[..]));
    assert_eq!(out.request_id(), Some("req-7"));
}

#[tokio::test]
async fn modelled_error_by_its_code() {
    // botocore: Error {'Code': 'Throttling', 'Message': 'slow down'}, RequestId 'req-8',
    // shape_for_error_code('Throttling') is ThrottlingException, parsed as {'RetryAfter': 7}.
    let body = "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>\
<Message>slow down</Message><RetryAfter>7</RetryAfter></Error><RequestId>req-8</RequestId></ErrorResponse>";
    let http = CaptureClient::new(vec![CannedResponse::new(400, body)]);
    let client = Client::from_conf(config(&http));
    let err = client
        .describe()
        .send()
        .await
        .expect_err("an error response");
    assert_eq!(err.code(), Some("Throttling"));
    assert_eq!(err.message(), Some("slow down"));
    assert_eq!(err.request_id(), Some("req-8"));
    match err.as_service_error() {
        Some(DescribeError::ThrottlingException(e)) => {
            assert_eq!(e.retry_after(), Some(7));
            assert_eq!(e.message(), Some("slow down"));
        }
        other => panic!("expected ThrottlingException, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_attribute_and_truncated_body_are_errors() {
    let bad = RESPONSE.replace("size=\"3\"", "size=\"three\"");
    let truncated = &RESPONSE[..RESPONSE.len() / 2];
    for body in [bad.as_str(), truncated] {
        let http = CaptureClient::new(vec![CannedResponse::new(200, body.to_string())]);
        let client = Client::from_conf(config(&http));
        let err = client
            .describe()
            .send()
            .await
            .expect_err("an unreadable response");
        let text = format!("{}", aws_lite_runtime::error::DisplayErrorContext(&err));
        assert!(text.contains("HTTP 200"), "{text}");
        assert!(text.contains("invalid XML at byte"), "{text}");
    }
}

/// The union `Choice` in a query request: botocore writes the one member set under the
/// union's prefix, as a structure's member (`urlencode(serialized['body'], doseq=True)` for
/// `{'Choice': {'Names': ['a', 'b c']}}`, `{'Choice': {'Node': {...}}}` and
/// `{'Choice': {'At': datetime(2015, 1, 25, 8, tzinfo=utc)}}`).
#[tokio::test]
async fn union_request_matches_botocore() {
    let cases = [
        (
            Choice::Names(vec!["a".into(), "b c".into()]),
            "Action=Describe&Version=2020-01-01&Choice.Names.Name.1=a&Choice.Names.Name.2=b+c",
        ),
        (
            Choice::Node(
                Node::builder()
                    .value("v1")
                    .next(Node::builder().value("v2").build())
                    .build(),
            ),
            "Action=Describe&Version=2020-01-01&Choice.Node.Value=v1&Choice.Node.Next.Value=v2",
        ),
        (
            Choice::At(DateTime::from_secs(1422172800)),
            "Action=Describe&Version=2020-01-01&Choice.When=2015-01-25T08%3A00%3A00Z",
        ),
    ];
    for (choice, botocore) in cases {
        let response =
            "<DescribeResponse><DescribeResult><id>x</id></DescribeResult></DescribeResponse>";
        let http = CaptureClient::new(vec![CannedResponse::new(200, response)]);
        let client = Client::from_conf(config(&http));
        client
            .describe()
            .choice(choice)
            .send()
            .await
            .expect("the call succeeds");
        let requests = http.requests();
        assert_eq!(String::from_utf8_lossy(&requests[0].body), botocore);
    }
}

/// The union `Choice` in a query response, as botocore's `QueryParser` reads it:
/// `{'Choice': {'Names': ['a', 'b']}}`, `{'Choice': {'At': datetime(2015, 1, 25, 8)}}`, and for
/// an element the model does not know `{'Choice': {'SDK_UNKNOWN_MEMBER': {'name': 'Future'}}}`,
/// which is `Choice::Unknown` here. Sending that back fails before sending, naming the union.
#[tokio::test]
async fn union_response_matches_botocore() {
    let read = |choice: &str| {
        let body = format!(
            "<DescribeResponse><DescribeResult><id>x</id><Choice>{choice}</Choice></DescribeResult></DescribeResponse>"
        );
        let http = CaptureClient::new(vec![CannedResponse::new(200, body)]);
        (Client::from_conf(config(&http)), http)
    };
    let (client, _) = read("<Names><member>a</member><member>b</member></Names>");
    let out = client.describe().send().await.expect("the call succeeds");
    assert_eq!(
        out.choice(),
        Some(&Choice::Names(vec!["a".into(), "b".into()]))
    );
    let (client, _) = read("<When>2015-01-25T08:00:00Z</When>");
    let out = client.describe().send().await.expect("the call succeeds");
    let at = out.choice().and_then(|c| c.as_at().ok());
    assert_eq!(at, Some(&DateTime::from_secs(1422172800)));

    let (client, http) = read("<Future>f</Future>");
    let out = client.describe().send().await.expect("the call succeeds");
    let choice = out.choice().expect("a choice").clone();
    assert!(choice.is_unknown(), "{choice:?}");
    assert!(!choice.is_names() && choice.as_label().is_err());
    let err = client
        .describe()
        .choice(choice)
        .send()
        .await
        .expect_err("Unknown cannot be sent");
    let text = format!("{}", aws_lite_runtime::error::DisplayErrorContext(&err));
    assert!(
        text.contains("`Choice` is the `Unknown` variant of the union `Choice`"),
        "{text}"
    );
    assert_eq!(http.requests().len(), 1, "the second call sent nothing");
}
