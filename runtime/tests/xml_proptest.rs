//! Property tests of the XML reader and the XML error-body parser: arbitrary bytes, and
//! valid documents truncated or with random bytes changed, give a value or an `XmlError`,
//! never a panic or a hang; well-formed documents written by the `XmlWriter` read back.

#![cfg(feature = "xml")]

use aws_lite_runtime::xml::{XmlError, XmlRead, XmlReader, XmlTag, XmlWriter, parse_error_body};
use proptest::prelude::*;

/// A structure with every kind of member the generated readers handle.
#[derive(Debug, Default, PartialEq)]
struct Item {
    name: Option<String>,
    count: Option<i32>,
    flag: Option<bool>,
    ratio: Option<f64>,
    tags: Option<Vec<String>>,
    attrs: Option<std::collections::HashMap<String, String>>,
    child: Option<Box<Item>>,
    kind: Option<String>,
}

impl XmlRead for Item {
    fn read_xml(r: &mut XmlReader<'_>, tag: &XmlTag<'_>) -> Result<Self, XmlError> {
        let mut out = Item {
            kind: tag.attribute("kind"),
            ..Item::default()
        };
        while let Some(child) = r.next_child()? {
            match child.local_name() {
                "Name" => out.name = Some(r.read_string(&child)?),
                "Count" => out.count = Some(r.read_i32(&child)?),
                "Flag" => out.flag = Some(r.read_bool(&child)?),
                "Ratio" => out.ratio = Some(r.read_f64(&child)?),
                "Tags" => out.tags = Some(r.read_list(|r, t| r.read_string(t))?),
                "Attrs" => {
                    out.attrs = Some(r.read_map(
                        "key",
                        "value",
                        |r, t| r.read_string(t),
                        |r, t| r.read_string(t),
                    )?)
                }
                "Child" => out.child = Some(Box::new(r.read(&child)?)),
                _ => r.skip()?,
            }
        }
        Ok(out)
    }
}

const VALID: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DescribeResponse xmlns="https://example.com/doc/2020-01-08/">
  <DescribeResult>
    <Name>a &amp; b &#x263A;</Name><Count>-12</Count><Flag>true</Flag><Ratio>1.5e3</Ratio>
    <Tags><member>x</member><member><![CDATA[<y>]]></member></Tags>
    <Attrs><entry><key>k</key><value>v</value></entry></Attrs>
    <Child kind="leaf"><Name>inner</Name><Unknown><deep>1</deep></Unknown></Child>
  </DescribeResult>
  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>
</DescribeResponse>"#;

const ERRORS: [&str; 3] = [
    "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r</RequestId></ErrorResponse>",
    "<Response><Errors><Error><Code>InvalidInstanceID.NotFound</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>",
    "<Error><Code>NoSuchKey</Code><Message>m</Message><RequestId>r</RequestId></Error>",
];

fn read(bytes: &[u8]) -> Result<(Item, Option<String>), XmlError> {
    XmlReader::new(bytes)?.read_result(Some("DescribeResult"), Item::read_xml)
}

#[test]
fn the_valid_document_reads() {
    let (item, request_id) = read(VALID.as_bytes()).unwrap();
    assert_eq!(request_id.as_deref(), Some("req-1"));
    assert_eq!(item.name.as_deref(), Some("a & b \u{263A}"));
    assert_eq!(
        (item.count, item.flag, item.ratio),
        (Some(-12), Some(true), Some(1500.0))
    );
    assert_eq!(item.tags, Some(vec!["x".to_string(), "<y>".to_string()]));
    assert_eq!(item.attrs.unwrap()["k"], "v");
    let child = item.child.unwrap();
    assert_eq!(
        (child.name.as_deref(), child.kind.as_deref()),
        (Some("inner"), Some("leaf"))
    );
}

#[test]
fn html_pages_and_empty_bodies_are_errors() {
    for body in [
        &b""[..],
        b"<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>",
        b"<!DOCTYPE html><html><body><p>Service Unavailable<br></p></body></html>",
        b"{\"message\":\"not xml\"}",
    ] {
        assert!(read(body).is_err(), "{:?}", String::from_utf8_lossy(body));
        let _ = parse_error_body(body);
    }
    assert!(read(b"").is_err());
    assert!(parse_error_body(b"").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = read(&bytes);
        let _ = parse_error_body(&bytes);
    }

    #[test]
    fn truncated_documents_are_errors(cut in 0..VALID.len()) {
        let bytes = &VALID.as_bytes()[..cut];
        prop_assert!(read(bytes).is_err(), "a truncated document read: {:?}", String::from_utf8_lossy(bytes));
    }

    #[test]
    fn mutated_documents_never_panic(
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        which in 0..4usize,
    ) {
        let mut bytes = if which == 3 { VALID } else { ERRORS[which] }.as_bytes().to_vec();
        for (at, b) in changes {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let _ = read(&bytes);
        let _ = parse_error_body(&bytes);
    }

    #[test]
    fn error_bodies_truncated_never_panic(which in 0..3usize, cut in 0..200usize) {
        let doc = ERRORS[which].as_bytes();
        let _ = parse_error_body(&doc[..cut.min(doc.len())]);
    }

    #[test]
    fn written_text_and_attributes_read_back(text in "\\PC*", attr in "\\PC*") {
        let mut w = XmlWriter::new();
        w.start("Child").attribute("kind", &attr);
        w.element("Name", &text);
        let doc = w.finish();
        let mut r = XmlReader::new(doc.as_bytes()).unwrap();
        let root = r.root().unwrap();
        let item = Item::read_xml(&mut r, &root).unwrap();
        // XML normalises line ends in text and whitespace in attributes.
        let norm_text = text.replace("\r\n", "\n").replace('\r', "\n");
        let norm_attr: String = attr.replace("\r\n", " ").chars().map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c }).collect();
        prop_assert_eq!(item.name.as_deref(), Some(norm_text.as_str()));
        prop_assert_eq!(item.kind.as_deref(), Some(norm_attr.as_str()));
    }
}

#[test]
fn two_megabytes_of_nesting_is_an_error() {
    let depth = 2 * 1024 * 1024 / 13;
    let doc = format!(
        "<DescribeResponse><DescribeResult>{}{}</DescribeResult></DescribeResponse>",
        "<Child>".repeat(depth),
        "</Child>".repeat(depth)
    );
    let err = read(doc.as_bytes()).unwrap_err();
    assert!(err.to_string().contains("nested more than"), "{err}");
}
