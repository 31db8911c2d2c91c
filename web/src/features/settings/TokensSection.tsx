import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import type { Role } from '../../app/api.ts';
import { useCurrentUser } from '../../app/auth.tsx';
import { useConfirm } from '../../app/confirm.tsx';
import { useAction, useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { CopyButton, DateTime, Field, LoadError, Loading, Message, errorText } from '../../app/ui.tsx';
import { settingsApi } from './api.ts';
import type { ApiToken, TokenScope } from './api.ts';

const SCOPES: { value: TokenScope; label: string; minRole: Role }[] = [
  { value: 'read', label: 'Read only', minRole: 'observer' },
  { value: 'write', label: 'Read and write', minRole: 'responder' },
  { value: 'admin', label: 'Admin', minRole: 'admin' },
];

const RANK: Record<Role, number> = { observer: 0, responder: 1, admin: 2 };

export function TokensSection() {
  const user = useCurrentUser();
  const tokens = useResource((signal) => settingsApi.tokens(signal), 'tokens');
  const confirm = useConfirm();
  const revoke = useAction();
  const [status, setStatus] = useState<string | null>(null);
  const [created, setCreated] = useState<{ token: ApiToken; secret: string } | null>(null);

  async function handleRevoke(token: ApiToken): Promise<void> {
    setStatus(null);
    const ok = await confirm({
      title: `Revoke token “${token.name}”?`,
      body: <p>Scripts and integrations using this token will stop working immediately. This cannot be undone.</p>,
      confirmLabel: 'Revoke token',
      danger: true,
    });
    if (!ok) return;
    const result = await revoke.run(() => settingsApi.revokeToken(token.id));
    if (result.ok) {
      tokens.setData((list) => list.filter((t) => t.id !== token.id));
      if (created?.token.id === token.id) setCreated(null);
      setStatus(`Revoked token “${token.name}”.`);
    }
  }

  return (
    <section id="tokens" className="panel" aria-labelledby="tokens-heading">
      <div className="section-header">
        <h2 id="tokens-heading">API tokens</h2>
        <p className="muted">
          Tokens let scripts and integrations use the Vigil API on your behalf.
        </p>
      </div>

      {created ? <NewTokenSecret name={created.token.name} secret={created.secret} onDone={() => setCreated(null)} /> : null}
      <Message tone="success">{status}</Message>
      <Message tone="error">{revoke.error ? `Could not revoke the token: ${errorText(revoke.error)}` : null}</Message>

      {tokens.status === 'loading' ? <Loading label="Loading tokens…" /> : null}
      {tokens.status === 'error' ? <LoadError error={tokens.error} what="tokens" onRetry={tokens.reload} /> : null}
      {tokens.status === 'ready' && tokens.data.length === 0 ? <p className="empty-inline">You have no API tokens.</p> : null}
      {tokens.status === 'ready' && tokens.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Your API tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Token</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.map((token) => (
                <tr key={token.id}>
                  <th scope="row" data-label="Name">
                    {token.name}
                  </th>
                  <td data-label="Scope">
                    <span className="badge">{token.scope}</span>
                  </td>
                  <td data-label="Token">
                    <code>{token.prefix}…</code>
                  </td>
                  <td data-label="Created">
                    <DateTime iso={token.createdAt} timeZone={user.timeZone} />
                  </td>
                  <td data-label="Expires">
                    {token.expiresAt ? <DateTime iso={token.expiresAt} timeZone={user.timeZone} /> : <span className="muted">Never</span>}
                  </td>
                  <td data-label="Last used">
                    {token.lastUsedAt ? <DateTime iso={token.lastUsedAt} timeZone={user.timeZone} /> : <span className="muted">Never</span>}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small button-danger-quiet"
                      onClick={() => handleRevoke(token)}
                      disabled={revoke.pending}
                      aria-label={`Revoke token “${token.name}”`}
                    >
                      Revoke
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <NewTokenForm
        role={user.role}
        onCreated={(result) => {
          setStatus(null);
          setCreated(result);
          tokens.setData((list) => [...list, result.token]);
          if (tokens.status !== 'ready') tokens.reload();
        }}
      />
    </section>
  );
}

function NewTokenSecret({ name, secret, onDone }: { name: string; secret: string; onDone: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="secret-reveal" role="region" aria-labelledby="secret-heading" tabIndex={-1} ref={ref}>
      <h3 id="secret-heading">Token “{name}” created</h3>
      <p className="warning">
        <strong>Copy it now.</strong> This is the only time Vigil shows the token; it is stored hashed and cannot be shown again.
      </p>
      <div className="key-value">
        <code className="secret" id="new-token-secret">
          {secret}
        </code>
        <CopyButton value={secret} ariaLabel="Copy the new token" />
      </div>
      <button type="button" className="button" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

function NewTokenForm({ role, onCreated }: { role: Role; onCreated: (result: { token: ApiToken; secret: string }) => void }) {
  const scopes = SCOPES.filter((scope) => RANK[role] >= RANK[scope.minRole]);
  const { pending, error, run } = useAction();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [expiry, setExpiry] = useState('');
  const { byField, general } = splitFieldErrors(error, ['name', 'scope', 'expiresInDays']);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, error);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const input: { name: string; scope: TokenScope; expiresInDays?: number } = { name: name.trim(), scope };
    if (expiry.trim()) input.expiresInDays = Number(expiry);
    const result = await run(() => settingsApi.createToken(input));
    if (result.ok) {
      setName('');
      setExpiry('');
      onCreated(result.value);
    }
  }

  return (
    <form ref={formRef} className="inline-form" onSubmit={handleSubmit} aria-labelledby="new-token-heading">
      <h3 id="new-token-heading">Create a token</h3>
      <Message tone="error">{general}</Message>
      <div className="form-grid">
        <Field label="Name" name="name" error={byField['name']} hint="What will use it, e.g. “terraform”.">
          {(props) => <input {...props} type="text" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Scope" name="scope" error={byField['scope']} hint="Only the scopes your role can use are offered.">
          {(props) => (
            <select {...props} value={scope} onChange={(e) => setScope(e.target.value as TokenScope)}>
              {scopes.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Expires after (days)" name="expiresInDays" optional error={byField['expiresInDays']} hint="Leave empty for no expiry.">
          {(props) => (
            <input
              {...props}
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              step={1}
              value={expiry}
              onChange={(e) => setExpiry(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Creating…' : 'Create token'}
        </button>
      </div>
    </form>
  );
}
