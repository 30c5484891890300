//! The shared config and credentials file format, as the AWS SDKs read it: the rules of the
//! SDKs' shared profile-parser tests (`test-data/profile-parser-tests.json`).
//!
//! A file is parsed line by line into sections (`[name]`) of lower-cased keys; then each
//! file's sections are checked for its kind (config: `[default]`, `[profile name]`,
//! `[sso-session name]`, `[services name]`, ...; credentials: `[name]` only) and merged into
//! one [`ProfileSet`], the credentials file winning over the config file.

use std::collections::BTreeMap;
use std::fmt;

const WHITESPACE: &[char] = &[' ', '\t'];
const COMMENT: &[char] = &['#', ';'];

/// Which of the two shared files a text comes from: they name sections differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[default]`, `[profile name]`, `[sso-session name]`, ...
    Config,
    /// `~/.aws/credentials`: `[name]`.
    Credentials,
}

/// A file that could not be parsed: the file, the line (from 1) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileParseError {
    path: String,
    line: usize,
    message: String,
}

impl ProfileParseError {
    /// The file's path as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The line at fault, counted from 1.
    pub fn line(&self) -> usize {
        self.line
    }

    /// What is wrong, e.g. `Expected an '=' sign defining a property`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ProfileParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "error parsing {} on line {}: {}",
            self.path, self.line, self.message
        )
    }
}

impl std::error::Error for ProfileParseError {}

/// One section's properties, by lower-cased key.
pub type Properties = BTreeMap<String, String>;

/// The sections of one file as written (before checking names), in order of first appearance.
#[derive(Default)]
struct RawFile {
    sections: Vec<(String, Properties)>,
}

impl RawFile {
    fn section_mut(&mut self, name: &str) -> usize {
        match self.sections.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                self.sections.push((name.to_owned(), Properties::new()));
                self.sections.len() - 1
            }
        }
    }
}

/// Where the parser is: before any section, or in one (with the property a continuation line
/// would extend, and whether that property opened a sub-property block).
enum State {
    Start,
    InSection {
        section: usize,
        property: Option<String>,
        sub_properties: bool,
    },
}

fn parse_raw(path: &str, text: &str) -> Result<RawFile, ProfileParseError> {
    let mut raw = RawFile::default();
    let mut state = State::Start;
    for (index, line) in text.lines().enumerate() {
        let error = |message: String| ProfileParseError {
            path: path.to_owned(),
            line: index + 1,
            message,
        };
        if line.trim_matches(WHITESPACE).is_empty() || line.starts_with(COMMENT) {
            continue;
        }
        if line.starts_with('[') {
            let line = strip_comment(line, false);
            let name = line
                .strip_prefix('[')
                .and_then(|rest| rest.strip_suffix(']'))
                .ok_or_else(|| error("Profile definition must end with ']'".to_owned()))?;
            state = State::InSection {
                section: raw.section_mut(name),
                property: None,
                sub_properties: false,
            };
        } else if line.starts_with(WHITESPACE) {
            let State::InSection {
                section,
                property,
                sub_properties,
            } = &state
            else {
                return Err(error("Expected a profile definition".to_owned()));
            };
            let Some(property) = property else {
                return Err(error(
                    "Expected a property definition, found continuation".to_owned(),
                ));
            };
            if *sub_properties && !line.trim_matches(WHITESPACE).is_empty() {
                parse_property(line).map_err(|e| error(e.message("sub-property")))?;
            }
            let value = raw.sections[*section]
                .1
                .get_mut(property)
                .expect("a continued property was inserted when it was read");
            value.push('\n');
            value.push_str(line.trim_matches(WHITESPACE));
        } else {
            let State::InSection { section, .. } = state else {
                return Err(error("Expected a profile definition".to_owned()));
            };
            let (key, value) = parse_property(line).map_err(|e| error(e.message("property")))?;
            state = State::InSection {
                section,
                property: Some(key.clone()),
                sub_properties: value.is_empty(),
            };
            raw.sections[section].1.insert(key, value.to_owned());
        }
    }
    Ok(raw)
}

enum PropertyError {
    NoEquals,
    NoName,
}

impl PropertyError {
    fn message(&self, what: &str) -> String {
        match self {
            PropertyError::NoEquals => format!("Expected an '=' sign defining a {what}"),
            PropertyError::NoName => {
                let mut what = what.to_owned();
                what[..1].make_ascii_uppercase();
                format!("{what} did not have a name")
            }
        }
    }
}

/// `key = value` (comments after whitespace removed), the key lower-cased.
fn parse_property(line: &str) -> Result<(String, &str), PropertyError> {
    let line = strip_comment(line, true);
    let (key, value) = line.split_once('=').ok_or(PropertyError::NoEquals)?;
    let key = key.trim_matches(WHITESPACE);
    if key.is_empty() {
        return Err(PropertyError::NoName);
    }
    Ok((key.to_ascii_lowercase(), value.trim_matches(WHITESPACE)))
}

/// The line without surrounding blanks and without a `#`/`;` comment; in property lines a
/// comment must follow whitespace (`value#x` keeps its `#`), in section lines it need not.
fn strip_comment(line: &str, needs_whitespace: bool) -> &str {
    let line = line.trim_matches(WHITESPACE);
    let mut previous_blank = false;
    for (index, c) in line.char_indices() {
        if COMMENT.contains(&c) && (previous_blank || !needs_whitespace) {
            return line[..index].trim_matches(WHITESPACE);
        }
        previous_blank = c.is_whitespace();
    }
    line
}

/// Names of profiles, sections and keys: ASCII letters and digits and `_-/.%@:+`.
fn valid_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// One profile: its name and properties (keys lower-cased).
///
/// `Debug` shows the property names, never their values (they include secret keys).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: Properties,
}

impl Profile {
    /// A profile from its name and properties (keys are expected lower-case).
    pub fn new(name: impl Into<String>, properties: Properties) -> Self {
        Self {
            name: name.into(),
            properties,
        }
    }

    /// The profile's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The value of `key` (any case), if set.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties
            .get(&key.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// Every property, by lower-cased key.
    pub fn properties(&self) -> &Properties {
        &self.properties
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("keys", &self.properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The profiles, SSO sessions and other sections (`[services name]`, ...) of the shared files,
/// merged, and the profile selected (`AWS_PROFILE`, else `default`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Profile>,
    /// Other sections of the config file, by (prefix, name): `("services", "dev")`.
    other_sections: BTreeMap<(String, String), Profile>,
    selected: String,
}

impl fmt::Debug for ProfileSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileSet")
            .field("selected", &self.selected)
            .field("profiles", &self.profiles.values().collect::<Vec<_>>())
            .field(
                "sso_sessions",
                &self.sso_sessions.values().collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl ProfileSet {
    /// Parses the config and credentials texts (`None`: that file is absent) and selects
    /// `selected`. `config_path` and `credentials_path` are named in errors.
    pub fn parse(
        config: Option<(&str, &str)>,
        credentials: Option<(&str, &str)>,
        selected: impl Into<String>,
    ) -> Result<Self, ProfileParseError> {
        let mut set = ProfileSet {
            selected: selected.into(),
            ..Default::default()
        };
        // The credentials file is merged last: its properties win.
        for (kind, file) in [
            (FileKind::Config, config),
            (FileKind::Credentials, credentials),
        ] {
            if let Some((path, text)) = file {
                set.merge(kind, parse_raw(path, text)?);
            }
        }
        Ok(set)
    }

    /// Profiles and SSO sessions from name/property maps, as the official tests give them
    /// (`assume-role-tests.json`).
    pub fn from_maps(
        profiles: BTreeMap<String, Properties>,
        sso_sessions: BTreeMap<String, Properties>,
        selected: &str,
    ) -> Self {
        let sections = |maps: BTreeMap<String, Properties>| {
            maps.into_iter()
                .map(|(name, props)| (name.clone(), Profile::new(name, props)))
                .collect()
        };
        ProfileSet {
            profiles: sections(profiles),
            sso_sessions: sections(sso_sessions),
            selected: selected.to_owned(),
            ..Default::default()
        }
    }

    fn merge(&mut self, kind: FileKind, raw: RawFile) {
        // (prefix, name) of each section valid for this kind of file; others are ignored.
        let sections: Vec<(Option<&str>, &str, &Properties)> = raw
            .sections
            .iter()
            .filter_map(|(header, props)| {
                let header = header.trim_matches(WHITESPACE);
                let (prefix, name) = match header.split_once(WHITESPACE) {
                    Some((prefix, name)) => (Some(prefix.trim()), name.trim()),
                    None => (None, header.trim()),
                };
                let valid = match (kind, prefix) {
                    (FileKind::Config, Some(_)) => valid_identifier(name),
                    (FileKind::Config, None) => name == "default",
                    (FileKind::Credentials, Some(_)) => false,
                    (FileKind::Credentials, None) => valid_identifier(name),
                };
                valid.then_some((prefix, name, props))
            })
            .collect();
        // `[profile default]` hides `[default]` in the same file.
        let prefixed_default = sections
            .iter()
            .any(|(prefix, name, _)| *prefix == Some("profile") && *name == "default");
        for (prefix, name, props) in sections {
            let target = match prefix {
                None if prefixed_default => continue,
                None | Some("profile") => self
                    .profiles
                    .entry(name.to_owned())
                    .or_insert_with(|| Profile::new(name, Properties::new())),
                Some("sso-session") => self
                    .sso_sessions
                    .entry(name.to_owned())
                    .or_insert_with(|| Profile::new(name, Properties::new())),
                Some(other) => self
                    .other_sections
                    .entry((other.to_owned(), name.to_owned()))
                    .or_insert_with(|| Profile::new(name, Properties::new())),
            };
            for (key, value) in props {
                if valid_identifier(key) {
                    target.properties.insert(key.clone(), value.clone());
                }
            }
        }
    }

    /// The same profiles with `name` selected.
    pub fn select(mut self, name: impl Into<String>) -> Self {
        self.selected = name.into();
        self
    }

    /// The selected profile's name.
    pub fn selected_profile(&self) -> &str {
        &self.selected
    }

    /// The selected profile, if the files define it.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// `key` of the selected profile.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.selected().and_then(|p| p.get(key))
    }

    /// The profile named `name`.
    pub fn get_profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Every profile, by name.
    pub fn profiles(&self) -> impl Iterator<Item = &Profile> {
        self.profiles.values()
    }

    /// The `[sso-session name]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// Every SSO session, by name.
    pub fn sso_sessions(&self) -> impl Iterator<Item = &Profile> {
        self.sso_sessions.values()
    }

    /// Another section of the config file, e.g. `other_section("services", "dev")`.
    pub fn other_section(&self, prefix: &str, name: &str) -> Option<&Profile> {
        self.other_sections
            .get(&(prefix.to_owned(), name.to_owned()))
    }

    /// True when no file defined any profile.
    pub fn is_empty(&self) -> bool {
        self.profiles.is_empty()
    }
}

/// The `key = value` lines of a sub-property block (`s3 =\n  name = value`), in order.
pub fn sub_properties(value: &str) -> impl Iterator<Item = (&str, &str)> {
    value.split('\n').filter_map(|line| {
        let (key, value) = line.split_once('=')?;
        Some((key.trim_matches(WHITESPACE), value.trim_matches(WHITESPACE)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_file_and_line() {
        let err = ProfileSet::parse(
            Some(("/x/config", "[default]\nk=v\nnoequals")),
            None,
            "default",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "error parsing /x/config on line 3: Expected an '=' sign defining a property"
        );
        assert_eq!((err.path(), err.line()), ("/x/config", 3));
    }

    #[test]
    fn debug_hides_values() {
        let set = ProfileSet::parse(
            Some(("c", "[default]\naws_secret_access_key = SECRETVALUE")),
            None,
            "default",
        )
        .unwrap();
        let text = format!("{set:?}");
        assert!(
            !text.contains("SECRETVALUE") && text.contains("aws_secret_access_key"),
            "{text}"
        );
    }
}
