//! The IR's HTTP and XML bindings and typed protocols, on excerpts of real botocore models
//! (`codegen/tests/excerpts/`) and on a small model with every binding.

use codegen::ir::{
    ErrorTrait, Location, MemberBindings, Protocol, Service, ShapeKind, UriSegment,
    WireTimestampFormat, XmlNamespace,
};
use std::path::{Path, PathBuf};

fn excerpt(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/excerpts/{name}.json"))
}

fn resolve_file(path: &Path) -> Service {
    let model = codegen::load_model(path).expect("model loads");
    codegen::ir::resolve(&model, path, None).expect("model resolves")
}

fn resolve_json(json: &str) -> codegen::Result<Service> {
    let path = Path::new("inline.json");
    let model = codegen::parse_model(path, json.as_bytes())?;
    codegen::ir::resolve(&model, path, None)
}

fn member<'a>(svc: &'a Service, shape: &str, member: &str) -> &'a MemberBindings {
    match &svc.shape(shape).kind {
        ShapeKind::Structure(s) => {
            &s.members
                .iter()
                .find(|m| m.wire_name == member)
                .unwrap_or_else(|| panic!("{shape}.{member}"))
                .bindings
        }
        _ => panic!("{shape} is not a structure"),
    }
}

fn label(name: &str, greedy: bool) -> UriSegment {
    UriSegment::Label {
        name: name.to_string(),
        greedy,
    }
}

#[test]
fn s3_bindings() {
    let svc = resolve_file(&excerpt("s3"));
    assert_eq!(svc.meta.protocols, [Protocol::RestXml]);
    assert!(svc.meta.s3_signing, "signatureVersion s3: S3's signing rules");
    let get_object = svc.operation("GetObject").unwrap();
    assert_eq!(
        svc.streaming_payload(&get_object.output_shape)
            .map(|m| m.wire_name.as_str()),
        Some("Body"),
        "GetObject's output streams"
    );
    let tagging = svc.operation("GetObjectTagging").unwrap();
    assert!(svc.streaming_payload(&tagging.output_shape).is_none());
    assert_eq!(tagging.request_checksum, None);
    assert_eq!(
        svc.operation("PutBucketTagging").unwrap().request_checksum,
        Some(codegen::ir::RequestChecksum {
            required: true,
            algorithm_header: Some("x-amz-sdk-checksum-algorithm".into()),
        }),
        "httpChecksum with requestChecksumRequired and an algorithm member bound to a header"
    );
    assert_eq!(get_object.request_checksum, None, "response checksums only");
    let op = svc.operation("GetObjectTagging").unwrap();
    assert_eq!(op.http.method, "GET");
    // The model says `/{Bucket}/{Key+}?tagging`; as in botocore, S3's bucket goes to the
    // endpoint rules (host or endpoint path), not into the URI.
    assert_eq!(op.http.request_uri.template, "/{Key+}?tagging");
    assert_eq!(
        op.http.request_uri.path,
        [UriSegment::Literal("/".into()), label("Key", true)]
    );
    let bucket_only = svc.operation("PutBucketTagging").unwrap();
    assert_eq!(bucket_only.http.request_uri.template, "/?tagging");
    assert_eq!(op.http.request_uri.query, [("tagging".to_string(), None)]);
    let bucket = member(&svc, "GetObjectTaggingRequest", "Bucket");
    assert_eq!(bucket.location, Some(Location::Uri));
    assert_eq!(bucket.location_name.as_deref(), Some("Bucket"));
    let version = member(&svc, "GetObjectTaggingRequest", "VersionId");
    assert_eq!(version.location, Some(Location::QueryString));
    assert_eq!(version.location_name.as_deref(), Some("versionId"));
    let owner = member(&svc, "GetObjectTaggingRequest", "ExpectedBucketOwner");
    assert_eq!(owner.location, Some(Location::Header));
    assert_eq!(
        owner.location_name.as_deref(),
        Some("x-amz-expected-bucket-owner")
    );
    // Body members have no location.
    assert_eq!(
        member(&svc, "GetObjectTaggingOutput", "TagSet").location,
        None
    );
    // A list's member element name.
    let tag_set = &svc.shape("TagSet").bindings;
    assert_eq!(
        tag_set
            .list_member
            .as_ref()
            .unwrap()
            .location_name
            .as_deref(),
        Some("Tag")
    );
    // A structure payload with its namespace.
    let put = svc.shape("PutBucketTaggingRequest");
    assert_eq!(put.bindings.payload.as_deref(), Some("Tagging"));
    let tagging = member(&svc, "PutBucketTaggingRequest", "Tagging");
    assert_eq!(
        tagging.xml_namespace,
        Some(XmlNamespace {
            uri: "http://s3.amazonaws.com/doc/2006-03-01/".into(),
            prefix: None
        })
    );
    assert_eq!(
        svc.operation("PutBucketTagging").unwrap().http.method,
        "PUT"
    );
    // A streaming blob payload.
    assert_eq!(
        svc.shape("GetObjectOutput").bindings.payload.as_deref(),
        Some("Body")
    );
    assert!(member(&svc, "GetObjectOutput", "Body").streaming);
    // Timestamp formats as written (none: the location's default).
    assert_eq!(
        svc.shape("ResponseExpires").bindings.timestamp_format,
        Some(WireTimestampFormat::HttpDate)
    );
    assert_eq!(
        svc.shape("ObjectLockRetainUntilDate")
            .bindings
            .timestamp_format,
        Some(WireTimestampFormat::Iso8601)
    );
    assert_eq!(svc.shape("LastModified").bindings.timestamp_format, None);
    // The error trait of an exception.
    assert_eq!(
        svc.shape("NoSuchKey").bindings.error,
        Some(ErrorTrait {
            code: None,
            http_status_code: Some(404),
            sender_fault: false
        })
    );
}

#[test]
fn lambda_bindings() {
    let svc = resolve_file(&excerpt("lambda"));
    assert_eq!(svc.meta.protocols, [Protocol::RestJson]);
    assert!(!svc.meta.s3_signing, "signatureVersion v4: the standard rules");
    let invoke = svc.operation("Invoke").unwrap();
    assert!(
        svc.streaming_payload(&invoke.output_shape).is_none(),
        "Invoke's payload is a blob read whole"
    );
    let op = svc.operation("Invoke").unwrap();
    assert_eq!(op.http.method, "POST");
    assert_eq!(op.http.response_code, Some(200));
    assert_eq!(
        op.http.request_uri.labels().collect::<Vec<_>>(),
        [("FunctionName", false)]
    );
    assert_eq!(
        member(&svc, "InvocationResponse", "StatusCode").location,
        Some(Location::StatusCode)
    );
    assert_eq!(
        svc.shape("InvocationResponse").bindings.payload.as_deref(),
        Some("Payload")
    );
    assert_eq!(
        member(&svc, "InvocationRequest", "InvocationType")
            .location_name
            .as_deref(),
        Some("X-Amz-Invocation-Type")
    );
    let error = svc
        .shape("ResourceNotFoundException")
        .bindings
        .error
        .clone();
    assert_eq!(
        error,
        Some(ErrorTrait {
            code: None,
            http_status_code: Some(404),
            sender_fault: true
        })
    );
}

#[test]
fn ec2_bindings() {
    let svc = resolve_file(&excerpt("ec2"));
    assert_eq!(svc.meta.protocols, [Protocol::Ec2]);
    let op = svc.operation("DescribeRegions").unwrap();
    assert_eq!(op.http.method, "POST");
    assert_eq!(op.http.request_uri.path, [UriSegment::Literal("/".into())]);
    assert_eq!(
        member(&svc, "DescribeRegionsRequest", "DryRun")
            .location_name
            .as_deref(),
        Some("dryRun")
    );
    assert_eq!(
        svc.shape("RegionList")
            .bindings
            .list_member
            .as_ref()
            .unwrap()
            .location_name
            .as_deref(),
        Some("item")
    );
}

/// A small rest-xml model with every binding the IR keeps.
const EVERY_BINDING: &str = r#"{
 "metadata": {"apiVersion": "2020-01-01", "endpointPrefix": "b", "protocol": "rest-xml",
              "protocols": ["query", "rest-xml"]},
 "operations": {
  "Put": {"name": "Put", "http": {"method": "PUT", "requestUri": "/{Id}/x?a=1&b", "responseCode": 201},
          "input": {"shape": "In", "locationName": "PutRequest",
                    "xmlNamespace": {"uri": "https://ns.example/"}},
          "output": {"shape": "Out", "resultWrapper": "PutResult"},
          "errors": [{"shape": "Bad"}]}
 },
 "shapes": {
  "In": {"type": "structure", "required": ["Id"], "members": {
    "Id": {"shape": "S", "location": "uri", "locationName": "Id"},
    "Meta": {"shape": "M", "location": "headers", "locationName": "x-meta-"},
    "When": {"shape": "T", "location": "header", "locationName": "X-When", "timestampFormat": "unixTimestamp"},
    "Doc": {"shape": "S", "location": "header", "locationName": "X-Doc", "jsonvalue": true},
    "Host": {"shape": "S", "hostLabel": true},
    "Ec2Name": {"shape": "S", "queryName": "Ec2Name", "locationName": "ec2Name"},
    "Kind": {"shape": "S", "xmlAttribute": true, "locationName": "xsi:type",
             "xmlNamespace": {"prefix": "xsi", "uri": "http://www.w3.org/2001/XMLSchema-instance"}},
    "Items": {"shape": "L", "flattened": true}
  }},
  "Out": {"type": "structure", "members": {"Status": {"shape": "I", "location": "statusCode"}}},
  "Bad": {"type": "structure", "members": {}, "exception": true,
          "error": {"code": "BadThing", "httpStatusCode": 400, "senderFault": true}},
  "L": {"type": "list", "member": {"shape": "S", "locationName": "item"}, "flattened": true},
  "M": {"type": "map", "key": {"shape": "S", "locationName": "k"}, "value": {"shape": "S", "locationName": "v"}},
  "S": {"type": "string"},
  "I": {"type": "integer"},
  "T": {"type": "timestamp", "locationName": "Time", "timestampFormat": "unixTimestamp",
        "xmlNamespace": {"prefix": "t", "uri": "https://t.example/"}}
 }
}"#;

#[test]
fn every_binding_of_a_small_model() {
    let svc = resolve_json(EVERY_BINDING).unwrap();
    // Listed query first; botocore prefers rest-xml.
    assert_eq!(
        svc.meta.model_protocols,
        [Protocol::Query, Protocol::RestXml]
    );
    assert_eq!(svc.meta.protocols, [Protocol::RestXml, Protocol::Query]);
    let op = svc.operation("Put").unwrap();
    assert_eq!(op.http.response_code, Some(201));
    assert_eq!(
        op.http.request_uri.query,
        [
            ("a".to_string(), Some("1".to_string())),
            ("b".to_string(), None)
        ]
    );
    assert_eq!(
        op.input_bindings.location_name.as_deref(),
        Some("PutRequest")
    );
    assert_eq!(
        op.input_bindings
            .xml_namespace
            .as_ref()
            .map(|n| n.uri.as_str()),
        Some("https://ns.example/")
    );
    assert_eq!(
        op.output_bindings.result_wrapper.as_deref(),
        Some("PutResult")
    );
    assert_eq!(member(&svc, "In", "Meta").location, Some(Location::Headers));
    let when = member(&svc, "In", "When");
    assert_eq!(when.location, Some(Location::Header));
    assert_eq!(
        when.timestamp_format,
        Some(WireTimestampFormat::EpochSeconds)
    );
    assert!(member(&svc, "In", "Doc").jsonvalue);
    assert!(member(&svc, "In", "Host").host_label);
    let ec2 = member(&svc, "In", "Ec2Name");
    assert_eq!(ec2.query_name.as_deref(), Some("Ec2Name"));
    assert_eq!(ec2.location_name.as_deref(), Some("ec2Name"));
    let kind = member(&svc, "In", "Kind");
    assert!(kind.xml_attribute);
    assert_eq!(
        kind.xml_namespace
            .as_ref()
            .and_then(|n| n.prefix.as_deref()),
        Some("xsi")
    );
    assert!(member(&svc, "In", "Items").flattened);
    assert!(!member(&svc, "In", "Id").flattened);
    assert_eq!(
        member(&svc, "Out", "Status").location,
        Some(Location::StatusCode)
    );
    let list = &svc.shape("L").bindings;
    assert!(list.flattened);
    let map = &svc.shape("M").bindings;
    assert_eq!(
        map.map_key.as_ref().unwrap().location_name.as_deref(),
        Some("k")
    );
    assert_eq!(
        map.map_value.as_ref().unwrap().location_name.as_deref(),
        Some("v")
    );
    let t = &svc.shape("T").bindings;
    assert_eq!(t.timestamp_format, Some(WireTimestampFormat::EpochSeconds));
    assert_eq!(t.location_name.as_deref(), Some("Time"));
    assert_eq!(
        t.xml_namespace.as_ref().map(|n| n.uri.as_str()),
        Some("https://t.example/")
    );
    assert_eq!(
        svc.shape("Bad").bindings.error,
        Some(ErrorTrait {
            code: Some("BadThing".into()),
            http_status_code: Some(400),
            sender_fault: true
        })
    );
}

#[test]
fn operations_without_http_are_post_slash() {
    let svc = resolve_json(
        r#"{"metadata": {"apiVersion": "1", "endpointPrefix": "b", "protocol": "json"},
            "operations": {"Op": {"name": "Op"}}, "shapes": {}}"#,
    )
    .unwrap();
    let op = svc.operation("Op").unwrap();
    assert_eq!(op.http.method, "POST");
    assert_eq!(op.http.request_uri.template, "/");
    assert_eq!(svc.meta.protocols, [Protocol::AwsJson1_0]);
}

#[test]
fn invalid_bindings_name_the_shape_member_and_json_path() {
    let model = |uri: &str, members: &str, extra: &str| {
        format!(
            r#"{{"metadata": {{"apiVersion": "1", "endpointPrefix": "b", "protocol": "rest-json"}},
                "operations": {{"Op": {{"name": "Op", "http": {{"method": "GET", "requestUri": "{uri}"}},
                                      "input": {{"shape": "In"}}}}}},
                "shapes": {{"In": {{"type": "structure", "members": {{{members}}}{extra}}},
                           "S": {{"type": "string"}}}}}}"#
        )
    };
    let cases = [
        (
            model("/things", r#""id": {"shape": "S", "location": "uri"}"#, ""),
            &[
                "inline.json",
                "`shapes.In.members.id.location`",
                "`{id}`",
                "`/things`",
            ][..],
        ),
        (
            model(
                "/things/{thingId}",
                r#""id": {"shape": "S", "location": "uri", "locationName": "tid"}"#,
                "",
            ),
            &[
                "`operations.Op.http.requestUri`",
                "`{thingId}`",
                "no `uri` member",
            ][..],
        ),
        (
            model("/", r#""id": {"shape": "S"}"#, r#", "payload": "body""#),
            &["`shapes.In.payload`", "`In`", "`body`"][..],
        ),
        (
            model("/", r#""id": {"shape": "S", "location": "body"}"#, ""),
            &["`shapes.In.members.id.location`", "unknown location `body`"][..],
        ),
        (
            model(
                "/",
                r#""id": {"shape": "S", "timestampFormat": "stardate"}"#,
                "",
            ),
            &["`shapes.In.members.id.timestampFormat`", "stardate"][..],
        ),
        (
            model(
                "/things/{id",
                r#""id": {"shape": "S", "location": "uri"}"#,
                "",
            ),
            &["`operations.Op.http.requestUri`", "unclosed"][..],
        ),
    ];
    for (json, expected) in cases {
        let err = resolve_json(&json).unwrap_err().to_string();
        for e in expected {
            assert!(err.contains(e), "{err:?} lacks {e:?}");
        }
    }
    // The same model with consistent bindings resolves.
    let ok = model(
        "/things/{tid}",
        r#""id": {"shape": "S", "location": "uri", "locationName": "tid"}"#,
        "",
    );
    assert!(resolve_json(&ok).is_ok());
}
