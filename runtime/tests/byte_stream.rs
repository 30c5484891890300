//! `primitives::ByteStream` against the official one (`aws-smithy-types` 1.9.3 with
//! `rt-tokio`): the same file, offset, length and buffer size give the same bytes, the same
//! size hint and the same success or failure. Then what the official type promises for
//! uploads, through the real HTTP client on loopback: a file stream is sent chunk by chunk with
//! its `content-length`, and a request with it is retried by reading the file again.

use aws_lite_runtime::http::Body;
use aws_lite_runtime::primitives::byte_stream::{ByteStream, Length};
use aws_smithy_types::byte_stream as official;
use proptest::prelude::*;
use std::io::Write;

/// A file of `len` pseudo-random bytes in a fresh temporary folder.
fn temp_file(len: usize) -> (tempdir::TempDir, std::path::PathBuf, Vec<u8>) {
    let dir = tempdir::TempDir::new();
    let path = dir.0.join("data.bin");
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let bytes: Vec<u8> = (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    std::fs::File::create(&path)
        .and_then(|mut f| f.write_all(&bytes))
        .expect("writes the temp file");
    (dir, path, bytes)
}

mod tempdir {
    /// A temporary folder removed on drop.
    pub struct TempDir(pub std::path::PathBuf);

    impl TempDir {
        pub fn new() -> Self {
            use std::sync::atomic::{AtomicU32, Ordering};
            static N: AtomicU32 = AtomicU32::new(0);
            let dir = std::env::temp_dir().join(format!(
                "aws-lite-byte-stream-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&dir).expect("creates the temp dir");
            Self(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Len {
    Whole,
    Exact(u64),
    UpTo(u64),
}

/// What one builder gives: the bytes and size hint, or that it failed.
#[derive(Debug, PartialEq)]
enum Outcome {
    Read {
        bytes: Vec<u8>,
        hint: (u64, Option<u64>),
        chunks_within_buffer: bool,
    },
    Failed,
}

async fn ours(path: &std::path::Path, offset: Option<u64>, len: Len, buffer: usize) -> Outcome {
    let mut builder = ByteStream::read_from().path(path).buffer_size(buffer);
    if let Some(offset) = offset {
        builder = builder.offset(offset);
    }
    builder = match len {
        Len::Whole => builder,
        Len::Exact(n) => builder.length(Length::Exact(n)),
        Len::UpTo(n) => builder.length(Length::UpTo(n)),
    };
    let Ok(mut stream) = builder.build().await else {
        return Outcome::Failed;
    };
    let hint = stream.size_hint();
    let mut bytes = Vec::new();
    let mut chunks_within_buffer = true;
    while let Some(chunk) = stream.try_next().await.expect("reads") {
        chunks_within_buffer &= chunk.len() <= buffer;
        bytes.extend_from_slice(&chunk);
    }
    Outcome::Read {
        bytes,
        hint,
        chunks_within_buffer,
    }
}

async fn theirs(path: &std::path::Path, offset: Option<u64>, len: Len, buffer: usize) -> Outcome {
    let mut builder = official::ByteStream::read_from()
        .path(path)
        .buffer_size(buffer);
    if let Some(offset) = offset {
        builder = builder.offset(offset);
    }
    builder = match len {
        Len::Whole => builder,
        Len::Exact(n) => builder.length(official::Length::Exact(n)),
        Len::UpTo(n) => builder.length(official::Length::UpTo(n)),
    };
    let Ok(mut stream) = builder.build().await else {
        return Outcome::Failed;
    };
    let hint = stream.size_hint();
    let mut bytes = Vec::new();
    let mut chunks_within_buffer = true;
    while let Some(chunk) = stream.try_next().await.expect("reads") {
        chunks_within_buffer &= chunk.len() <= buffer;
        bytes.extend_from_slice(&chunk);
    }
    Outcome::Read {
        bytes,
        hint,
        chunks_within_buffer,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn file_streams_match_the_official_type(
        file_len in 0usize..20_000,
        offset_frac in proptest::option::of(0.0f64..1.2),
        len_seed in any::<u64>(),
        len_kind in 0u8..3,
        buffer in 1usize..5_000,
    ) {
        let (_dir, path, _) = temp_file(file_len);
        let offset = offset_frac.map(|f| (f * file_len as f64) as u64);
        let n = len_seed % (file_len as u64 + 11);
        let len = match len_kind { 0 => Len::Whole, 1 => Len::Exact(n), _ => Len::UpTo(n) };
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let (a, b) = rt.block_on(async {
            (ours(&path, offset, len, buffer).await, theirs(&path, offset, len, buffer).await)
        });
        prop_assert_eq!(a, b, "offset {:?}, length {:?}, buffer {}", offset, len, buffer);
    }
}

#[tokio::test]
async fn edge_cases_match_the_official_type() {
    let (_dir, path, bytes) = temp_file(1000);
    for (offset, len) in [
        (None, Len::Whole),
        (Some(0), Len::Exact(1000)),
        (Some(1000), Len::Whole),
        (Some(1000), Len::Exact(0)),
        (Some(1001), Len::Whole),
        (Some(999), Len::Exact(2)),
        (Some(10), Len::UpTo(u64::MAX)),
        (Some(u64::MAX), Len::Whole),
    ] {
        let a = ours(&path, offset, len, 4096).await;
        assert_eq!(
            a,
            theirs(&path, offset, len, 4096).await,
            "{offset:?} {len:?}"
        );
        if let (Some(0) | None, Len::Whole, Outcome::Read { bytes: read, .. }) = (offset, len, &a) {
            assert_eq!(read, &bytes);
        }
    }
    let missing = _dir.0.join("missing.bin");
    assert_eq!(ours(&missing, None, Len::Whole, 10).await, Outcome::Failed);
    assert_eq!(
        theirs(&missing, None, Len::Whole, 10).await,
        Outcome::Failed
    );
}

#[tokio::test]
async fn errors_name_the_file_and_the_numbers() {
    let (dir, path, _) = temp_file(100);
    let err = ByteStream::read_from()
        .path(&path)
        .offset(150)
        .build()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("data.bin") && err.contains("150") && err.contains("100"),
        "{err}"
    );
    let err = ByteStream::read_from()
        .path(&path)
        .offset(40)
        .length(Length::Exact(70))
        .build()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("60 bytes from offset 40") && err.contains("70"),
        "{err}"
    );
    let err = ByteStream::from_path(dir.0.join("nope.bin"))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("nope.bin"), "{err}");
    let file = tokio::fs::File::open(&path).await.unwrap();
    let err = ByteStream::read_from()
        .path(&path)
        .file(file)
        .build()
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("both a path and an open file"), "{err}");
}

#[tokio::test]
async fn async_read_gives_the_bytes() {
    use tokio::io::AsyncReadExt;
    let (_dir, path, bytes) = temp_file(200_000);
    let stream = ByteStream::from_path(&path).await.unwrap();
    let mut read = Vec::new();
    stream
        .into_async_read()
        .read_to_end(&mut read)
        .await
        .expect("reads");
    assert_eq!(read, bytes);
}

#[tokio::test]
async fn an_open_file_is_read_from_its_offset_once() {
    let (_dir, path, bytes) = temp_file(5000);
    let file = tokio::fs::File::open(&path).await.unwrap();
    let stream = ByteStream::read_from()
        .file(file)
        .offset(1000)
        .length(Length::Exact(10))
        .build()
        .await
        .unwrap();
    let body: Body = stream.into();
    assert!(!body.is_replayable(), "an open file is read once");
    assert_eq!(body.content_length(), Some(10));
    assert_eq!(body.collect().await.unwrap(), &bytes[1000..1010]);

    let body: Body = ByteStream::from_path(&path).await.unwrap().into();
    assert!(body.is_replayable(), "a path is opened again");
    let again = body.try_clone().expect("replays");
    assert_eq!(body.collect().await.unwrap(), &bytes[..]);
    assert_eq!(again.collect().await.unwrap(), &bytes[..]);
}
