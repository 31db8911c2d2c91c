// The Escalation area: the list of policies, a policy's page (levels, who would be paged now,
// delete), and the new/edit forms. Observers read everything and change nothing.
import { ApiError } from '../../app/api.ts';
import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useConfirm } from '../../app/confirm.tsx';
import { useAction, useResource } from '../../app/hooks.ts';
import { Link, navigate } from '../../app/router.tsx';
import { DateTime, LoadError, Loading, Message, PageHeader, errorText } from '../../app/ui.tsx';
import { MODE_LABEL, TYPE_LABEL, policiesApi } from './api.ts';
import type { Policy, Preview } from './api.ts';
import { PolicyForm, newLevel, toInput, valuesOf } from './PolicyForm.tsx';

export const policyPath = (id: string) => `/escalation/${encodeURIComponent(id)}`;

const levelCount = (n: number) => `${n} ${n === 1 ? 'level' : 'levels'}`;

export function PoliciesPage() {
  const user = useCurrentUser();
  const editable = canEdit(user);
  const policies = useResource((signal) => policiesApi.list(signal), 'policies');
  return (
    <>
      <PageHeader
        title="Escalation"
        description="Escalation policies say who is paged when an incident opens, and who next while nobody acknowledges."
        actions={
          editable ? (
            <Link to="/escalation/new" className="button button-primary">
              New policy
            </Link>
          ) : null
        }
      />
      {policies.status === 'loading' ? <Loading label="Loading escalation policies…" /> : null}
      {policies.status === 'error' ? <LoadError error={policies.error} what="escalation policies" onRetry={policies.reload} /> : null}
      {policies.status === 'ready' && policies.data.length === 0 ? (
        <div className="panel panel-empty">
          <p>{editable ? 'Create a policy, then point services at it so their incidents page someone.' : 'Nobody has created an escalation policy yet.'}</p>
        </div>
      ) : null}
      {policies.status === 'ready' && policies.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Escalation policies</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Levels</th>
                <th scope="col">Used by</th>
              </tr>
            </thead>
            <tbody>
              {policies.data.map((p) => (
                <tr key={p.id}>
                  <th scope="row" data-label="Name">
                    <Link to={policyPath(p.id)}>{p.name}</Link>
                  </th>
                  <td data-label="Levels">{levelCount(p.levels.length)}</td>
                  <td data-label="Used by">
                    {p.services.length ? (
                      p.services.map((s, i) => (
                        <span key={s.id}>
                          {i > 0 ? ', ' : ''}
                          <Link to={`/services/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                        </span>
                      ))
                    ) : (
                      <span className="muted">No services</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

export function NewPolicyPage() {
  const user = useCurrentUser();
  const save = useAction();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/escalation">Escalation</Link>
      </nav>
      <PageHeader title="New escalation policy" />
      {canEdit(user) ? (
        <section className="panel">
          <PolicyForm
            initial={{ name: '', description: '', repeat: '0', ackTimeoutMinutes: '', levels: [newLevel()] }}
            submitLabel="Create policy"
            pendingLabel="Creating…"
            pending={save.pending}
            error={save.error}
            onSubmit={async (values) => {
              const result = await save.run(() => policiesApi.create(toInput(values)));
              if (result.ok) navigate(policyPath(result.value.id));
            }}
            onCancel={() => navigate('/escalation')}
          />
        </section>
      ) : (
        <p className="panel">Observers cannot create escalation policies.</p>
      )}
    </>
  );
}

export function EditPolicyPage({ id }: { id: string }) {
  const user = useCurrentUser();
  const policy = useResource((signal) => policiesApi.get(id, signal), `policy-${id}`);
  const save = useAction();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={policyPath(id)}>{policy.status === 'ready' ? policy.data.name : 'Escalation policy'}</Link>
      </nav>
      <PageHeader title={policy.status === 'ready' ? `Edit ${policy.data.name}` : 'Edit escalation policy'} />
      {policy.status === 'loading' ? <Loading label="Loading escalation policy…" /> : null}
      {policy.status === 'error' ? <LoadError error={policy.error} what="escalation policy" onRetry={policy.reload} /> : null}
      {policy.status === 'ready' && !canEdit(user) ? <p className="panel">Observers cannot change escalation policies.</p> : null}
      {policy.status === 'ready' && canEdit(user) ? (
        <section className="panel">
          <p className="muted small">Incidents already escalating keep the version of the policy they started with.</p>
          <PolicyForm
            initial={valuesOf(policy.data)}
            submitLabel="Save changes"
            pendingLabel="Saving…"
            pending={save.pending}
            error={save.error}
            onSubmit={async (values) => {
              const result = await save.run(() => policiesApi.update(id, toInput(values)));
              if (result.ok) navigate(policyPath(id));
            }}
            onCancel={() => navigate(policyPath(id))}
          />
        </section>
      ) : null}
    </>
  );
}

export function PolicyDetailPage({ id }: { id: string }) {
  const policy = useResource((signal) => policiesApi.get(id, signal), `policy-${id}`);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/escalation">Escalation</Link>
      </nav>
      {policy.status === 'loading' ? (
        <>
          <PageHeader title="Escalation policy" />
          <Loading label="Loading escalation policy…" />
        </>
      ) : null}
      {policy.status === 'error' ? (
        <>
          <PageHeader title="Escalation policy" />
          <LoadError error={policy.error} what="escalation policy" onRetry={policy.reload} />
        </>
      ) : null}
      {policy.status === 'ready' ? <PolicyView policy={policy.data} onStale={policy.reload} /> : null}
    </>
  );
}

function PolicyView({ policy, onStale }: { policy: Policy; onStale: () => void }) {
  const user = useCurrentUser();
  const confirm = useConfirm();
  const remove = useAction();
  const editable = canEdit(user);
  const conflict = remove.error instanceof ApiError && remove.error.status === 409;

  async function handleDelete(): Promise<void> {
    const ok = await confirm({
      title: `Delete “${policy.name}”?`,
      body: <p>The policy will be removed. A policy that a service still uses cannot be deleted.</p>,
      confirmLabel: 'Delete policy',
      danger: true,
    });
    if (!ok) return;
    const result = await remove.run(() => policiesApi.remove(policy.id));
    if (result.ok) navigate('/escalation');
    else onStale();
  }

  return (
    <>
      <PageHeader
        title={policy.name}
        description={policy.description || undefined}
        actions={
          editable ? (
            <>
              <Link to={`${policyPath(policy.id)}/edit`} className="button">
                Edit policy
              </Link>
              {user.role === 'admin' ? (
                <button type="button" className="button button-danger-quiet" onClick={handleDelete} disabled={remove.pending}>
                  {remove.pending ? 'Deleting…' : 'Delete policy'}
                </button>
              ) : null}
            </>
          ) : null
        }
      />
      <Message tone="error">
        {remove.error ? (
          <>
            <strong>Could not delete the policy.</strong> {errorText(remove.error)}
            {conflict && policy.services.length ? (
              <ul aria-label="Services using this policy">
                {policy.services.map((s) => (
                  <li key={s.id}>
                    <Link to={`/services/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                  </li>
                ))}
              </ul>
            ) : null}
          </>
        ) : null}
      </Message>

      <section className="panel" aria-labelledby="policy-levels-heading">
        <h2 id="policy-levels-heading">Levels</h2>
        <p className="muted small">
          {policy.repeat === 0 ? 'Runs through the levels once.' : `Runs through the levels ${policy.repeat + 1} times in all while nobody acknowledges.`}{' '}
          {policy.ackTimeoutMinutes === null
            ? 'An acknowledgement holds until the incident is resolved.'
            : `An incident acknowledged but not resolved within ${policy.ackTimeoutMinutes} min is triggered again and escalates from level 1.`}{' '}
          Version {policy.version}, changed{' '}
          <DateTime iso={policy.updatedAt} timeZone={user.timeZone} />.
        </p>
        <ol className="policy-levels">
          {policy.levels.map((level, i) => (
            <li key={i}>
              <strong>Level {i + 1}</strong> · {MODE_LABEL[level.mode]} ·{' '}
              {i < policy.levels.length - 1
                ? `then ${level.delayMinutes} min to the next level`
                : policy.repeat > 0
                  ? `then ${level.delayMinutes} min to the next pass`
                  : `the last level (its delay, ${level.delayMinutes} min, applies only with repeat)`}
              <ul>
                {level.targets.map((t) => (
                  <li key={`${t.type}:${t.id}`}>
                    {TYPE_LABEL[t.type]}:{' '}
                    {t.type === 'schedule' && t.name ? <Link to={`/on-call/${encodeURIComponent(t.id)}`}>{t.name}</Link> : (t.name ?? <span className="muted">deleted; resolves to nobody</span>)}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ol>
        <h3>Used by</h3>
        {policy.services.length ? (
          <ul aria-label="Services using this policy">
            {policy.services.map((s) => (
              <li key={s.id}>
                <Link to={`/services/${encodeURIComponent(s.id)}`}>{s.name}</Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">No service pages through this policy yet. Choose it on a service’s page.</p>
        )}
      </section>

      <PreviewPanel policy={policy} />
    </>
  );
}

function PreviewPanel({ policy }: { policy: Policy }) {
  const user = useCurrentUser();
  const preview = useResource((signal) => policiesApi.preview(policy.id, signal), `preview-${policy.id}-${policy.version}`);
  return (
    <section className="panel" aria-labelledby="policy-preview-heading">
      <div className="section-header">
        <h2 id="policy-preview-heading">Who would be paged now</h2>
        <button type="button" className="button button-small" onClick={preview.reload}>
          Refresh
        </button>
      </div>
      {preview.status === 'loading' ? <Loading label="Working out who would be paged…" /> : null}
      {preview.status === 'error' ? <LoadError error={preview.error} what="the preview" onRetry={preview.reload} /> : null}
      {preview.status === 'ready' ? <PreviewBody preview={preview.data} timeZone={user.timeZone} /> : null}
    </section>
  );
}

function PreviewBody({ preview, timeZone }: { preview: Preview; timeZone: string }) {
  return (
    <>
      <p className="muted small">
        If an incident opened at <DateTime iso={preview.at} timeZone={timeZone} /> and nobody acknowledged (times in your zone, {timeZone}):
      </p>
      <ol className="policy-levels" aria-label="Levels now">
        {preview.levels.map((level) => (
          <li key={level.level}>
            <strong>Level {level.level + 1}</strong>:{' '}
            {level.skipped ? (
              <span className="gap-text">
                <span aria-hidden="true">⚠ </span>resolves to nobody; skipped
              </span>
            ) : (
              level.users.map((u) => u.name).join(', ')
            )}
          </li>
        ))}
      </ol>
      <h3>Timeline</h3>
      <ol aria-label="Timeline">
        {preview.timeline.map((step, i) => (
          <li key={i}>
            <DateTime iso={step.at} timeZone={timeZone} />:{' '}
            {step.level === null ? 'nobody to page; the escalation stops' : `level ${step.level + 1}${step.pass ? ` (pass ${step.pass + 1})` : ''} pages ${step.users.map((u) => u.name).join(', ') || 'nobody'}`}
          </li>
        ))}
      </ol>
    </>
  );
}
