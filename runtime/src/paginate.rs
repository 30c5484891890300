//! Pagination: pages (or the items in them) fetched one request at a time, as the official
//! SDK's `into_paginator().send()` and `.items().send()` give them.

use crate::error::SdkError;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;

/// A boxed, sendable future.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Fetches one page given the token of the previous page (`None` for the first).
type FetchPage<O, E> = Box<dyn FnMut(Option<String>) -> BoxFuture<Result<O, SdkError<E>>> + Send>;

/// What a [`PaginationStream`] pulls its elements from.
trait Source<T>: Send {
    fn next(&mut self) -> Pin<Box<dyn Future<Output = Option<T>> + Send + '_>>;
}

struct Pages<O, E> {
    fetch: FetchPage<O, E>,
    next_token: fn(&O) -> Option<&str>,
    token: Option<String>,
    done: bool,
}

impl<O: Send + 'static, E: Send + 'static> Source<Result<O, SdkError<E>>> for Pages<O, E> {
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
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned);
                    // Stop at the last page, and when a service hands back the token it was
                    // given (which would loop forever).
                    self.done = token.is_none() || token == previous;
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
    /// of the next page from a response.
    pub fn pages(
        fetch: impl FnMut(Option<String>) -> BoxFuture<Result<O, SdkError<E>>> + Send + 'static,
        next_token: fn(&O) -> Option<&str>,
    ) -> Self {
        PaginationStream {
            source: Box::new(Pages {
                fetch: Box::new(fetch),
                next_token,
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

    /// Every remaining element.
    pub async fn collect<C: Default + Extend<T>>(mut self) -> C {
        let mut out = C::default();
        while let Some(element) = self.next().await {
            out.extend(std::iter::once(element));
        }
        out
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
            |p: &Page| p.next.as_deref(),
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

    #[test]
    fn an_error_ends_the_stream() {
        let mut calls = 0;
        let mut s: PaginationStream<Result<Page, SdkError<String>>> = PaginationStream::pages(
            move |_| {
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
            |p: &Page| p.next.as_deref(),
        );
        block_on(async {
            assert!(s.next().await.unwrap().is_ok());
            assert!(s.next().await.unwrap().is_err());
            assert!(s.next().await.is_none());
        });
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
