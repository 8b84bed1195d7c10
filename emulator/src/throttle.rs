//! Token buckets for stage, route and usage-plan throttling, and usage-plan quotas. A bucket
//! holds `burst` tokens and refills at `rate` per second; a request takes one or is refused.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::plan::{QuotaPlan, ThrottlePlan};

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Buckets by key (`route:GET /pets`, `key:abc`), created on first use.
#[derive(Debug, Default)]
pub struct Buckets {
    buckets: Mutex<HashMap<String, Bucket>>,
    quotas: Mutex<HashMap<String, (u64, Instant)>>,
}

impl Buckets {
    /// Takes a token from the bucket `key` with `limits`; false when empty.
    pub fn take(&self, key: &str, limits: ThrottlePlan) -> bool {
        let Ok(mut buckets) = self.buckets.lock() else {
            return true;
        };
        let now = Instant::now();
        let capacity = limits.burst_limit.max(1) as f64;
        let bucket = buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: capacity,
            last: now,
        });
        let elapsed = now.duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * limits.rate_limit.max(0.0)).min(capacity);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Counts one request against `quota` for `key`; false when the period's limit is used.
    pub fn count(&self, key: &str, quota: &QuotaPlan) -> bool {
        let Ok(mut quotas) = self.quotas.lock() else {
            return true;
        };
        let period = match quota.period.to_ascii_uppercase().as_str() {
            "DAY" => Duration::from_secs(86_400),
            "WEEK" => Duration::from_secs(7 * 86_400),
            _ => Duration::from_secs(30 * 86_400),
        };
        let now = Instant::now();
        let entry = quotas.entry(key.to_string()).or_insert((0, now));
        if now.duration_since(entry.1) >= period {
            *entry = (0, now);
        }
        if entry.0 >= quota.limit {
            return false;
        }
        entry.0 += 1;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refuses() {
        let buckets = Buckets::default();
        let limits = ThrottlePlan {
            rate_limit: 0.0,
            burst_limit: 2,
        };
        assert!(buckets.take("route", limits));
        assert!(buckets.take("route", limits));
        assert!(!buckets.take("route", limits));
    }
}
