//! Following something the server works on (a scan, a verification): when
//! to ask again and when to give up. One schedule for the TUI and the
//! headless commands, so both wait alike and neither eats the team's rate
//! budget on a long run.

use std::time::{Duration, Instant};

use crate::api::ApiError;

/// The first wait.
pub const FIRST_WAIT: Duration = Duration::from_secs(1);
/// The longest wait between two polls.
pub const MAX_WAIT: Duration = Duration::from_secs(10);
/// How long a run is followed unless told otherwise (`--timeout` in the
/// headless commands).
pub const FOLLOW_LIMIT: Duration = Duration::from_secs(10 * 60);
/// [`FOLLOW_LIMIT`] in seconds, for flag defaults.
pub const FOLLOW_LIMIT_SECS: u64 = 600;

/// What to do after a poll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Ask again after this wait.
    After(Duration),
    /// The next poll would come after the time limit: stop following (the
    /// run goes on on the server).
    TooLate,
    /// The error would come back however long one waits.
    GiveUp,
}

/// The waits of one followed run: quick at first (×1.5 while it is pending,
/// ×2 after an error), at most [`MAX_WAIT`], never past the limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollSchedule {
    wait: Duration,
    deadline: Instant,
}

impl PollSchedule {
    /// A run asked for at `started`, followed for `limit`.
    pub fn new(started: Instant, limit: Duration) -> Self {
        PollSchedule {
            wait: FIRST_WAIT,
            deadline: started + limit,
        }
    }

    /// The run is still pending at `now`.
    pub fn pending(&mut self, now: Instant) -> Next {
        let wait = self.wait;
        self.wait = (wait * 3 / 2).min(MAX_WAIT);
        self.within_limit(now, wait)
    }

    /// A poll failed at `now`: wait longer (at least what a 429 asked for),
    /// or give up when the error would repeat (a 4xx other than 429).
    pub fn failed(&mut self, now: Instant, error: &ApiError) -> Next {
        if !retryable(error) {
            return Next::GiveUp;
        }
        let wait = self
            .wait
            .max(Duration::from_secs(error.retry_after().unwrap_or(0)));
        self.wait = (self.wait * 2).min(MAX_WAIT);
        self.within_limit(now, wait)
    }

    fn within_limit(&self, now: Instant, wait: Duration) -> Next {
        if now + wait > self.deadline {
            Next::TooLate
        } else {
            Next::After(wait)
        }
    }
}

/// Why following a run stopped before it finished.
#[derive(Debug)]
pub enum Stopped<T> {
    /// The limit would have passed before the next poll; `last` is what
    /// was last seen (the run goes on on the server).
    TooLate { last: T },
    /// A poll failed in a way that would repeat.
    Failed { last: T, error: ApiError },
}

/// Follows a run headless: polls with `fetch` on the [`PollSchedule`] until
/// `finished` holds, telling `waiting` what it last saw before each wait.
/// Failed polls worth retrying are retried on the same schedule.
pub async fn follow<T, F, Fut>(
    first: T,
    limit: Duration,
    finished: impl Fn(&T) -> bool,
    mut fetch: F,
    mut waiting: impl FnMut(&T),
) -> Result<T, Stopped<T>>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, ApiError>>,
{
    let mut schedule = PollSchedule::new(Instant::now(), limit);
    let mut last = first;
    let mut next = schedule.pending(Instant::now());
    while !finished(&last) {
        waiting(&last);
        match next {
            Next::After(wait) => tokio::time::sleep(wait).await,
            Next::TooLate | Next::GiveUp => return Err(Stopped::TooLate { last }),
        }
        next = match fetch().await {
            Ok(seen) => {
                last = seen;
                schedule.pending(Instant::now())
            }
            Err(error) => match schedule.failed(Instant::now(), &error) {
                Next::GiveUp => return Err(Stopped::Failed { last, error }),
                other => other,
            },
        };
    }
    Ok(last)
}

/// Errors worth another poll: no answer at all, a 429 or a 5xx.
pub fn retryable(error: &ApiError) -> bool {
    error.status().is_none_or(|s| s == 429 || s >= 500)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::StatusError;

    fn status(code: u16, retry_after: Option<u64>) -> ApiError {
        ApiError::Status(StatusError {
            status: code,
            code: None,
            message: String::new(),
            request_id: None,
            retry_after,
        })
    }

    #[test]
    fn waits_grow_to_the_cap() {
        let t0 = Instant::now();
        let mut s = PollSchedule::new(t0, FOLLOW_LIMIT);
        let waits: Vec<Next> = (0..8).map(|_| s.pending(t0)).collect();
        let secs: Vec<u64> = waits
            .iter()
            .map(|n| match n {
                Next::After(d) => d.as_millis() as u64,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(secs, [1000, 1500, 2250, 3375, 5062, 7593, 10000, 10000]);
    }

    #[test]
    fn errors_double_the_wait_and_honour_retry_after() {
        let t0 = Instant::now();
        let mut s = PollSchedule::new(t0, FOLLOW_LIMIT);
        assert_eq!(s.failed(t0, &status(503, None)), Next::After(FIRST_WAIT));
        assert_eq!(
            s.failed(t0, &status(429, Some(7))),
            Next::After(Duration::from_secs(7))
        );
        assert_eq!(s.pending(t0), Next::After(Duration::from_secs(4)));
        assert_eq!(s.failed(t0, &status(404, None)), Next::GiveUp);
        assert_eq!(s.failed(t0, &status(401, None)), Next::GiveUp);
    }

    #[tokio::test(start_paused = true)]
    async fn follow_retries_a_failed_poll_and_stops_on_one_that_would_repeat() {
        let mut answers = vec![Err(status(404, None)), Ok(2), Err(status(503, None))];
        let done = follow(
            0,
            FOLLOW_LIMIT,
            |n| *n >= 2,
            || {
                let next = answers.pop().expect("no more polls than answers");
                async move { next }
            },
            |_| {},
        )
        .await;
        assert!(matches!(done, Ok(2)), "{done:?}");

        let mut answers = vec![Err(status(404, None)), Ok(1)];
        let stopped = follow(
            0,
            FOLLOW_LIMIT,
            |n| *n >= 2,
            || {
                let next = answers.pop().expect("no more polls than answers");
                async move { next }
            },
            |_| {},
        )
        .await;
        assert!(
            matches!(stopped, Err(Stopped::Failed { last: 1, .. })),
            "{stopped:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn follow_stops_before_the_limit() {
        let stopped = follow(
            0,
            Duration::from_secs(5),
            |_| false,
            || async { Ok(0) },
            |_| {},
        )
        .await;
        assert!(
            matches!(stopped, Err(Stopped::TooLate { last: 0 })),
            "{stopped:?}"
        );
    }

    #[test]
    fn never_waits_past_the_limit() {
        let t0 = Instant::now();
        let mut s = PollSchedule::new(t0, Duration::from_secs(3));
        assert_eq!(s.pending(t0), Next::After(Duration::from_secs(1)));
        assert_eq!(
            s.pending(t0 + Duration::from_secs(1)),
            Next::After(Duration::from_millis(1500))
        );
        assert_eq!(s.pending(t0 + Duration::from_secs(2)), Next::TooLate);
    }
}
