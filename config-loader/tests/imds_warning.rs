//! Feature `tracing`: the IMDS provider warns when it serves credentials again after a failed
//! refresh and when it extends their expiry (static stability), as the official provider
//! does; the warnings hold no key, secret or token. Captured with a `tracing-subscriber`
//! layer over a loopback IMDS that starts failing.
#![cfg(feature = "tracing")]

use aws_config::ProviderConfig;
use aws_config::imds::ImdsCredentialsProvider;
use aws_config::os::{Env, Fs};
use aws_lite_runtime::config::ProvideCredentials;
use aws_lite_runtime::testing::{CannedResponse, TestServer};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

struct Text<'a>(&'a mut String);

impl Visit for Text<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={value:?} ", field.name()));
    }
}

impl<S: tracing::Subscriber> Layer<S> for Warnings {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if *event.metadata().level() == tracing::Level::WARN {
            let mut text = String::new();
            event.record(&mut Text(&mut text));
            self.0.lock().unwrap().push(text);
        }
    }
}

#[tokio::test]
async fn serving_old_credentials_and_extending_them_are_warned() {
    let warnings = Warnings::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(warnings.clone()));
    let failing = Arc::new(AtomicBool::new(false));
    let fail = Arc::clone(&failing);
    let imds = TestServer::start_with(move |request| {
        if fail.load(Ordering::SeqCst) {
            return CannedResponse::new(500, "");
        }
        match request.uri.as_str() {
            "/latest/api/token" => CannedResponse::new(200, "TOKEN"),
            "/latest/meta-data/iam/security-credentials/" => CannedResponse::new(200, "role"),
            _ => CannedResponse::new(
                200,
                r#"{"Code":"Success","AccessKeyId":"ASIAWARNKEY","SecretAccessKey":"warn-secret","Token":"warn-token","Expiration":"2023-11-14T22:33:20Z"}"#,
            ),
        }
    });
    // The clock sits an hour after the credentials' expiry.
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_001_000 + 3600);
    let config = ProviderConfig::default()
        .with_env(Env::from_slice(&[(
            "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            &imds.url(),
        )]))
        .with_fs(Fs::from_slice(&[]))
        .with_time_source(move || now);
    let provider = ImdsCredentialsProvider::from_config(&config);
    provider.provide_credentials().await.expect("fetched");
    let after_fetch = warnings.0.lock().unwrap().clone();
    assert_eq!(after_fetch.len(), 1, "{after_fetch:?}");
    assert!(
        after_fetch[0].contains("credential expiration extension"),
        "{after_fetch:?}"
    );
    failing.store(true, Ordering::SeqCst);
    provider.provide_credentials().await.expect("served again");
    let all = warnings.0.lock().unwrap().clone();
    assert!(
        all.iter()
            .any(|w| w.contains("serving the ones obtained before") && w.contains("500")),
        "{all:?}"
    );
    for text in &all {
        for secret in ["ASIAWARNKEY", "warn-secret", "warn-token", "TOKEN"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
