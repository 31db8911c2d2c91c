// The Incidents page's data: the first page for the current filters, "Load more" with `before`, and
// refresh() for live updates. A refresh refetches everything shown so far (paging on if more than one
// request's worth is shown, down to the oldest incident number on screen), so no loaded row is lost,
// and it never blanks the table: a failed refresh keeps the rows and reports the problem.
import { useCallback, useEffect, useRef, useState } from 'react';
import { incidentsApi } from './api.ts';
import type { Incident, IncidentPage, IncidentQuery } from './api.ts';

const PAGE = 50;
const MAX_LIMIT = 200;

export type IncidentList =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; incidents: Incident[]; nextCursor: number | null };

/** Fetches newest first until the page reaches incident number `downTo` (or the list ends). */
async function fetchDownTo(query: IncidentQuery, downTo: number, firstLimit: number, signal: AbortSignal): Promise<IncidentPage> {
  const incidents: Incident[] = [];
  let before: number | null = null;
  let limit = firstLimit;
  for (;;) {
    const page: IncidentPage = await incidentsApi.list(query, before, limit, signal);
    incidents.push(...page.incidents);
    const last = page.incidents[page.incidents.length - 1];
    if (page.nextCursor === null || !last || last.number <= downTo) return { incidents, nextCursor: page.nextCursor };
    before = page.nextCursor;
    limit = MAX_LIMIT;
  }
}

export function useIncidentList(query: IncidentQuery, key: string) {
  const [list, setList] = useState<IncidentList>({ status: 'loading' });
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
    incidentsApi
      .list(queryRef.current, null, PAGE, controller.signal)
      .then((page) => {
        if (gen === generation.current) setList({ status: 'ready', incidents: page.incidents, nextCursor: page.nextCursor });
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
    const shown = current.incidents;
    const oldest = shown[shown.length - 1]?.number ?? Number.MAX_SAFE_INTEGER;
    const firstLimit = Math.min(MAX_LIMIT, Math.max(PAGE, shown.length));
    fetchDownTo(queryRef.current, oldest, firstLimit, controller.signal)
      .then((page) => {
        if (gen !== generation.current) return;
        setRefreshError(null);
        setList({ status: 'ready', incidents: page.incidents, nextCursor: page.nextCursor });
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted && gen === generation.current) setRefreshError(error);
      });
  }, []);

  const loadMore = useCallback(async () => {
    const current = listRef.current;
    if (current.status !== 'ready' || current.nextCursor === null) return 0;
    const gen = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await incidentsApi.list(queryRef.current, current.nextCursor, PAGE);
      if (gen !== generation.current) return 0;
      const shown = listRef.current.status === 'ready' ? listRef.current.incidents : [];
      const seen = new Set(shown.map((i) => i.id));
      const fresh = page.incidents.filter((i) => !seen.has(i.id));
      setList({ status: 'ready', incidents: [...shown, ...fresh], nextCursor: page.nextCursor });
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
