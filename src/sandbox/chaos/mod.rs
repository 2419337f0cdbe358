//! Fault mode (`krafter serve --chaos SPEC --chaos-seed N`): the sandbox
//! answers some requests with HTTP 500s, dropped connections, slow answers,
//! garbage bodies or 429s, at the rates the spec gives, in an order fixed by
//! the seed, so clients can be tested against a bad network and a bad day.
//!
//! Faults are honest: each is one a real service or network can produce.
//! A 500, a 429, a `reset` and a proxy's 502 page (one of the two `garbage`
//! variants) happen *before* any handler runs, so such a request was not
//! applied. `reset_after` runs the handler (the change is applied) and then
//! drops the connection; the other `garbage` variant runs the handler and
//! cuts its answer off mid-body (a 200 no client can read: only a service
//! that ran answers 200). A client cannot tell these apart from the outside,
//! so after a failed write it must read the thing back before saying what
//! happened. A chaos 429 carries the contract's headers and flat body; a
//! dropped connection is really dropped (reset), with no answer at all.

mod spec;

use std::sync::Mutex;
use std::time::Duration;

use super::seed::rng::Rng;

pub use spec::{ChaosSpec, Fault, parse};

/// What fault mode decided for one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision {
    /// Wait this long before doing anything else.
    pub delay: Option<Duration>,
    pub fault: Option<Fault>,
    /// A second roll for faults with variants (which kind of garbage).
    pub variant: u8,
}

/// The faults of a running sandbox: its spec and the seeded sequence.
#[derive(Debug)]
pub struct Chaos {
    spec: ChaosSpec,
    rng: Mutex<Rng>,
}

impl Chaos {
    /// Fault mode with `spec`, its order fixed by `spec.seed`.
    pub fn new(spec: ChaosSpec) -> Self {
        Chaos {
            rng: Mutex::new(Rng::new(spec.seed)),
            spec,
        }
    }

    /// The next request's fate. Every request draws the same three numbers
    /// whatever they decide, so the n-th request's fate depends only on the
    /// seed and n.
    pub fn decide(&self) -> Decision {
        let (slow_roll, fault_roll, variant) = {
            let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
            (rng.unit(), rng.unit(), (rng.next_u64() % 2) as u8)
        };
        let delay = self
            .spec
            .slow
            .filter(|(rate, _)| slow_roll < *rate)
            .map(|(_, d)| d);
        let mut edge = 0.0;
        let mut fault = None;
        for (f, rate) in &self.spec.faults {
            edge += rate;
            if fault_roll < edge {
                fault = Some(*f);
                break;
            }
        }
        Decision {
            delay,
            fault,
            variant,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fates(spec: &str, seed: u64, n: usize) -> Vec<Decision> {
        let chaos = Chaos::new(parse(spec).unwrap().with_seed(seed));
        (0..n).map(|_| chaos.decide()).collect()
    }

    #[test]
    fn the_seed_fixes_the_sequence() {
        let spec = "500=0.2,reset=0.1,429=0.1,slow=0.3:10ms";
        assert_eq!(fates(spec, 7, 50), fates(spec, 7, 50));
        assert_ne!(fates(spec, 7, 50), fates(spec, 8, 50));
    }

    #[test]
    fn rates_are_honoured_over_many_requests() {
        let got = fates("500=0.25,garbage=0.25,slow=0.5:1ms", 1, 4000);
        let share = |pick: &dyn Fn(&Decision) -> bool| {
            got.iter().filter(|d| pick(d)).count() as f64 / got.len() as f64
        };
        for (what, share) in [
            ("500", share(&|d| d.fault == Some(Fault::ServerError))),
            ("garbage", share(&|d| d.fault == Some(Fault::Garbage))),
            ("none", share(&|d| d.fault.is_none())),
            ("slow", share(&|d| d.delay.is_some())),
        ] {
            let expected = if what == "none" || what == "slow" {
                0.5
            } else {
                0.25
            };
            assert!((share - expected).abs() < 0.04, "{what}: {share}");
        }
    }

    #[test]
    fn a_rate_of_one_always_and_zero_never() {
        assert!(
            fates("reset=1", 3, 100)
                .iter()
                .all(|d| d.fault == Some(Fault::Reset))
        );
        assert!(fates("reset=0", 3, 100).iter().all(|d| d.fault.is_none()));
    }
}
