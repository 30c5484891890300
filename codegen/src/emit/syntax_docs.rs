//! Operation documentation in the shape of the boto3 pages: request syntax, parameters,
//! response syntax, response structure and errors.

use super::Ctx;
use crate::ir::{Member, Operation, Primitive, Service, ShapeKind};
use crate::naming;

/// A JSON sketch of a value, as the response syntax shows it.
fn value_syntax(
    svc: &Service,
    target: &str,
    indent: usize,
    stack: &mut Vec<String>,
    out: &mut String,
) {
    // Deep or wide shape graphs (a structure with several members of the same big structure,
    // many levels down) would expand exponentially: past a depth or size budget, elide.
    const MAX_DEPTH: usize = 24;
    const MAX_LEN: usize = 64 * 1024;
    if indent > MAX_DEPTH || out.len() > MAX_LEN {
        out.push_str("...");
        return;
    }
    let pad = "    ".repeat(indent);
    match &svc.shape(target).kind {
        ShapeKind::Primitive(p) => out.push_str(match p {
            Primitive::String => "\"string\"",
            Primitive::Integer | Primitive::Long => "123",
            Primitive::Boolean => "true|false",
            Primitive::Double | Primitive::Float => "123.0",
            Primitive::Timestamp => "1420070400 (epoch seconds)",
            Primitive::Blob => "\"base64\"",
            Primitive::Document => "{...}|[...]|123|\"string\"|true|null",
        }),
        ShapeKind::Enum(vs) => {
            // Alternatives wrap so the block stays readable.
            let mut line_len = 0;
            for (i, v) in vs.iter().enumerate() {
                let item = format!("\"{}\"", v.wire_value);
                if i > 0 {
                    if line_len + item.len() > 60 {
                        out.push('\n');
                        out.push_str(&pad);
                        out.push_str("  | ");
                        line_len = 0;
                    } else {
                        out.push_str(" | ");
                    }
                }
                line_len += item.len() + 3;
                out.push_str(&item);
            }
        }
        ShapeKind::List(elem) => {
            out.push_str("[\n");
            out.push_str(&pad);
            out.push_str("    ");
            value_syntax(svc, elem, indent + 1, stack, out);
            out.push_str(",\n");
            out.push_str(&pad);
            out.push(']');
        }
        ShapeKind::Map(k, v) => {
            out.push_str("{\n");
            out.push_str(&pad);
            out.push_str("    ");
            value_syntax(svc, k, indent + 1, stack, out);
            out.push_str(": ");
            value_syntax(svc, v, indent + 1, stack, out);
            out.push('\n');
            out.push_str(&pad);
            out.push('}');
        }
        ShapeKind::Structure(s) => {
            if stack.iter().any(|n| n == target) {
                out.push_str("{ /* recursive */ }");
                return;
            }
            stack.push(target.to_string());
            out.push_str("{\n");
            for m in &s.members {
                out.push_str(&pad);
                out.push_str(&format!("    \"{}\": ", m.wire_name));
                value_syntax(svc, &m.target, indent + 1, stack, out);
                out.push_str(",\n");
            }
            out.push_str(&pad);
            out.push('}');
            stack.pop();
        }
    }
}

/// A Rust argument for a builder setter, as the request syntax shows it.
fn rust_argument(cx: &Ctx<'_>, target: &str) -> String {
    let shape = cx.svc.shape(target);
    let names = cx.shape_names(target);
    let type_name = naming::unraw(&names.type_name);
    match &shape.kind {
        ShapeKind::Primitive(p) => match p {
            Primitive::String => "\"string\"".to_string(),
            Primitive::Integer | Primitive::Long => "123".to_string(),
            Primitive::Boolean => "true".to_string(),
            Primitive::Double | Primitive::Float => "123.0".to_string(),
            Primitive::Timestamp => "DateTime::from_secs(1420070400)".to_string(),
            Primitive::Blob => "Blob::new(bytes)".to_string(),
            Primitive::Document => "document".to_string(),
        },
        ShapeKind::Enum(_) => match names.variants.first() {
            Some(v) => format!("{type_name}::{}", naming::unraw(&v.variant)),
            None => format!("{type_name}::from(\"value\")"),
        },
        // A union's first member may be the union again (a list of filters): no recursion.
        ShapeKind::Structure(s) if s.union => match names.union_variants.first() {
            Some(v) => format!("{type_name}::{}(/* ... */)", naming::unraw(&v.variant)),
            None => format!("{type_name}::Unknown"),
        },
        ShapeKind::Structure(_) => format!("{type_name}::builder() /* ... */ .build()"),
        ShapeKind::List(elem) => rust_argument(cx, elem),
        ShapeKind::Map(k, v) => format!("{}, {}", rust_argument(cx, k), rust_argument(cx, v)),
    }
}

fn type_label(cx: &Ctx<'_>, target: &str) -> String {
    let svc = cx.svc;
    let shape = svc.shape(target);
    match &shape.kind {
        ShapeKind::Enum(_) | ShapeKind::Structure(_) => {
            format!(
                "[`{0}`]({1}::types::{0})",
                naming::unraw(&cx.shape_names(target).type_name),
                cx.doc_root()
            )
        }
        ShapeKind::List(elem) => format!("list of {}", type_label(cx, elem)),
        ShapeKind::Map(k, v) => format!("map of {} to {}", type_label(cx, k), type_label(cx, v)),
        ShapeKind::Primitive(_) => super::wire_type_name(svc, target).to_string(),
    }
}

/// Indents continuation lines of a Markdown block so it stays inside a list item.
fn indent_item(text: &str) -> String {
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str("  ");
            }
        }
        out.push_str(line);
    }
    out
}

/// Full Markdown docs of an operation.
pub(crate) fn operation_docs(cx: &Ctx<'_>, op: &Operation) -> String {
    let svc = cx.svc;
    let mut doc = if op.docs.is_empty() {
        format!("Calls the `{}` operation.", op.wire_name)
    } else {
        op.docs.clone()
    };
    if let Some(note) = &op.deprecated {
        doc.push_str(&format!(
            "\n\n**Deprecated:** {}",
            crate::docs::plain_text(note)
        ));
    }
    let names = cx.op_names(op);
    let op_mod = naming::unraw(&names.module);
    let root = cx.doc_root();
    let fluent = format!(
        "{root}::operation::{op_mod}::builders::{}",
        naming::unraw(&names.fluent_builder)
    );
    let output = format!(
        "{root}::operation::{op_mod}::{}",
        naming::unraw(&names.output)
    );
    // Members of the model's input and output, by field name.
    let field = |shape: &str, m: &Member| naming::unraw(&cx.member_names(shape, m).field);

    // Request.
    doc.push_str("\n\n# Request syntax\n\n```text\n");
    doc.push_str(&format!(
        "let response = client.{}()\n",
        naming::unraw(&names.client_method)
    ));
    let input_members = op.input.as_deref().and_then(|i| match &svc.shape(i).kind {
        ShapeKind::Structure(s) => Some(&s.members),
        _ => None,
    });
    if let Some(members) = input_members {
        for m in members {
            let value = rust_argument(cx, &m.target);
            let required = if m.required { "  // required" } else { "" };
            doc.push_str(&format!(
                "    .{}({value}){required}\n",
                field(&op.input_shape, m)
            ));
        }
    }
    doc.push_str("    .send()\n    .await?;\n```\n");
    if let Some(members) = input_members.filter(|m| !m.is_empty()) {
        doc.push_str("\n# Parameters\n");
        for m in members {
            let bare = field(&op.input_shape, m);
            let required = if m.required {
                " **\\[REQUIRED\\]**"
            } else {
                ""
            };
            let list_note = if matches!(svc.shape(&m.target).kind, ShapeKind::List(_)) {
                " (one item per call)"
            } else {
                ""
            };
            let text = if m.docs.is_empty() {
                String::new()
            } else {
                format!("\n\n{}", m.docs)
            };
            doc.push_str(&format!(
                "\n- [`{bare}`]({fluent}::{bare}) (`{}`, {}){list_note}:{required}{}\n",
                m.wire_name,
                type_label(cx, &m.target),
                indent_item(&text)
            ));
        }
    }

    // Response.
    let output_members = op.output.as_deref().and_then(|o| match &svc.shape(o).kind {
        ShapeKind::Structure(s) => Some(&s.members),
        _ => None,
    });
    doc.push_str("\n# Response syntax\n\n```text\n");
    match op.output.as_deref() {
        Some(o) => {
            let mut stack = Vec::new();
            value_syntax(svc, o, 0, &mut stack, &mut doc);
            doc.push('\n');
        }
        None => doc.push_str("{}\n"),
    }
    doc.push_str("```\n");
    if let Some(members) = output_members.filter(|m| !m.is_empty()) {
        doc.push_str("\n# Response structure\n");
        for m in members {
            let bare = field(&op.output_shape, m);
            let text = if m.docs.is_empty() {
                String::new()
            } else {
                format!("\n\n{}", m.docs)
            };
            doc.push_str(&format!(
                "\n- [`{bare}()`]({output}::{bare}) (`{}`, {}):{}\n",
                m.wire_name,
                type_label(cx, &m.target),
                indent_item(&text)
            ));
        }
    }

    // Errors.
    if !op.errors.is_empty() {
        doc.push_str("\n# Errors\n\n");
        for e in &op.errors {
            let shape = svc.shape(e);
            let first = shape.docs.lines().next().unwrap_or("").to_string();
            doc.push_str(&format!(
                "- [`{0}`]({1}::types::error::{0}): {first}\n",
                naming::unraw(&cx.shape_names(e).type_name),
                cx.doc_root()
            ));
        }
    }
    doc.trim_end().to_string()
}
