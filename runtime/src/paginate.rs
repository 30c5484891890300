//! Pagination: pages (or the items in them) fetched one request at a time, as the official
//! SDK's `into_paginator().send()` and `.items().send()` give them.

use crate::error::SdkError;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Fetches one page given the token of the previous page (`None` for the first).
type FetchPage<K, O, E> = Box<dyn FnMut(Option<K>) -> BoxFuture<Result<O, SdkError<E>>> + Send>;

/// A page token: what a response hands back for the request of the next page. Most are
/// strings; DynamoDB's `Scan` and `Query` give a map (the last key read), S3's `ListParts` a
/// number.
pub trait PageToken: Clone + PartialEq + Send + 'static {
    /// True for a token that means "no next page": an empty string or map, as the official
    /// paginators take it. A number is never empty.
    fn is_empty_token(&self) -> bool;
}

impl PageToken for String {
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V, S> PageToken for std::collections::HashMap<K, V, S>
where
    K: Eq + std::hash::Hash + Clone + Send + 'static,
    V: PartialEq + Clone + Send + 'static,
    S: std::hash::BuildHasher + Clone + Send + 'static,
{
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

impl PageToken for i32 {
    fn is_empty_token(&self) -> bool {
        false
    }
}

impl PageToken for i64 {
    fn is_empty_token(&self) -> bool {
        false
    }
}

/// What a [`PaginationStream`] pulls its elements from.
trait Source<T>: Send {
    fn next(&mut self) -> Pin<Box<dyn Future<Output = Option<T>> + Send + '_>>;
}

struct Pages<K, O, E> {
    fetch: FetchPage<K, O, E>,
    next_token: fn(&O) -> Option<&K>,
    more_results: Option<fn(&O) -> bool>,
    token: Option<K>,
    done: bool,
}

impl<K: PageToken, O: Send + 'static, E: Send + 'static> Source<Result<O, SdkError<E>>>
    for Pages<K, O, E>
{
    fn next(
        &mut self,
    ) -> Pin<Box<dyn Future<Output = Option<Result<O, SdkError<E>>>> + Send + '_>> {
        Box::pin(async move {
            if self.done {
                return None;
            }
            let previous = self.token.take();
            let result = (self.fetch)(previous.clone()).await;
            match &result {
                Ok(page) => {
                    let token = (self.next_token)(page)
                        .filter(|t| !t.is_empty_token())
                        .cloned();
                    // Stop at the last page: no token, or the response says there is no more
                    // (`more_results`, as S3's `IsTruncated`); and when a service hands back
                    // the token it was given (which would loop forever).
                    let more = self.more_results.is_none_or(|more| more(page));
                    self.done = token.is_none() || !more || token == previous;
                    self.token = token;
                }
                Err(_) => self.done = true,
            }
            Some(result)
        })
    }
}

struct Items<O, T, E> {
    pages: Box<dyn Source<Result<O, SdkError<E>>>>,
    items_of: fn(O) -> Vec<T>,
    buffer: VecDeque<T>,
}

impl<O: Send + 'static, T: Send + 'static, E: Send + 'static> Source<Result<T, SdkError<E>>>
    for Items<O, T, E>
{
    fn next(
        &mut self,
    ) -> Pin<Box<dyn Future<Output = Option<Result<T, SdkError<E>>>> + Send + '_>> {
        Box::pin(async move {
            loop {
                if let Some(item) = self.buffer.pop_front() {
                    return Some(Ok(item));
                }
                match self.pages.next().await? {
                    Ok(page) => self.buffer.extend((self.items_of)(page)),
                    Err(err) => return Some(Err(err)),
                }
            }
        })
    }
}

/// A stream of pages or items, pulled with [`next`](Self::next).
pub struct PaginationStream<T> {
    source: Box<dyn Source<T>>,
}

impl<T> std::fmt::Debug for PaginationStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PaginationStream")
    }
}

impl<O: Send + 'static, E: Send + 'static> PaginationStream<Result<O, SdkError<E>>> {
    /// Pages: `fetch` sends one request with the given token; `next_token` reads the token
    /// of the next page from a response. Paging stops after a page without a token (or with
    /// an empty one), and when a page repeats the token it was fetched with.
    pub fn pages<K: PageToken>(
        fetch: impl FnMut(Option<K>) -> BoxFuture<Result<O, SdkError<E>>> + Send + 'static,
        next_token: fn(&O) -> Option<&K>,
    ) -> Self {
        Self::paged(Box::new(fetch), next_token, None)
    }

    /// Pages as [`pages`](Self::pages), stopping also after a page for which `more_results`
    /// is false (botocore's `more_results`, as S3's `IsTruncated`).
    pub fn pages_while<K: PageToken>(
        fetch: impl FnMut(Option<K>) -> BoxFuture<Result<O, SdkError<E>>> + Send + 'static,
        next_token: fn(&O) -> Option<&K>,
        more_results: fn(&O) -> bool,
    ) -> Self {
        Self::paged(Box::new(fetch), next_token, Some(more_results))
    }

    fn paged<K: PageToken>(
        fetch: FetchPage<K, O, E>,
        next_token: fn(&O) -> Option<&K>,
        more_results: Option<fn(&O) -> bool>,
    ) -> Self {
        PaginationStream {
            source: Box::new(Pages {
                fetch,
                next_token,
                more_results,
                token: None,
                done: false,
            }),
        }
    }

    /// The items of every page, in order, as `items_of` takes them out of each page.
    pub fn items<T: Send + 'static>(
        self,
        items_of: fn(O) -> Vec<T>,
    ) -> PaginationStream<Result<T, SdkError<E>>> {
        PaginationStream {
            source: Box::new(Items {
                pages: self.source,
                items_of,
                buffer: VecDeque::new(),
            }),
        }
    }
}

impl<T: Send + 'static> PaginationStream<T> {
    /// The next element, or `None` after the last one (and after an error).
    pub async fn next(&mut self) -> Option<T> {
        self.source.next().await
    }

    /// Every remaining element, gathered into any collection: `Vec<T>`, or for a stream of
    /// results `Result<Vec<_>, _>` (the first error, as the stream ends after one), as the
    /// official `PaginationStream::collect`.
    pub async fn collect<C: FromIterator<T>>(mut self) -> C {
        let mut out = Vec::new();
        while let Some(element) = self.next().await {
            out.push(element);
        }
        out.into_iter().collect()
    }
}

impl<X: Send + 'static, E: Send + 'static> PaginationStream<Result<X, E>> {
    /// The next element; `Ok(None)` after the last one.
    pub async fn try_next(&mut self) -> Result<Option<X>, E> {
        self.next().await.transpose()
    }

    /// Every remaining element, or the first error.
    pub async fn try_collect(mut self) -> Result<Vec<X>, E> {
        let mut out = Vec::new();
        while let Some(element) = self.try_next().await? {
            out.push(element);
        }
        Ok(out)
    }
}

/// Pages or items for a blocking client: an [`Iterator`] that sends each request when the
/// next element is asked for, blocking the calling thread until its response is read.
///
/// It ends after the last element and after an error (which it yields once), like
/// [`PaginationStream`]. Collect a whole listing with
/// `.collect::<Result<Vec<_>, _>>()`.
#[cfg(feature = "blocking")]
pub struct PaginationIter<T> {
    stream: PaginationStream<T>,
    mode: crate::blocking::Blocking,
}

#[cfg(feature = "blocking")]
impl<T> std::fmt::Debug for PaginationIter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PaginationIter")
    }
}

#[cfg(feature = "blocking")]
impl<T: Send + 'static> PaginationStream<T> {
    /// The same elements as a blocking iterator, each fetched on `mode`'s runtime.
    pub fn blocking(self, mode: crate::blocking::Blocking) -> PaginationIter<T> {
        PaginationIter { stream: self, mode }
    }
}

#[cfg(feature = "blocking")]
impl<T: Send + 'static> Iterator for PaginationIter<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let PaginationIter { stream, mode } = self;
        mode.block_on(stream.next())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[derive(Debug)]
    struct Page {
        items: Vec<u32>,
        next: Option<String>,
    }

    fn stream(
        pages: Vec<(Vec<u32>, Option<&'static str>)>,
        seen: Arc<Mutex<Vec<Option<String>>>>,
    ) -> PaginationStream<Result<Page, SdkError<String>>> {
        let pages = Arc::new(Mutex::new(VecDeque::from(pages)));
        PaginationStream::pages(
            move |token| {
                seen.lock().unwrap().push(token);
                let (items, next) = pages
                    .lock()
                    .unwrap()
                    .pop_front()
                    .expect("asked past the last page");
                Box::pin(async move {
                    Ok(Page {
                        items,
                        next: next.map(str::to_owned),
                    })
                })
            },
            |p: &Page| p.next.as_ref(),
        )
    }

    fn block_on<F: Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn pages_follow_tokens_until_the_last() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let pages = block_on(
            stream(
                vec![
                    (vec![1, 2], Some("a")),
                    (vec![3], Some("b")),
                    (vec![], None),
                ],
                seen.clone(),
            )
            .try_collect(),
        )
        .unwrap();
        assert_eq!(pages.len(), 3);
        assert_eq!(
            *seen.lock().unwrap(),
            vec![None, Some("a".to_string()), Some("b".to_string())]
        );
    }

    #[test]
    fn items_flatten_pages_and_a_repeated_token_stops() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let items = block_on(
            stream(
                vec![(vec![1, 2], Some("a")), (vec![3], Some("a"))],
                seen.clone(),
            )
            .items(|p| p.items)
            .try_collect(),
        )
        .unwrap();
        assert_eq!(items, vec![1, 2, 3]);
        assert_eq!(seen.lock().unwrap().len(), 2);
    }

    /// A stream whose first page has one item and a token, and whose second request fails.
    fn failing_second_page() -> PaginationStream<Result<Page, SdkError<String>>> {
        let mut calls = 0;
        PaginationStream::pages(
            move |_: Option<String>| {
                calls += 1;
                let n = calls;
                Box::pin(async move {
                    if n == 1 {
                        Ok(Page {
                            items: vec![1],
                            next: Some("t".into()),
                        })
                    } else {
                        Err(SdkError::construction_failure("boom"))
                    }
                })
            },
            |p: &Page| p.next.as_ref(),
        )
    }

    #[test]
    fn an_error_ends_the_stream() {
        let mut s = failing_second_page();
        block_on(async {
            assert!(s.next().await.unwrap().is_ok());
            assert!(s.next().await.unwrap().is_err());
            assert!(s.next().await.is_none());
        });
    }

    #[test]
    fn collect_takes_the_official_forms() {
        // `collect::<Result<Vec<_>, _>>()`, as the official examples write it.
        let items = block_on(
            stream(
                vec![(vec![1, 2], Some("a")), (vec![3], None)],
                Arc::default(),
            )
            .items(|p| p.items)
            .collect::<Result<Vec<_>, _>>(),
        )
        .unwrap();
        assert_eq!(items, vec![1, 2, 3]);
        // A plain `Vec` of the results.
        let results: Vec<Result<u32, _>> = block_on(
            stream(vec![(vec![4], Some("a")), (vec![5], None)], Arc::default())
                .items(|p| p.items)
                .collect(),
        );
        assert_eq!(results.len(), 2);
        assert!(results.iter().all(Result::is_ok));
    }

    #[test]
    fn collect_gives_the_error_of_a_failed_page() {
        let s = failing_second_page();
        let err = block_on(s.items(|p| p.items).collect::<Result<Vec<_>, _>>()).unwrap_err();
        assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    }

    /// A page of a service whose token is not a string.
    struct TokenPage<K> {
        items: Vec<u32>,
        next: Option<K>,
        truncated: Option<bool>,
    }

    /// Pages through `pages` (each item list with its next token and truncation flag),
    /// recording the token each request was sent with.
    fn token_stream<K: PageToken + Sync>(
        pages: Vec<TokenPage<K>>,
        seen: Arc<Mutex<Vec<Option<K>>>>,
        more_results: bool,
    ) -> PaginationStream<Result<u32, SdkError<String>>> {
        let pages = Arc::new(Mutex::new(VecDeque::from(pages)));
        let fetch = move |token: Option<K>| -> BoxFuture<Result<TokenPage<K>, SdkError<String>>> {
            seen.lock().unwrap().push(token);
            let page = pages
                .lock()
                .unwrap()
                .pop_front()
                .expect("asked past the last page");
            Box::pin(async move { Ok(page) })
        };
        let next_token: fn(&TokenPage<K>) -> Option<&K> = |p| p.next.as_ref();
        let stream = if more_results {
            PaginationStream::pages_while(fetch, next_token, |p| p.truncated == Some(true))
        } else {
            PaginationStream::pages(fetch, next_token)
        };
        stream.items(|p| p.items)
    }

    #[test]
    fn map_tokens_are_sent_back_and_an_empty_map_ends() {
        use std::collections::HashMap;
        let key = |k: &str| HashMap::from([("pk".to_string(), k.to_string())]);
        let page = |items, next| TokenPage {
            items,
            next,
            truncated: None,
        };
        let seen = Arc::new(Mutex::new(Vec::new()));
        let items = block_on(
            token_stream(
                vec![
                    page(vec![1, 2], Some(key("b"))),
                    page(vec![3], Some(key("c"))),
                    // DynamoDB leaves `LastEvaluatedKey` out on the last page; an empty map
                    // ends the listing as well.
                    page(vec![4], Some(HashMap::new())),
                ],
                seen.clone(),
                false,
            )
            .try_collect(),
        )
        .unwrap();
        assert_eq!(items, vec![1, 2, 3, 4]);
        assert_eq!(
            *seen.lock().unwrap(),
            vec![None, Some(key("b")), Some(key("c"))]
        );
    }

    #[test]
    fn number_tokens_stop_when_more_results_is_false() {
        let page = |items, next, truncated| TokenPage {
            items,
            next: Some(next),
            truncated: Some(truncated),
        };
        let seen = Arc::new(Mutex::new(Vec::new()));
        // S3's `ListParts`: every page names the next part number marker, the last one too;
        // `IsTruncated` says whether to follow it.
        let items = block_on(
            token_stream(
                vec![
                    page(vec![1, 2], 2, true),
                    page(vec![3, 4], 4, true),
                    page(vec![5], 5, false),
                ],
                seen.clone(),
                true,
            )
            .try_collect(),
        )
        .unwrap();
        assert_eq!(items, vec![1, 2, 3, 4, 5]);
        assert_eq!(*seen.lock().unwrap(), vec![None, Some(2), Some(4)]);
        // Without `more_results` a repeated number stops, as a repeated string does.
        let seen = Arc::new(Mutex::new(Vec::new()));
        let items = block_on(
            token_stream(
                vec![page(vec![1], 7_i64, true), page(vec![2], 7, true)],
                seen.clone(),
                false,
            )
            .try_collect(),
        )
        .unwrap();
        assert_eq!(items, vec![1, 2]);
        assert_eq!(*seen.lock().unwrap(), vec![None, Some(7)]);
    }

    #[cfg(feature = "blocking")]
    #[test]
    fn blocking_iterator_yields_the_same_items_then_ends() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mode = crate::blocking::Blocking::new().unwrap();
        let mut items = stream(
            vec![
                (vec![1, 2], Some("a")),
                (vec![], Some("b")),
                (vec![3], None),
            ],
            seen.clone(),
        )
        .items(|p| p.items)
        .blocking(mode);
        assert_eq!(items.next().unwrap().unwrap(), 1);
        // Only the first page has been fetched so far.
        assert_eq!(seen.lock().unwrap().len(), 1);
        let rest: Result<Vec<u32>, _> = items.by_ref().collect();
        assert_eq!(rest.unwrap(), vec![2, 3]);
        assert!(items.next().is_none());
        assert_eq!(
            *seen.lock().unwrap(),
            vec![None, Some("a".to_string()), Some("b".to_string())]
        );
    }
}
