// The maintenance-window and silence tables, with their row actions (end now, delete, expire);
// shared by the Noise control page and the service page.
import { useState } from 'react';
import type { ReactNode } from 'react';
import { useCurrentUser } from '../../app/auth.tsx';
import { useConfirm } from '../../app/confirm.tsx';
import { useAction } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { DateTime, Message, errorText } from '../../app/ui.tsx';
import { noiseApi } from './api.ts';
import type { MaintenanceWindow, Silence } from './api.ts';
import { MatcherChips, StateBadge, silenceState, windowState } from './format.tsx';

function ServiceLink({ id, name }: { id: string; name: string }) {
  return <Link to={`/services/${encodeURIComponent(id)}`}>{name}</Link>;
}

export function MaintenanceWindowTable({
  windows,
  now,
  editable,
  showService = true,
  caption,
  onChanged,
}: {
  windows: MaintenanceWindow[];
  now: number;
  editable: boolean;
  showService?: boolean;
  caption: string;
  onChanged: () => void;
}) {
  const user = useCurrentUser();
  const confirm = useConfirm();
  const action = useAction();
  const [status, setStatus] = useState<string | null>(null);

  async function endNow(w: MaintenanceWindow): Promise<void> {
    setStatus(null);
    const result = await action.run(() => noiseApi.endWindow(w.id));
    if (result.ok) {
      setStatus(`Ended maintenance window “${w.description}”.`);
      onChanged();
    }
  }

  async function remove(w: MaintenanceWindow): Promise<void> {
    setStatus(null);
    const ok = await confirm({
      title: `Delete maintenance window “${w.description}”?`,
      body: <p>It is removed from the list. Alerts it already suppressed stay suppressed and keep saying why.</p>,
      confirmLabel: 'Delete window',
      danger: true,
    });
    if (!ok) return;
    const result = await action.run(() => noiseApi.deleteWindow(w.id));
    if (result.ok) {
      setStatus(`Deleted maintenance window “${w.description}”.`);
      onChanged();
    }
  }

  return (
    <>
      <Message tone="success">{status}</Message>
      <Message tone="error">{action.error ? `Could not change the maintenance window: ${errorText(action.error)}` : null}</Message>
      <div className="table-wrap">
        <table className="table table-stack noise-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Description</th>
              {showService ? <th scope="col">Service</th> : null}
              <th scope="col">State</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
              <th scope="col">Created by</th>
              {editable ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => {
              const state = windowState(w, now);
              return (
                <tr key={w.id} data-window-id={w.id} data-state={state}>
                  <th scope="row" data-label="Description" className="break">
                    {w.description}
                  </th>
                  {showService ? (
                    <td data-label="Service">
                      <ServiceLink id={w.serviceId} name={w.serviceName} />
                    </td>
                  ) : null}
                  <td data-label="State">
                    <StateBadge state={state} />
                  </td>
                  <td data-label="Start">
                    <DateTime iso={w.startsAt} timeZone={user.timeZone} />
                  </td>
                  <td data-label="End">
                    <DateTime iso={w.endsAt} timeZone={user.timeZone} />
                  </td>
                  <td data-label="Created by">{w.createdBy}</td>
                  {editable ? (
                    <td className="row-actions">
                      {state === 'active' ? (
                        <RowButton className="button button-small" enabled={!action.pending} onClick={() => void endNow(w)} label={`End now: ${w.description}`}>
                          End now
                        </RowButton>
                      ) : null}
                      <RowButton className="button button-small button-danger-quiet" enabled={!action.pending} onClick={() => void remove(w)} label={`Delete: ${w.description}`}>
                        Delete
                      </RowButton>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function SilenceTable({
  silences,
  now,
  editable,
  caption,
  onChanged,
}: {
  silences: Silence[];
  now: number;
  editable: boolean;
  caption: string;
  onChanged: () => void;
}) {
  const user = useCurrentUser();
  const action = useAction();
  const [status, setStatus] = useState<string | null>(null);

  async function expire(s: Silence): Promise<void> {
    setStatus(null);
    const result = await action.run(() => noiseApi.expireSilence(s.id));
    if (result.ok) {
      setStatus(`Expired silence “${s.comment}”.`);
      onChanged();
    }
  }

  return (
    <>
      <Message tone="success">{status}</Message>
      <Message tone="error">{action.error ? `Could not expire the silence: ${errorText(action.error)}` : null}</Message>
      <div className="table-wrap">
        <table className="table table-stack noise-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Comment</th>
              <th scope="col">Matchers</th>
              <th scope="col">Service</th>
              <th scope="col">State</th>
              <th scope="col">Start</th>
              <th scope="col">End</th>
              <th scope="col">Created by</th>
              {editable ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {silences.map((s) => {
              const state = silenceState(s, now);
              return (
                <tr key={s.id} data-silence-id={s.id} data-state={state}>
                  <th scope="row" data-label="Comment" className="break">
                    {s.comment}
                  </th>
                  <td data-label="Matchers">
                    <MatcherChips matchers={s.matchers} label={`Matchers of “${s.comment}”`} />
                  </td>
                  <td data-label="Service">
                    {s.serviceId && s.serviceName ? <ServiceLink id={s.serviceId} name={s.serviceName} /> : <span className="muted">All services</span>}
                  </td>
                  <td data-label="State">
                    <StateBadge state={state} />
                  </td>
                  <td data-label="Start">
                    <DateTime iso={s.startsAt} timeZone={user.timeZone} />
                  </td>
                  <td data-label="End">
                    <DateTime iso={s.endsAt} timeZone={user.timeZone} />
                  </td>
                  <td data-label="Created by">{s.createdBy}</td>
                  {editable ? (
                    <td className="row-actions">
                      {state !== 'expired' ? (
                        <RowButton className="button button-small" enabled={!action.pending} onClick={() => void expire(s)} label={`Expire: ${s.comment}`}>
                          Expire
                        </RowButton>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

/**
 * A row's action button: named with the row ("End now: Database upgrade") for screen readers, and
 * focusable while another action runs (aria-disabled) so keyboard focus stays put.
 */
export function RowButton({ enabled, onClick, className, label, children }: { enabled: boolean; onClick: () => void; className: string; label: string; children: ReactNode }) {
  return (
    <button type="button" className={className} aria-label={label} aria-disabled={enabled ? undefined : true} onClick={() => (enabled ? onClick() : undefined)}>
      {children}
    </button>
  );
}
