// The Alerts page's data: the first page for the current filters, "Load more" with the cursor, and
// refresh() for live updates, which refetches everything shown so far in one request without
// blanking the table (a failed refresh keeps the rows and reports the problem).
import { useCallback, useEffect, useRef, useState } from 'react';
import { alertsApi } from './api.ts';
import type { Alert, AlertQuery } from './api.ts';

const PAGE = 50;
const MAX_LIMIT = 200;

export type AlertList =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; alerts: Alert[]; nextCursor: string | null };

export function useAlertList(query: AlertQuery, key: string) {
  const [list, setList] = useState<AlertList>({ status: 'loading' });
  const [refreshError, setRefreshError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
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
    alertsApi
      .list(queryRef.current, null, PAGE, controller.signal)
      .then((page) => {
        if (gen === generation.current) setList({ status: 'ready', alerts: page.alerts, nextCursor: page.nextCursor });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted && gen === generation.current) setList({ status: 'error', error });
      });
    return () => controller.abort();
  }, [key, attempt]);

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
    const limit = Math.min(MAX_LIMIT, Math.max(PAGE, current.alerts.length));
    alertsApi
      .list(queryRef.current, null, limit, controller.signal)
      .then((page) => {
        if (gen !== generation.current) return;
        setRefreshError(null);
        setList({ status: 'ready', alerts: page.alerts, nextCursor: page.nextCursor });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted && gen === generation.current) setRefreshError(error);
      });
  }, []);

  const loadMore = useCallback(async () => {
    const current = listRef.current;
    if (current.status !== 'ready' || !current.nextCursor) return 0;
    const gen = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await alertsApi.list(queryRef.current, current.nextCursor, PAGE);
      if (gen !== generation.current) return 0;
      const shown = listRef.current.status === 'ready' ? listRef.current.alerts : [];
      const seen = new Set(shown.map((a) => a.id));
      const fresh = page.alerts.filter((a) => !seen.has(a.id));
      setList({ status: 'ready', alerts: [...shown, ...fresh], nextCursor: page.nextCursor });
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
