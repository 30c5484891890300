//! A small regular-expression matcher for the partitions' `regionRegex` patterns.
//!
//! The patterns in `partitions.json` use a tiny subset of regex syntax (`^`, `$`, literals,
//! `\-`, `\w`, `\d`, groups with `|`, `+`). This module supports that subset and a little
//! more (`.`, `*`, `?`, `{m,n}`, `[...]` classes, `(?:...)`), compiled to a Pike VM: matching
//! takes time linear in the input, uses no recursion on the input, and never panics, so
//! any region string a user passes is safe. Classes are ASCII (`\w` is `[A-Za-z0-9_]`),
//! as in `regex-lite`.

/// A compiled pattern.
#[derive(Clone, Debug)]
pub(crate) struct Regex {
    program: Vec<Inst>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ClassItem {
    Char(char),
    Range(char, char),
    Word,
    Digit,
    Space,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Class {
    negated: bool,
    items: Vec<ClassItem>,
}

impl Class {
    fn matches(&self, c: char) -> bool {
        let hit = self.items.iter().any(|item| match *item {
            ClassItem::Char(x) => x == c,
            ClassItem::Range(lo, hi) => (lo..=hi).contains(&c),
            ClassItem::Word => c.is_ascii_alphanumeric() || c == '_',
            ClassItem::Digit => c.is_ascii_digit(),
            ClassItem::Space => c.is_ascii_whitespace(),
        });
        hit != self.negated
    }
}

#[derive(Clone, Debug)]
enum Node {
    Class(Class),
    Any,
    Begin,
    End,
    /// Alternatives, each a sequence.
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

#[derive(Clone, Debug)]
enum Inst {
    Class(Class),
    Any,
    Begin,
    End,
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// Upper bound on `{m,n}` counts and on the compiled program, so a hostile pattern cannot
/// make compilation blow up.
const MAX_REPEAT: u32 = 1000;
const MAX_PROGRAM: usize = 100_000;

impl Regex {
    /// Compiles `pattern`, or says why it is not supported.
    pub(crate) fn new(pattern: &str) -> Result<Regex, String> {
        let mut parser = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            depth: 0,
        };
        let alternatives = parser.alternation()?;
        if parser.pos != parser.chars.len() {
            return Err(format!("unbalanced `)` in regex {pattern:?}"));
        }
        let mut program = Vec::new();
        compile(&Node::Group(alternatives), &mut program)?;
        program.push(Inst::Match);
        Ok(Regex { program })
    }

    /// True if the pattern matches somewhere in `input` (use `^` and `$` to anchor).
    pub(crate) fn is_match(&self, input: &str) -> bool {
        let chars: Vec<char> = input.chars().collect();
        let len = self.program.len();
        let mut current: Vec<usize> = Vec::new();
        let mut next: Vec<usize> = Vec::new();
        // `seen[pc] == generation` marks pc as already added at the current position.
        let mut seen = vec![usize::MAX; len];
        let mut stack = Vec::new();
        for pos in 0..=chars.len() {
            // Unanchored search: a new thread starts at every position.
            if add_thread(
                &self.program,
                &mut current,
                &mut seen,
                &mut stack,
                0,
                pos,
                chars.len(),
            ) {
                return true;
            }
            let Some(&c) = chars.get(pos) else {
                break;
            };
            next.clear();
            for &pc in &current {
                let advances = match self.program.get(pc) {
                    Some(Inst::Class(class)) => class.matches(c),
                    Some(Inst::Any) => c != '\n',
                    _ => false,
                };
                if advances
                    && add_thread(
                        &self.program,
                        &mut next,
                        &mut seen,
                        &mut stack,
                        pc + 1,
                        pos + 1,
                        chars.len(),
                    )
                {
                    return true;
                }
            }
            std::mem::swap(&mut current, &mut next);
        }
        false
    }
}

/// Adds `start` and everything reachable from it without consuming input to `list`;
/// returns true if `Match` is reachable. `seen` is keyed by position so each pc is added
/// at most once per step.
fn add_thread(
    program: &[Inst],
    list: &mut Vec<usize>,
    seen: &mut [usize],
    stack: &mut Vec<usize>,
    start: usize,
    pos: usize,
    len: usize,
) -> bool {
    stack.clear();
    stack.push(start);
    while let Some(pc) = stack.pop() {
        match seen.get_mut(pc) {
            Some(mark) if *mark == pos => continue,
            Some(mark) => *mark = pos,
            None => continue,
        }
        match program.get(pc) {
            Some(Inst::Match) => return true,
            Some(Inst::Jmp(to)) => stack.push(*to),
            Some(Inst::Split(a, b)) => {
                // Push the second branch first so the first is explored first.
                stack.push(*b);
                stack.push(*a);
            }
            Some(Inst::Begin) if pos == 0 => stack.push(pc + 1),
            Some(Inst::End) if pos == len => stack.push(pc + 1),
            Some(Inst::Begin | Inst::End) => {}
            Some(Inst::Class(_) | Inst::Any) => list.push(pc),
            None => {}
        }
    }
    false
}

fn compile(node: &Node, program: &mut Vec<Inst>) -> Result<(), String> {
    if program.len() > MAX_PROGRAM {
        return Err("regex too large".to_owned());
    }
    match node {
        Node::Class(class) => program.push(Inst::Class(class.clone())),
        Node::Any => program.push(Inst::Any),
        Node::Begin => program.push(Inst::Begin),
        Node::End => program.push(Inst::End),
        Node::Group(alternatives) => {
            // a|b|c: Split(L1, next) L1: a; Jmp end; next: Split(L2, L3) ...
            let mut jumps = Vec::new();
            let count = alternatives.len();
            for (i, sequence) in alternatives.iter().enumerate() {
                let split_at = program.len();
                if i + 1 < count {
                    program.push(Inst::Split(0, 0));
                }
                for item in sequence {
                    compile(item, program)?;
                }
                if i + 1 < count {
                    jumps.push(program.len());
                    program.push(Inst::Jmp(0));
                    let after = program.len();
                    if let Some(inst) = program.get_mut(split_at) {
                        *inst = Inst::Split(split_at + 1, after);
                    }
                }
            }
            let end = program.len();
            for at in jumps {
                if let Some(inst) = program.get_mut(at) {
                    *inst = Inst::Jmp(end);
                }
            }
        }
        Node::Repeat { node, min, max } => {
            for _ in 0..*min {
                compile(node, program)?;
            }
            match max {
                None => {
                    // L: Split(body, out); body; Jmp L; out:
                    let split_at = program.len();
                    program.push(Inst::Split(0, 0));
                    compile(node, program)?;
                    program.push(Inst::Jmp(split_at));
                    let out = program.len();
                    if let Some(inst) = program.get_mut(split_at) {
                        *inst = Inst::Split(split_at + 1, out);
                    }
                }
                Some(max) => {
                    // Each optional copy: Split(body, end_of_all); body.
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(program.len());
                        program.push(Inst::Split(0, 0));
                        compile(node, program)?;
                    }
                    let out = program.len();
                    for at in splits {
                        if let Some(inst) = program.get_mut(at) {
                            *inst = Inst::Split(at + 1, out);
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

const MAX_DEPTH: usize = 64;

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn alternation(&mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut alternatives = vec![self.sequence()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            alternatives.push(self.sequence()?);
        }
        Ok(alternatives)
    }

    fn sequence(&mut self) -> Result<Vec<Node>, String> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            let atom = self.quantifier(atom)?;
            items.push(atom);
        }
        Ok(items)
    }

    fn atom(&mut self) -> Result<Node, String> {
        let Some(c) = self.bump() else {
            return Err("unexpected end of regex".to_owned());
        };
        Ok(match c {
            '(' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err("regex nests too deeply".to_owned());
                }
                if self.chars.get(self.pos..self.pos + 2) == Some(&['?', ':'][..]) {
                    self.pos += 2;
                }
                let alternatives = self.alternation()?;
                if self.bump() != Some(')') {
                    return Err("unclosed `(` in regex".to_owned());
                }
                self.depth -= 1;
                Node::Group(alternatives)
            }
            '[' => Node::Class(self.class()?),
            '\\' => self.escape()?,
            '.' => Node::Any,
            '^' => Node::Begin,
            '$' => Node::End,
            '*' | '+' | '?' | '{' => return Err(format!("nothing to repeat before `{c}`")),
            other => literal(other),
        })
    }

    fn escape(&mut self) -> Result<Node, String> {
        let item = self.class_escape()?;
        Ok(Node::Class(Class {
            negated: false,
            items: vec![item],
        }))
    }

    /// The escape after a `\` (inside or outside a class).
    fn class_escape(&mut self) -> Result<ClassItem, String> {
        match self.bump() {
            Some('w') => Ok(ClassItem::Word),
            Some('d') => Ok(ClassItem::Digit),
            Some('s') => Ok(ClassItem::Space),
            Some('n') => Ok(ClassItem::Char('\n')),
            Some('t') => Ok(ClassItem::Char('\t')),
            Some(c) if !c.is_ascii_alphanumeric() => Ok(ClassItem::Char(c)),
            Some(c) => Err(format!("unsupported regex escape `\\{c}`")),
            None => Err("regex ends with `\\`".to_owned()),
        }
    }

    fn class(&mut self) -> Result<Class, String> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.bump() else {
                return Err("unclosed `[` in regex".to_owned());
            };
            if c == ']' && !first {
                break;
            }
            first = false;
            let item = if c == '\\' {
                self.class_escape()?
            } else {
                ClassItem::Char(c)
            };
            let is_range =
                self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']');
            match (item, is_range) {
                (ClassItem::Char(lo), true) => {
                    self.pos += 1;
                    let hi = match self.bump() {
                        Some('\\') => match self.class_escape()? {
                            ClassItem::Char(hi) => hi,
                            _ => return Err("invalid range in regex class".to_owned()),
                        },
                        Some(hi) => hi,
                        None => return Err("unclosed `[` in regex".to_owned()),
                    };
                    if hi < lo {
                        return Err("reversed range in regex class".to_owned());
                    }
                    items.push(ClassItem::Range(lo, hi));
                }
                (item, _) => items.push(item),
            }
        }
        Ok(Class { negated, items })
    }

    fn quantifier(&mut self, atom: Node) -> Result<Node, String> {
        let (min, max) = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => return self.counted(atom),
            _ => return Ok(atom),
        };
        self.pos += 1;
        if matches!(atom, Node::Begin | Node::End) {
            return Err("cannot repeat an anchor".to_owned());
        }
        let node = Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        };
        // A second quantifier (e.g. `a+*`) or a lazy `?` is not supported.
        if matches!(self.peek(), Some('*' | '+' | '?' | '{')) {
            return Err("stacked or lazy quantifiers are not supported".to_owned());
        }
        Ok(node)
    }

    fn counted(&mut self, atom: Node) -> Result<Node, String> {
        self.pos += 1; // '{'
        let min = self.number()?;
        let max = if self.peek() == Some(',') {
            self.pos += 1;
            if self.peek() == Some('}') {
                None
            } else {
                Some(self.number()?)
            }
        } else {
            Some(min)
        };
        if self.bump() != Some('}') {
            return Err("malformed `{m,n}` in regex".to_owned());
        }
        if max.is_some_and(|max| max < min) || min > MAX_REPEAT || max > Some(MAX_REPEAT) {
            return Err("invalid `{m,n}` counts in regex".to_owned());
        }
        if matches!(atom, Node::Begin | Node::End) {
            return Err("cannot repeat an anchor".to_owned());
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    fn number(&mut self) -> Result<u32, String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self
            .chars
            .get(start..self.pos)
            .unwrap_or_default()
            .iter()
            .collect();
        digits
            .parse()
            .map_err(|_| "malformed `{m,n}` in regex".to_owned())
    }
}

fn literal(c: char) -> Node {
    Node::Class(Class {
        negated: false,
        items: vec![ClassItem::Char(c)],
    })
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn matches(pattern: &str, input: &str) -> bool {
        Regex::new(pattern)
            .unwrap_or_else(|e| panic!("{pattern}: {e}"))
            .is_match(input)
    }

    #[test]
    fn partition_patterns() {
        let aws = r"^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$";
        for region in ["us-east-1", "eu-west-3", "ap-southeast-12", "mx-central-1"] {
            assert!(matches(aws, region), "{region}");
        }
        for region in [
            "us-east-",
            "us-east-1a",
            "xus-east-1",
            "us--1",
            "cn-north-1",
            "",
            "us-east-1\n",
            "us-ea st-1",
            "us-éast-1",
        ] {
            assert!(!matches(aws, region), "{region}");
        }
        // `\w` has no `-`, so a three-part middle does not match.
        assert!(!matches(aws, "us-gov-west-1"));
        assert!(matches(r"^us\-gov\-\w+\-\d+$", "us-gov-west-1"));
        assert!(!matches(r"^us\-gov\-\w+\-\d+$", "us-west-1"));
        assert!(matches(r"^eusc\-(de)\-\w+\-\d+$", "eusc-de-east-1"));
        assert!(!matches(r"^eusc\-(de)\-\w+\-\d+$", "eusc-fr-east-1"));
    }

    #[test]
    fn other_syntax() {
        assert!(matches("a.c", "xxabcxx"));
        assert!(!matches("^a.c$", "xxabcxx"));
        assert!(matches("^ab*c?$", "a"));
        assert!(matches("^ab*c?$", "abbbc"));
        assert!(!matches("^ab*c?$", "abbbcc"));
        assert!(matches("^[a-z0-9-]{3,5}$", "a-9"));
        assert!(!matches("^[a-z0-9-]{3,5}$", "a-9bcd"));
        assert!(!matches("^[^a-z]+$", "ABc"));
        assert!(matches("^(?:ab|cd)+$", "abcdab"));
        assert!(matches("^(a*)*$", "aaaa"));
        assert!(matches("^x{2}$", "xx"));
        assert!(matches("^x{2,}$", "xxxxx"));
        assert!(matches("", "anything"));
        assert!(matches("^$", ""));
    }

    #[test]
    fn bad_patterns_are_errors() {
        for bad in [
            "(", ")", "[a", "a{2", "a{3,1}", "*a", "a**", "\\", "\\q", "a{99999}", "^*", "[z-a]",
        ] {
            assert!(Regex::new(bad).is_err(), "{bad:?} should be rejected");
        }
        let deep = "(".repeat(100) + &")".repeat(100);
        assert!(Regex::new(&deep).is_err());
    }

    #[test]
    fn long_input_is_linear_and_safe() {
        let regex = Regex::new(r"^(a|aa)*b$").expect("compiles");
        let input = "a".repeat(100_000);
        assert!(!regex.is_match(&input));
        assert!(regex.is_match(&(input + "b")));
    }
}
