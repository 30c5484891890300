//! `aws.partition`: which AWS partition a region belongs to, from botocore's
//! `partitions.json` (embedded, so the runtime needs no file at run time).

use super::regex::Regex;
use serde_json::{Map, Value};
use std::sync::OnceLock;

/// botocore 1.44.8's `botocore/data/partitions.json`, unchanged (see `runtime/data/`).
const PARTITIONS_JSON: &str = include_str!("../../data/partitions.json");

/// One partition: its id, region pattern, explicitly listed regions and outputs.
#[derive(Debug)]
struct Partition {
    id: String,
    region_regex: Regex,
    /// Listed regions and their overrides of `outputs` (usually only a description).
    regions: Map<String, Value>,
    outputs: Map<String, Value>,
}

/// Parsed partitions, in file order.
#[derive(Debug)]
pub(crate) struct Partitions {
    partitions: Vec<Partition>,
}

impl Partitions {
    /// Parses a `partitions.json` document.
    pub(crate) fn parse(json: &str) -> Result<Partitions, String> {
        let doc: Value = serde_json::from_str(json).map_err(|e| format!("partitions.json: {e}"))?;
        let list = doc
            .get("partitions")
            .and_then(Value::as_array)
            .ok_or("partitions.json: no `partitions` array")?;
        let mut partitions = Vec::with_capacity(list.len());
        for entry in list {
            let id = entry
                .get("id")
                .and_then(Value::as_str)
                .ok_or("partitions.json: a partition has no `id`")?;
            let pattern = entry
                .get("regionRegex")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("partitions.json: partition {id} has no `regionRegex`"))?;
            let region_regex =
                Regex::new(pattern).map_err(|e| format!("partitions.json: partition {id}: {e}"))?;
            let outputs = entry
                .get("outputs")
                .and_then(Value::as_object)
                .cloned()
                .ok_or_else(|| format!("partitions.json: partition {id} has no `outputs`"))?;
            let regions = entry
                .get("regions")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            partitions.push(Partition {
                id: id.to_owned(),
                region_regex,
                regions,
                outputs,
            });
        }
        Ok(Partitions { partitions })
    }

    /// The embedded partitions, parsed once.
    pub(crate) fn embedded() -> Result<&'static Partitions, String> {
        static EMBEDDED: OnceLock<Result<Partitions, String>> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| Partitions::parse(PARTITIONS_JSON))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The partition outputs for `region`, as `aws.partition` returns them: an explicitly
    /// listed region wins (its overrides applied), then the first partition whose
    /// `regionRegex` matches, else the `aws` partition. `None` only if there is no `aws`
    /// partition to fall back to.
    pub(crate) fn resolve(&self, region: &str) -> Option<Map<String, Value>> {
        let listed = self.partitions.iter().find_map(|partition| {
            partition
                .regions
                .get(region)
                .map(|overrides| (partition, overrides.as_object()))
        });
        let (partition, overrides) = match listed {
            Some(found) => found,
            None => {
                let partition = self
                    .partitions
                    .iter()
                    .find(|p| p.region_regex.is_match(region))
                    .or_else(|| self.partitions.iter().find(|p| p.id == "aws"))?;
                (partition, None)
            }
        };
        let mut outputs = partition.outputs.clone();
        outputs
            .entry("name")
            .or_insert_with(|| Value::String(partition.id.clone()));
        for (key, value) in overrides.into_iter().flatten() {
            if key != "description" {
                outputs.insert(key.clone(), value.clone());
            }
        }
        Some(outputs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(region: &str) -> Option<String> {
        let partitions = Partitions::embedded().expect("embedded partitions parse");
        partitions
            .resolve(region)
            .and_then(|o| o.get("name").and_then(Value::as_str).map(str::to_owned))
    }

    #[test]
    fn regions_map_to_partitions() {
        assert_eq!(name("us-east-1").as_deref(), Some("aws"));
        assert_eq!(name("us-west-99").as_deref(), Some("aws"), "by regex");
        assert_eq!(name("cn-north-1").as_deref(), Some("aws-cn"));
        assert_eq!(name("cn-south-7").as_deref(), Some("aws-cn"), "by regex");
        assert_eq!(
            name("aws-cn-global").as_deref(),
            Some("aws-cn"),
            "listed only"
        );
        assert_eq!(name("us-gov-west-1").as_deref(), Some("aws-us-gov"));
        assert_eq!(name("us-gov-north-9").as_deref(), Some("aws-us-gov"));
        assert_eq!(name("us-iso-east-1").as_deref(), Some("aws-iso"));
        assert_eq!(name("us-isob-east-1").as_deref(), Some("aws-iso-b"));
        assert_eq!(name("eu-isoe-west-1").as_deref(), Some("aws-iso-e"));
        assert_eq!(name("us-isof-south-1").as_deref(), Some("aws-iso-f"));
        assert_eq!(name("eusc-de-east-1").as_deref(), Some("aws-eusc"));
        // Anything else falls back to `aws`.
        for other in [
            "",
            "mars-east-1",
            "US-EAST-1",
            "us-east-1 ",
            "\u{0}",
            "x".repeat(10_000).as_str(),
        ] {
            assert_eq!(name(other).as_deref(), Some("aws"), "{other:?}");
        }
    }

    #[test]
    fn outputs_are_complete() {
        let partitions = Partitions::embedded().expect("embedded partitions parse");
        let cn = partitions.resolve("cn-northwest-1").expect("resolves");
        assert_eq!(cn.get("dnsSuffix"), Some(&Value::from("amazonaws.com.cn")));
        assert_eq!(
            cn.get("dualStackDnsSuffix"),
            Some(&Value::from("api.amazonwebservices.com.cn"))
        );
        assert_eq!(cn.get("supportsFIPS"), Some(&Value::from(true)));
        assert_eq!(
            cn.get("implicitGlobalRegion"),
            Some(&Value::from("cn-northwest-1"))
        );
        assert!(cn.get("description").is_none());
    }

    #[test]
    fn region_overrides_apply() {
        let partitions = Partitions::parse(
            r#"{"partitions":[
                {"id":"aws","regionRegex":"^us\\-\\w+\\-\\d+$","regions":{
                    "us-weird-1":{"description":"x","supportsFIPS":false}},
                 "outputs":{"name":"aws","dnsSuffix":"amazonaws.com","supportsFIPS":true}},
                {"id":"other","regionRegex":"^ot\\-\\w+\\-\\d+$","regions":{},
                 "outputs":{"dnsSuffix":"other.example"}}]}"#,
        )
        .expect("parses");
        let weird = partitions.resolve("us-weird-1").expect("resolves");
        assert_eq!(weird.get("supportsFIPS"), Some(&Value::from(false)));
        assert!(weird.get("description").is_none());
        let other = partitions.resolve("ot-a-1").expect("resolves");
        assert_eq!(
            other.get("name"),
            Some(&Value::from("other")),
            "name defaults to id"
        );
        for bad in [
            "",
            "{}",
            r#"{"partitions":[{}]}"#,
            r#"{"partitions":[{"id":"a"}]}"#,
            r#"{"partitions":[{"id":"a","regionRegex":"("}]}"#,
            r#"{"partitions":[{"id":"a","regionRegex":"x"}]}"#,
        ] {
            assert!(Partitions::parse(bad).is_err(), "{bad}");
        }
        let no_aws =
            Partitions::parse(r#"{"partitions":[{"id":"x","regionRegex":"^x$","outputs":{}}]}"#)
                .expect("parses");
        assert!(no_aws.resolve("y").is_none());
    }
}
