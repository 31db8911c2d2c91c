// The signed-in person's contact methods (verified by a code sent through each), their
// notification rules by urgency, and whether a high-urgency page would reach them (docs/escalation.md).
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, splitFieldErrors } from '../../app/api.ts';
import { useConfirm } from '../../app/confirm.tsx';
import { useAction, useFocusFirstInvalid, useResource } from '../../app/hooks.ts';
import { Field, LoadError, Loading, Message, errorText } from '../../app/ui.tsx';
import { contactsApi } from './api.ts';
import type { ContactMethod, ContactType, Contacts, NotificationRule, Readiness, Urgency } from './api.ts';

/** Each type's name and how its address is asked for. */
const TYPES: { value: ContactType; label: string; address: string; placeholder: string; hint: string; input: 'email' | 'url' | 'tel' | 'text' }[] = [
  { value: 'email', label: 'Email', address: 'Email address', placeholder: 'you@example.com', hint: 'The code is emailed here.', input: 'email' },
  { value: 'sms', label: 'SMS', address: 'Mobile number', placeholder: '+14155550123', hint: 'In international format, with the country code; the code is texted here.', input: 'tel' },
  { value: 'voice', label: 'Voice call', address: 'Phone number', placeholder: '+14155550123', hint: 'In international format; Vigil calls and reads the code out.', input: 'tel' },
  { value: 'slack', label: 'Slack (direct message or channel)', address: 'Slack member or channel ID', placeholder: 'U0123ABCD', hint: 'Your member ID (profile → ⋮ → Copy member ID) or a channel ID; the Vigil bot posts the code.', input: 'text' },
  { value: 'slack_webhook', label: 'Slack incoming webhook', address: 'Slack webhook URL', placeholder: 'https://hooks.slack.com/services/…', hint: 'The https URL of an incoming webhook; the code is posted to its channel.', input: 'url' },
  { value: 'teams', label: 'Microsoft Teams', address: 'Teams webhook URL', placeholder: 'https://…webhook.office.com/…', hint: 'The https URL of a Teams incoming webhook or workflow; the code is posted as a card.', input: 'url' },
  { value: 'webhook', label: 'Webhook', address: 'Webhook URL', placeholder: 'https://hooks.example.com/vigil', hint: 'An http(s) URL; Vigil POSTs JSON to it, the code first.', input: 'url' },
];
const typeOf = (type: ContactType) => TYPES.find((t) => t.value === type) ?? TYPES[0]!;
const URGENCIES: { value: Urgency; label: string }[] = [
  { value: 'high', label: 'High urgency' },
  { value: 'low', label: 'Low urgency' },
];

export function ContactsSection() {
  const contacts = useResource((signal) => contactsApi.get(signal), 'contacts');
  const [status, setStatus] = useState<string | null>(null);

  return (
    <section id="contacts" className="panel" aria-labelledby="contacts-heading">
      <div className="section-header">
        <h2 id="contacts-heading">Contact methods</h2>
        <p className="muted">
          How Vigil pages you. A new method gets a code, and cannot be paged until you enter the code here. Notification rules say which method is
          used, and after how many minutes.
        </p>
      </div>
      <Message tone="success">{status}</Message>
      {contacts.status === 'loading' ? <Loading label="Loading contact methods…" /> : null}
      {contacts.status === 'error' ? <LoadError error={contacts.error} what="contact methods" onRetry={contacts.reload} /> : null}
      {contacts.status === 'ready' ? (
        <ContactsBody
          contacts={contacts.data}
          onChanged={(message) => {
            setStatus(message);
            contacts.reload();
          }}
          onCleared={() => setStatus(null)}
        />
      ) : null}
    </section>
  );
}

function ContactsBody({ contacts, onChanged, onCleared }: { contacts: Contacts; onChanged: (message: string) => void; onCleared: () => void }) {
  const confirm = useConfirm();
  const remove = useAction();
  const unverified = contacts.methods.filter((m) => !m.verified);
  // After adding a method, its code field takes focus: the code is what the person needs next.
  const [justAdded, setJustAdded] = useState<string | null>(null);

  async function handleDelete(method: ContactMethod): Promise<void> {
    onCleared();
    const rules = contacts.rules.filter((r) => r.contactMethodId === method.id).length;
    const ok = await confirm({
      title: `Delete contact method “${method.label}”?`,
      body: (
        <p>
          Vigil will stop using {method.address} to reach you.
          {rules ? ` ${rules === 1 ? 'The notification rule that uses it is' : `The ${rules} notification rules that use it are`} deleted too.` : ''}
        </p>
      ),
      confirmLabel: 'Delete method',
      danger: true,
    });
    if (!ok) return;
    const result = await remove.run(() => contactsApi.deleteMethod(method.id));
    if (result.ok) onChanged(`Deleted contact method “${method.label}”.`);
  }

  return (
    <>
      <ReadinessBanner readiness={contacts.readiness} />
      <Message tone="error">{remove.error ? `Could not delete the contact method: ${errorText(remove.error)}` : null}</Message>

      <h3>Your methods</h3>
      {contacts.methods.length === 0 ? <p className="empty-inline">You have no contact methods yet: add one below.</p> : null}
      {contacts.methods.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Your contact methods</caption>
            <thead>
              <tr>
                <th scope="col">Label</th>
                <th scope="col">Type</th>
                <th scope="col">Address</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {contacts.methods.map((m) => (
                <tr key={m.id} data-method-id={m.id}>
                  <th scope="row" data-label="Label">
                    {m.label}
                  </th>
                  <td data-label="Type">{typeOf(m.type).label}</td>
                  <td data-label="Address" className="break">
                    <code>{m.address}</code>
                  </td>
                  <td data-label="Status">
                    {m.verified ? <span className="badge badge-status-resolved badge-verification">Verified</span> : <span className="badge badge-status-acknowledged badge-verification">Not verified</span>}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button button-small button-danger-quiet"
                      onClick={() => handleDelete(m)}
                      disabled={remove.pending}
                      aria-label={`Delete contact method “${m.label}”`}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      {unverified.map((m) => (
        <VerifyForm key={m.id} method={m} focusOnMount={m.id === justAdded} onVerified={() => onChanged(`Verified “${m.label}”: it can be paged now.`)} />
      ))}

      <AddMethodForm
        onAdded={(m) => {
          setJustAdded(m.id);
          onChanged(`Added “${m.label}”. A code was sent to it: enter it to verify the method.`);
        }}
      />

      <RulesPanel contacts={contacts} onChanged={onChanged} onCleared={onCleared} />
    </>
  );
}

function ReadinessBanner({ readiness }: { readiness: Readiness }) {
  return (
    <div className={readiness.high ? 'notice notice-ready' : 'notice'} role="status" aria-label="Readiness">
      {readiness.high ? (
        <p className="notice-title">
          <span aria-hidden="true">✓ </span>High-urgency pages reach you.
        </p>
      ) : (
        <p className="notice-title">
          <span aria-hidden="true">⚠ </span>High-urgency pages do not reach you yet.
        </p>
      )}
      {readiness.problems.length ? (
        <ul>
          {readiness.problems.map((p) => (
            <li key={p}>{capitalise(p)}.</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function VerifyForm({ method, focusOnMount, onVerified }: { method: ContactMethod; focusOnMount: boolean; onVerified: () => void }) {
  const verify = useAction();
  const resend = useAction();
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const { byField, general } = splitFieldErrors(verify.error, ['code']);
  useFocusFirstInvalid(formRef, verify.error);
  const headingId = `verify-${method.id}-heading`;
  useEffect(() => {
    if (focusOnMount) formRef.current?.querySelector<HTMLInputElement>('input[name="code"]')?.focus();
  }, [focusOnMount]);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSent(null);
    const result = await verify.run(() => contactsApi.verify(method.id, code.trim()));
    if (result.ok) onVerified();
  }

  async function handleResend(): Promise<void> {
    setSent(null);
    verify.reset();
    const result = await resend.run(() => contactsApi.sendCode(method.id));
    if (result.ok) {
      setCode('');
      setSent(`A new code is on its way to “${method.label}”; the old one no longer works.`);
    }
  }

  const resendError = resend.error instanceof ApiError && resend.error.status === 429 ? resend.error.message : resend.error ? `Could not send a new code: ${errorText(resend.error)}` : null;

  return (
    <form ref={formRef} className="inline-form" onSubmit={handleSubmit} aria-labelledby={headingId}>
      <h3 id={headingId}>Enter the code for “{method.label}”</h3>
      <p className="muted small">
        A 6-digit code was sent to <code>{method.address}</code>{method.type === 'webhook' ? ' (the "code" field of the POST)' : ''}. It works for 15 minutes.
      </p>
      <Message tone="error">{general ?? resendError}</Message>
      <Message tone="success">{sent}</Message>
      <div className="form-grid">
        <Field label="Code" name="code" error={byField['code']}>
          {(props) => (
            <input
              {...props}
              type="text"
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              maxLength={20}
              value={code}
              onChange={(e) => setCode(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={verify.pending}>
          {verify.pending ? 'Verifying…' : 'Verify'}
        </button>
        <button type="button" className="button" onClick={handleResend} disabled={resend.pending}>
          {resend.pending ? 'Sending…' : 'Send a new code'}
        </button>
      </div>
    </form>
  );
}

function AddMethodForm({ onAdded }: { onAdded: (method: ContactMethod) => void }) {
  const { pending, error, run } = useAction();
  const [type, setType] = useState<ContactType>('webhook');
  const [label, setLabel] = useState('');
  const [address, setAddress] = useState('');
  const [submitted, setSubmitted] = useState<ContactType>('webhook');
  const formRef = useRef<HTMLFormElement>(null);
  const { byField, general } = splitFieldErrors(error, ['type', 'label', 'address']);
  useFocusFirstInvalid(formRef, error);
  const kind = typeOf(type);
  // 412: this server has no settings for the type's channel (the message names them).
  const channelOff = error instanceof ApiError && error.status === 412;
  if (channelOff) byField['type'] = `${typeOf(submitted).label} is not configured on this server`;

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setSubmitted(type);
    const result = await run(() => contactsApi.addMethod({ type, label: label.trim(), address: address.trim() }));
    if (result.ok) {
      setLabel('');
      setAddress('');
      onAdded(result.value);
    }
  }

  return (
    <form ref={formRef} className="inline-form" onSubmit={handleSubmit} aria-labelledby="new-method-heading" noValidate>
      <h3 id="new-method-heading">Add a contact method</h3>
      <Message tone="error">
        {channelOff ? `${error.message} Whoever runs Vigil sets these; choose another type for now.` : general}
      </Message>
      <div className="form-grid">
        <Field label="Type" name="type" error={byField['type']}>
          {(props) => (
            <select {...props} value={type} onChange={(e) => setType(e.target.value as ContactType)}>
              {TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Label" name="label" error={byField['label']} hint="e.g. “Work email”, “Pager bridge”.">
          {(props) => <input {...props} type="text" required maxLength={100} value={label} onChange={(e) => setLabel(e.target.value)} />}
        </Field>
        <Field
          label={kind.address}
          name="address"
          error={byField['address']}
          hint={kind.hint}
        >
          {(props) => (
            <input
              {...props}
              type={kind.input}
              placeholder={kind.placeholder}
              autoComplete={type === 'email' ? 'email' : type === 'sms' || type === 'voice' ? 'tel' : 'off'}
              required
              maxLength={2000}
              value={address}
              onChange={(e) => setAddress(e.target.value)}
            />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add method'}
        </button>
      </div>
    </form>
  );
}

function RulesPanel({ contacts, onChanged, onCleared }: { contacts: Contacts; onChanged: (message: string) => void; onCleared: () => void }) {
  const remove = useAction();
  const methodOf = (id: string) => contacts.methods.find((m) => m.id === id);
  const describe = (r: NotificationRule) => {
    const m = methodOf(r.contactMethodId);
    return `${m ? m.label : 'a deleted method'} after ${r.delayMinutes} minute${r.delayMinutes === 1 ? '' : 's'}`;
  };

  async function handleDelete(rule: NotificationRule): Promise<void> {
    onCleared();
    const result = await remove.run(() => contactsApi.deleteRule(rule.id));
    if (result.ok) onChanged(`Deleted the rule “${describe(rule)}”.`);
  }

  return (
    <div className="subpanel contact-rules" role="region" aria-labelledby="rules-heading">
      <h3 id="rules-heading">Notification rules</h3>
      <Message tone="error">{remove.error ? `Could not delete the rule: ${errorText(remove.error)}` : null}</Message>
      {URGENCIES.map((u) => {
        const rules = contacts.rules.filter((r) => r.urgency === u.value).sort((a, b) => a.delayMinutes - b.delayMinutes);
        return (
          <div key={u.value}>
            <h4 id={`rules-${u.value}`}>{u.label}</h4>
            {rules.length === 0 ? (
              <p className="empty-inline">No rules for {u.label.toLowerCase()}.</p>
            ) : (
              <ul aria-labelledby={`rules-${u.value}`} className="rule-list">
                {rules.map((r) => {
                  const m = methodOf(r.contactMethodId);
                  return (
                    <li key={r.id}>
                      <span>
                        After <strong>{r.delayMinutes}</strong> minute{r.delayMinutes === 1 ? '' : 's'}: {m ? m.label : 'a deleted method'}
                        {m && !m.verified ? <span className="warning"> (not verified yet)</span> : null}
                      </span>{' '}
                      <button
                        type="button"
                        className="button button-small button-danger-quiet"
                        onClick={() => handleDelete(r)}
                        disabled={remove.pending}
                        aria-label={`Delete the ${u.label.toLowerCase()} rule: ${describe(r)}`}
                      >
                        Delete
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        );
      })}
      {contacts.methods.length ? (
        <AddRuleForm methods={contacts.methods} onAdded={(rule) => onChanged(`Added the ${rule.urgency}-urgency rule “${describe(rule)}”.`)} />
      ) : (
        <p className="muted small">Add a contact method first; rules point at one.</p>
      )}
    </div>
  );
}

function AddRuleForm({ methods, onAdded }: { methods: ContactMethod[]; onAdded: (rule: NotificationRule) => void }) {
  const { pending, error, run } = useAction();
  const [methodId, setMethodId] = useState(methods[0]?.id ?? '');
  const [urgency, setUrgency] = useState<Urgency>('high');
  const [delay, setDelay] = useState('0');
  const formRef = useRef<HTMLFormElement>(null);
  const { byField, general } = splitFieldErrors(error, ['contactMethodId', 'urgency', 'delayMinutes']);
  useFocusFirstInvalid(formRef, error);
  const chosen = methods.some((m) => m.id === methodId) ? methodId : (methods[0]?.id ?? '');

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const delayMinutes = delay.trim() === '' ? Number.NaN : Number(delay);
    const result = await run(() => contactsApi.addRule({ contactMethodId: chosen, urgency, delayMinutes: Number.isFinite(delayMinutes) ? delayMinutes : -1 }));
    if (result.ok) {
      setDelay('0');
      onAdded(result.value);
    }
  }

  return (
    <form ref={formRef} className="inline-form" onSubmit={handleSubmit} aria-labelledby="new-rule-heading">
      <h4 id="new-rule-heading">Add a rule</h4>
      <Message tone="error">{general}</Message>
      <div className="form-grid">
        <Field label="Method" name="contactMethodId" error={byField['contactMethodId']}>
          {(props) => (
            <select {...props} value={chosen} onChange={(e) => setMethodId(e.target.value)}>
              {methods.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.label}
                  {m.verified ? '' : ' (not verified)'}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Urgency" name="urgency" error={byField['urgency']}>
          {(props) => (
            <select {...props} value={urgency} onChange={(e) => setUrgency(e.target.value as Urgency)}>
              {URGENCIES.map((u) => (
                <option key={u.value} value={u.value}>
                  {u.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Delay (minutes)" name="delayMinutes" error={byField['delayMinutes']} hint="0 to 1440: how long after the page starts.">
          {(props) => (
            <input {...props} type="number" inputMode="numeric" min={0} max={1440} step={1} required value={delay} onChange={(e) => setDelay(e.target.value)} />
          )}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Adding…' : 'Add rule'}
        </button>
      </div>
    </form>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
