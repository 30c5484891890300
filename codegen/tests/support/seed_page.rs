//! Parser for the boto3 reference page (`codegen/tests/fixtures/seed/delete_virtual_interface.rst`),
//! shared by the generator's seed test and the e2e seed test.
#![allow(dead_code)]

/// What the boto3 page documents.
#[derive(Debug, Default)]
pub struct Page {
    /// (parameter, required)
    pub params: Vec<(String, bool)>,
    /// Response keys with their enum values in documented order (empty when not an enum).
    pub response: Vec<(String, Vec<String>)>,
    /// (value, meaning) from the response structure.
    pub meanings: Vec<(String, String)>,
    pub exceptions: Vec<String>,
}

pub fn parse_page(text: &str) -> Page {
    let mut page = Page::default();
    let lines: Vec<&str> = text.lines().collect();
    let mut section = "";
    for (i, raw) in lines.iter().enumerate() {
        let line = raw.trim();
        if line.starts_with("**Request Syntax**") {
            section = "request";
        } else if line.starts_with("**Response Syntax**") {
            section = "response-syntax";
        } else if line.starts_with("**Response Structure**") {
            section = "response-structure";
        } else if line.starts_with("**Exceptions**") {
            section = "exceptions";
        }
        if let Some(rest) = line.strip_prefix(":type ") {
            let name = rest.split(':').next().unwrap().trim().to_string();
            let required = lines[i + 1..]
                .iter()
                .find(|l| l.trim().starts_with(":param"))
                .is_some_and(|l| l.contains("**[REQUIRED]**"));
            page.params.push((name, required));
        }
        if section == "response-syntax" && line.starts_with('\'') && line.contains("':") {
            let (key, values) = line.split_once("':").unwrap();
            let key = key.trim_start_matches('\'').to_string();
            let values: Vec<String> = values
                .trim()
                .trim_end_matches(',')
                .split('|')
                .map(|v| v.trim().trim_matches('\'').to_string())
                .filter(|v| v != "string")
                .collect();
            page.response.push((key, values));
        }
        if section == "response-structure" && line.starts_with("* ``") {
            let rest = &line[4..];
            let (value, meaning) = rest.split_once("``:").unwrap();
            page.meanings
                .push((value.to_string(), meaning.trim().to_string()));
        }
        if section == "exceptions"
            && let Some(pos) = line.find("exceptions.")
        {
            let name = line[pos + "exceptions.".len()..]
                .trim_end_matches('`')
                .to_string();
            page.exceptions.push(name);
        }
    }
    page
}

/// Compares documentation text: markup (backticks, escapes, emphasis) and spacing ignored.
pub fn normalize(text: &str) -> String {
    let stripped: String = text
        .chars()
        .filter(|c| !matches!(c, '`' | '\\' | '*'))
        .collect();
    stripped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page as committed in the repository.
pub fn load(root: &std::path::Path) -> Page {
    let text = std::fs::read_to_string(
        root.join("codegen/tests/fixtures/seed/delete_virtual_interface.rst"),
    )
    .expect("seed page is committed");
    parse_page(&text)
}
