//! The waiter compiler: the JMESPath parser over every expression botocore 1.44.8's waiters
//! use, the type checker over the DynamoDB model and the waiter fixture, and hostile
//! expressions (unsupported syntax or functions, unknown members, type mismatches), each a
//! clear error naming the waiter, the acceptor and the expression.

#[path = "support/common.rs"]
mod common;

use codegen::waiters::{self, Ast, CmpKind, CmpOp, Expr, Matcher, PathMatch, State, Ty};

fn load(path: &std::path::Path) -> codegen::ir::Service {
    let model = codegen::load_model(path).expect("model loads");
    codegen::ir::resolve(&model, path, None).expect("model resolves")
}

fn fixture() -> codegen::ir::Service {
    load(&codegen::fixture_model_path(&common::root(), "waiters"))
}

#[test]
fn every_botocore_expression_parses() {
    let path = common::root().join("codegen/tests/waiters/botocore-1.44.8-expressions.json");
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(path).expect("read")).expect("JSON");
    let exprs = data["expressions"].as_array().expect("a list");
    assert_eq!(exprs.len(), 188);
    for e in exprs {
        let text = e.as_str().expect("a string");
        waiters::parse(text).unwrap_or_else(|err| panic!("`{text}`: {err}"));
    }
}

#[test]
fn precedence_and_shapes_of_the_tree() {
    let field = |name: &str| Ast::Field(Box::new(Ast::Current), name.to_string());
    let lit = |v: serde_json::Value| Ast::Literal(v);
    assert_eq!(
        waiters::parse("!a == b").unwrap(),
        Ast::Compare(
            CmpOp::Eq,
            Box::new(Ast::Not(Box::new(field("a")))),
            Box::new(field("b"))
        )
    );
    assert_eq!(
        waiters::parse("a || b && c").unwrap(),
        Ast::Or(
            Box::new(field("a")),
            Box::new(Ast::And(Box::new(field("b")), Box::new(field("c"))))
        )
    );
    assert_eq!(
        waiters::parse("length(A[]) > `0`").unwrap(),
        Ast::Compare(
            CmpOp::Gt,
            Box::new(Ast::Call(
                "length".into(),
                vec![Ast::Flatten(Box::new(field("A")))]
            )),
            Box::new(lit(serde_json::json!(0)))
        )
    );
    assert_eq!(
        waiters::parse("A[?S == 'x'].B").unwrap(),
        Ast::Field(
            Box::new(Ast::Filter(
                Box::new(field("A")),
                Box::new(Ast::Compare(
                    CmpOp::Eq,
                    Box::new(field("S")),
                    Box::new(lit(serde_json::json!("x")))
                ))
            )),
            "B".into()
        )
    );
    assert_eq!(
        waiters::parse(r#"M.*."quoted name""#).unwrap(),
        Ast::Field(
            Box::new(Ast::ValueWildcard(Box::new(field("M")))),
            "quoted name".into()
        )
    );
    assert_eq!(
        waiters::parse("A[*]").unwrap(),
        Ast::ListWildcard(Box::new(field("A")))
    );
}

#[test]
fn every_dynamodb_waiter_compiles_with_the_expected_types() {
    let svc = load(&common::root().join("models/dynamodb/service-2.json"));
    let names: Vec<&str> = svc.waiters.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "BulkOperationCompleted",
            "ContributorInsightsEnabled",
            "ExportCompleted",
            "ImportCompleted",
            "KinesisStreamingDestinationActive",
            "TableExists",
            "TableNotExists"
        ]
    );
    assert!(svc.skipped_waiters.is_empty(), "{:?}", svc.skipped_waiters);
    let exists = &svc.waiters[5];
    assert_eq!((exists.min_delay, exists.max_delay), (20, 120));
    assert_eq!(exists.operation, "DescribeTable");
    assert_eq!(exists.acceptors.len(), 2);
    assert_eq!(exists.acceptors[0].state, State::Success);
    // `Table.TableStatus == "ACTIVE"`: the enum compared as a string.
    let Matcher::Path(PathMatch::Value(Expr::Compare {
        op: CmpOp::Eq,
        kind: CmpKind::Str,
        left,
        right,
    })) = &exists.acceptors[0].matcher
    else {
        panic!("{:?}", exists.acceptors[0].matcher)
    };
    assert_eq!(**right, Expr::Str("ACTIVE".into()));
    assert_eq!(waiters::ty_of(&svc, left), Ty::One("TableStatus".into()));
    assert!(
        matches!(&exists.acceptors[1].matcher, Matcher::ErrorCode(c) if c == "ResourceNotFoundException")
    );
    assert_eq!(exists.acceptors[1].state, State::Retry);
    // pathAny over a projection of an enum.
    let kinesis = &svc.waiters[4];
    let Matcher::Path(PathMatch::Elements {
        all: false, list, ..
    }) = &kinesis.acceptors[0].matcher
    else {
        panic!("{:?}", kinesis.acceptors[0].matcher)
    };
    assert_eq!(
        waiters::ty_of(&svc, list),
        Ty::Many("DestinationStatus".into())
    );
    // The filter expression is a boolean compared with `true`.
    let Matcher::Path(PathMatch::Value(Expr::Compare {
        kind: CmpKind::Bool,
        left,
        ..
    })) = &kinesis.acceptors[1].matcher
    else {
        panic!("{:?}", kinesis.acceptors[1].matcher)
    };
    assert!(matches!(**left, Expr::And(..)), "{left:?}");
}

#[test]
fn ops_keeps_only_the_waiters_of_chosen_operations() {
    let path = common::root().join("models/dynamodb/service-2.json");
    let model = codegen::load_model(&path).expect("loads");
    let ops = vec!["DescribeTable".to_string()];
    let svc = codegen::ir::resolve(&model, &path, Some(&ops)).expect("resolves");
    let names: Vec<&str> = svc.waiters.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["TableExists", "TableNotExists"]);
    let ops = vec!["ListTables".to_string()];
    let svc = codegen::ir::resolve(&model, &path, Some(&ops)).expect("resolves");
    assert!(svc.waiters.is_empty() && svc.skipped_waiters.is_empty());
    let names = svc.names.waiter("TableExists");
    assert!(names.is_none());
    let svc = load(&path);
    let names = svc.names.waiter("TableExists").expect("named");
    assert_eq!(names.method, "wait_until_table_exists");
    assert_eq!(names.module, "table_exists");
    assert_eq!(names.fluent_builder, "TableExistsFluentBuilder");
    assert_eq!(names.final_poll, "TableExistsFinalPoll");
    assert_eq!(names.error, "WaitUntilTableExistsError");
}

/// Compiles a one-acceptor waiter over the fixture's `DescribeThing`.
fn compile(matcher: &str, argument: &str, expected: serde_json::Value) -> Result<(), String> {
    let svc = fixture();
    let w: codegen::model::Waiter = serde_json::from_value(serde_json::json!({
        "operation": "DescribeThing",
        "delay": 5,
        "maxAttempts": 10,
        "acceptors": [
            {"state": "retry", "matcher": "error", "expected": "ThingNotFound"},
            {"state": "success", "matcher": matcher, "argument": argument, "expected": expected}
        ]
    }))
    .expect("waiter JSON");
    waiters::compile_waiter(&svc, "Hostile", &w)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[test]
fn hostile_expressions_are_clear_errors() {
    let cases: &[(&str, &str, serde_json::Value, &str)] = &[
        (
            "path",
            "contains(Parts[].State, 'ACTIVE')",
            true.into(),
            "function `contains()` is not supported (only `length()` is)",
        ),
        (
            "path",
            "Thing.Nope",
            "x".into(),
            "structure `Thing` has no member `Nope` (members: Status, Ready, Size)",
        ),
        (
            "path",
            "Thing.Status == `1`",
            true.into(),
            "type mismatch: a value of shape `ThingStatus` (a string enum) compared with a number",
        ),
        (
            "path",
            "Thing.Size",
            "big".into(),
            "type mismatch: a value of shape `Integer` (an integer) compared with a string",
        ),
        (
            "path",
            "Thing.Status",
            true.into(),
            "type mismatch: a value of shape `ThingStatus` (a string enum) compared with a boolean",
        ),
        (
            "path",
            "Thing.Status > 'A'",
            true.into(),
            "ordering comparisons take numbers",
        ),
        (
            "path",
            "Parts[0].State",
            "x".into(),
            "index expressions (`[0]`) are not supported",
        ),
        (
            "path",
            "Parts | length(@)",
            1.into(),
            "pipe expressions (`|`) are not supported",
        ),
        (
            "path",
            "Thing.Status.Foo",
            "x".into(),
            "`Foo` is read from shape `ThingStatus`, which is a string enum, not a structure",
        ),
        (
            "path",
            "Parts[].Children[?State == 'x']",
            true.into(),
            "a filter inside a projection (a list of lists) is not supported",
        ),
        (
            "path",
            "length(Thing.Size) > `1`",
            true.into(),
            "`length()` takes a string, list or map, not a value of shape `Integer`",
        ),
        (
            "path",
            "Thing.Status == `[1]`",
            true.into(),
            "list and object literals are not supported",
        ),
        ("path", "Thing.Status ==", true.into(), "cannot parse"),
        (
            "path",
            "Thing.Status == 'open",
            true.into(),
            "unterminated raw string",
        ),
        (
            "path",
            "Thing.Status == `{`",
            true.into(),
            "invalid JSON literal",
        ),
        (
            "path",
            "Thing..Status",
            "x".into(),
            "expected a name after `.`",
        ),
        (
            "path",
            "Parts[1:2]",
            "x".into(),
            "slices (`:` at offset 7) are not supported",
        ),
        (
            "path",
            "Parts[].{a: State}",
            "x".into(),
            "multi-select hashes",
        ),
        (
            "path",
            "Parts[Thing]",
            "x".into(),
            "slices and multi-selects are not supported",
        ),
        (
            "path",
            "a == b == c",
            true.into(),
            "comparisons do not chain",
        ),
        (
            "pathAll",
            "Thing.Status",
            "ACTIVE".into(),
            "`pathAll` needs a list or projection, not a value of shape `ThingStatus`",
        ),
        (
            "path",
            "Thing && Parts",
            true.into(),
            "`&&` is supported between booleans, not a value of shape `Thing` (a structure)",
        ),
        (
            "path",
            "!Thing",
            true.into(),
            "the truth value of shape `Thing` (a structure) is not supported",
        ),
        (
            "path",
            "Parts[].State == 'ACTIVE'",
            true.into(),
            "cannot compare a projection of shape `ThingStatus` with a string",
        ),
        (
            "path",
            "Parts.*",
            true.into(),
            "`*` is supported over a map's values only",
        ),
        (
            "path",
            "Thing.Ready || Note",
            true.into(),
            "`||` is supported between booleans or between strings",
        ),
        (
            "path",
            "Thing.Status",
            serde_json::json!({"a": 1}),
            "expected value: list and object literals are not supported",
        ),
    ];
    for (matcher, argument, expected, message) in cases {
        let err = compile(matcher, argument, expected.clone())
            .expect_err(&format!("`{argument}` should be refused"));
        let prefix = format!("waiter `Hostile`, acceptor 1 (`{argument}`): ");
        assert!(err.starts_with(&prefix), "{err}");
        assert!(err.contains(message), "`{argument}`: {err}");
    }
    // And the valid neighbours of some of them compile.
    for (matcher, argument, expected) in [
        ("path", "Thing.Size > `1`", serde_json::json!(true)),
        ("path", "Thing.Size", serde_json::json!(3)),
        ("path", "Thing.Ready", serde_json::json!(false)),
        ("path", "Thing.Status == `null`", serde_json::json!(true)),
        ("pathAny", "Parts[*].State", serde_json::json!("FAILED")),
        ("path", "length(Labels) == `0`", serde_json::json!(true)),
        ("path", "!Parts", serde_json::json!(true)),
        ("path", "@.Thing.Status", serde_json::json!("ACTIVE")),
    ] {
        compile(matcher, argument, expected).unwrap_or_else(|e| panic!("`{argument}`: {e}"));
    }
}

#[test]
fn bad_acceptors_are_clear_errors() {
    let svc = fixture();
    let waiter = |acceptor: serde_json::Value, delay: u64| -> codegen::model::Waiter {
        serde_json::from_value(serde_json::json!({
            "operation": "DescribeThing", "delay": delay, "maxAttempts": 3, "acceptors": [acceptor]
        }))
        .expect("waiter JSON")
    };
    let err = |w: codegen::model::Waiter| {
        waiters::compile_waiter(&svc, "Bad", &w)
            .expect_err("refused")
            .to_string()
    };
    let e = err(waiter(
        serde_json::json!({"state": "done", "matcher": "error", "expected": true}),
        5,
    ));
    assert_eq!(e, "waiter `Bad`, acceptor 0: unknown state `done`");
    let e = err(waiter(
        serde_json::json!({"state": "retry", "matcher": "header", "expected": true}),
        5,
    ));
    assert_eq!(e, "waiter `Bad`, acceptor 0: unknown matcher `header`");
    let e = err(waiter(
        serde_json::json!({"state": "retry", "matcher": "status", "expected": "404"}),
        5,
    ));
    assert!(e.contains("status expects an HTTP status"), "{e}");
    let e = err(waiter(
        serde_json::json!({"state": "retry", "matcher": "path", "expected": "x"}),
        5,
    ));
    assert!(e.contains("`path` needs an argument"), "{e}");
    let e = err(waiter(
        serde_json::json!({"state": "retry", "matcher": "error", "expected": true}),
        0,
    ));
    assert!(e.contains("the delay is 0 seconds"), "{e}");
}

#[test]
fn a_waiter_that_does_not_compile_is_left_out_with_a_note() {
    let svc = fixture();
    let names: Vec<&str> = svc.waiters.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["PartsReady", "ThingActive", "ThingGone"]);
    assert_eq!(svc.skipped_waiters.len(), 1);
    assert_eq!(
        svc.skipped_waiters[0].to_string(),
        "waiter `Unsupported`, acceptor 0 (`contains(Parts[].State, 'ACTIVE')`): function `contains()` is not supported (only `length()` is)"
    );
    let (_, files) = common::generate(
        &codegen::fixture_model_path(&common::root(), "waiters"),
        None,
    );
    let module = &files["src/waiters/mod.rs"];
    assert!(
        module.contains("//! - waiter `Unsupported`, acceptor 0"),
        "{module}"
    );
    assert!(!files.contains_key("src/waiters/unsupported.rs"));
    // Crates without waiters get no waiters module and no trait.
    let (_, files) = common::generate(&common::dx_model_path(), None);
    assert!(!files.keys().any(|k| k.starts_with("src/waiters")));
    assert!(!files["src/client.rs"].contains("trait Waiters"));
}

#[test]
fn a_malformed_waiters_file_names_the_file_and_json_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = codegen::fixture_model_path(&common::root(), "waiters");
    std::fs::copy(&model, dir.path().join("service-2.json")).expect("copy");
    std::fs::write(
        dir.path().join("waiters-2.json"),
        r#"{"version": 2, "waiters": {"W": {"operation": "DescribeThing", "delay": "soon", "acceptors": []}}}"#,
    )
    .expect("write");
    let err = codegen::load_model(&dir.path().join("service-2.json"))
        .expect_err("bad delay")
        .to_string();
    assert!(err.contains("waiters-2.json"), "{err}");
    assert!(err.contains("waiters.W.delay"), "{err}");
}
