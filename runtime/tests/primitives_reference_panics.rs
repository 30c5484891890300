//! Documents the inputs on which `aws-smithy-types` 1.9.3 panics, and checks that the runtime's `primitives`
//! handles each of them without panicking. (Single test in this binary, so replacing the
//! panic hook to silence the expected panics cannot hide output of other tests.)

use aws_lite_runtime::primitives::date_time as o;
use aws_smithy_types::date_time as r;
use std::panic::{AssertUnwindSafe, catch_unwind};

fn reference_panics(f: impl FnOnce()) -> bool {
    catch_unwind(AssertUnwindSafe(f)).is_err()
}

#[test]
fn reference_panics_where_ours_does_not() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));

    // from_secs_and_nanos with nanos >= 1e9.
    let p1 = reference_panics(|| {
        r::DateTime::from_secs_and_nanos(0, 1_000_000_000);
    });
    // from_fractional_secs with more than one second of fraction (including +inf).
    let p2 = reference_panics(|| {
        r::DateTime::from_fractional_secs(0, 1.5);
    });
    let p3 = reference_panics(|| {
        r::DateTime::from_fractional_secs(0, f64::INFINITY);
    });
    // read() with a non-ASCII delimiter found after the date.
    let p4 = reference_panics(|| {
        let _ = r::DateTime::read("12.5é13", r::Format::EpochSeconds, 'é');
    });
    let p5 = reference_panics(|| {
        let _ = r::DateTime::read("1985-04-12T23:20:50Zé1", r::Format::DateTime, 'é');
    });
    // encoded_length above usize::MAX / 2.
    let p6 = reference_panics(|| {
        let _ = aws_smithy_types::base64::encoded_length(usize::MAX / 2 + 1);
    });

    std::panic::set_hook(hook);
    assert!(
        p1 && p2 && p3 && p4 && p5 && p6,
        "{:?}",
        (p1, p2, p3, p4, p5, p6)
    );

    // Ours: no panic, documented results.
    assert_eq!(
        o::DateTime::from_secs_and_nanos(0, 1_000_000_000),
        o::DateTime::from_secs(1)
    );
    assert_eq!(
        o::DateTime::from_fractional_secs(0, 1.5),
        o::DateTime::from_secs_and_nanos(1, 500_000_000)
    );
    assert_eq!(
        o::DateTime::from_fractional_secs(0, f64::INFINITY),
        o::DateTime::from_secs_and_nanos(4, 294_967_295)
    );
    assert!(o::DateTime::read("12.5é13", o::Format::EpochSeconds, 'é').is_ok());
    assert!(o::DateTime::read("1985-04-12T23:20:50Zé1", o::Format::DateTime, 'é').is_ok());
    let n = usize::MAX / 2 + 1;
    assert_eq!(
        aws_lite_runtime::primitives::base64::encoded_length(n),
        (n / 3 + 1) * 4
    );
    assert_eq!(
        aws_lite_runtime::primitives::base64::encoded_length(usize::MAX),
        usize::MAX
    );
}
