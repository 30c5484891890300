//! The model's minimums are checked before sending, at every depth of the input (the
//! `constraints` fixture crate, through the capturing HTTP client): each violation names the
//! operation, the member's path and the constraint, and nothing is sent. Values at the
//! minimum, unknown enum values and responses are never refused.

use aws_lite_fixture_constraints::Client;
use aws_lite_fixture_constraints::error::DisplayErrorContext;
use aws_lite_fixture_constraints::operation::put::builders::PutFluentBuilder;
use aws_lite_fixture_constraints::types::{Mode, Tag, Tree};
use aws_lite_runtime::config::{BehaviorVersion, Config, Credentials, Region};
use aws_lite_runtime::primitives::Blob;
use aws_lite_runtime::testing::{CannedResponse, CaptureClient};

fn client(http: &CaptureClient) -> Client {
    Client::from_conf(
        Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "fixtures"))
            .behavior_version(BehaviorVersion::latest())
            .endpoint_url("http://127.0.0.1:1")
            .http_client(http.clone())
            .build(),
    )
}

fn tag(key: &str) -> Tag {
    Tag::builder().key(key).build().expect("key is set")
}

/// Every member set to a value exactly at its minimum.
fn at_minimums(client: &Client) -> PutFluentBuilder {
    client
        .put()
        .name("abc")
        .payload(Blob::new(vec![1, 2]))
        .count(1)
        .offset(-5)
        .ratio(0.5)
        .weight(1.5)
        .total(-2)
        .tags(tag("k"))
        .attributes("ab", vec![String::new()])
        .matrix(vec!["x".to_string()])
        // An enum value the model does not list, shorter than the shape's `min`: enum values
        // are never checked.
        .mode(Mode::from("x"))
        .note("")
        .tree(
            Tree::builder()
                .label("r")
                .children(Tree::builder().label("c").build())
                .build(),
        )
}

#[tokio::test]
async fn values_at_their_minimums_are_sent() {
    let http = CaptureClient::new(vec![CannedResponse::json(200, r#"{"name":"abc"}"#)]);
    let out = at_minimums(&client(&http)).send().await.expect("sent");
    assert_eq!(out.name(), Some("abc"));
    assert_eq!(http.requests().len(), 1);
}

/// Sends `builder`, expects a construction failure, and returns its full message.
async fn refused(builder: PutFluentBuilder, http: &CaptureClient) -> String {
    let err = builder.send().await.expect_err("refused before sending");
    assert!(
        matches!(
            err,
            aws_lite_runtime::error::SdkError::ConstructionFailure(_)
        ),
        "{err:?}"
    );
    assert!(http.requests().is_empty(), "nothing may be sent");
    DisplayErrorContext(&err).to_string()
}

#[tokio::test]
async fn each_violation_names_operation_member_path_and_constraint() {
    let http = CaptureClient::new(vec![]);
    let c = client(&http);
    let cases: Vec<(PutFluentBuilder, &str)> = vec![
        (
            at_minimums(&c).name("ab"),
            "Put: `name` has length 2, below the model's minimum length 3",
        ),
        // Characters, not bytes: "éé" is 4 bytes but 2 characters.
        (
            at_minimums(&c).name("éé"),
            "`name` has length 2, below the model's minimum length 3",
        ),
        (
            at_minimums(&c).payload(Blob::new(vec![1])),
            "`payload` has length 1, below the model's minimum length 2",
        ),
        (
            at_minimums(&c).count(0),
            "`count` is 0, below the model's minimum 1",
        ),
        (
            at_minimums(&c).offset(-6),
            "`offset` is -6, below the model's minimum -5",
        ),
        (
            at_minimums(&c).ratio(0.25),
            "`ratio` is 0.25, below the model's minimum 0.5",
        ),
        (
            at_minimums(&c).weight(1.25),
            "`weight` is 1.25, below the model's minimum 1.5",
        ),
        (
            at_minimums(&c).total(-3),
            "`total` is -3, below the model's minimum -2",
        ),
        (
            at_minimums(&c).set_tags(Some(vec![])),
            "`tags` has length 0, below the model's minimum length 1",
        ),
        (
            at_minimums(&c).tags(tag("")),
            "`tags[1].key` has length 0, below the model's minimum length 1",
        ),
        (
            at_minimums(&c).set_attributes(Some(Default::default())),
            "`attributes` has length 0, below the model's minimum length 1",
        ),
        (
            at_minimums(&c).attributes("a", vec!["v".to_string()]),
            r#"`attributes["a"]` has length 1, below the model's minimum length 2"#,
        ),
        (
            at_minimums(&c).attributes("zz", vec![]),
            r#"`attributes["zz"]` has length 0, below the model's minimum length 1"#,
        ),
        (
            at_minimums(&c).matrix(vec!["y".to_string(), String::new()]),
            "`matrix[1][1]` has length 0, below the model's minimum length 1",
        ),
        (
            at_minimums(&c).tree(
                Tree::builder()
                    .children(Tree::builder().label("").build())
                    .build(),
            ),
            "`tree.children[0].label` has length 0, below the model's minimum length 1",
        ),
    ];
    for (builder, expected) in cases {
        let message = refused(builder, &http).await;
        assert!(
            message.contains(expected),
            "{message}\nexpected: {expected}"
        );
        assert!(message.contains("Put"), "{message}");
        assert!(message.contains("No request was sent"), "{message}");
    }
}

#[tokio::test]
async fn required_members_are_checked_before_minimums_and_responses_are_not_checked() {
    let http = CaptureClient::new(vec![CannedResponse::json(
        200,
        r#"{"result":{"name":"ab"}}"#,
    )]);
    let c = client(&http);
    let message = refused(at_minimums(&c).set_name(None).count(0), &http).await;
    assert!(message.contains("name"), "{message}");
    assert!(!message.contains("count"), "{message}");
    // `ResultName` has a minimum length of 5: a shorter value in a response is accepted.
    let out = c.get().send().await.expect("responses are not validated");
    assert_eq!(out.result().map(|r| r.name()), Some("ab"));
}

#[tokio::test]
async fn direct_connect_tag_keys_are_checked_before_sending() {
    use aws_sdk_directconnect::types::Tag as DxTag;
    let http = CaptureClient::new(vec![]);
    let client = aws_sdk_directconnect::Client::from_conf(
        aws_sdk_directconnect::Config::builder()
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None, "dx"))
            .behavior_version(BehaviorVersion::latest())
            .http_client(http.clone())
            .build(),
    );
    let err = client
        .tag_resource()
        .resource_arn("arn:aws:directconnect:us-east-1:123456789012:dxcon/dxcon-1")
        .tags(DxTag::builder().key("").build().unwrap())
        .send()
        .await
        .expect_err("empty tag key");
    let message = aws_sdk_directconnect::error::DisplayErrorContext(&err).to_string();
    assert!(
        message.contains(
            "TagResource: `tags[0].key` has length 0, below the model's minimum length 1. No request was sent"
        ),
        "{message}"
    );
    assert!(http.requests().is_empty());
}
