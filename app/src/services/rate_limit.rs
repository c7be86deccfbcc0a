//! Slows down guessing: after a few failed order look-ups from one client, further
//! attempts are refused until the window has passed. Bounded in memory.

use std::{collections::HashMap, sync::Mutex};

#[derive(Debug, Clone, Copy)]
pub struct AttemptPolicy {
    pub max_failures: u32,
    pub window_secs: i64,
    /// Clients remembered at most; the oldest are forgotten first.
    pub max_clients: usize,
}

pub const LOOKUP_POLICY: AttemptPolicy = AttemptPolicy {
    max_failures: 5,
    window_secs: 15 * 60,
    max_clients: 100_000,
};

pub struct AttemptLimiter {
    policy: AttemptPolicy,
    /// Client key -> (failures in the window, when the window started).
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

impl AttemptLimiter {
    pub fn new(policy: AttemptPolicy) -> AttemptLimiter {
        AttemptLimiter {
            policy,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` when this client has failed too often.
    pub fn check(&self, client: &str, now: i64) -> Result<(), u64> {
        let failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match failures.get(client) {
            Some(&(count, started))
                if count >= self.policy.max_failures && now < started + self.policy.window_secs =>
            {
                Err((started + self.policy.window_secs - now).max(1) as u64)
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, client: &str, now: i64) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() >= self.policy.max_clients && !failures.contains_key(client) {
            let window = self.policy.window_secs;
            failures.retain(|_, (_, started)| now < *started + window);
            if failures.len() >= self.policy.max_clients {
                if let Some(oldest) = failures
                    .iter()
                    .min_by_key(|(_, (_, started))| *started)
                    .map(|(k, _)| k.clone())
                {
                    failures.remove(&oldest);
                }
            }
        }
        let entry = failures.entry(client.to_owned()).or_insert((0, now));
        if now >= entry.1 + self.policy.window_secs {
            *entry = (0, now);
        }
        entry.0 += 1;
    }

    pub fn record_success(&self, client: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(client);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: AttemptPolicy = AttemptPolicy {
        max_failures: 3,
        window_secs: 60,
        max_clients: 2,
    };

    #[test]
    fn a_client_is_stopped_after_too_many_failures_until_the_window_passes() {
        let limiter = AttemptLimiter::new(POLICY);
        for second in 0..3 {
            assert_eq!(limiter.check("a", second), Ok(()));
            limiter.record_failure("a", second);
        }
        assert_eq!(limiter.check("a", 10), Err(50));
        assert_eq!(
            limiter.check("b", 10),
            Ok(()),
            "other clients are not affected"
        );
        assert_eq!(limiter.check("a", 60), Ok(()));
    }

    #[test]
    fn a_success_clears_the_failures() {
        let limiter = AttemptLimiter::new(POLICY);
        limiter.record_failure("a", 0);
        limiter.record_failure("a", 0);
        limiter.record_success("a");
        limiter.record_failure("a", 1);
        assert_eq!(limiter.check("a", 1), Ok(()));
    }

    #[test]
    fn memory_stays_bounded_when_many_clients_fail() {
        let limiter = AttemptLimiter::new(POLICY);
        for (i, client) in ["a", "b", "c", "d"].iter().enumerate() {
            limiter.record_failure(client, i as i64);
        }
        assert!(limiter.failures.lock().unwrap().len() <= POLICY.max_clients);
    }
}
