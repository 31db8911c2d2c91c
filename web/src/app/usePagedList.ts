// A paged list for a page that updates live: the first page for the current query, "Load more" with
// the cursor, and refresh() for live updates, which refetches everything shown so far without
// blanking the table (a failed refresh keeps the rows and reports the problem).
import { useCallback, useEffect, useRef, useState } from 'react';

export const PAGE = 50;
export const MAX_LIMIT = 200;

export interface Page<T, C> {
  items: T[];
  nextCursor: C | null;
}

export type PagedList<T, C> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; items: T[]; nextCursor: C | null };

export interface PagedSource<Q, T, C> {
  /** One page, newest first, starting after `cursor` (or at the newest for null). */
  fetch: (query: Q, cursor: C | null, limit: number, signal?: AbortSignal) => Promise<Page<T, C>>;
  /**
   * Everything now shown, refetched for a live refresh. By default one request for as many rows as
   * are shown (at least a page, at most MAX_LIMIT).
   */
  refetch?: (query: Q, shown: T[], signal: AbortSignal) => Promise<Page<T, C>>;
}

export function usePagedList<Q, T extends { id: string }, C>(source: PagedSource<Q, T, C>, query: Q, key: string) {
  const [list, setList] = useState<PagedList<T, C>>({ status: 'loading' });
  const [refreshError, setRefreshError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const queryRef = useRef(query);
  queryRef.current = query;
  const listRef = useRef(list);
  listRef.current = list;
  /** Bumped by every first load and refresh: an older answer (or a "load more" started before) is dropped. */
  const generation = useRef(0);
  const refreshController = useRef<AbortController | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const gen = ++generation.current;
    refreshController.current?.abort();
    setList({ status: 'loading' });
    setRefreshError(null);
    setMoreError(null);
    setLoadingMore(false);
    sourceRef.current
      .fetch(queryRef.current, null, PAGE, controller.signal)
      .then((page) => {
        if (gen === generation.current) setList({ status: 'ready', items: page.items, nextCursor: page.nextCursor });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted && gen === generation.current) setList({ status: 'error', error });
      });
    return () => controller.abort();
  }, [key, attempt]);

  useEffect(() => () => refreshController.current?.abort(), []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  const refresh = useCallback(() => {
    const current = listRef.current;
    if (current.status !== 'ready') {
      if (current.status === 'error') setAttempt((n) => n + 1);
      return;
    }
    refreshController.current?.abort();
    const controller = new AbortController();
    refreshController.current = controller;
    const gen = ++generation.current;
    const { fetch, refetch } = sourceRef.current;
    const request = refetch
      ? refetch(queryRef.current, current.items, controller.signal)
      : fetch(queryRef.current, null, Math.min(MAX_LIMIT, Math.max(PAGE, current.items.length)), controller.signal);
    request
      .then((page) => {
        if (gen !== generation.current) return;
        setRefreshError(null);
        setList({ status: 'ready', items: page.items, nextCursor: page.nextCursor });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted && gen === generation.current) setRefreshError(error);
      });
  }, []);

  /** Appends the next page; resolves to how many new rows it added. */
  const loadMore = useCallback(async () => {
    const current = listRef.current;
    if (current.status !== 'ready' || current.nextCursor === null) return 0;
    const gen = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await sourceRef.current.fetch(queryRef.current, current.nextCursor, PAGE);
      if (gen !== generation.current) return 0;
      const shown = listRef.current.status === 'ready' ? listRef.current.items : [];
      const seen = new Set(shown.map((item) => item.id));
      const fresh = page.items.filter((item) => !seen.has(item.id));
      setList({ status: 'ready', items: [...shown, ...fresh], nextCursor: page.nextCursor });
      return fresh.length;
    } catch (error) {
      if (gen === generation.current) setMoreError(error);
      return 0;
    } finally {
      setLoadingMore(false);
    }
  }, []);

  return { list, refresh, retry, refreshError, loadMore, loadingMore, moreError };
}
