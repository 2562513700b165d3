//! The per-caller rate limit (SPEC §7), with `governor` (permissively
//! licensed; `actix-governor` is GPL-3.0).

use governor::{clock::DefaultClock, state::keyed::DefaultKeyedStateStore, Quota, RateLimiter};
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock>;

/// Who a request's rate limit counts against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RateKey {
    /// The subject of a verified token.
    Caller(String),
    /// The peer address of a request without a valid token (IPv6 by /64,
    /// which one host holds).
    Peer(IpAddr),
}

impl RateKey {
    pub fn peer(addr: IpAddr) -> RateKey {
        RateKey::Peer(match addr {
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(Ipv6Addr::from(u128::from(a) & (u128::MAX << 64))),
            },
            v4 => v4,
        })
    }
}

/// The per-caller rate limit (SPEC §7). Anonymous callers and callers with
/// an invalid token count by peer address, never by what they send (a new
/// made-up token per request would otherwise be a new, never limited key,
/// and a new entry in memory). Keys whose buckets have refilled are
/// forgotten ([`Limiter::sweep`]); at most `max_peers` peer addresses are
/// tracked, and beyond that, until a sweep frees room, further peers share
/// one bucket.
pub struct Limiter {
    callers: Keyed<String>,
    peers: Keyed<IpAddr>,
    max_peers: usize,
    started: Instant,
    /// Second (since `started`) of the last sweep of a full peer map.
    last_sweep: AtomicU64,
}

/// The one bucket peers share while `max_peers` are tracked.
const OVERFLOW_PEER: IpAddr = IpAddr::V6(Ipv6Addr::UNSPECIFIED);

impl Limiter {
    pub fn new(per_second: u32, burst: u32, max_peers: usize) -> Limiter {
        let ps = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
        let b = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_second(ps).allow_burst(b);
        Limiter {
            callers: RateLimiter::keyed(quota),
            peers: RateLimiter::keyed(quota),
            max_peers: max_peers.max(1),
            started: Instant::now(),
            last_sweep: AtomicU64::new(u64::MAX),
        }
    }

    /// `Err(seconds to wait)` when `key` is over its limit.
    pub fn check(&self, key: &RateKey) -> Result<(), u64> {
        let wait = |not_until: governor::NotUntil<_>| {
            not_until.wait_time_from(governor::clock::Clock::now(&DefaultClock::default())).as_secs().max(1)
        };
        match key {
            RateKey::Caller(sub) => self.callers.check_key(sub).map_err(wait),
            RateKey::Peer(ip) => {
                // The shared bucket is one of the `max_peers` keys. A full
                // map is swept at most once a second, not on every request.
                let full = || self.peers.len() + 1 >= self.max_peers;
                if full() {
                    let now = self.started.elapsed().as_secs();
                    if self.last_sweep.swap(now, Ordering::Relaxed) != now {
                        self.peers.retain_recent();
                    }
                }
                let ip = if full() { &OVERFLOW_PEER } else { ip };
                self.peers.check_key(ip).map_err(wait)
            }
        }
    }

    /// Forgets the keys whose buckets are full again (idle callers).
    pub fn sweep(&self) {
        self.callers.retain_recent();
        self.callers.shrink_to_fit();
        self.peers.retain_recent();
        self.peers.shrink_to_fit();
    }

    /// Peer addresses tracked now.
    pub fn peers_tracked(&self) -> usize {
        self.peers.len()
    }

    /// Token subjects tracked now.
    pub fn callers_tracked(&self) -> usize {
        self.callers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_host_is_one_peer_and_mapped_ipv4_is_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(RateKey::peer(a), RateKey::peer(b));
        assert_ne!(RateKey::peer(a), RateKey::peer("2001:db8:1:3::1".parse().unwrap()));
        assert_eq!(RateKey::peer("::ffff:10.0.0.1".parse().unwrap()), RateKey::Peer(IpAddr::from([10, 0, 0, 1])));
    }

    #[test]
    fn peers_beyond_the_bound_share_one_bucket() {
        let l = Limiter::new(1, 2, 3);
        let peer = |last: u8| RateKey::peer(IpAddr::from([10, 0, 0, last]));
        assert!(l.check(&peer(1)).is_ok() && l.check(&peer(2)).is_ok());
        for last in 3..=50u8 {
            let _ = l.check(&peer(last));
        }
        assert!(l.peers_tracked() <= 3, "{}", l.peers_tracked());
        // The shared bucket is spent: a new peer waits.
        assert!(l.check(&RateKey::peer(IpAddr::from([10, 0, 1, 1]))).is_err());
    }
}
