//! The `--chaos` spec: `FAULT=RATE` pairs separated by commas, e.g.
//! `500=0.1,reset=0.05,slow=0.1:2s,garbage=0.05,429=0.1,reset_after=0.02`.

use std::time::Duration;

/// One kind of fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// `500`: an `internal` error in the envelope, before any handler.
    ServerError,
    /// `429`: the flat rate-limit body with `retry-after` and the
    /// `x-ratelimit-*` headers, before any handler.
    TooManyRequests,
    /// `reset`: the connection is dropped with no answer, before any handler.
    Reset,
    /// `reset_after`: the handler runs (the change is applied), then the
    /// connection is dropped before the answer is sent.
    ResetAfter,
    /// `garbage`: the handler's answer cut off mid-body (the handler ran),
    /// or a proxy's 502 HTML page (before any handler).
    Garbage,
}

impl Fault {
    /// Every fault that takes a share of the requests, with its spec name.
    pub const NAMED: [(&'static str, Fault); 5] = [
        ("500", Fault::ServerError),
        ("429", Fault::TooManyRequests),
        ("reset", Fault::Reset),
        ("reset_after", Fault::ResetAfter),
        ("garbage", Fault::Garbage),
    ];

    /// Its name in a spec.
    pub fn name(self) -> &'static str {
        Fault::NAMED
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }
}

/// A parsed spec. The faults share one roll per request (their rates add
/// up to at most 1); `slow` has a roll of its own and combines with them.
#[derive(Clone, Debug, PartialEq)]
pub struct ChaosSpec {
    pub faults: Vec<(Fault, f64)>,
    /// The share of requests delayed, and by how much.
    pub slow: Option<(f64, Duration)>,
    /// Fixes the order in which requests meet their faults.
    pub seed: u64,
}

impl ChaosSpec {
    /// The same spec with another seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }
}

fn rate(part: &str, raw: &str) -> Result<f64, String> {
    raw.trim()
        .parse::<f64>()
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
        .ok_or_else(|| {
            format!(
                "--chaos part `{part}`: the rate `{raw}` must be a number from 0 to 1, e.g. 0.1"
            )
        })
}

fn duration(part: &str, raw: &str) -> Result<Duration, String> {
    let raw = raw.trim();
    let bad = || format!("--chaos part `{part}`: `{raw}` is not a delay; write e.g. 500ms or 2s");
    let (number, unit) = if let Some(n) = raw.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = raw.strip_suffix('s') {
        (n, 1.0)
    } else {
        return Err(bad());
    };
    let secs = number.trim().parse::<f64>().map_err(|_| bad())? * unit;
    // Beyond a minute a request is not slow, it is gone: say so.
    if !(0.0..=60.0).contains(&secs) {
        return Err(format!(
            "--chaos part `{part}`: the delay must be at most 60s"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Parses a spec; the error names the part that is wrong and how to write it.
pub fn parse(spec: &str) -> Result<ChaosSpec, String> {
    let known = || {
        Fault::NAMED
            .iter()
            .map(|(n, _)| *n)
            .chain(["slow"])
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parsed = ChaosSpec {
        faults: Vec::new(),
        slow: None,
        seed: 0,
    };
    let parts: Vec<&str> = spec
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err(format!(
            "--chaos is empty; give FAULT=RATE pairs such as 500=0.1,reset=0.05 (faults: {})",
            known()
        ));
    }
    for part in parts {
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!(
                "--chaos part `{part}` has no '='; write FAULT=RATE, e.g. 500=0.1"
            ));
        };
        let name = name.trim().to_ascii_lowercase();
        let repeated = parsed.faults.iter().any(|(f, _)| f.name() == name)
            || (name == "slow" && parsed.slow.is_some());
        if repeated {
            return Err(format!("--chaos part `{part}`: {name} is given twice"));
        }
        if name == "slow" {
            let Some((share, delay)) = value.split_once(':') else {
                return Err(format!(
                    "--chaos part `{part}`: slow needs a delay after the rate, e.g. slow=0.1:2s"
                ));
            };
            parsed.slow = Some((rate(part, share)?, duration(part, delay)?));
            continue;
        }
        let Some((_, fault)) = Fault::NAMED.iter().find(|(n, _)| *n == name) else {
            return Err(format!(
                "--chaos part `{part}`: unknown fault `{name}`; known: {}",
                known()
            ));
        };
        if value.contains(':') {
            return Err(format!(
                "--chaos part `{part}`: only slow takes a delay; write {name}=RATE"
            ));
        }
        parsed.faults.push((*fault, rate(part, value)?));
    }
    let total: f64 = parsed.faults.iter().map(|(_, r)| r).sum();
    if total > 1.0 + 1e-9 {
        return Err(format!(
            "--chaos rates of {} add up to {total}, more than 1: each request meets at most one \
             of them, so lower them",
            parsed
                .faults
                .iter()
                .map(|(f, _)| f.name())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_parses() {
        let spec = parse("500=0.1,reset=0.05,slow=0.1:2s,garbage=0.05,429=0.1").unwrap();
        assert_eq!(
            spec.faults,
            vec![
                (Fault::ServerError, 0.1),
                (Fault::Reset, 0.05),
                (Fault::Garbage, 0.05),
                (Fault::TooManyRequests, 0.1),
            ]
        );
        assert_eq!(spec.slow, Some((0.1, Duration::from_secs(2))));
        assert_eq!(
            parse("slow=1:250ms").unwrap().slow,
            Some((1.0, Duration::from_millis(250)))
        );
        assert_eq!(
            parse(" reset_after = 0.5 ").unwrap().faults,
            vec![(Fault::ResetAfter, 0.5)]
        );
    }

    #[test]
    fn a_bad_spec_names_the_bad_part() {
        for (spec, named) in [
            ("", "empty"),
            ("500", "`500`"),
            ("501=0.1", "unknown fault `501`"),
            ("500=2", "`2`"),
            ("500=-0.1", "`-0.1`"),
            ("500=abc", "`abc`"),
            ("slow=0.1", "slow needs a delay"),
            ("slow=0.1:2x", "`2x`"),
            ("slow=0.1:2m", "`2m`"),
            ("slow=0.1:90s", "at most 60s"),
            ("reset=0.1:2s", "only slow"),
            ("500=0.1,500=0.2", "given twice"),
            ("500=0.6,reset=0.6", "more than 1"),
        ] {
            let err = parse(spec).unwrap_err();
            assert!(err.contains(named), "{spec:?}: {err}");
            assert!(err.starts_with("--chaos"), "{err}");
        }
    }
}
