//! End-to-end tests of the generated Direct Connect crate.
//!
//! The tests in `tests/` drive `aws-lite-directconnect`, imported under the
//! official crate's name `aws_sdk_directconnect`, against a local moto
//! server. This library is their support code: [`MotoServer`] starts one
//! moto server per test on a free loopback port and stops it when dropped.
//!
//! moto comes from `<repo>/.venv`, which `scripts/setup-test-env.sh` creates
//! from `requirements-test.txt`.

use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// How long a starting server gets to answer its first request.
pub const START_TIMEOUT: Duration = Duration::from_secs(20);

/// The account moto puts in ARNs when the request names none.
pub const MOTO_ACCOUNT_ID: &str = "123456789012";

/// The repository root (the workspace that holds `e2e/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("e2e/ has a parent folder")
        .to_path_buf()
}

/// `<repo>/.venv`, where `scripts/setup-test-env.sh` installs moto.
pub fn default_venv() -> PathBuf {
    repo_root().join(".venv")
}

/// How the server is started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `e2e/moto_dx_server.py`: moto with the two Direct Connect members it
    /// sends with the wrong JSON type (`hasLogicalRedundancy`,
    /// `loaIssueTime`) converted to AWS's wire format. See that file.
    WireFormatFixed,
    /// `.venv/bin/moto_server` exactly as installed.
    Unpatched,
    /// As [`Flavor::WireFormatFixed`], with moto's request authentication on
    /// (`INITIAL_NO_AUTH_ACTION_COUNT=0`): the shim creates an IAM user allowed
    /// every Direct Connect, SNS, EC2 and CloudWatch action through moto's IAM backend, and moto checks
    /// every request's SigV4 signature against its access key
    /// ([`MotoServer::credentials`]), so a wrongly signed request fails.
    Authenticated,
}

/// A moto server on `127.0.0.1`, killed when dropped.
#[derive(Debug)]
pub struct MotoServer {
    child: Child,
    port: u16,
    log: PathBuf,
    /// Where an [`Flavor::Authenticated`] server writes its IAM user's keys.
    keys: Option<PathBuf>,
}

impl MotoServer {
    /// Start moto from `<repo>/.venv` with Direct Connect responses in AWS's
    /// wire format ([`Flavor::WireFormatFixed`]), and wait until it answers.
    pub fn start() -> io::Result<Self> {
        Self::start_with(&default_venv(), Flavor::WireFormatFixed)
    }

    /// Start moto with request authentication on ([`Flavor::Authenticated`]);
    /// sign with [`MotoServer::credentials`].
    pub fn start_authenticated() -> io::Result<Self> {
        Self::start_with(&default_venv(), Flavor::Authenticated)
    }

    /// The access key id and secret of the IAM user an authenticated server
    /// created (`None` for the other flavors).
    pub fn credentials(&self) -> Option<(String, String)> {
        let text = fs::read_to_string(self.keys.as_ref()?).ok()?;
        let mut lines = text.lines();
        Some((lines.next()?.to_owned(), lines.next()?.to_owned()))
    }

    /// Start `.venv/bin/moto_server` unchanged ([`Flavor::Unpatched`]).
    pub fn start_unpatched() -> io::Result<Self> {
        Self::start_with(&default_venv(), Flavor::Unpatched)
    }

    /// Start moto from the virtualenv `venv`.
    pub fn start_with(venv: &Path, flavor: Flavor) -> io::Result<Self> {
        let tools = Tools::locate(venv)?;
        // The free port is found by binding and releasing it, so another
        // process may take it before moto binds it: try again then.
        let mut last_err = None;
        for _ in 0..3 {
            let port = free_port()?;
            let mut server = tools.spawn(flavor, port)?;
            match server.wait_until_ready(START_TIMEOUT) {
                Ok(()) => return Ok(server),
                Err(e) => {
                    let port_taken = server.output().contains("Address already in use");
                    drop(server);
                    if !port_taken {
                        return Err(e);
                    }
                    last_err = Some(e);
                }
            }
        }
        Err(last_err.expect("at least one attempt"))
    }

    /// The endpoint URL to give the client, like `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Everything the server printed so far (its request log and tracebacks).
    pub fn output(&self) -> String {
        fs::read(&self.log)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// Send one raw awsJson1.1 Direct Connect request (`target` like
    /// `"CreateConnection"`) and return the status code and body. For tests
    /// of this support code and for looking at what moto sends; the real
    /// tests go through the generated client.
    pub fn post_json(&self, target: &str, body: &str) -> io::Result<(u16, String)> {
        let request = format!(
            "POST / HTTP/1.1\r\n\
             Host: 127.0.0.1:{port}\r\n\
             X-Amz-Target: OvertureService.{target}\r\n\
             Content-Type: application/x-amz-json-1.1\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/directconnect/aws4_request, SignedHeaders=host, Signature=abc\r\n\
             Content-Length: {len}\r\n\
             Connection: close\r\n\r\n{body}",
            port = self.port,
            len = body.len(),
        );
        let response = http_exchange(self.port, request.as_bytes(), Duration::from_secs(10))?;
        parse_response(&response)
    }

    /// Send one raw form-encoded query-protocol request (`body` like
    /// `Action=CreateRole&...`, already percent-encoded) to `POST /` and return the
    /// status code and body: for setting up what a test needs in another moto backend
    /// (e.g. an IAM role), on a server without request authentication.
    pub fn post_form(&self, service: &str, body: &str) -> io::Result<(u16, String)> {
        let request = format!(
            "POST / HTTP/1.1\r\n\
             Host: 127.0.0.1:{port}\r\n\
             Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n\
             Authorization: AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host, Signature=abc\r\n\
             Content-Length: {len}\r\n\
             Connection: close\r\n\r\n{body}",
            port = self.port,
            len = body.len(),
        );
        let response = http_exchange(self.port, request.as_bytes(), Duration::from_secs(10))?;
        parse_response(&response)
    }

    fn wait_until_ready(&mut self, timeout: Duration) -> io::Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            // A server that died will never answer: say why at once.
            if let Some(status) = self.child.try_wait()? {
                return Err(io::Error::other(format!(
                    "moto server on port {} exited ({status}) before answering; its output:\n{}",
                    self.port,
                    self.output()
                )));
            }
            if probe(self.port) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "moto server on port {} did not answer within {timeout:?}; its output:\n{}",
                        self.port,
                        self.output()
                    ),
                ));
            }
            thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for MotoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = fs::remove_file(&self.log);
        if let Some(keys) = &self.keys {
            let _ = fs::remove_file(keys);
        }
    }
}

/// The programs in a virtualenv that starting moto needs.
#[derive(Debug)]
struct Tools {
    python: PathBuf,
    moto_server: PathBuf,
    shim: PathBuf,
}

impl Tools {
    fn locate(venv: &Path) -> io::Result<Self> {
        let moto_server = venv.join("bin").join("moto_server");
        let python = venv.join("bin").join("python");
        for path in [&moto_server, &python] {
            if !path.is_file() {
                return Err(io::Error::new(
                    io::ErrorKind::NotFound,
                    format!(
                        "{} not found: the e2e tests need moto in {}; \
                         run scripts/setup-test-env.sh from the repository root to create it",
                        path.display(),
                        venv.display()
                    ),
                ));
            }
        }
        Ok(Tools {
            python,
            moto_server,
            shim: repo_root().join("e2e").join("moto_dx_server.py"),
        })
    }

    fn spawn(&self, flavor: Flavor, port: u16) -> io::Result<MotoServer> {
        let log = std::env::temp_dir().join(format!("e2e-moto-{}-{port}.log", std::process::id()));
        let out = File::create(&log)?;
        let mut keys = None;
        let mut cmd = match flavor {
            Flavor::WireFormatFixed => {
                let mut c = Command::new(&self.python);
                c.arg(&self.shim);
                c
            }
            Flavor::Authenticated => {
                let path = std::env::temp_dir()
                    .join(format!("e2e-moto-{}-{port}.keys", std::process::id()));
                let mut c = Command::new(&self.python);
                c.arg(&self.shim)
                    .env("INITIAL_NO_AUTH_ACTION_COUNT", "0")
                    .env("E2E_MOTO_KEYS_FILE", &path);
                keys = Some(path);
                c
            }
            Flavor::Unpatched => Command::new(&self.moto_server),
        };
        cmd.arg("-p")
            .arg(port.to_string())
            .arg("-H")
            .arg("127.0.0.1")
            .env("PYTHONUNBUFFERED", "1")
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(out.try_clone()?)
            .stderr(out);
        let child = cmd
            .spawn()
            .map_err(|e| io::Error::new(e.kind(), format!("starting {cmd:?}: {e}")))?;
        Ok(MotoServer {
            child,
            port,
            log,
            keys,
        })
    }
}

/// A loopback port that was free a moment ago.
fn free_port() -> io::Result<u16> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok(listener.local_addr()?.port())
}

/// Whether an HTTP server answers on `port` (moto's dashboard page).
fn probe(port: u16) -> bool {
    let request =
        format!("GET /moto-api/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    match http_exchange(port, request.as_bytes(), Duration::from_secs(2)) {
        Ok(response) => response.starts_with(b"HTTP/1."),
        Err(_) => false,
    }
}

/// Write `request`, read until the server closes the connection.
fn http_exchange(port: u16, request: &[u8], timeout: Duration) -> io::Result<Vec<u8>> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(request)?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(response)
}

/// Status code and body of a `Connection: close` HTTP/1.x response.
fn parse_response(response: &[u8]) -> io::Result<(u16, String)> {
    let text = String::from_utf8_lossy(response);
    let bad = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("not an HTTP response: {text:?}"),
        )
    };
    let (head, body) = text.split_once("\r\n\r\n").ok_or_else(bad)?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(bad)?;
    Ok((status, body.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_venv_says_how_to_fix_it() {
        let err = MotoServer::start_with(Path::new("/nonexistent/venv"), Flavor::Unpatched)
            .expect_err("no moto there");
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
        let msg = err.to_string();
        assert!(msg.contains("/nonexistent/venv/bin/moto_server"), "{msg}");
        assert!(msg.contains("scripts/setup-test-env.sh"), "{msg}");
    }

    #[test]
    fn parses_http_responses() {
        let (status, body) =
            parse_response(b"HTTP/1.1 400 BAD REQUEST\r\nA: b\r\n\r\n{\"x\": 1}").unwrap();
        assert_eq!(status, 400);
        assert_eq!(body, "{\"x\": 1}");
        assert!(parse_response(b"garbage").is_err());
    }

    #[test]
    fn server_answers_direct_connect_and_stops_on_drop() {
        let server = MotoServer::start().expect("moto starts");
        let port = server.port();
        assert_eq!(server.url(), format!("http://127.0.0.1:{port}"));

        let (status, body) = server
            .post_json(
                "CreateConnection",
                r#"{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"support"}"#,
            )
            .unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(r#""connectionState": "available""#), "{body}");
        // The wire-format fixes are in effect.
        assert!(body.contains(r#""hasLogicalRedundancy": "no""#), "{body}");
        assert!(!body.contains(r#""loaIssueTime": ""#), "{body}");

        let (status, body) = server
            .post_json("DescribeConnections", r#"{"connectionId":"dxcon-nope"}"#)
            .unwrap();
        assert_eq!(status, 400, "{body}");
        assert!(body.contains(r#""__type": "ConnectionNotFound""#), "{body}");

        drop(server);
        assert!(
            TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err(),
            "moto still listening on {port} after drop"
        );
    }

    /// Documents why `e2e/moto_dx_server.py` exists. If this fails, moto
    /// has started sending these members in AWS's format and the wrapper
    /// can go.
    #[test]
    fn unpatched_moto_sends_wrong_json_types() {
        let server = MotoServer::start_unpatched().expect("moto starts");
        let (status, body) = server
            .post_json(
                "CreateConnection",
                r#"{"location":"EqDC2","bandwidth":"1Gbps","connectionName":"raw"}"#,
            )
            .unwrap();
        assert_eq!(status, 200, "{body}");
        assert!(body.contains(r#""hasLogicalRedundancy": false"#), "{body}");
        assert!(body.contains(r#""loaIssueTime": ""#), "{body}");
    }
}
