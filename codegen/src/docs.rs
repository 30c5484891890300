//! Converts the model's HTML documentation into rustdoc Markdown.
//!
//! The output is plain text meant for `#[doc = "..."]` attributes: it is emitted as a string
//! literal, so nothing in it can end a comment or inject code. Markdown metacharacters in the
//! model's text are escaped so rustdoc does not read them as links or HTML.

/// One token of the HTML input.
#[derive(Debug, PartialEq)]
enum Token<'a> {
    Open(String, Option<String>),
    Close(String),
    Text(&'a str),
}

fn tokenize(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let Some(end) = rest.find('>') else {
                    out.push(Token::Text(rest));
                    break;
                };
                let inner = &rest[1..end];
                rest = &rest[end + 1..];
                let inner = inner.trim();
                if let Some(name) = inner.strip_prefix('/') {
                    out.push(Token::Close(name.trim().to_ascii_lowercase()));
                } else {
                    let self_closing = inner.ends_with('/');
                    let inner = inner.trim_end_matches('/');
                    let mut parts = inner.splitn(2, char::is_whitespace);
                    let name = parts.next().unwrap_or("").to_ascii_lowercase();
                    let href = parts.next().and_then(attr_href);
                    if name.is_empty() || name.starts_with('!') {
                        continue;
                    }
                    out.push(Token::Open(name.clone(), href));
                    if self_closing {
                        out.push(Token::Close(name));
                    }
                }
            }
            Some(pos) => {
                out.push(Token::Text(&rest[..pos]));
                rest = &rest[pos..];
            }
            None => {
                out.push(Token::Text(rest));
                break;
            }
        }
    }
    out
}

fn attr_href(attrs: &str) -> Option<String> {
    let pos = attrs.find("href=")?;
    let value = &attrs[pos + 5..];
    let quote = value.chars().next()?;
    if quote == '"' || quote == '\'' {
        let value = &value[1..];
        value.find(quote).map(|end| value[..end].to_string())
    } else {
        Some(value.split_whitespace().next().unwrap_or("").to_string())
    }
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        // Entities are short: look only a few bytes ahead (a long run of `&` stays linear).
        let end = rest.bytes().take(11).position(|b| b == b';');
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let ch = match entity {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escapes text so rustdoc shows it literally.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text inside inline code: backticks cannot be escaped there, so the fence grows instead.
fn inline_code(code: &str) -> String {
    let code: String = code
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let code = code.trim();
    if code.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in code.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

struct Writer {
    blocks: Vec<String>,
    line: String,
    list_depth: usize,
    code_depth: usize,
    code_text: String,
    link: Option<(Option<String>, String)>,
    pre: bool,
}

impl Writer {
    fn push_text(&mut self, text: &str) {
        if let Some((_, ref mut label)) = self.link {
            label.push_str(text);
            return;
        }
        if self.code_depth > 0 {
            self.code_text.push_str(text);
            return;
        }
        let collapsed = collapse_ws(text);
        if collapsed.is_empty() {
            return;
        }
        let collapsed = if self.line.is_empty() || self.line.ends_with(' ') {
            collapsed.trim_start().to_string()
        } else {
            collapsed
        };
        self.line.push_str(&escape_markdown(&collapsed));
    }

    fn push_raw(&mut self, raw: &str) {
        if let Some((_, ref mut label)) = self.link {
            label.push_str(raw);
            return;
        }
        self.line.push_str(raw);
    }

    fn break_block(&mut self) {
        if self.line.trim() == "-" {
            // A list item whose text has not started yet.
            return;
        }
        let line = self.line.trim().to_string();
        self.line.clear();
        if line.is_empty() {
            return;
        }
        if self.list_depth > 0 {
            let indent = "  ".repeat(self.list_depth - 1);
            if let Some(last) = self.blocks.last_mut().filter(|b| {
                b.starts_with(&indent) && b.trim_start().starts_with("- ") && !b.ends_with('\u{0}')
            }) && !line.starts_with("- ")
            {
                last.push(' ');
                last.push_str(&line);
                return;
            }
            self.blocks.push(format!("{indent}{line}"));
        } else {
            self.blocks.push(line);
        }
    }
}

fn collapse_ws(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// Converts model HTML documentation to rustdoc Markdown (one string, paragraphs separated by
/// blank lines, list items on their own lines).
pub fn html_to_markdown(html: &str) -> String {
    let mut w = Writer {
        blocks: Vec::new(),
        line: String::new(),
        list_depth: 0,
        code_depth: 0,
        code_text: String::new(),
        link: None,
        pre: false,
    };
    for token in tokenize(html) {
        match token {
            Token::Text(t) => {
                let decoded = decode_entities(t);
                w.push_text(&decoded);
            }
            Token::Open(name, href) => match name.as_str() {
                "p" | "div" | "note" | "important" | "dl" | "dt" | "dd" | "h1" | "h2" | "h3"
                | "h4" | "pre" => {
                    w.break_block();
                    if name == "note" {
                        w.push_raw("**Note:** ");
                    } else if name == "important" {
                        w.push_raw("**Important:** ");
                    }
                    if name == "pre" {
                        w.pre = true;
                        w.code_depth += 1;
                    }
                }
                "ul" | "ol" => {
                    w.break_block();
                    w.list_depth += 1;
                }
                "li" => {
                    w.break_block();
                    w.push_raw("- ");
                }
                "br" => w.break_block(),
                "code" | "tt" => w.code_depth += 1,
                "b" | "strong" => w.push_raw("**"),
                "i" | "em" => w.push_raw("*"),
                "a" => w.link = Some((href, String::new())),
                _ => {}
            },
            Token::Close(name) => match name.as_str() {
                "p" | "div" | "note" | "important" | "dl" | "dt" | "dd" | "h1" | "h2" | "h3"
                | "h4" => w.break_block(),
                "pre" => {
                    w.code_depth = w.code_depth.saturating_sub(1);
                    w.pre = false;
                    let code = std::mem::take(&mut w.code_text);
                    let code = inline_code(&collapse_ws(&code));
                    w.push_raw(&code);
                    w.break_block();
                }
                "ul" | "ol" => {
                    w.break_block();
                    w.list_depth = w.list_depth.saturating_sub(1);
                    // A marker keeps text after the list out of the last item.
                    if let Some(last) = w.blocks.last_mut()
                        && last.trim_start().starts_with("- ")
                    {
                        last.push('\u{0}');
                    }
                }
                "li" => w.break_block(),
                "code" | "tt" => {
                    w.code_depth = w.code_depth.saturating_sub(1);
                    if w.code_depth == 0 && !w.pre {
                        let code = std::mem::take(&mut w.code_text);
                        let code = inline_code(&collapse_ws(&code));
                        let needs_space = !w.line.is_empty()
                            && !w.line.ends_with(' ')
                            && !w.line.ends_with('(')
                            && !code.is_empty();
                        if needs_space && w.link.is_none() {
                            w.line.push(' ');
                        }
                        w.push_raw(&code);
                    }
                }
                "b" | "strong" => w.push_raw("**"),
                "i" | "em" => w.push_raw("*"),
                "a" => {
                    if let Some((href, label)) = w.link.take() {
                        let label = collapse_ws(&label).trim().to_string();
                        let rendered = match href {
                            Some(h) if h.starts_with("https://") || h.starts_with("http://") => {
                                // No whitespace or control characters: a link stays on its line.
                                let h: String = h
                                    .chars()
                                    .filter(|c| {
                                        !c.is_whitespace()
                                            && !c.is_control()
                                            && !matches!(c, '(' | ')' | '<' | '>')
                                    })
                                    .collect();
                                if label.is_empty() {
                                    format!("<{h}>")
                                } else {
                                    format!("[{}]({h})", escape_markdown(&label))
                                }
                            }
                            _ => inline_code(&label),
                        };
                        if !w.line.is_empty() && !w.line.ends_with(' ') && !rendered.is_empty() {
                            w.line.push(' ');
                        }
                        w.line.push_str(&rendered);
                    }
                }
                _ => {}
            },
        }
    }
    if let Some((_, label)) = w.link.take() {
        w.push_text(&label);
    }
    if !w.code_text.is_empty() {
        let code = std::mem::take(&mut w.code_text);
        w.push_raw(&inline_code(&collapse_ws(&code)));
    }
    w.break_block();
    let mut out = String::new();
    let mut prev_list = false;
    for block in &w.blocks {
        let block = block.trim_end_matches('\u{0}');
        let is_list = block.trim_start().starts_with("- ");
        if !out.is_empty() {
            out.push_str(if is_list && prev_list { "\n" } else { "\n\n" });
        }
        out.push_str(block);
        prev_list = is_list;
    }
    out
}

/// Escapes plain text (not HTML) for a doc comment.
pub fn plain_text(text: &str) -> String {
    escape_markdown(&collapse_ws(text)).trim().to_string()
}

/// Reads a "possible values" list out of member documentation: `<li><code>value</code>: meaning</li>`.
/// Returns `(value, meaning as Markdown)` pairs in document order.
pub fn value_descriptions(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<li>") {
        let after = &rest[start + 4..];
        let end = after.find("</li>").unwrap_or(after.len());
        let item = &after[..end];
        rest = &after[end..];
        let trimmed = item.trim_start();
        let trimmed = trimmed.strip_prefix("<p>").unwrap_or(trimmed).trim_start();
        let Some(code) = trimmed.strip_prefix("<code>") else {
            continue;
        };
        let Some(close) = code.find("</code>") else {
            continue;
        };
        let value = decode_entities(code[..close].trim());
        let tail = code[close + 7..].trim_start();
        let Some(meaning) = tail.strip_prefix(':').or_else(|| tail.strip_prefix('-')) else {
            continue;
        };
        out.push((value, html_to_markdown(meaning)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_code_and_links() {
        let md = html_to_markdown(
            "<p>Deletes a <code>virtual</code> interface.</p> <p>See <a>StartBgpFailoverTest</a> and <a href=\"https://example.com/x\">the guide</a>.</p>",
        );
        assert_eq!(
            md,
            "Deletes a `virtual` interface.\n\nSee `StartBgpFailoverTest` and [the guide](https://example.com/x)."
        );
    }

    #[test]
    fn lists_become_markdown_items() {
        let md = html_to_markdown(
            "<p>Values:</p> <ul> <li> <p>a: one</p> </li> <li> <p>b: two</p> </li> </ul> <p>After.</p>",
        );
        assert_eq!(md, "Values:\n\n- a: one\n- b: two\n\nAfter.");
    }

    #[test]
    fn metacharacters_are_escaped() {
        let md = html_to_markdown("<p>a [link] *bold* &lt;tag&gt; x_y</p>");
        assert_eq!(md, "a \\[link\\] \\*bold\\* \\<tag\\> x\\_y");
    }

    #[test]
    fn backticks_in_code_grow_the_fence() {
        assert_eq!(inline_code("a`b"), "``a`b``");
        assert_eq!(inline_code("`"), "`` ` ``");
    }

    #[test]
    fn comment_terminators_and_control_characters_are_harmless() {
        let md = html_to_markdown("<p>*/ fn evil() {} /* \u{7}\u{0}</p>");
        assert!(!md.contains('\u{0}') && !md.contains('\u{7}'));
        assert!(md.contains("\\*/"));
    }

    #[test]
    fn unclosed_tags_do_not_lose_text() {
        assert_eq!(html_to_markdown("<p>open <code>x"), "open `x`");
        assert_eq!(html_to_markdown("a < b"), "a \\< b");
    }

    #[test]
    fn value_descriptions_from_member_docs() {
        let html = "<p>The state. The following are the possible values:</p> <ul> <li> <p> <code>confirming</code>: Pending <a>X</a>.</p> </li> <li> <p> <code>down</code>: BGP down.</p> </li> </ul>";
        assert_eq!(
            value_descriptions(html),
            vec![
                ("confirming".to_string(), "Pending `X`.".to_string()),
                ("down".to_string(), "BGP down.".to_string())
            ]
        );
    }
}
