//! Where a request goes and how it is signed: the service's endpoint rule set when it has
//! one, else the configured endpoint URL, else `https://{endpoint_prefix}.{region}.amazonaws.com/`.

use crate::config::{Config, Region};
use crate::endpoint::{self, RuleSet};
use crate::env::{self, ENV_USE_DUALSTACK_ENDPOINT, ENV_USE_FIPS_ENDPOINT, EnvLookup};
use crate::error::ConstructionError;
use crate::service::ServiceMeta;
use crate::sigv4::SigningSettings;

/// Where a request goes and how it is signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RequestEndpoint {
    /// The base URL, ending in `/`.
    pub(crate) url: String,
    /// The `host` header value.
    pub(crate) host: String,
    /// Headers the endpoint rules ask for.
    pub(crate) headers: Vec<(String, String)>,
    /// `signingRegion` of the endpoint's sigv4 auth scheme, if any.
    pub(crate) signing_region: Option<String>,
    /// `signingName` of the endpoint's sigv4 auth scheme, if any.
    pub(crate) signing_name: Option<String>,
    /// The service's signing settings, with what the endpoint's sigv4 auth scheme turns off
    /// (`disableDoubleEncoding`, `disableNormalizePath`).
    pub(crate) signing: SigningSettings,
}

impl RequestEndpoint {
    /// Puts `prefix` (an expanded endpoint-trait host prefix) in front of the host, custom
    /// endpoints included.
    pub(crate) fn prefix_host(&mut self, prefix: &str) {
        self.host.insert_str(0, prefix);
        if let Some(at) = self.url.find("://") {
            self.url.insert_str(at + 3, prefix);
        }
    }
}

/// What one call adds to endpoint resolution: the operation's endpoint-trait host prefix
/// (labels filled from the input), and endpoint rule parameters from the operation and its
/// input.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallEndpoint {
    /// Put in front of the endpoint's host (e.g. `data.`).
    pub host_prefix: Option<String>,
    /// Rule parameters (`staticContextParams`, members marked `contextParam`).
    pub params: endpoint::ContextParams,
}

/// The endpoint for one request of `service` in `region`.
///
/// Without an endpoint URL in the config the region becomes part of the host name, so it
/// must be letters, digits and inner dashes. With a rule set, its parameters are the region,
/// FIPS and dual-stack (from the config, else `AWS_USE_FIPS_ENDPOINT` /
/// `AWS_USE_DUALSTACK_ENDPOINT`) and the config's endpoint URL; the rules decide, custom
/// endpoint included. Without one, the config's endpoint URL, else
/// `https://{endpoint_prefix}.{region}.amazonaws.com/` (FIPS and dual-stack unsupported).
pub(crate) fn resolve(
    config: &Config,
    service: &ServiceMeta,
    region: &Region,
    env: EnvLookup<'_>,
    call: &CallEndpoint,
) -> Result<RequestEndpoint, ConstructionError> {
    let use_fips = env::flag(config.use_fips(), ENV_USE_FIPS_ENDPOINT, env)?;
    let use_dual_stack = env::flag(config.use_dual_stack(), ENV_USE_DUALSTACK_ENDPOINT, env)?;
    if config.endpoint_url().is_none() && !is_valid_region(region.as_ref()) {
        // It would be put in the host name as is.
        return Err(ConstructionError::InvalidRegion(region.as_ref().to_owned()));
    }
    let Some(rule_set) = service.endpoint_rule_set else {
        if use_fips || use_dual_stack {
            return Err(ConstructionError::EndpointSettingUnsupported {
                setting: if use_fips {
                    "use_fips"
                } else {
                    "use_dual_stack"
                },
            });
        }
        let (url, host) = match config.endpoint_url() {
            Some(url) => parse_url(url)?,
            None => {
                let host = format!("{}.{region}.amazonaws.com", service.endpoint_prefix);
                (format!("https://{host}/"), host)
            }
        };
        return Ok(RequestEndpoint {
            url,
            host,
            headers: Vec::new(),
            signing_region: None,
            signing_name: None,
            signing: service.signing,
        });
    };
    let rules = RuleSet::cached(rule_set).map_err(ConstructionError::Endpoint)?;
    let params = endpoint::Params {
        region: Some(region.as_ref().to_owned()),
        use_fips,
        use_dual_stack,
        endpoint: config.endpoint_url().map(str::to_owned),
        ..endpoint::Params::default()
    };
    // The config's client settings, then the call's (static ones last, so they win).
    let mut params = params;
    for (name, value) in config.client_context_params() {
        params
            .named
            .insert((*name).to_owned(), serde_json::Value::Bool(*value));
    }
    for (name, value) in call.params.iter() {
        params.named.insert(name.to_owned(), value.clone());
    }
    let resolved = rules
        .resolve(&params)
        .map_err(ConstructionError::Endpoint)?;
    let (url, host) = parse_url(&resolved.url)?;
    let scheme = resolved.sigv4_auth_scheme();
    let text = |key: &str| {
        scheme
            .and_then(|s| s.get(key))
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let flag = |key: &str| {
        scheme
            .and_then(|s| s.get(key))
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false)
    };
    Ok(RequestEndpoint {
        url,
        host,
        headers: resolved
            .headers
            .iter()
            .flat_map(|(name, values)| values.iter().map(move |v| (name.clone(), v.clone())))
            .collect(),
        signing_region: text("signingRegion"),
        signing_name: text("signingName"),
        signing: SigningSettings {
            double_encode_path: service.signing.double_encode_path
                && !flag("disableDoubleEncoding"),
            normalize_path: service.signing.normalize_path && !flag("disableNormalizePath"),
            ..service.signing
        },
    })
}

/// Letters, digits and inner dashes: what can go into a host name.
fn is_valid_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !region.starts_with('-')
        && !region.ends_with('-')
}

/// An endpoint URL as the base URL (path kept, ending in `/`; query dropped; default port
/// left out) and the `host` header value.
fn parse_url(url: &str) -> Result<(String, String), ConstructionError> {
    let invalid = |reason: &'static str| ConstructionError::InvalidEndpoint {
        url: url.to_owned(),
        reason,
    };
    let uri: ::http::Uri = url
        .parse()
        .map_err(|_| invalid("not a valid absolute URL"))?;
    let scheme = match uri.scheme_str() {
        Some(s) if s.eq_ignore_ascii_case("https") => "https",
        Some(s) if s.eq_ignore_ascii_case("http") => "http",
        Some(_) => return Err(invalid("the scheme must be http or https")),
        None => return Err(invalid("missing scheme (http:// or https://)")),
    };
    let host_name = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| invalid("missing host"))?;
    let default_port = if scheme == "https" { 443 } else { 80 };
    let host = match uri.port_u16() {
        Some(port) if port != default_port => format!("{host_name}:{port}"),
        _ => host_name.to_owned(),
    };
    let base = uri.path().trim_end_matches('/');
    Ok((format!("{scheme}://{host}{base}/"), host))
}

#[cfg(test)]
mod tests {
    use super::*;

    static DIRECT_CONNECT: ServiceMeta = crate::service::fixtures::DIRECT_CONNECT;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn endpoint(url: Option<&str>, region: &str) -> Result<(String, String), ConstructionError> {
        let mut config = Config::builder().region(Region::new(region.to_owned()));
        if let Some(url) = url {
            config = config.endpoint_url(url);
        }
        let config = config.build();
        let region = config.region().cloned().unwrap_or(Region::from_static(""));
        resolve(
            &config,
            &DIRECT_CONNECT,
            &region,
            &no_env,
            &CallEndpoint::default(),
        )
        .map(|e| (e.url, e.host))
    }

    fn ok(url: &str, host: &str) -> Option<(String, String)> {
        Some((url.to_owned(), host.to_owned()))
    }

    #[test]
    fn endpoint_selection_without_rules() {
        assert_eq!(
            endpoint(None, "us-east-1").ok(),
            ok(
                "https://directconnect.us-east-1.amazonaws.com/",
                "directconnect.us-east-1.amazonaws.com"
            )
        );
        assert_eq!(
            endpoint(None, "eu-west-3").ok(),
            ok(
                "https://directconnect.eu-west-3.amazonaws.com/",
                "directconnect.eu-west-3.amazonaws.com"
            )
        );
        // An explicit endpoint wins over the region-derived default.
        assert_eq!(
            endpoint(Some("http://127.0.0.1:4566"), "us-east-1").ok(),
            ok("http://127.0.0.1:4566/", "127.0.0.1:4566")
        );
        assert_eq!(
            endpoint(
                Some("HTTPS://vpce.example.com:443/prefix/?q=1"),
                "us-east-1"
            )
            .ok(),
            ok("https://vpce.example.com/prefix/", "vpce.example.com")
        );
        assert_eq!(
            endpoint(Some("http://localhost:80/a/b"), "us-east-1").ok(),
            ok("http://localhost/a/b/", "localhost")
        );
        assert_eq!(
            endpoint(Some("https://[::1]:8443/"), "us-east-1").ok(),
            ok("https://[::1]:8443/", "[::1]:8443")
        );
        for bad in [
            "",
            "localhost:4566",
            "/just/a/path",
            "ftp://host/",
            "http://",
            "not a url",
        ] {
            let err = endpoint(Some(bad), "us-east-1");
            assert!(
                matches!(err, Err(ConstructionError::InvalidEndpoint { .. })),
                "{bad:?} gave {err:?}"
            );
        }
        for bad in ["", "us east 1", "us-east-1.evil.com/", "-x", "a/b"] {
            let err = endpoint(None, bad);
            assert!(
                matches!(err, Err(ConstructionError::InvalidRegion(_))),
                "{bad:?} gave {err:?}"
            );
        }
        // With an endpoint URL the region is only signed, never put in a host name.
        assert_eq!(
            endpoint(Some("http://127.0.0.1:4566"), "us east 1").ok(),
            ok("http://127.0.0.1:4566/", "127.0.0.1:4566")
        );
    }

    #[test]
    fn the_auth_scheme_turns_off_double_encoding_and_normalisation() {
        let rules = |properties: &str| {
            format!(
                r#"{{"version": "1.0",
                    "parameters": {{"Region": {{"builtIn": "AWS::Region", "required": false, "type": "String"}}}},
                    "rules": [{{"conditions": [], "type": "endpoint",
                        "endpoint": {{"url": "https://x.example", "properties": {{"authSchemes": [{properties}]}}}}}}]}}"#
            )
        };
        let cases = [
            (r#"{"name": "sigv4"}"#, SigningSettings::STANDARD),
            (
                r#"{"name": "sigv4", "disableDoubleEncoding": true}"#,
                SigningSettings {
                    double_encode_path: false,
                    ..SigningSettings::STANDARD
                },
            ),
            (
                r#"{"name": "sigv4", "disableDoubleEncoding": true, "disableNormalizePath": true}"#,
                SigningSettings {
                    double_encode_path: false,
                    normalize_path: false,
                    ..SigningSettings::STANDARD
                },
            ),
            (
                r#"{"name": "sigv4", "disableDoubleEncoding": false}"#,
                SigningSettings::STANDARD,
            ),
        ];
        for (scheme, expected) in cases {
            let text: &'static str = Box::leak(rules(scheme).into_boxed_str());
            let service: &'static ServiceMeta = Box::leak(Box::new(ServiceMeta {
                endpoint_rule_set: Some(text),
                ..DIRECT_CONNECT
            }));
            let config = Config::builder()
                .region(Region::from_static("us-east-1"))
                .build();
            let endpoint = resolve(
                &config,
                service,
                &Region::from_static("us-east-1"),
                &no_env,
                &CallEndpoint::default(),
            )
            .expect("resolves");
            assert_eq!(endpoint.signing, expected, "{scheme}");
        }
    }

    /// S3's own rule set (botocore's), with the parameters S3 calls give it.
    #[test]
    fn s3_addressing_follows_the_bucket_and_the_config() {
        static S3: ServiceMeta = ServiceMeta {
            endpoint_rule_set: Some(include_str!(
                "../../tests/data/endpoint-rules/s3/endpoint-rule-set-1.json"
            )),
            signing: SigningSettings::S3,
            ..DIRECT_CONNECT
        };
        let region = Region::from_static("us-west-2");
        let resolve_with =
            |config: &Config,
             bucket: Option<&str>,
             statics: &[(&'static str, endpoint::StaticParam)]| {
                let mut call = CallEndpoint::default();
                call.params.string("Bucket", bucket);
                call.params.statics(statics);
                resolve(config, &S3, &region, &no_env, &call).expect("resolves")
            };
        let config = Config::builder().region(region.clone()).build();
        let virtual_hosted = resolve_with(&config, Some("my-bucket"), &[]);
        assert_eq!(
            virtual_hosted.url,
            "https://my-bucket.s3.us-west-2.amazonaws.com/"
        );
        assert_eq!(virtual_hosted.host, "my-bucket.s3.us-west-2.amazonaws.com");
        assert_eq!(
            virtual_hosted.signing,
            SigningSettings::S3,
            "S3's rules turn double encoding off; S3's settings have it off already"
        );
        let path_style = Config::builder()
            .region(region.clone())
            .force_path_style(true)
            .build();
        assert_eq!(
            resolve_with(&path_style, Some("my-bucket"), &[]).url,
            "https://s3.us-west-2.amazonaws.com/my-bucket/"
        );
        // A bucket name that cannot be a host label goes in the path by itself.
        assert_eq!(
            resolve_with(&config, Some("My_Bucket"), &[]).url,
            "https://s3.us-west-2.amazonaws.com/My_Bucket/"
        );
        // No bucket (ListBuckets): the regional endpoint.
        assert_eq!(
            resolve_with(&config, None, &[]).url,
            "https://s3.us-west-2.amazonaws.com/"
        );
        // A custom endpoint on an IP address: path style.
        let local = Config::builder()
            .region(region.clone())
            .endpoint_url("http://127.0.0.1:5000")
            .build();
        assert_eq!(
            resolve_with(&local, Some("my-bucket"), &[]).url,
            "http://127.0.0.1:5000/my-bucket/"
        );
        // Accelerate, from the config.
        let accelerate = Config::builder()
            .region(region.clone())
            .accelerate(true)
            .build();
        assert_eq!(
            resolve_with(&accelerate, Some("my-bucket"), &[]).url,
            "https://my-bucket.s3-accelerate.amazonaws.com/"
        );
        // A static parameter of the operation wins over the config.
        let statics = [("Accelerate", endpoint::StaticParam::Bool(false))];
        assert_eq!(
            resolve_with(&accelerate, Some("my-bucket"), &statics).url,
            "https://my-bucket.s3.us-west-2.amazonaws.com/"
        );
    }

    #[test]
    fn host_prefix_goes_in_front_of_the_host() {
        let mut endpoint = RequestEndpoint {
            url: "http://127.0.0.1:4566/base/".to_owned(),
            host: "127.0.0.1:4566".to_owned(),
            headers: Vec::new(),
            signing_region: None,
            signing_name: None,
            signing: SigningSettings::STANDARD,
        };
        endpoint.prefix_host("data.");
        assert_eq!(endpoint.url, "http://data.127.0.0.1:4566/base/");
        assert_eq!(endpoint.host, "data.127.0.0.1:4566");
    }
}
