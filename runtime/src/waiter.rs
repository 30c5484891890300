//! Waiters: poll an operation until the model's acceptors say the resource reached a state.
//!
//! The public types have the official SDK's shape (`aws_smithy_runtime_api::client::waiters`):
//! a waiter's `wait(max_wait)` returns [`FinalPoll`] on success and
//! [`WaiterError`] otherwise. Generated waiters compile the model's
//! JMESPath acceptors into Rust and call [`orchestrate`], which runs the poll loop:
//!
//! - the first poll is sent at once; each later one after a delay computed as the Smithy
//!   waiter specification defines it ([`delay`]): exponential from the waiter's minimum delay
//!   up to its maximum (120 s unless the model says otherwise), with full jitter between the
//!   minimum and that bound, in whole seconds, and never past the total `max_wait`;
//! - each poll is one operation call, with the client's retries inside it;
//! - a request that cannot be built (a required parameter missing) ends the wait with
//!   [`ConstructionFailure`](error::WaiterError::ConstructionFailure) before anything is sent;
//! - an error that is not a service error (no connection, timeout, unreadable response) ends
//!   the wait with [`OperationFailed`], as does a service error no
//!   acceptor matches;
//! - when the time is up the wait ends with [`ExceededMaxWait`].
//!
//! Delays are slept with `tokio::time::sleep` and measured with `tokio::time::Instant`, so
//! tests with tokio's paused clock run minutes of waiting at once.

use crate::error::SdkError;
use crate::http::HttpResponse;
use std::future::Future;
use std::time::Duration;

/// The last poll of a waiter: the operation's output, or its error.
#[non_exhaustive]
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, E>,
}

impl<O, E> FinalPoll<O, E> {
    /// Wraps a poll's result.
    #[inline]
    pub fn new(result: Result<O, E>) -> Self {
        Self { result }
    }

    /// The poll's result.
    #[inline]
    pub fn into_result(self) -> Result<O, E> {
        self.result
    }

    /// The poll's result, by reference.
    #[inline]
    pub fn as_result(&self) -> Result<&O, &E> {
        self.result.as_ref()
    }

    /// Maps the output.
    #[inline]
    pub fn map<O2, F: FnOnce(O) -> O2>(self, mapper: F) -> FinalPoll<O2, E> {
        FinalPoll::new(self.result.map(mapper))
    }

    /// Maps the error.
    #[inline]
    pub fn map_err<E2, F: FnOnce(E) -> E2>(self, mapper: F) -> FinalPoll<O, E2> {
        FinalPoll::new(self.result.map_err(mapper))
    }
}

/// Why a wait ended without reaching the success state.
pub mod error {
    use super::FinalPoll;
    use crate::error::{ConstructionFailure, ErrorMetadata, ProvideErrorMetadata, SdkError};
    use crate::http::{BoxError, HttpResponse};
    use std::fmt;
    use std::time::Duration;

    /// The error of a waiter's `wait()`.
    #[derive(Debug)]
    #[non_exhaustive]
    #[allow(clippy::large_enum_variant)]
    pub enum WaiterError<O, E> {
        /// The request could not be built (a required parameter is missing, ...); nothing
        /// was sent.
        ConstructionFailure(ConstructionFailure),
        /// The resource did not reach the expected state within the maximum wait.
        ExceededMaxWait(ExceededMaxWait),
        /// An acceptor of the model says the resource will never reach the expected state.
        FailureState(FailureState<O, E>),
        /// A poll failed with an error no acceptor handles.
        OperationFailed(OperationFailed<E>),
    }

    impl<O, E> WaiterError<O, E> {
        /// A construction failure with this source.
        #[inline]
        pub fn construction_failure(source: impl Into<BoxError>) -> Self {
            match SdkError::<(), HttpResponse>::construction_failure(source) {
                SdkError::ConstructionFailure(inner) => Self::ConstructionFailure(inner),
                _ => unreachable!("construction_failure makes a ConstructionFailure"),
            }
        }
    }

    impl<O, E> fmt::Display for WaiterError<O, E> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::ConstructionFailure(_) => f.write_str("failed to construct waiter"),
                Self::ExceededMaxWait(ctx) => {
                    write!(f, "exceeded max wait time ({:?})", ctx.max_wait)
                }
                Self::FailureState(_) => f.write_str("waiting failed"),
                Self::OperationFailed(_) => f.write_str("operation failed while waiting"),
            }
        }
    }

    impl<O, E> std::error::Error for WaiterError<O, E>
    where
        O: fmt::Debug,
        E: std::error::Error + 'static,
    {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            match self {
                Self::ConstructionFailure(inner) => Some(inner.source_error()),
                Self::ExceededMaxWait(_) => None,
                Self::FailureState(inner) => match inner.final_poll.as_result() {
                    Ok(_) => None,
                    Err(err) => Some(err),
                },
                Self::OperationFailed(inner) => Some(&inner.source),
            }
        }
    }

    static EMPTY_METADATA: std::sync::LazyLock<ErrorMetadata> =
        std::sync::LazyLock::new(ErrorMetadata::default);

    impl<O, E: ProvideErrorMetadata> ProvideErrorMetadata for WaiterError<O, E> {
        fn meta(&self) -> &ErrorMetadata {
            match self {
                Self::ConstructionFailure(_) | Self::ExceededMaxWait(_) => &EMPTY_METADATA,
                Self::FailureState(inner) => match inner.final_poll.as_result() {
                    Ok(_) => &EMPTY_METADATA,
                    Err(err) => err.meta(),
                },
                Self::OperationFailed(inner) => inner.source.meta(),
            }
        }
    }

    /// The wait took longer than its maximum.
    #[derive(Debug)]
    pub struct ExceededMaxWait {
        max_wait: Duration,
        elapsed: Duration,
        poll_count: u32,
    }

    impl ExceededMaxWait {
        /// The error for a wait of at most `max_wait` that polled `poll_count` times in
        /// `elapsed`.
        #[inline]
        pub fn new(max_wait: Duration, elapsed: Duration, poll_count: u32) -> Self {
            Self {
                max_wait,
                elapsed,
                poll_count,
            }
        }

        /// The maximum wait given to `wait()`.
        #[inline]
        pub fn max_wait(&self) -> Duration {
            self.max_wait
        }

        /// How long the waiter waited.
        #[inline]
        pub fn elapsed(&self) -> Duration {
            self.elapsed
        }

        /// How many times the waiter polled.
        #[inline]
        pub fn poll_count(&self) -> u32 {
            self.poll_count
        }
    }

    /// An acceptor matched with the failure state; the last poll is kept.
    #[derive(Debug)]
    #[non_exhaustive]
    pub struct FailureState<O, E> {
        final_poll: FinalPoll<O, E>,
    }

    impl<O, E> FailureState<O, E> {
        /// Wraps the poll that matched.
        #[inline]
        pub fn new(final_poll: FinalPoll<O, E>) -> Self {
            Self { final_poll }
        }

        /// The poll that matched.
        #[inline]
        pub fn final_poll(&self) -> &FinalPoll<O, E> {
            &self.final_poll
        }

        /// The poll that matched, by value.
        #[inline]
        pub fn into_final_poll(self) -> FinalPoll<O, E> {
            self.final_poll
        }
    }

    /// A poll failed with an error no acceptor handles.
    #[derive(Debug)]
    #[non_exhaustive]
    pub struct OperationFailed<E> {
        source: SdkError<E, HttpResponse>,
    }

    impl<E> OperationFailed<E> {
        /// Wraps the poll's error.
        #[inline]
        pub fn new(source: SdkError<E, HttpResponse>) -> Self {
            Self { source }
        }

        /// The poll's error.
        #[inline]
        pub fn error(&self) -> &SdkError<E, HttpResponse> {
            &self.source
        }

        /// The poll's error, by value.
        #[inline]
        pub fn into_error(self) -> SdkError<E, HttpResponse> {
            self.source
        }
    }
}

use error::{ExceededMaxWait, FailureState, OperationFailed, WaiterError};

/// What the acceptors make of one poll.
#[non_exhaustive]
#[derive(Copy, Clone, Debug, Eq, PartialEq)]
pub enum AcceptorState {
    /// No acceptor matched: poll again after a success, stop after an error.
    NoAcceptorsMatched,
    /// The resource reached the expected state.
    Success,
    /// The resource will never reach it.
    Failure,
    /// Poll again.
    Retry,
}

/// One poll as the acceptors see it: the output or the service error, and the HTTP status.
#[derive(Debug)]
pub struct Poll<'a, O, E> {
    /// The output, or the modelled (or unhandled) service error.
    pub result: Result<&'a O, &'a E>,
    /// The response's HTTP status: the error response's, or for an output the operation's
    /// modelled success code (the output does not keep the status it came with).
    pub status: u16,
}

/// The delays of a waiter: the model's minimum and maximum delay, and the caller's bound on
/// the whole wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delays {
    /// Least delay between polls (the model's `delay`).
    pub min_delay: Duration,
    /// Greatest delay between polls (120 s, as the official SDK).
    pub max_delay: Duration,
    /// Bound on the whole wait (`wait(max_wait)`).
    pub max_wait: Duration,
}

/// The default greatest delay between polls, as in the Smithy waiter specification.
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(120);

impl Delays {
    /// Checks the delays: the minimum delay must be at least one second and at most the
    /// maximum. (A maximum wait shorter than the minimum delay is allowed: the waiter then
    /// polls once more when the time is up, as the official SDK does.)
    pub fn check(&self) -> Result<(), String> {
        if self.min_delay < Duration::from_secs(1) {
            return Err(format!(
                "the waiter's minimum delay ({:?}) is under one second",
                self.min_delay
            ));
        }
        if self.min_delay > self.max_delay {
            return Err(format!(
                "the waiter's minimum delay ({:?}) exceeds its maximum delay ({:?})",
                self.min_delay, self.max_delay
            ));
        }
        Ok(())
    }

    /// The attempt after which the delay is the maximum: `log2(max / min) + 1`, as the Smithy
    /// specification computes it.
    fn attempt_ceiling(&self) -> u32 {
        ((self.max_delay.as_secs_f64() / self.min_delay.as_secs_f64()).log2() + 1.0) as u32
    }
}

/// The delay before poll `attempt + 1`, `elapsed` after the first poll started, following the
/// Smithy waiter specification's retry rules: `min_delay * 2^(attempt - 1)` (the maximum delay
/// once `attempt` passes the attempt ceiling), then a random whole number of seconds between
/// the minimum delay and that (`random(low, high)`, both inclusive); when less than the
/// minimum delay would be left after it, the delay is all the time left, as the official SDK
/// does (zero when none is left: then the waiter polls one last time).
pub fn delay(
    delays: &Delays,
    attempt: u32,
    elapsed: Duration,
    random: &mut impl FnMut(u64, u64) -> u64,
) -> Duration {
    let min = delays.min_delay.as_secs();
    let high = if attempt > delays.attempt_ceiling() {
        delays.max_delay.as_secs()
    } else {
        min.saturating_mul(
            1u64.checked_shl(attempt.saturating_sub(1))
                .unwrap_or(u64::MAX),
        )
        .min(delays.max_delay.as_secs())
    };
    let mut delay = Duration::from_secs(random(min, high.max(min)));
    let remaining = delays.max_wait.saturating_sub(elapsed);
    if remaining.saturating_sub(delay) <= delays.min_delay {
        delay = remaining;
    }
    delay
}

/// Runs a waiter: calls `operation` until `acceptor` says success or failure, or the time is
/// up. Generated waiters call this; see the [module](self) docs for the rules.
pub async fn orchestrate<O, E, Op, Fut, Acc>(
    delays: Delays,
    success_status: u16,
    acceptor: Acc,
    operation: Op,
) -> Result<FinalPoll<O, SdkError<E, HttpResponse>>, WaiterError<O, E>>
where
    Op: Fn() -> Fut,
    Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
    Acc: Fn(Poll<'_, O, E>) -> AcceptorState,
{
    orchestrate_with_random(delays, success_status, acceptor, operation, |low, high| {
        fastrand::u64(low..=high)
    })
    .await
}

/// [`orchestrate`] with the jitter's random source given (tests make it deterministic).
#[doc(hidden)]
pub async fn orchestrate_with_random<O, E, Op, Fut, Acc>(
    delays: Delays,
    success_status: u16,
    acceptor: Acc,
    operation: Op,
    mut random: impl FnMut(u64, u64) -> u64,
) -> Result<FinalPoll<O, SdkError<E, HttpResponse>>, WaiterError<O, E>>
where
    Op: Fn() -> Fut,
    Fut: Future<Output = Result<O, SdkError<E, HttpResponse>>>,
    Acc: Fn(Poll<'_, O, E>) -> AcceptorState,
{
    delays.check().map_err(WaiterError::construction_failure)?;
    let start = tokio::time::Instant::now();
    let mut attempt: u32 = 0;
    let mut last_poll = false;
    loop {
        let result = match operation().await {
            // A request that could not be built (a required parameter missing, ...) fails
            // the same way on every poll.
            Err(SdkError::ConstructionFailure(failure)) => {
                return Err(WaiterError::ConstructionFailure(failure));
            }
            other => other,
        };
        let state = match &result {
            Ok(output) => acceptor(Poll {
                result: Ok(output),
                status: success_status,
            }),
            Err(SdkError::ServiceError(service)) => acceptor(Poll {
                result: Err(service.err()),
                status: service.raw().status,
            }),
            Err(_) => AcceptorState::NoAcceptorsMatched,
        };
        match state {
            AcceptorState::Success => return Ok(FinalPoll::new(result)),
            AcceptorState::Failure => {
                let result = match result {
                    Ok(output) => Ok(output),
                    Err(SdkError::ServiceError(service)) => Err(service.into_err()),
                    // Acceptors see only outputs and service errors.
                    Err(other) => {
                        return Err(WaiterError::OperationFailed(OperationFailed::new(other)));
                    }
                };
                return Err(WaiterError::FailureState(FailureState::new(
                    FinalPoll::new(result),
                )));
            }
            AcceptorState::NoAcceptorsMatched if result.is_err() => {
                return Err(WaiterError::OperationFailed(OperationFailed::new(
                    result.err().expect("checked: an error"),
                )));
            }
            AcceptorState::Retry | AcceptorState::NoAcceptorsMatched => {
                attempt += 1;
                let elapsed = start.elapsed();
                if last_poll || elapsed > delays.max_wait {
                    return Err(WaiterError::ExceededMaxWait(ExceededMaxWait::new(
                        delays.max_wait,
                        elapsed,
                        attempt,
                    )));
                }
                let delay = delay(&delays, attempt, elapsed, &mut random);
                if delay.is_zero() {
                    last_poll = true;
                } else {
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(delay, elapsed)` per attempt, in seconds, for a 300 s wait.
    fn check_sequence(
        min: u64,
        max: u64,
        mut random: impl FnMut(u64, u64) -> u64,
        expected: &[(u64, u64)],
    ) {
        let delays = Delays {
            min_delay: Duration::from_secs(min),
            max_delay: Duration::from_secs(max),
            max_wait: Duration::from_secs(300),
        };
        for (i, (want, elapsed)) in expected.iter().enumerate() {
            let got = delay(
                &delays,
                i as u32 + 1,
                Duration::from_secs(*elapsed),
                &mut random,
            );
            assert_eq!(got, Duration::from_secs(*want), "attempt {}", i + 1);
        }
    }

    // The three tables below are the official implementation's test vectors
    // (smithy-rs `rust-runtime/aws-smithy-runtime/src/client/waiters/backoff.rs` at
    // 56ee88c5c6edd967967656f1e29f46b229105e79): (delay, elapsed) per attempt.

    #[test]
    fn jitter_as_average_matches_the_official_vectors() {
        check_sequence(
            2,
            120,
            |low, high| (low + high) / 2,
            &[
                (2, 2),
                (3, 4),
                (5, 7),
                (9, 12),
                (17, 21),
                (33, 38),
                (61, 71),
                (61, 132),
                (61, 193),
                (46, 254),
                (0, 300),
            ],
        );
    }

    #[test]
    fn seeded_jitter_matches_the_official_vectors() {
        let mut rng = fastrand::Rng::with_seed(1);
        check_sequence(
            2,
            120,
            move |low, high| rng.u64(low..=high),
            &[
                (2, 2),
                (3, 4),
                (3, 7),
                (13, 12),
                (2, 14),
                (51, 16),
                (93, 73),
                (102, 164),
                (73, 170),
                (21, 227),
                (9, 256),
                (17, 283),
                (0, 300),
            ],
        );
    }

    #[test]
    fn large_min_delay_matches_the_official_vectors() {
        check_sequence(
            15,
            120,
            |low, high| (low + high) / 2,
            &[
                (15, 1),
                (22, 16),
                (37, 38),
                (67, 75),
                (67, 142),
                (24, 276),
                (0, 300),
            ],
        );
    }

    #[test]
    fn bad_delays_are_refused() {
        let d = |min, max, wait| Delays {
            min_delay: Duration::from_secs(min),
            max_delay: Duration::from_secs(max),
            max_wait: Duration::from_secs(wait),
        };
        assert!(
            d(0, 120, 300)
                .check()
                .unwrap_err()
                .contains("under one second")
        );
        assert!(
            d(20, 10, 300)
                .check()
                .unwrap_err()
                .contains("exceeds its maximum")
        );
        assert!(d(20, 120, 3).check().is_ok());
    }
}
