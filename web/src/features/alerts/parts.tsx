// Small pieces the alert and incident pages share: detail fields, timestamps, links, filter selects,
// "Load more", and the alerts table.
import { useEffect, useId, useRef } from 'react';
import type { ReactNode, RefObject } from 'react';
import { Link } from '../../app/router.tsx';
import { DateTime, Message, errorText } from '../../app/ui.tsx';
import { safeHttpUrl } from '../services/api.ts';
import type { Alert } from './api.ts';
import { RelativeTime, SeverityBadge, StatusBadge, UrgencyBadge, describeSuppression } from './format.tsx';
import { SoftButton } from './SoftButton.tsx';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One field of a details list. */
export function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The date and time, with how long ago in brackets; a dash for none. */
export function Timestamp({ iso, now, timeZone }: { iso: string | null; now: number; timeZone: string }) {
  if (!iso) return <span className="muted">—</span>;
  return (
    <>
      <DateTime iso={iso} timeZone={timeZone} />
      <span className="muted small">
        {' '}
        (<RelativeTime iso={iso} now={now} timeZone={timeZone} spellOut={false} />)
      </span>
    </>
  );
}

export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="break">
      {children}
      <span className="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}

/** A link the sender supplied: clickable only if it is a web link, otherwise shown as text. */
export function SenderLink({ href, text }: { href: string; text: string }) {
  const safe = safeHttpUrl(href);
  if (safe) return <ExternalLink href={safe}>{text}</ExternalLink>;
  return (
    <span className="break">
      {text}
      {text !== href ? <span className="muted small"> ({href})</span> : null}
      <span className="muted small"> — not a web link, so not clickable</span>
    </span>
  );
}

export function FilterSelect({ label, value, onChange, children }: { label: string; value: string; onChange: (value: string) => void; children: ReactNode }) {
  const id = useId();
  return (
    <div className="field filter-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

/**
 * "Load more" under a table: `tableRef` goes on the table's wrapper, and after loading, keyboard users
 * continue at the first row just loaded.
 */
export function useLoadMore(loadMore: () => Promise<number>, shown: number) {
  const tableRef = useRef<HTMLDivElement>(null);
  // The row to focus once the loaded rows are on the page: after the render that shows them, not
  // at the next frame (which may come before React has committed them).
  const focusAt = useRef<number | null>(null);
  useEffect(() => {
    const at = focusAt.current;
    if (at === null || shown <= at) return;
    focusAt.current = null;
    tableRef.current?.querySelectorAll('tbody tr')[at]?.querySelector<HTMLElement>('th a')?.focus();
  }, [shown]);
  async function handleLoadMore(): Promise<void> {
    focusAt.current = shown;
    if ((await loadMore()) === 0) focusAt.current = null;
  }
  return { tableRef, handleLoadMore };
}

export function LoadMore({
  noun,
  shown,
  hasMore,
  pending,
  error,
  onLoadMore,
}: {
  /** Singular: "alert", "incident". */
  noun: string;
  shown: number;
  hasMore: boolean;
  pending: boolean;
  error: unknown;
  onLoadMore: () => void;
}) {
  return (
    <div className="load-more">
      <p className="muted small" role="status">
        {hasMore ? `Showing the newest ${plural(shown, noun)}.` : `Showing ${plural(shown, noun)}: all that match.`}
      </p>
      <Message tone="error">{error ? `Could not load more ${noun}s: ${errorText(error)}` : null}</Message>
      {hasMore ? (
        <SoftButton className="button" enabled={!pending} onClick={onLoadMore}>
          {pending ? 'Loading…' : 'Load more'}
        </SoftButton>
      ) : null}
    </div>
  );
}

/**
 * Alerts in the Alerts list's look. With `selection`, each row gets a checkbox (and the header a
 * "select all"); `showService: false` drops the Service column (an incident's alerts share one).
 */
export function AlertTable({
  wrapRef,
  caption,
  alerts,
  now,
  timeZone,
  showService = true,
  selection,
}: {
  wrapRef?: RefObject<HTMLDivElement | null>;
  caption: string;
  alerts: Alert[];
  now: number;
  timeZone: string;
  showService?: boolean;
  selection?: { selected: ReadonlySet<string>; onSelect: (ids: string[], on: boolean) => void };
}) {
  const all = useRef<HTMLInputElement>(null);
  const selectedCount = selection ? alerts.filter((a) => selection.selected.has(a.id)).length : 0;
  const allSelected = alerts.length > 0 && selectedCount === alerts.length;
  useEffect(() => {
    if (all.current) all.current.indeterminate = selectedCount > 0 && !allSelected;
  }, [selectedCount, allSelected]);

  return (
    <div className="table-wrap" ref={wrapRef}>
      <table className="table table-stack alerts-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {selection ? (
              <th scope="col" className="cell-check">
                <input
                  ref={all}
                  type="checkbox"
                  aria-label="Select all alerts shown"
                  checked={allSelected}
                  onChange={(e) => selection.onSelect(alerts.map((a) => a.id), e.target.checked)}
                />
              </th>
            ) : null}
            <th scope="col" className="numeric">
              #
            </th>
            <th scope="col">Summary</th>
            <th scope="col">Status</th>
            <th scope="col">Severity</th>
            <th scope="col">Urgency</th>
            {showService ? <th scope="col">Service</th> : null}
            <th scope="col" className="numeric">
              Count
            </th>
            <th scope="col">Created</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((alert) => (
            <tr key={alert.id} className={alert.suppressedBy ? 'row-suppressed' : undefined} data-alert-number={alert.number}>
              {selection ? (
                <td className="cell-check">
                  <input
                    type="checkbox"
                    aria-label={`Select alert #${alert.number}`}
                    checked={selection.selected.has(alert.id)}
                    onChange={(e) => selection.onSelect([alert.id], e.target.checked)}
                  />
                </td>
              ) : null}
              <td data-label="Alert #" className="numeric cell-number">
                {alert.number}
              </td>
              <th scope="row" className="cell-summary">
                <Link to={`/alerts/${alert.number}`} className="break">
                  {alert.summary || <span className="muted">(no summary)</span>}
                </Link>
                {alert.suppressedBy ? (
                  <span className="suppressed-note">
                    <span className="badge badge-suppressed">Suppressed</span>{' '}
                    <span className="muted small">by {describeSuppression(alert.suppressedBy, timeZone)}</span>
                  </span>
                ) : null}
              </th>
              <td data-label="Status">
                <StatusBadge status={alert.status} />
              </td>
              <td data-label="Severity">
                <SeverityBadge severity={alert.severity} />
              </td>
              <td data-label="Urgency">
                <UrgencyBadge urgency={alert.urgency} />
              </td>
              {showService ? (
                <td data-label="Service">
                  <Link to={`/services/${encodeURIComponent(alert.serviceId)}`}>{alert.serviceName}</Link>
                </td>
              ) : null}
              <td data-label="Count" className="numeric cell-count">
                {alert.count}
              </td>
              <td data-label="Created">
                <RelativeTime iso={alert.createdAt} now={now} timeZone={timeZone} />
              </td>
              <td data-label="Last seen">
                <RelativeTime iso={alert.lastSeenAt} now={now} timeZone={timeZone} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
