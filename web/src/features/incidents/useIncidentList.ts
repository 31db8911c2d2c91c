// The Incidents page's data: the shared live paged list (app/usePagedList.ts) over the incidents API,
// paging by `before`. A refresh refetches everything shown so far (paging on if more than one
// request's worth is shown, down to the oldest incident number on screen), so no loaded row is lost.
import { MAX_LIMIT, PAGE, usePagedList } from '../../app/usePagedList.ts';
import type { Page, PagedSource } from '../../app/usePagedList.ts';
import { incidentsApi } from './api.ts';
import type { Incident, IncidentPage, IncidentQuery } from './api.ts';

/** Fetches newest first until the page reaches incident number `downTo` (or the list ends). */
async function fetchDownTo(query: IncidentQuery, downTo: number, firstLimit: number, signal: AbortSignal): Promise<Page<Incident, number>> {
  const items: Incident[] = [];
  let before: number | null = null;
  let limit = firstLimit;
  for (;;) {
    const page: IncidentPage = await incidentsApi.list(query, before, limit, signal);
    items.push(...page.incidents);
    const last = page.incidents[page.incidents.length - 1];
    if (page.nextCursor === null || !last || last.number <= downTo) return { items, nextCursor: page.nextCursor };
    before = page.nextCursor;
    limit = MAX_LIMIT;
  }
}

const source: PagedSource<IncidentQuery, Incident, number> = {
  fetch: async (query, before, limit, signal) => {
    const page = await incidentsApi.list(query, before, limit, signal);
    return { items: page.incidents, nextCursor: page.nextCursor };
  },
  refetch: (query, shown, signal) => {
    const oldest = shown[shown.length - 1]?.number ?? Number.MAX_SAFE_INTEGER;
    return fetchDownTo(query, oldest, Math.min(MAX_LIMIT, Math.max(PAGE, shown.length)), signal);
  },
};

export function useIncidentList(query: IncidentQuery, key: string) {
  return usePagedList(source, query, key);
}
