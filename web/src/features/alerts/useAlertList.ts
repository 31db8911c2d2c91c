// The Alerts page's data: the shared live paged list (app/usePagedList.ts) over the alerts API.
import { usePagedList } from '../../app/usePagedList.ts';
import type { PagedSource } from '../../app/usePagedList.ts';
import { alertsApi } from './api.ts';
import type { Alert, AlertQuery } from './api.ts';

const source: PagedSource<AlertQuery, Alert, string> = {
  fetch: async (query, cursor, limit, signal) => {
    const page = await alertsApi.list(query, cursor, limit, signal);
    return { items: page.alerts, nextCursor: page.nextCursor };
  },
};

export function useAlertList(query: AlertQuery, key: string) {
  return usePagedList(source, query, key);
}
