//! Output event streams, written as for the official crates (`output.payload.recv().await?`):
//!
//! - S3 `SelectObjectContent` (rest-xml) and CloudWatch Logs `StartLiveTail` (awsJson 1.1,
//!   request authentication on) against the pinned moto server, whose event stream encoder
//!   (`moto/core/eventstream.py`) is not ours. Every event is compared with what botocore's
//!   own event stream parser reads from the same server for the same call (boto3 in
//!   `.venv`).
//! - The messages a real service sends that moto does not: a modelled exception in place of an
//!   event, an unmodelled `error` message, an `initial-response`, a stream cut inside a
//!   message and a corrupted message, over a loopback HTTP server in small chunks. Those
//!   frames are written by `aws-smithy-eventstream` (the official crates' encoder), not by the
//!   runtime.

use std::error::Error;
use std::process::Command;

use aws_lite_runtime::error::SdkError;
use aws_lite_runtime::testing::{CannedResponse, TestServer};
use aws_smithy_eventstream::frame::write_message_to;
use aws_smithy_types::event_stream::{Header, HeaderValue, Message};
use e2e::{MotoServer, default_venv};
use serde_json::{Value, json};

type TestResult = Result<(), Box<dyn Error>>;

/// Runs `script` with the pinned botocore (boto3 in `.venv`) and reads the JSON it prints.
fn botocore(script: &str, args: &[&str]) -> Result<Value, Box<dyn Error>> {
    let out = Command::new(default_venv().join("bin/python"))
        .arg("-c")
        .arg(format!(
            "import json, sys, base64, boto3, botocore\n\
             assert botocore.__version__ == '1.44.8', botocore.__version__\n\
             {script}"
        ))
        .args(args)
        .output()?;
    if !out.status.success() {
        return Err(format!("botocore failed: {}", String::from_utf8_lossy(&out.stderr)).into());
    }
    Ok(serde_json::from_slice(&out.stdout)?)
}

const CSV: &str = "name,colour,size\nball,blue,3\nbox,red,10\nbrick,blue,7\n";
// Lower-case `s3object`: moto's SQL parser (py_partiql_parser 0.6.3) fails on `S3Object s`
// with a WHERE clause.
const QUERY: &str = "SELECT * FROM s3object s WHERE s.colour = 'blue'";

#[tokio::test]
async fn s3_select_object_content_events_match_botocore() -> TestResult {
    use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_s3::primitives::ByteStream;
    use aws_sdk_s3::types::{
        CsvInput, ExpressionType, FileHeaderInfo, InputSerialization, JsonOutput,
        OutputSerialization, SelectObjectContentEventStream,
    };

    let server = MotoServer::start()?;
    let client = aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(server.url())
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "e2e"))
            .behavior_version(BehaviorVersion::latest())
            .force_path_style(true)
            .build(),
    );
    let bucket = "e2e-select";
    client.create_bucket().bucket(bucket).send().await?;
    client
        .put_object()
        .bucket(bucket)
        .key("things.csv")
        .body(ByteStream::from(CSV.as_bytes().to_vec()))
        .send()
        .await?;

    let mut output = client
        .select_object_content()
        .bucket(bucket)
        .key("things.csv")
        .expression(QUERY)
        .expression_type(ExpressionType::Sql)
        .input_serialization(
            InputSerialization::builder()
                .csv(
                    CsvInput::builder()
                        .file_header_info(FileHeaderInfo::Use)
                        .build(),
                )
                .build(),
        )
        .output_serialization(
            OutputSerialization::builder()
                .json(JsonOutput::builder().build())
                .build(),
        )
        .send()
        .await?;
    let mut ours = Vec::new();
    while let Some(event) = output.payload.recv().await? {
        ours.push(match event {
            SelectObjectContentEventStream::Records(r) => {
                let bytes = r.payload().ok_or("Records without a payload")?.as_ref();
                json!({"Records": String::from_utf8(bytes.to_vec())?})
            }
            SelectObjectContentEventStream::Stats(s) => {
                let d = s.details().ok_or("Stats without details")?;
                json!({"Stats": {
                    "BytesScanned": d.bytes_scanned(),
                    "BytesProcessed": d.bytes_processed(),
                    "BytesReturned": d.bytes_returned(),
                }})
            }
            SelectObjectContentEventStream::End(_) => json!({"End": {}}),
            other => return Err(format!("an event moto does not send: {other:?}").into()),
        });
    }
    // The stream ended: later calls keep saying so.
    assert!(output.payload.recv().await?.is_none());

    let theirs = botocore(
        r#"
from botocore.config import Config
s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1',
    aws_access_key_id='AKID', aws_secret_access_key='secret',
    config=Config(s3={'addressing_style': 'path'}))
out = s3.select_object_content(Bucket='e2e-select', Key='things.csv',
    Expression=sys.argv[2], ExpressionType='SQL',
    InputSerialization={'CSV': {'FileHeaderInfo': 'USE'}},
    OutputSerialization={'JSON': {}})
events = []
for e in out['Payload']:
    if 'Records' in e:
        events.append({'Records': e['Records']['Payload'].decode()})
    elif 'Stats' in e:
        events.append({'Stats': e['Stats']['Details']})
    elif 'End' in e:
        events.append({'End': {}})
    else:
        events.append({'other': list(e)})
print(json.dumps(events))
"#,
        &[&server.url(), QUERY],
    )?;
    assert_eq!(Value::Array(ours.clone()), theirs);
    // Not vacuous: the two blue rows, then the statistics and the end.
    let records = ours[0]["Records"].as_str().ok_or("no Records first")?;
    assert!(
        records.contains("ball") && records.contains("brick") && !records.contains("box"),
        "{records}"
    );
    assert_eq!(ours.len(), 3, "{ours:?}");
    Ok(())
}

#[tokio::test]
async fn logs_start_live_tail_events_match_botocore() -> TestResult {
    use aws_sdk_logs::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_logs::types::{InputLogEvent, StartLiveTailResponseStream};

    let server = MotoServer::start_authenticated()?;
    let (key_id, secret) = server
        .credentials()
        .ok_or("the authenticated moto server wrote its IAM user's keys")?;
    let client = aws_sdk_logs::Client::from_conf(
        aws_sdk_logs::Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(server.url())
            .credentials_provider(Credentials::new(&key_id, &secret, None, None, "moto-iam"))
            .behavior_version(BehaviorVersion::latest())
            // `StartLiveTail` is modelled on `streaming-<host>`, which moto's loopback
            // address is not.
            .disable_host_prefix_injection(true)
            .build(),
    );
    let group = "e2e-live-tail";
    client
        .create_log_group()
        .log_group_name(group)
        .send()
        .await?;
    client
        .create_log_stream()
        .log_group_name(group)
        .log_stream_name("web")
        .send()
        .await?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as i64;
    let mut put = client
        .put_log_events()
        .log_group_name(group)
        .log_stream_name("web");
    for (i, text) in ["started", "request 1", "stopped"].iter().enumerate() {
        put = put.log_events(
            InputLogEvent::builder()
                .timestamp(now + i as i64)
                .message(*text)
                .build()?,
        );
    }
    put.send().await?;
    let arn = format!("arn:aws:logs:us-east-1:123456789012:log-group:{group}");

    let mut output = client
        .start_live_tail()
        .log_group_identifiers(&arn)
        .send()
        .await?;
    let mut ours = Vec::new();
    while let Some(event) = output.response_stream.recv().await? {
        ours.push(match event {
            StartLiveTailResponseStream::SessionStart(s) => json!({"sessionStart": {
                "logGroupIdentifiers": s.log_group_identifiers(),
                "hasSessionId": s.session_id().is_some_and(|id| !id.is_empty()),
            }}),
            StartLiveTailResponseStream::SessionUpdate(u) => json!({"sessionUpdate": {
                "sampled": u.session_metadata().and_then(|m| m.sampled()),
                "messages": u.session_results().iter().map(|e| e.message()).collect::<Vec<_>>(),
                "streams": u.session_results().iter().map(|e| e.log_stream_name()).collect::<Vec<_>>(),
            }}),
            other => return Err(format!("an event moto does not send: {other:?}").into()),
        });
    }

    let theirs = botocore(
        r#"
from botocore.config import Config
logs = boto3.client('logs', endpoint_url=sys.argv[1], region_name='us-east-1',
    aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3],
    config=Config(inject_host_prefix=False))
out = logs.start_live_tail(logGroupIdentifiers=[sys.argv[4]])
events = []
for e in out['responseStream']:
    if 'sessionStart' in e:
        s = e['sessionStart']
        events.append({'sessionStart': {'logGroupIdentifiers': s['logGroupIdentifiers'],
            'hasSessionId': bool(s.get('sessionId'))}})
    elif 'sessionUpdate' in e:
        u = e['sessionUpdate']
        events.append({'sessionUpdate': {'sampled': u['sessionMetadata']['sampled'],
            'messages': [r['message'] for r in u['sessionResults']],
            'streams': [r['logStreamName'] for r in u['sessionResults']]}})
    else:
        events.append({'other': list(e)})
print(json.dumps(events))
"#,
        &[&server.url(), &key_id, &secret, &arn],
    )?;
    assert_eq!(Value::Array(ours.clone()), theirs);
    assert_eq!(
        ours[1]["sessionUpdate"]["messages"],
        json!(["started", "request 1", "stopped"]),
        "{ours:?}"
    );
    Ok(())
}

/// One event stream message, written by the official crates' encoder.
fn frame(headers: &[(&str, &str)], payload: &[u8]) -> Vec<u8> {
    let mut message = Message::new(payload.to_vec());
    for (name, value) in headers {
        message = message.add_header(Header::new(
            name.to_string(),
            HeaderValue::String(value.to_string().into()),
        ));
    }
    let mut out = Vec::new();
    write_message_to(&message, &mut out).expect("a valid message");
    out
}

fn event(event_type: &str, payload: &str) -> Vec<u8> {
    frame(
        &[
            (":message-type", "event"),
            (":event-type", event_type),
            (":content-type", "application/json"),
        ],
        payload.as_bytes(),
    )
}

/// A Logs client of the loopback server answering `StartLiveTail` with `body`, in chunks of
/// `chunk` bytes, all released at once.
fn logs_client_for(body: Vec<u8>, chunk: usize) -> (TestServer, aws_sdk_logs::Client) {
    let chunks: Vec<Vec<u8>> = body.chunks(chunk).map(<[u8]>::to_vec).collect();
    let count = chunks.len();
    let (server, client) = logs_client_with(chunks, |b| b);
    // Every chunk after the first may go as soon as the client reads.
    for _ in 1..count {
        server.release_chunk();
    }
    (server, client)
}

/// A Logs client (its config finished by `configure`) of the loopback server answering
/// `StartLiveTail` with `chunks`, the first at once, each next one on `release_chunk`.
fn logs_client_with(
    chunks: Vec<Vec<u8>>,
    configure: impl FnOnce(aws_sdk_logs::config::Builder) -> aws_sdk_logs::config::Builder,
) -> (TestServer, aws_sdk_logs::Client) {
    use aws_sdk_logs::config::{BehaviorVersion, Credentials, Region};
    let server = TestServer::start(vec![
        CannedResponse::chunked(200, chunks)
            .header("content-type", "application/vnd.amazon.eventstream"),
    ]);
    let builder = aws_sdk_logs::Config::builder()
        .region(Region::new("us-east-1"))
        .endpoint_url(server.url())
        .credentials_provider(Credentials::new("AKID", "secret", None, None, "e2e"))
        .behavior_version(BehaviorVersion::latest())
        .disable_host_prefix_injection(true);
    let client = aws_sdk_logs::Client::from_conf(configure(builder).build());
    (server, client)
}

/// A stream that is quiet for longer than the read timeout and the stalled-stream grace
/// period is not cut: a live tail waits for events (the official SDK reads event streams
/// without stalled-stream protection as well).
#[tokio::test]
async fn a_quiet_event_stream_is_not_cut_by_read_or_stall_limits() -> TestResult {
    use aws_sdk_logs::config::StalledStreamProtectionConfig;
    use aws_sdk_logs::config::timeout::TimeoutConfig;
    use aws_sdk_logs::types::StartLiveTailResponseStream;
    use std::time::{Duration, Instant};

    let chunks = vec![
        event("sessionStart", r#"{"sessionId":"s-1"}"#),
        event(
            "sessionUpdate",
            r#"{"sessionResults":[{"message":"late"}]}"#,
        ),
    ];
    let (server, client) = logs_client_with(chunks, |b| {
        b.timeout_config(
            TimeoutConfig::builder()
                .read_timeout(Duration::from_millis(500))
                .build(),
        )
        .stalled_stream_protection(
            StalledStreamProtectionConfig::enabled()
                .grace_period(Duration::from_millis(500))
                .build(),
        )
    });
    let mut output = client
        .start_live_tail()
        .log_group_identifiers("g")
        .send()
        .await?;
    assert!(matches!(
        output.response_stream.recv().await?,
        Some(StartLiveTailResponseStream::SessionStart(_))
    ));
    let quiet = Instant::now();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(1_500));
        server.release_chunk();
        server
    });
    let update = output.response_stream.recv().await?;
    assert!(
        quiet.elapsed() >= Duration::from_millis(1_400),
        "{:?}",
        quiet.elapsed()
    );
    let Some(StartLiveTailResponseStream::SessionUpdate(update)) = update else {
        return Err(format!("sessionUpdate expected: {update:?}").into());
    };
    assert_eq!(update.session_results()[0].message(), Some("late"));
    let _server = release
        .join()
        .map_err(|_| "the releasing thread panicked")?;
    assert!(output.response_stream.recv().await?.is_none());
    Ok(())
}

#[tokio::test]
async fn a_modelled_exception_ends_the_stream_with_its_type() -> TestResult {
    use aws_sdk_logs::types::StartLiveTailResponseStream;
    use aws_sdk_logs::types::error::StartLiveTailResponseStreamError;

    let mut body = event("initial-response", "{}");
    body.extend(event(
        "sessionStart",
        r#"{"sessionId":"s-1","logGroupIdentifiers":["g"]}"#,
    ));
    body.extend(event(
        "sessionUpdate",
        r#"{"sessionMetadata":{"sampled":false},"sessionResults":[{"message":"hi","timestamp":1}]}"#,
    ));
    body.extend(frame(
        &[
            (":message-type", "exception"),
            (":exception-type", "SessionTimeoutException"),
            (":content-type", "application/json"),
        ],
        br#"{"message":"Session timed out after 3 hours"}"#,
    ));
    // Frames split at every 7 bytes: messages span many reads.
    let (_server, client) = logs_client_for(body, 7);
    let mut output = client
        .start_live_tail()
        .log_group_identifiers("g")
        .send()
        .await?;
    let start = output.response_stream.recv().await?;
    let Some(StartLiveTailResponseStream::SessionStart(start)) = start else {
        return Err(format!("sessionStart expected (initial-response skipped): {start:?}").into());
    };
    assert_eq!(start.session_id(), Some("s-1"));
    let update = output.response_stream.recv().await?;
    let Some(StartLiveTailResponseStream::SessionUpdate(update)) = update else {
        return Err(format!("sessionUpdate expected: {update:?}").into());
    };
    assert_eq!(update.session_results()[0].message(), Some("hi"));

    let err = output
        .response_stream
        .recv()
        .await
        .expect_err("the exception ends the stream");
    let SdkError::ServiceError(service) = &err else {
        return Err(format!("a service error expected: {err:?}").into());
    };
    let StartLiveTailResponseStreamError::SessionTimeoutException(timeout) = service.err() else {
        return Err(format!("SessionTimeoutException expected: {err:?}").into());
    };
    assert_eq!(timeout.message(), Some("Session timed out after 3 hours"));
    assert_eq!(err.code(), Some("SessionTimeoutException"));
    assert!(service.err().is_session_timeout_exception());
    assert!(output.response_stream.recv().await?.is_none());
    Ok(())
}

#[tokio::test]
async fn an_unmodelled_error_message_is_unhandled_with_code_and_message() -> TestResult {
    use aws_sdk_logs::types::error::StartLiveTailResponseStreamError;

    let body = frame(
        &[
            (":message-type", "error"),
            (":error-code", "InternalFailure"),
            (":error-message", "try again later"),
        ],
        b"",
    );
    let (_server, client) = logs_client_for(body, 5);
    let mut output = client
        .start_live_tail()
        .log_group_identifiers("g")
        .send()
        .await?;
    let err = output.response_stream.recv().await.expect_err("an error");
    let SdkError::ServiceError(service) = &err else {
        return Err(format!("a service error expected: {err:?}").into());
    };
    assert!(
        matches!(
            service.err(),
            StartLiveTailResponseStreamError::Unhandled(_)
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), Some("InternalFailure"));
    assert_eq!(err.message(), Some("try again later"));
    Ok(())
}

#[tokio::test]
async fn a_cut_or_corrupted_stream_is_a_response_error_never_a_wrong_event() -> TestResult {
    let whole = event("sessionStart", r#"{"sessionId":"s-1"}"#);
    // Cut inside the second message.
    let mut cut = whole.clone();
    cut.extend(&whole[..whole.len() - 3]);
    let (_server, client) = logs_client_for(cut, 4);
    let mut output = client
        .start_live_tail()
        .log_group_identifiers("g")
        .send()
        .await?;
    assert!(output.response_stream.recv().await?.is_some());
    let err = output.response_stream.recv().await.expect_err("cut");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert!(
        format!("{err:?}").contains("ended inside a message"),
        "{err:?}"
    );
    assert!(output.response_stream.recv().await?.is_none());

    // One payload byte changed: the message CRC catches it.
    let mut corrupted = whole.clone();
    let at = corrupted.len() - 8;
    corrupted[at] ^= 0x20;
    let (_server, client) = logs_client_for(corrupted, 64);
    let mut output = client
        .start_live_tail()
        .log_group_identifiers("g")
        .send()
        .await?;
    let err = output.response_stream.recv().await.expect_err("corrupted");
    assert!(matches!(err, SdkError::ResponseError(_)), "{err:?}");
    assert!(format!("{err:?}").contains("CRC32"), "{err:?}");
    Ok(())
}

/// Lambda `InvokeWithResponseStream` (rest-json): blob payload chunks (`eventpayload`) and a
/// JSON completion event, with the output's members bound to the status and headers. The
/// same bytes are parsed by botocore's own event stream parser for the checked-in model, and
/// both must read the same events.
#[tokio::test]
async fn lambda_response_stream_events_match_botocore() -> TestResult {
    use aws_sdk_lambda::config::{BehaviorVersion, Credentials, Region};
    use aws_sdk_lambda::types::InvokeWithResponseStreamResponseEvent as Event;

    let chunk = |bytes: &[u8]| {
        frame(
            &[
                (":message-type", "event"),
                (":event-type", "PayloadChunk"),
                (":content-type", "application/octet-stream"),
            ],
            bytes,
        )
    };
    let mut body = chunk(b"{\"partial\": ");
    body.extend(chunk(&[0, 159, 146, 150, 255]));
    body.extend(chunk(b"true}"));
    body.extend(event(
        "InvokeComplete",
        r#"{"ErrorCode":"","ErrorDetails":"","LogResult":"U1RBUlQgUmVxdWVzdElk"}"#,
    ));
    let chunks: Vec<Vec<u8>> = body.chunks(11).map(<[u8]>::to_vec).collect();
    let count = chunks.len();
    let server = TestServer::start(vec![
        CannedResponse::chunked(200, chunks)
            .header("content-type", "application/vnd.amazon.eventstream")
            .header("x-amz-executed-version", "$LATEST"),
    ]);
    for _ in 1..count {
        server.release_chunk();
    }
    let client = aws_sdk_lambda::Client::from_conf(
        aws_sdk_lambda::Config::builder()
            .region(Region::new("us-east-1"))
            .endpoint_url(server.url())
            .credentials_provider(Credentials::new("AKID", "secret", None, None, "e2e"))
            .behavior_version(BehaviorVersion::latest())
            .build(),
    );
    let mut output = client
        .invoke_with_response_stream()
        .function_name("streamer")
        .send()
        .await?;
    assert_eq!(output.status_code(), 200);
    assert_eq!(output.executed_version(), Some("$LATEST"));
    assert_eq!(
        output.response_stream_content_type(),
        Some("application/vnd.amazon.eventstream")
    );
    let mut ours = Vec::new();
    while let Some(event) = output.event_stream.recv().await? {
        ours.push(match event {
            Event::PayloadChunk(c) => {
                let bytes = c.payload().ok_or("a chunk without payload")?.as_ref();
                json!({"PayloadChunk": bytes})
            }
            Event::InvokeComplete(c) => json!({"InvokeComplete": {
                "ErrorCode": c.error_code(),
                "ErrorDetails": c.error_details(),
                "LogResult": c.log_result(),
            }}),
            other => return Err(format!("unexpected event {other:?}").into()),
        });
    }
    let sent = &server.requests()[0];
    assert!(
        sent.uri
            .ends_with("/2021-11-15/functions/streamer/response-streaming-invocations"),
        "{}",
        sent.uri
    );

    let file = std::env::temp_dir().join(format!("e2e-lambda-stream-{}.bin", std::process::id()));
    std::fs::write(&file, &body)?;
    let model = e2e::repo_root().join("models/lambda/service-2.json");
    let theirs = botocore(
        r#"
import botocore.eventstream, botocore.model, botocore.parsers
model = botocore.model.ServiceModel(json.load(open(sys.argv[1])))
shape = model.operation_model('InvokeWithResponseStream').output_shape.members['EventStream']
class Raw:
    def __init__(self, data): self.data = data
    def stream(self):
        for i in range(0, len(self.data), 11):
            yield self.data[i:i + 11]
    def close(self): pass
stream = botocore.eventstream.EventStream(Raw(open(sys.argv[2], 'rb').read()), shape,
    botocore.parsers.EventStreamJSONParser(), 'InvokeWithResponseStream')
events = []
for e in stream:
    if 'PayloadChunk' in e:
        events.append({'PayloadChunk': list(e['PayloadChunk']['Payload'])})
    elif 'InvokeComplete' in e:
        c = e['InvokeComplete']
        events.append({'InvokeComplete': {k: c.get(k) for k in ('ErrorCode', 'ErrorDetails', 'LogResult')}})
    else:
        events.append({'other': list(e)})
print(json.dumps(events))
"#,
        &[
            model.to_str().ok_or("a UTF-8 path")?,
            file.to_str().ok_or("a UTF-8 path")?,
        ],
    );
    let _ = std::fs::remove_file(&file);
    assert_eq!(Value::Array(ours.clone()), theirs?);
    assert_eq!(ours.len(), 4, "{ours:?}");
    assert_eq!(ours[1]["PayloadChunk"], json!([0, 159, 146, 150, 255]));
    Ok(())
}
