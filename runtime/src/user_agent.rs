//! The `user-agent` header every request carries.

use crate::service::ServiceMeta;

/// `aws-lite-rust/{version} api/{service-id}/{api-version} os/{os} lang/rust`, the service id
/// lower-cased with every character but letters and digits made a dash (`Direct Connect`
/// gives `api/direct-connect/2012-10-25`).
pub fn user_agent(service: &ServiceMeta) -> String {
    let api: String = service
        .service_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!(
        "aws-lite-rust/{} api/{api}/{} os/{} lang/rust",
        env!("CARGO_PKG_VERSION"),
        service.api_version,
        std::env::consts::OS
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_runtime_service_and_os() {
        let ua = user_agent(&crate::service::fixtures::DIRECT_CONNECT);
        assert!(ua.starts_with("aws-lite-rust/"), "{ua}");
        assert!(ua.contains(" api/direct-connect/2012-10-25 "), "{ua}");
        assert!(
            ua.ends_with(&format!("os/{} lang/rust", std::env::consts::OS)),
            "{ua}"
        );
    }
}
