//! How many TCP connections the default client opens to one destination.
//!
//! hyper-util's pooled client, when a request finds no idle connection, starts a new one at
//! once and at the same time waits for a busy one to come back; whichever is ready first
//! serves the request, and a connection finished after losing that race is kept idle. A
//! connection comes back to the pool from a task spawned when its response ends, so a call
//! that starts right after another ended often finds the pool empty and opens a socket that
//! nothing needs: 20,000 calls at concurrency 200 opened 207 to 408 connections.
//!
//! [`Limits`] bounds that. Per destination (scheme, host and port: hyper-util's pool key) it
//! counts the requests in flight (from the call until its response body has ended or been
//! dropped and hyper has dropped its request body: a server may answer before it has read an
//! upload, and the connection is busy until the upload is sent) and the connections open or
//! being opened (a [`Slot`], held by the connection's I/O for its lifetime). A new connection may be opened only while fewer are open than requests are in
//! flight, and than the configured maximum; otherwise the connect waits (at most the connect
//! timeout; then it has the connect timeout to connect), while the request's pool checkout
//! goes on waiting for an idle connection. So the
//! connections to a destination never outnumber the requests in flight to it: at most the
//! peak concurrency, at most the maximum.
//!
//! No deadlock: a request waits at the gate only when its destination has at least as many
//! connections as requests in flight, its own included; so at least one connection serves no
//! request in flight, and it is idle (the checkout takes it), on its way back to the pool
//! (the checkout receives it), still connecting (it then goes to the pool and the checkout),
//! or closing (its slot is released and the gate opens). With a maximum, the requests beyond
//! it wait for a connection to come back, at most the connect timeout, and then fail with a
//! timeout that names the limit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Notify;

/// hyper-util's pool key: a destination.
pub(super) type Key = (::http::uri::Scheme, ::http::uri::Authority);

/// The pool key of a request or connect URI (`None` without scheme or host).
pub(super) fn key_of(uri: &::http::Uri) -> Option<Key> {
    Some((uri.scheme()?.clone(), uri.authority()?.clone()))
}

/// The counts per destination, shared by a client, its clones and its connector.
#[derive(Debug)]
pub(super) struct Limits {
    max_per_host: AtomicUsize,
    hosts: Mutex<HashMap<Key, Host>>,
}

#[derive(Debug, Default)]
struct Host {
    in_flight: usize,
    open: usize,
    /// Woken (one waiter at a time) when a connection may be opened.
    wake: Arc<Notify>,
}

impl Host {
    fn may_open(&self, max: usize) -> bool {
        self.open < self.in_flight && self.open < max
    }
}

/// The counts of one destination when a connect gave up waiting (for its error message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Counts {
    pub open: usize,
    pub in_flight: usize,
    pub max: usize,
}

impl Limits {
    /// No maximum: connections are bounded by the requests in flight only.
    pub(super) fn new() -> Arc<Self> {
        Arc::new(Self {
            max_per_host: AtomicUsize::new(usize::MAX),
            hosts: Mutex::new(HashMap::new()),
        })
    }

    pub(super) fn set_max_per_host(&self, max: usize) {
        self.max_per_host.store(max, Ordering::Relaxed);
        // A raised maximum may let waiting connects go.
        let hosts = self.lock();
        for host in hosts.values() {
            if host.may_open(max) {
                host.wake.notify_one();
            }
        }
        drop(hosts);
    }

    fn max(&self) -> usize {
        self.max_per_host.load(Ordering::Relaxed)
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, Host>> {
        // The map stays consistent whatever panicked while it was held (each change is one
        // counter step), so a poisoned lock is used as is.
        self.hosts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Wakes a waiting connect if one may now open, or forgets the destination if nothing
    /// refers to it any more.
    fn changed(&self, hosts: &mut HashMap<Key, Host>, key: &Key) {
        let max = self.max();
        let Some(host) = hosts.get(key) else { return };
        if host.may_open(max) {
            host.wake.notify_one();
        } else if host.in_flight == 0 && host.open == 0 && Arc::strong_count(&host.wake) == 1 {
            hosts.remove(key);
        }
    }

    /// Counts a request in flight to `key` until the returned guard is dropped.
    pub(super) fn start_request(self: &Arc<Self>, key: Key) -> InFlight {
        let mut hosts = self.lock();
        hosts.entry(key.clone()).or_default().in_flight += 1;
        self.changed(&mut hosts, &key);
        drop(hosts);
        InFlight {
            limits: Arc::clone(self),
            key,
        }
    }

    /// Waits until a connection to `key` may be opened and counts it until the returned slot
    /// is dropped. Cancel-safe: dropped while waiting, it takes nothing.
    pub(super) async fn open_slot(self: &Arc<Self>, key: &Key) -> Slot {
        loop {
            let wake = {
                let mut hosts = self.lock();
                let max = self.max();
                let host = hosts.entry(key.clone()).or_default();
                if host.may_open(max) {
                    host.open += 1;
                    // Let the next waiter check too (two requests may need two connections).
                    self.changed(&mut hosts, key);
                    drop(hosts);
                    return Slot {
                        limits: Arc::clone(self),
                        key: key.clone(),
                    };
                }
                // Held while waiting, so the entry is not forgotten meanwhile.
                Arc::clone(&host.wake)
            };
            // `notify_one` stores a wake-up when nobody waits, so one sent between the check
            // above and this wait is not lost; a waiter dropped after being woken passes its
            // wake-up on (tokio's `Notified`).
            wake.notified().await;
        }
    }

    /// The counts of `key` now.
    pub(super) fn counts(&self, key: &Key) -> Counts {
        let hosts = self.lock();
        let (open, in_flight) = hosts
            .get(key)
            .map_or((0, 0), |host| (host.open, host.in_flight));
        Counts {
            open,
            in_flight,
            max: self.max(),
        }
    }
}

/// A request in flight (see [`Limits::start_request`]).
#[derive(Debug)]
pub(super) struct InFlight {
    limits: Arc<Limits>,
    key: Key,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut hosts = self.limits.lock();
        if let Some(host) = hosts.get_mut(&self.key) {
            host.in_flight -= 1;
        }
        self.limits.changed(&mut hosts, &self.key);
    }
}

/// A connection open or being opened (see [`Limits::open_slot`]); the connection's I/O holds
/// it, so it is released when the connection closes.
#[derive(Debug)]
pub(super) struct Slot {
    limits: Arc<Limits>,
    key: Key,
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut hosts = self.limits.lock();
        if let Some(host) = hosts.get_mut(&self.key) {
            host.open -= 1;
        }
        self.limits.changed(&mut hosts, &self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn key() -> Key {
        key_of(&"http://127.0.0.1:9/".parse().expect("uri")).expect("key")
    }

    async fn opens_within(limits: &Arc<Limits>, key: &Key, wait: Duration) -> Option<Slot> {
        tokio::time::timeout(wait, limits.open_slot(key)).await.ok()
    }

    #[tokio::test]
    async fn a_connection_opens_only_for_a_request_in_flight_without_one() {
        let limits = Limits::new();
        let key = key();
        let short = Duration::from_millis(50);
        assert!(
            opens_within(&limits, &key, short).await.is_none(),
            "no request"
        );
        let first = limits.start_request(key.clone());
        let slot = opens_within(&limits, &key, short)
            .await
            .expect("one request");
        assert!(
            opens_within(&limits, &key, short).await.is_none(),
            "one each"
        );
        // A waiting connect goes when a second request starts...
        let waiting = tokio::spawn({
            let limits = Arc::clone(&limits);
            let key = key.clone();
            async move { limits.open_slot(&key).await }
        });
        tokio::task::yield_now().await;
        let second = limits.start_request(key.clone());
        let slot2 = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("woken")
            .expect("joins");
        assert_eq!(
            limits.counts(&key),
            Counts {
                open: 2,
                in_flight: 2,
                max: usize::MAX
            }
        );
        // ... or when a connection closes while requests remain.
        drop(slot);
        let slot3 = opens_within(&limits, &key, short)
            .await
            .expect("the closed one replaced");
        // A request that ends leaves its connection for the others: none opens.
        drop(first);
        drop(slot2);
        assert!(opens_within(&limits, &key, short).await.is_none());
        drop((slot3, second));
        assert!(limits.lock().is_empty(), "forgotten when unused");
    }

    #[tokio::test]
    async fn the_maximum_bounds_connections_whatever_the_requests() {
        let limits = Limits::new();
        limits.set_max_per_host(1);
        let key = key();
        let short = Duration::from_millis(50);
        let _requests: Vec<_> = (0..3).map(|_| limits.start_request(key.clone())).collect();
        let slot = opens_within(&limits, &key, short).await.expect("first");
        assert!(
            opens_within(&limits, &key, short).await.is_none(),
            "at most 1"
        );
        let waiting = tokio::spawn({
            let limits = Arc::clone(&limits);
            let key = key.clone();
            async move { limits.open_slot(&key).await }
        });
        tokio::task::yield_now().await;
        limits.set_max_per_host(2);
        let _slot2 = tokio::time::timeout(Duration::from_secs(5), waiting)
            .await
            .expect("woken by the raised maximum")
            .expect("joins");
        drop(slot);
        assert_eq!(limits.counts(&key).open, 1);
    }
}
