//! Waiters from botocore's `waiters-2.json`: the JMESPath expressions of path acceptors are
//! parsed here and type-checked against the IR's shapes into typed expressions
//! ([`Expr`]), which `emit/waiters.rs` turns into Rust over the output structures. No JMESPath
//! is interpreted at run time.
//!
//! # The JMESPath subset
//!
//! What botocore's waiters use: field paths (`Table.TableStatus`, quoted identifiers), the
//! flatten projection `[]`, the list wildcard `[*]` and the object wildcard `.*` (over a map's
//! values), filter projections `[?cond]` on a list, `@`, `length()`, the comparators `==`,
//! `!=`, `<`, `<=`, `>`, `>=`, `&&`, `||`, `!`, parentheses, JSON literals in backticks and raw
//! strings `'..'`. Anything else (indexes, slices, pipes, multi-selects, other functions, a
//! projection inside a projection other than a field or a flatten) is refused with an error.
//!
//! # Types
//!
//! Every expression has a [`Ty`]: a value of a model shape (`One`, `Option<&T>` in Rust, null
//! when a member is absent), a projection of values of a shape (`Many`, `Option<Vec<&T>>`:
//! elements that are null are left out, as JMESPath does), or a computed boolean, number or
//! string (`Option<bool>`, `Option<f64>`, `Option<&str>`). `==` and `!=` compare strings
//! (string and enum members), numbers or booleans of the same kind, or anything with `null`;
//! ordering comparisons take numbers. Comparing across kinds, a field of a non-structure, a
//! member the model does not have, `length()` of a number: each is an error naming the
//! waiter, the acceptor and the expression, and the waiter is then left out of the crate
//! (the crate's `waiters` module lists it with the reason) rather than failing the crate:
//! one odd expression should not cost every other waiter and operation of a service.
//!
//! # Null and truthiness
//!
//! As JMESPath: `null == null`, an ordering comparison with a null (or non-number) is null,
//! `a && b` is `a` when `a` is falsy else `b`, `a || b` is `a` when truthy else `b`, and
//! `false`, null, `""`, `[]` and `{}` are falsy. `length(null)` is null (JMESPath raises an
//! error; a null never equals an expected value, so the acceptor simply does not match).

use crate::ir::{Primitive, Service, ShapeKind};
use crate::model;
use std::fmt;

/// A waiter the crate gets.
#[derive(Debug, Clone)]
pub struct Waiter {
    /// Name in `waiters-2.json` (`TableExists`); its Rust names are in the name table.
    pub name: String,
    /// The operation it polls (wire name).
    pub operation: String,
    /// Least delay between polls, in seconds (the model's `delay`).
    pub min_delay: u64,
    /// Greatest delay, in seconds: 120, or the least delay when that is greater.
    pub max_delay: u64,
    /// The model's description, if any.
    pub description: Option<String>,
    /// Acceptors in model order: the first that matches decides.
    pub acceptors: Vec<Acceptor>,
}

/// One acceptor.
#[derive(Debug, Clone)]
pub struct Acceptor {
    /// The state it leads to.
    pub state: State,
    /// What it matches.
    pub matcher: Matcher,
}

/// The state an acceptor leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// The wait is over, successfully.
    Success,
    /// The wait is over: the state will never be reached.
    Failure,
    /// Poll again.
    Retry,
}

/// What an acceptor matches.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// A boolean over the output (`path`: the expression equals the expected value;
    /// `pathAll`, `pathAny`: every or some element of the projection does, the expression
    /// compiled to a comparison of the element `@` with the expected value). The expression is
    /// `Ty::Bool`.
    Path(PathMatch),
    /// The HTTP status.
    Status(u16),
    /// An error with this code.
    ErrorCode(String),
    /// Any error (`true`) or none (`false`).
    AnyError(bool),
}

/// A path, pathAll or pathAny matcher, compiled.
#[derive(Debug, Clone)]
pub enum PathMatch {
    /// `path`: the comparison of the whole expression with the expected value.
    Value(Expr),
    /// `pathAll` (`all: true`) or `pathAny`: `list` is a projection (`Ty::Many`) and `test`
    /// compares its element (`Expr::Current`) with the expected value.
    Elements {
        /// Every element (and at least one) rather than some.
        all: bool,
        /// The projection.
        list: Expr,
        /// The test of one element.
        test: Expr,
    },
}

/// The type of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// A value of this shape (wire name), or null.
    One(String),
    /// A projection of values of this shape, or null.
    Many(String),
    /// A computed boolean, or null.
    Bool,
    /// A computed number, or null.
    Num,
    /// A computed string, or null.
    Str,
    /// `null`.
    Null,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// What a comparison compares, after both sides are brought to one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpKind {
    /// `Option<&str>`.
    Str,
    /// `Option<f64>`.
    Num,
    /// `Option<bool>`.
    Bool,
    /// One side is the `null` literal: the other's `is_none()`.
    Null,
}

/// A typed expression: what `emit/waiters.rs` turns into Rust.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// The operation's output (`One` of the output shape).
    Output(String),
    /// The element under test: `@` in a filter, or the element of `pathAll`/`pathAny`
    /// (`One` of its shape).
    Current(String),
    /// A member of a structure: `One` when the base is `One`, `Many` (nulls left out) when
    /// the base is `Many`.
    Field {
        /// The base expression.
        base: Box<Expr>,
        /// The structure (wire name).
        structure: String,
        /// The member (wire name).
        member: String,
        /// Whether the base is a projection.
        many: bool,
    },
    /// `[]` on a list (`One`) or on a projection (`Many`) of lists: the elements; `inner`
    /// when the list's elements are lists themselves, merged one level.
    Flatten {
        /// The base expression.
        base: Box<Expr>,
        /// Whether the base is a projection.
        many: bool,
        /// Whether elements that are lists are merged.
        inner: bool,
    },
    /// `[*]` on a list: its elements (`Many`).
    Elements(Box<Expr>),
    /// `.*` on a map: its values (`Many`, in no particular order).
    MapValues(Box<Expr>),
    /// `[?cond]` on a list: the elements (`Many`) for which `cond` (over `Current`) is truthy.
    Filter {
        /// The list.
        base: Box<Expr>,
        /// The condition.
        cond: Box<Expr>,
    },
    /// `length()` of a string, list, map or projection (`Num`).
    Length(Box<Expr>),
    /// A comparison (`Bool`); both sides as `kind`.
    Compare {
        /// The operator.
        op: CmpOp,
        /// Both sides' kind.
        kind: CmpKind,
        /// Left side.
        left: Box<Expr>,
        /// Right side.
        right: Box<Expr>,
    },
    /// `a && b` over booleans (computed, or boolean members) (`Bool`).
    And(Box<Expr>, Box<Expr>),
    /// `a || b`: over booleans (`Bool`) or strings (`Str`).
    Or(Box<Expr>, Box<Expr>),
    /// `!a` (`Bool`): whether `a` is falsy.
    Not(Box<Expr>),
    /// A string (`Str`).
    Str(String),
    /// A number (`Num`).
    Num(f64),
    /// A boolean (`Bool`).
    Bool(bool),
    /// `null`.
    Null,
}

// ---------------------------------------------------------------------------------------
// Lexer and parser: JMESPath text to an untyped tree.
// ---------------------------------------------------------------------------------------

/// The untyped tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// `@`, or the start of a path.
    Current,
    /// `base.name`, or a bare `name` (base `Current`).
    Field(Box<Ast>, String),
    /// `base[]`.
    Flatten(Box<Ast>),
    /// `base[*]`.
    ListWildcard(Box<Ast>),
    /// `base.*` (or a bare `*`).
    ValueWildcard(Box<Ast>),
    /// `base[?cond]`.
    Filter(Box<Ast>, Box<Ast>),
    /// `base[n]`, refused by the checker.
    Index(Box<Ast>, i64),
    /// `name(args)`.
    Call(String, Vec<Ast>),
    /// A comparison.
    Compare(CmpOp, Box<Ast>, Box<Ast>),
    /// `&&`.
    And(Box<Ast>, Box<Ast>),
    /// `||`.
    Or(Box<Ast>, Box<Ast>),
    /// `!`.
    Not(Box<Ast>),
    /// A JSON literal or raw string.
    Literal(serde_json::Value),
    /// `a | b`, refused by the checker.
    Pipe(Box<Ast>, Box<Ast>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Dot,
    Star,
    At,
    LBracket,
    /// `[]`
    Flatten,
    /// `[?`
    FilterStart,
    RBracket,
    LParen,
    RParen,
    Comma,
    Cmp(CmpOp),
    And,
    Or,
    Not,
    Pipe,
    Literal(serde_json::Value),
    Number(i64),
}

fn lex(text: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            '.' => {
                out.push(Tok::Dot);
                i += 1
            }
            '*' => {
                out.push(Tok::Star);
                i += 1
            }
            '@' => {
                out.push(Tok::At);
                i += 1
            }
            ']' => {
                out.push(Tok::RBracket);
                i += 1
            }
            '(' => {
                out.push(Tok::LParen);
                i += 1
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1
            }
            '[' => match next {
                Some(']') => {
                    out.push(Tok::Flatten);
                    i += 2
                }
                Some('?') => {
                    out.push(Tok::FilterStart);
                    i += 2
                }
                _ => {
                    out.push(Tok::LBracket);
                    i += 1
                }
            },
            '=' if next == Some('=') => {
                out.push(Tok::Cmp(CmpOp::Eq));
                i += 2
            }
            '!' if next == Some('=') => {
                out.push(Tok::Cmp(CmpOp::Ne));
                i += 2
            }
            '!' => {
                out.push(Tok::Not);
                i += 1
            }
            '<' if next == Some('=') => {
                out.push(Tok::Cmp(CmpOp::Le));
                i += 2
            }
            '<' => {
                out.push(Tok::Cmp(CmpOp::Lt));
                i += 1
            }
            '>' if next == Some('=') => {
                out.push(Tok::Cmp(CmpOp::Ge));
                i += 2
            }
            '>' => {
                out.push(Tok::Cmp(CmpOp::Gt));
                i += 1
            }
            '&' if next == Some('&') => {
                out.push(Tok::And);
                i += 2
            }
            '|' if next == Some('|') => {
                out.push(Tok::Or);
                i += 2
            }
            '|' => {
                out.push(Tok::Pipe);
                i += 1
            }
            '`' => {
                let start = i + 1;
                let mut j = start;
                let mut lit = String::new();
                while j < chars.len() && chars[j] != '`' {
                    if chars[j] == '\\' && chars.get(j + 1) == Some(&'`') {
                        lit.push('`');
                        j += 2;
                    } else {
                        lit.push(chars[j]);
                        j += 1;
                    }
                }
                if j >= chars.len() {
                    return Err(format!("unterminated JSON literal at offset {i}"));
                }
                let value: serde_json::Value = serde_json::from_str(lit.trim())
                    .map_err(|e| format!("invalid JSON literal `{lit}` at offset {i}: {e}"))?;
                out.push(Tok::Literal(value));
                i = j + 1;
            }
            '\'' => {
                let mut j = i + 1;
                let mut lit = String::new();
                while j < chars.len() && chars[j] != '\'' {
                    if chars[j] == '\\' && matches!(chars.get(j + 1), Some('\'') | Some('\\')) {
                        lit.push(chars[j + 1]);
                        j += 2;
                    } else {
                        lit.push(chars[j]);
                        j += 1;
                    }
                }
                if j >= chars.len() {
                    return Err(format!("unterminated raw string at offset {i}"));
                }
                out.push(Tok::Literal(serde_json::Value::String(lit)));
                i = j + 1;
            }
            '"' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j] != '"' {
                    j += if chars[j] == '\\' { 2 } else { 1 };
                }
                if j >= chars.len() {
                    return Err(format!("unterminated quoted identifier at offset {i}"));
                }
                let quoted: String = chars[i..=j].iter().collect();
                let name: String = serde_json::from_str(&quoted)
                    .map_err(|e| format!("invalid quoted identifier {quoted}: {e}"))?;
                out.push(Tok::Ident(name));
                i = j + 1;
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut j = i;
                while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
                    j += 1;
                }
                out.push(Tok::Ident(chars[i..j].iter().collect()));
                i = j;
            }
            c if c.is_ascii_digit() || c == '-' => {
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                let digits: String = chars[i..j].iter().collect();
                let n = digits
                    .parse()
                    .map_err(|_| format!("invalid number `{digits}` at offset {i}"))?;
                out.push(Tok::Number(n));
                i = j;
            }
            ':' => return Err(format!("slices (`:` at offset {i}) are not supported")),
            '{' => {
                return Err(format!(
                    "multi-select hashes (`{{` at offset {i}) are not supported"
                ));
            }
            other => return Err(format!("unexpected character `{other}` at offset {i}")),
        }
    }
    Ok(out)
}

/// Parses a JMESPath expression of the subset above.
pub fn parse(text: &str) -> Result<Ast, String> {
    let toks = lex(text)?;
    let mut p = Parser { toks, pos: 0 };
    let ast = p.pipe()?;
    if p.pos != p.toks.len() {
        return Err(format!(
            "unexpected {:?} after the expression",
            p.toks[p.pos]
        ));
    }
    Ok(ast)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn expect(&mut self, t: Tok) -> Result<(), String> {
        if self.eat(&t) {
            Ok(())
        } else {
            Err(match self.peek() {
                Some(found) => format!("expected {t:?}, found {found:?}"),
                None => format!("expected {t:?}, found the end"),
            })
        }
    }
    fn pipe(&mut self) -> Result<Ast, String> {
        let mut left = self.or()?;
        while self.eat(&Tok::Pipe) {
            let right = self.or()?;
            left = Ast::Pipe(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn or(&mut self) -> Result<Ast, String> {
        let mut left = self.and()?;
        while self.eat(&Tok::Or) {
            let right = self.and()?;
            left = Ast::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn and(&mut self) -> Result<Ast, String> {
        let mut left = self.comparison()?;
        while self.eat(&Tok::And) {
            let right = self.comparison()?;
            left = Ast::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }
    fn comparison(&mut self) -> Result<Ast, String> {
        let left = self.unary()?;
        if let Some(Tok::Cmp(op)) = self.peek().cloned() {
            self.pos += 1;
            let right = self.unary()?;
            if matches!(self.peek(), Some(Tok::Cmp(_))) {
                return Err("comparisons do not chain; use parentheses".to_string());
            }
            return Ok(Ast::Compare(op, Box::new(left), Box::new(right)));
        }
        Ok(left)
    }
    fn unary(&mut self) -> Result<Ast, String> {
        if self.eat(&Tok::Not) {
            return Ok(Ast::Not(Box::new(self.unary()?)));
        }
        self.postfix()
    }
    fn primary(&mut self) -> Result<Ast, String> {
        match self.peek().cloned() {
            Some(Tok::At) => {
                self.pos += 1;
                Ok(Ast::Current)
            }
            Some(Tok::Star) => {
                self.pos += 1;
                Ok(Ast::ValueWildcard(Box::new(Ast::Current)))
            }
            Some(Tok::Literal(v)) => {
                self.pos += 1;
                Ok(Ast::Literal(v))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let inner = self.pipe()?;
                self.expect(Tok::RParen)?;
                Ok(inner)
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                if self.eat(&Tok::LParen) {
                    let mut args = Vec::new();
                    if !self.eat(&Tok::RParen) {
                        loop {
                            args.push(self.pipe()?);
                            if self.eat(&Tok::RParen) {
                                break;
                            }
                            self.expect(Tok::Comma)?;
                        }
                    }
                    return Ok(Ast::Call(name, args));
                }
                Ok(Ast::Field(Box::new(Ast::Current), name))
            }
            Some(Tok::Flatten | Tok::FilterStart | Tok::LBracket) => Ok(Ast::Current),
            Some(t) => Err(format!("unexpected {t:?}")),
            None => Err("unexpected end of the expression".to_string()),
        }
    }
    fn postfix(&mut self) -> Result<Ast, String> {
        let mut node = self.primary()?;
        loop {
            match self.peek().cloned() {
                Some(Tok::Dot) => {
                    self.pos += 1;
                    match self.peek().cloned() {
                        Some(Tok::Ident(name)) => {
                            self.pos += 1;
                            node = Ast::Field(Box::new(node), name);
                        }
                        Some(Tok::Star) => {
                            self.pos += 1;
                            node = Ast::ValueWildcard(Box::new(node));
                        }
                        other => return Err(format!("expected a name after `.`, found {other:?}")),
                    }
                }
                Some(Tok::Flatten) => {
                    self.pos += 1;
                    node = Ast::Flatten(Box::new(node));
                }
                Some(Tok::FilterStart) => {
                    self.pos += 1;
                    let cond = self.pipe()?;
                    self.expect(Tok::RBracket)?;
                    node = Ast::Filter(Box::new(node), Box::new(cond));
                }
                Some(Tok::LBracket) => {
                    self.pos += 1;
                    match self.peek().cloned() {
                        Some(Tok::Star) => {
                            self.pos += 1;
                            self.expect(Tok::RBracket)?;
                            node = Ast::ListWildcard(Box::new(node));
                        }
                        Some(Tok::Number(n)) => {
                            self.pos += 1;
                            self.expect(Tok::RBracket)?;
                            node = Ast::Index(Box::new(node), n);
                        }
                        other => {
                            return Err(format!(
                                "unsupported bracket expression starting with {other:?} (slices and multi-selects are not supported)"
                            ));
                        }
                    }
                }
                _ => return Ok(node),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Checker: untyped tree to typed expression, against the service's shapes.
// ---------------------------------------------------------------------------------------

/// Type-checks `ast` with `current` as the current node (the output, or a filter's element).
pub fn check(svc: &Service, ast: &Ast, current: &Expr) -> Result<Expr, String> {
    Checker { svc }.expr(ast, current)
}

struct Checker<'a> {
    svc: &'a Service,
}

/// What kind of scalar a shape is, for comparisons.
fn scalar_kind(svc: &Service, shape: &str) -> Option<CmpKind> {
    match &svc.shape(shape).kind {
        ShapeKind::Enum(_) | ShapeKind::Primitive(Primitive::String) => Some(CmpKind::Str),
        ShapeKind::Primitive(
            Primitive::Integer | Primitive::Long | Primitive::Float | Primitive::Double,
        ) => Some(CmpKind::Num),
        ShapeKind::Primitive(Primitive::Boolean) => Some(CmpKind::Bool),
        _ => None,
    }
}

fn kind_name(svc: &Service, ty: &Ty) -> String {
    match ty {
        Ty::One(s) => format!("a value of shape `{s}` ({})", shape_kind_name(svc, s)),
        Ty::Many(s) => format!("a projection of shape `{s}`"),
        Ty::Bool => "a boolean".into(),
        Ty::Num => "a number".into(),
        Ty::Str => "a string".into(),
        Ty::Null => "null".into(),
    }
}

fn shape_kind_name(svc: &Service, shape: &str) -> &'static str {
    match &svc.shape(shape).kind {
        ShapeKind::Enum(_) => "a string enum",
        ShapeKind::Primitive(Primitive::String) => "a string",
        ShapeKind::Primitive(Primitive::Boolean) => "a boolean",
        ShapeKind::Primitive(Primitive::Integer | Primitive::Long) => "an integer",
        ShapeKind::Primitive(Primitive::Float | Primitive::Double) => "a number",
        ShapeKind::Primitive(Primitive::Timestamp) => "a timestamp",
        ShapeKind::Primitive(Primitive::Blob) => "a blob",
        ShapeKind::Primitive(Primitive::Document) => "a document",
        ShapeKind::Structure(_) => "a structure",
        ShapeKind::List(_) => "a list",
        ShapeKind::Map(..) => "a map",
    }
}

impl Checker<'_> {
    /// The type of a typed expression.
    fn ty(&self, e: &Expr) -> Ty {
        ty_of(self.svc, e)
    }

    fn expr(&self, ast: &Ast, current: &Expr) -> Result<Expr, String> {
        let svc = self.svc;
        Ok(match ast {
            Ast::Current => current.clone(),
            Ast::Field(base, name) => {
                let base = self.expr(base, current)?;
                let (shape, many) = match self.ty(&base) {
                    Ty::One(s) => (s, false),
                    Ty::Many(s) => (s, true),
                    other => {
                        return Err(format!(
                            "`{name}` is read from {}, which has no members",
                            kind_name(svc, &other)
                        ));
                    }
                };
                let ShapeKind::Structure(st) = &svc.shape(&shape).kind else {
                    return Err(format!(
                        "`{name}` is read from shape `{shape}`, which is {}, not a structure",
                        shape_kind_name(svc, &shape)
                    ));
                };
                if st.union {
                    return Err(format!(
                        "`{name}` is read from the union `{shape}`, which waiters do not read"
                    ));
                }
                if !st.members.iter().any(|m| &m.wire_name == name) {
                    let members: Vec<&str> =
                        st.members.iter().map(|m| m.wire_name.as_str()).collect();
                    return Err(format!(
                        "structure `{shape}` has no member `{name}` (members: {})",
                        members.join(", ")
                    ));
                }
                Expr::Field {
                    base: Box::new(base),
                    structure: shape,
                    member: name.clone(),
                    many,
                }
            }
            Ast::Flatten(base) => {
                let base = self.expr(base, current)?;
                match self.ty(&base) {
                    Ty::One(s) => {
                        let ShapeKind::List(elem) = &svc.shape(&s).kind else {
                            return Err(format!(
                                "`[]` flattens a list, but shape `{s}` is {}",
                                shape_kind_name(svc, &s)
                            ));
                        };
                        let inner = matches!(svc.shape(elem).kind, ShapeKind::List(_));
                        Expr::Flatten {
                            base: Box::new(base),
                            many: false,
                            inner,
                        }
                    }
                    Ty::Many(s) => Expr::Flatten {
                        inner: matches!(svc.shape(&s).kind, ShapeKind::List(_)),
                        base: Box::new(base),
                        many: true,
                    },
                    other => {
                        return Err(format!(
                            "`[]` flattens a list, not {}",
                            kind_name(svc, &other)
                        ));
                    }
                }
            }
            Ast::ListWildcard(base) => {
                let base = self.expr(base, current)?;
                match self.ty(&base) {
                    Ty::One(s) if matches!(svc.shape(&s).kind, ShapeKind::List(_)) => {
                        Expr::Elements(Box::new(base))
                    }
                    Ty::Many(_) => {
                        return Err(
                            "`[*]` inside a projection (a list of lists) is not supported"
                                .to_string(),
                        );
                    }
                    other => {
                        return Err(format!(
                            "`[*]` projects a list, not {}",
                            kind_name(svc, &other)
                        ));
                    }
                }
            }
            Ast::ValueWildcard(base) => {
                let base = self.expr(base, current)?;
                match self.ty(&base) {
                    Ty::One(s) if matches!(svc.shape(&s).kind, ShapeKind::Map(..)) => {
                        Expr::MapValues(Box::new(base))
                    }
                    other => {
                        return Err(format!(
                            "`*` is supported over a map's values only, not {}",
                            kind_name(svc, &other)
                        ));
                    }
                }
            }
            Ast::Filter(base, cond) => {
                let base = self.expr(base, current)?;
                let elem = match self.ty(&base) {
                    Ty::One(s) => match &svc.shape(&s).kind {
                        ShapeKind::List(elem) => elem.clone(),
                        _ => {
                            return Err(format!(
                                "`[?..]` filters a list, but shape `{s}` is {}",
                                shape_kind_name(svc, &s)
                            ));
                        }
                    },
                    Ty::Many(_) => {
                        return Err(
                            "a filter inside a projection (a list of lists) is not supported"
                                .to_string(),
                        );
                    }
                    other => {
                        return Err(format!(
                            "`[?..]` filters a list, not {}",
                            kind_name(svc, &other)
                        ));
                    }
                };
                let cond = self.expr(cond, &Expr::Current(elem))?;
                self.truthy_ok(&cond)?;
                Expr::Filter {
                    base: Box::new(base),
                    cond: Box::new(cond),
                }
            }
            Ast::Index(_, n) => {
                return Err(format!("index expressions (`[{n}]`) are not supported"));
            }
            Ast::Pipe(..) => return Err("pipe expressions (`|`) are not supported".to_string()),
            Ast::Call(name, args) => {
                if name != "length" {
                    return Err(format!(
                        "function `{name}()` is not supported (only `length()` is)"
                    ));
                }
                let [arg] = args.as_slice() else {
                    return Err(format!(
                        "`length()` takes one argument, given {}",
                        args.len()
                    ));
                };
                let arg = self.expr(arg, current)?;
                let ty = self.ty(&arg);
                let ok = match &ty {
                    Ty::One(s) => matches!(
                        svc.shape(s).kind,
                        ShapeKind::List(_)
                            | ShapeKind::Map(..)
                            | ShapeKind::Enum(_)
                            | ShapeKind::Primitive(Primitive::String)
                    ),
                    Ty::Many(_) | Ty::Str => true,
                    _ => false,
                };
                if !ok {
                    return Err(format!(
                        "`length()` takes a string, list or map, not {}",
                        kind_name(svc, &ty)
                    ));
                }
                Expr::Length(Box::new(arg))
            }
            Ast::Compare(op, left, right) => {
                let left = self.expr(left, current)?;
                let right = self.expr(right, current)?;
                self.compare(*op, left, right)?
            }
            Ast::And(a, b) => {
                let a = self.expr(a, current)?;
                let b = self.expr(b, current)?;
                for side in [&a, &b] {
                    if !is_bool(svc, &self.ty(side)) {
                        return Err(format!(
                            "`&&` is supported between booleans, not {}",
                            kind_name(svc, &self.ty(side))
                        ));
                    }
                }
                Expr::And(Box::new(a), Box::new(b))
            }
            Ast::Or(a, b) => {
                let a = self.expr(a, current)?;
                let b = self.expr(b, current)?;
                let (ta, tb) = (self.ty(&a), self.ty(&b));
                let is_str = |t: &Ty| {
                    *t == Ty::Str
                        || matches!(t, Ty::One(s) if scalar_kind(svc, s) == Some(CmpKind::Str))
                };
                if !((is_bool(svc, &ta) && is_bool(svc, &tb)) || (is_str(&ta) && is_str(&tb))) {
                    return Err(format!(
                        "`||` is supported between booleans or between strings, not between {} and {}",
                        kind_name(svc, &ta),
                        kind_name(svc, &tb)
                    ));
                }
                Expr::Or(Box::new(a), Box::new(b))
            }
            Ast::Not(a) => {
                let a = self.expr(a, current)?;
                self.truthy_ok(&a)?;
                Expr::Not(Box::new(a))
            }
            Ast::Literal(v) => literal(v)?,
        })
    }

    /// Whether the truthiness of `e` is known from its type (a structure's is not: it
    /// depends on which members the response had).
    fn truthy_ok(&self, e: &Expr) -> Result<(), String> {
        match self.ty(e) {
            Ty::One(s) => match &self.svc.shape(&s).kind {
                ShapeKind::Structure(_)
                | ShapeKind::Primitive(Primitive::Document | Primitive::Blob) => Err(format!(
                    "the truth value of shape `{s}` ({}) is not supported",
                    shape_kind_name(self.svc, &s)
                )),
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn compare(&self, op: CmpOp, left: Expr, right: Expr) -> Result<Expr, String> {
        let svc = self.svc;
        let kind_of = |e: &Expr| -> Option<CmpKind> {
            match ty_of(svc, e) {
                Ty::One(s) => scalar_kind(svc, &s),
                Ty::Bool => Some(CmpKind::Bool),
                Ty::Num => Some(CmpKind::Num),
                Ty::Str => Some(CmpKind::Str),
                Ty::Null => Some(CmpKind::Null),
                Ty::Many(_) => None,
            }
        };
        let describe = |e: &Expr| kind_name(svc, &ty_of(svc, e));
        let (Some(lk), Some(rk)) = (kind_of(&left), kind_of(&right)) else {
            return Err(format!(
                "cannot compare {} with {} (only strings, numbers, booleans and null compare)",
                describe(&left),
                describe(&right)
            ));
        };
        let kind = match (lk, rk) {
            (CmpKind::Null, _) | (_, CmpKind::Null) => CmpKind::Null,
            (a, b) if a == b => a,
            _ => {
                return Err(format!(
                    "type mismatch: {} compared with {}",
                    describe(&left),
                    describe(&right)
                ));
            }
        };
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) && kind != CmpKind::Num {
            return Err(format!(
                "ordering comparisons take numbers, not {} and {}",
                describe(&left),
                describe(&right)
            ));
        }
        Ok(Expr::Compare {
            op,
            kind,
            left: Box::new(left),
            right: Box::new(right),
        })
    }
}

/// Whether a type is a boolean: computed, or a boolean member.
pub fn is_bool(svc: &Service, ty: &Ty) -> bool {
    match ty {
        Ty::Bool => true,
        Ty::One(s) => scalar_kind(svc, s) == Some(CmpKind::Bool),
        _ => false,
    }
}

/// A JSON literal as an expression: strings, numbers, booleans and null.
fn literal(v: &serde_json::Value) -> Result<Expr, String> {
    Ok(match v {
        serde_json::Value::String(s) => Expr::Str(s.clone()),
        serde_json::Value::Bool(b) => Expr::Bool(*b),
        serde_json::Value::Null => Expr::Null,
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) if f.is_finite() => Expr::Num(f),
            _ => return Err(format!("number {n} is out of range")),
        },
        other => {
            return Err(format!(
                "list and object literals are not supported: `{other}`"
            ));
        }
    })
}

/// The type of a typed expression.
pub fn ty_of(svc: &Service, e: &Expr) -> Ty {
    let elem_of = |s: &str| match &svc.shape(s).kind {
        ShapeKind::List(elem) => elem.clone(),
        _ => s.to_string(),
    };
    match e {
        Expr::Output(s) | Expr::Current(s) => Ty::One(s.clone()),
        Expr::Field {
            structure,
            member,
            many,
            ..
        } => {
            let target = match &svc.shape(structure).kind {
                ShapeKind::Structure(st) => st
                    .members
                    .iter()
                    .find(|m| &m.wire_name == member)
                    .map(|m| m.target.clone())
                    .unwrap_or_default(),
                _ => String::new(),
            };
            if *many {
                Ty::Many(target)
            } else {
                Ty::One(target)
            }
        }
        Expr::Flatten { base, many, inner } => {
            let s = match ty_of(svc, base) {
                Ty::One(s) | Ty::Many(s) => s,
                _ => String::new(),
            };
            match (many, inner) {
                (false, false) => Ty::Many(elem_of(&s)),
                (false, true) => Ty::Many(elem_of(&elem_of(&s))),
                (true, false) => Ty::Many(s),
                (true, true) => Ty::Many(elem_of(&s)),
            }
        }
        Expr::Elements(base) | Expr::Filter { base, .. } => match ty_of(svc, base) {
            Ty::One(s) => Ty::Many(elem_of(&s)),
            other => other,
        },
        Expr::MapValues(base) => match ty_of(svc, base) {
            Ty::One(s) => match &svc.shape(&s).kind {
                ShapeKind::Map(_, v) => Ty::Many(v.clone()),
                _ => Ty::Many(s),
            },
            other => other,
        },
        Expr::Length(_) | Expr::Num(_) => Ty::Num,
        Expr::Compare { .. } | Expr::And(..) | Expr::Not(_) | Expr::Bool(_) => Ty::Bool,
        Expr::Or(a, _) => {
            if is_bool(svc, &ty_of(svc, a)) {
                Ty::Bool
            } else {
                Ty::Str
            }
        }
        Expr::Str(_) => Ty::Str,
        Expr::Null => Ty::Null,
    }
}

// ---------------------------------------------------------------------------------------
// Waiters: model to IR.
// ---------------------------------------------------------------------------------------

/// Why an acceptor cannot be generated: names the waiter, the acceptor and the expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaiterError {
    /// The waiter.
    pub waiter: String,
    /// The acceptor's index in the model.
    pub acceptor: usize,
    /// The expression (`argument`), if the acceptor has one.
    pub expression: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for WaiterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "waiter `{}`, acceptor {}", self.waiter, self.acceptor)?;
        if let Some(e) = &self.expression {
            write!(f, " (`{e}`)")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Compiles one waiter of the model against the resolved service.
pub fn compile_waiter(svc: &Service, name: &str, w: &model::Waiter) -> Result<Waiter, WaiterError> {
    let err = |acceptor: usize, expression: Option<&str>, message: String| WaiterError {
        waiter: name.to_string(),
        acceptor,
        expression: expression.map(str::to_string),
        message,
    };
    let Some(op) = svc.operation(&w.operation) else {
        return Err(err(
            0,
            None,
            format!("operation `{}` is not in the crate", w.operation),
        ));
    };
    if w.delay == 0 {
        return Err(err(0, None, "the delay is 0 seconds".to_string()));
    }
    let mut acceptors = Vec::new();
    for (i, a) in w.acceptors.iter().enumerate() {
        let state = match a.state.as_str() {
            "success" => State::Success,
            "failure" => State::Failure,
            "retry" => State::Retry,
            other => return Err(err(i, None, format!("unknown state `{other}`"))),
        };
        let arg = a.argument.as_deref();
        let matcher = match a.matcher.as_str() {
            "status" => match a.expected.as_u64().and_then(|n| u16::try_from(n).ok()) {
                Some(code) => Matcher::Status(code),
                None => {
                    return Err(err(
                        i,
                        None,
                        format!("status expects an HTTP status, not `{}`", a.expected),
                    ));
                }
            },
            "error" => match &a.expected {
                serde_json::Value::String(code) => Matcher::ErrorCode(code.clone()),
                serde_json::Value::Bool(b) => Matcher::AnyError(*b),
                other => {
                    return Err(err(
                        i,
                        None,
                        format!("error expects an error code or a boolean, not `{other}`"),
                    ));
                }
            },
            kind @ ("path" | "pathAll" | "pathAny") => {
                let Some(text) = arg else {
                    return Err(err(i, None, format!("`{kind}` needs an argument")));
                };
                let compiled = compile_path(svc, &op.output_shape, kind, text, &a.expected)
                    .map_err(|m| err(i, Some(text), m))?;
                Matcher::Path(compiled)
            }
            other => return Err(err(i, arg, format!("unknown matcher `{other}`"))),
        };
        acceptors.push(Acceptor { state, matcher });
    }
    Ok(Waiter {
        name: name.to_string(),
        operation: w.operation.clone(),
        min_delay: w.delay,
        max_delay: w.delay.max(120),
        description: w.description.clone(),
        acceptors,
    })
}

/// Compiles a path, pathAll or pathAny matcher over the output shape `output`.
pub fn compile_path(
    svc: &Service,
    output: &str,
    kind: &str,
    text: &str,
    expected: &serde_json::Value,
) -> Result<PathMatch, String> {
    let ast = parse(text).map_err(|m| format!("cannot parse: {m}"))?;
    let checker = Checker { svc };
    let root = Expr::Output(output.to_string());
    let value = checker.expr(&ast, &root)?;
    let expected = literal(expected).map_err(|m| format!("expected value: {m}"))?;
    if kind == "path" {
        return Ok(PathMatch::Value(checker.compare(
            CmpOp::Eq,
            value,
            expected,
        )?));
    }
    let list = match checker.ty(&value) {
        Ty::Many(_) => value,
        Ty::One(s) if matches!(svc.shape(&s).kind, ShapeKind::List(_)) => {
            Expr::Elements(Box::new(value))
        }
        other => {
            return Err(format!(
                "`{kind}` needs a list or projection, not {}",
                kind_name(svc, &other)
            ));
        }
    };
    let Ty::Many(elem) = checker.ty(&list) else {
        unreachable!("a projection has type Many")
    };
    let test = checker.compare(CmpOp::Eq, Expr::Current(elem), expected)?;
    Ok(PathMatch::Elements {
        all: kind == "pathAll",
        list,
        test,
    })
}

/// Compiles every waiter of the model whose operation the crate has. Waiters that cannot be
/// compiled (or name an operation the model does not have) are returned apart, with the
/// reason. A waiter names its operation by the model's key, which is not always the
/// operation's name (CloudFront's older models key `GetDistribution` as
/// `GetDistribution2016_11_25`).
pub fn resolve(svc: &Service, model: &model::Model) -> (Vec<Waiter>, Vec<WaiterError>) {
    let mut ok = Vec::new();
    let mut skipped = Vec::new();
    for (name, w) in &model.waiters {
        let Some(op) = model.operations.get(&w.operation) else {
            skipped.push(WaiterError {
                waiter: name.clone(),
                acceptor: 0,
                expression: None,
                message: format!("operation `{}` is not in the model", w.operation),
            });
            continue;
        };
        if svc.operation(&op.name).is_none() {
            // Left out with its operation (`--ops`): not an error.
            continue;
        }
        let mut w = w.clone();
        w.operation = op.name.clone();
        match compile_waiter(svc, name, &w) {
            Ok(w) => ok.push(w),
            Err(e) => skipped.push(e),
        }
    }
    (ok, skipped)
}
