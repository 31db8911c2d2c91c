// On a service's page: what is holding its alerts back right now (maintenance, silences), with a
// "Start maintenance" shortcut, and its alert settings (grouping and urgency).
import { useState } from 'react';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { LoadError, Loading, Message } from '../../app/ui.tsx';
import { useNow } from '../alerts/format.tsx';
import type { Service } from '../services/api.ts';
import { noiseApi } from './api.ts';
import { AlertSettingsPanel } from './AlertSettingsPanel.tsx';
import { MaintenanceWindowForm } from './MaintenanceWindowForm.tsx';
import { silenceState, windowState } from './format.tsx';
import { MaintenanceWindowTable, SilenceTable } from './tables.tsx';
import { useDisclosure } from './useDisclosure.ts';

export function ServiceNoiseSection({ service }: { service: Service }) {
  return (
    <>
      <ServiceMaintenancePanel service={service} />
      <AlertSettingsPanel service={service} />
    </>
  );
}

function ServiceMaintenancePanel({ service }: { service: Service }) {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const now = useNow();
  const data = useResource(
    async (signal) => {
      const [windows, silences] = await Promise.all([noiseApi.windows({ serviceId: service.id }, signal), noiseApi.silences(signal)]);
      return { windows, silences: silences.filter((s) => s.serviceId === service.id || s.serviceId === null) };
    },
    `service-noise:${service.id}`,
  );
  const { open, show, close, button, panel } = useDisclosure();
  const [status, setStatus] = useState<string | null>(null);

  const windows = data.status === 'ready' ? data.data.windows.filter((w) => windowState(w, now) !== 'past') : [];
  const silences = data.status === 'ready' ? data.data.silences.filter((s) => silenceState(s, now) !== 'expired') : [];

  return (
    <section className="panel" aria-labelledby="service-noise-heading">
      <div className="section-header section-header-actions">
        <div>
          <h2 id="service-noise-heading">Maintenance and silences</h2>
          <p className="muted">
            What holds this service's new alerts back now or soon. <Link to="/noise">All noise controls</Link>
          </p>
        </div>
        {editable && !open ? (
          <button
            ref={button}
            type="button"
            className="button"
            onClick={() => {
              setStatus(null);
              show();
            }}
          >
            Start maintenance
          </button>
        ) : null}
      </div>
      <Message tone="success">{status}</Message>
      {editable && open ? (
        <div ref={panel} className="subpanel" role="region" aria-labelledby="start-maintenance-heading">
          <h3 id="start-maintenance-heading">Start maintenance on {service.name}</h3>
          <MaintenanceWindowForm
            serviceId={service.id}
            onCreated={(w) => {
              setStatus(`Scheduled maintenance window “${w.description}”.`);
              data.reload();
              close();
            }}
            onCancel={close}
          />
        </div>
      ) : null}
      {data.status === 'loading' ? <Loading label="Loading maintenance windows and silences…" /> : null}
      {data.status === 'error' ? <LoadError error={data.error} what="maintenance windows and silences" onRetry={data.reload} /> : null}
      {data.status === 'ready' && windows.length === 0 && silences.length === 0 ? (
        <p className="empty-inline">No maintenance window or silence is active or scheduled: new alerts page as usual.</p>
      ) : null}
      {windows.length > 0 ? (
        <>
          <h3>Maintenance windows</h3>
          <MaintenanceWindowTable
            windows={windows}
            now={now}
            editable={editable}
            showService={false}
            caption={`Active and upcoming maintenance windows of ${service.name}`}
            onChanged={() => {
              setStatus(null);
              data.reload();
            }}
          />
        </>
      ) : null}
      {silences.length > 0 ? (
        <>
          <h3>Silences</h3>
          <SilenceTable
            silences={silences}
            now={now}
            editable={editable}
            caption={`Active and pending silences for ${service.name} or for all services`}
            onChanged={() => {
              setStatus(null);
              data.reload();
            }}
          />
        </>
      ) : null}
    </section>
  );
}
