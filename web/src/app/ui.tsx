// Small shared building blocks: page headings, form fields, messages, copy buttons, dates.
import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError } from './api.ts';
import { useDocumentTitle } from './hooks.ts';

/** The page's <h1>; focusable so the shell can move focus to it after client-side navigation. */
export function PageHeader({ title, description, actions }: { title: string; description?: ReactNode; actions?: ReactNode }) {
  useDocumentTitle(title);
  return (
    <div className="page-header">
      <div>
        <h1 tabIndex={-1} data-page-title="">
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}

export interface FieldControlProps {
  id: string;
  name: string;
  'aria-describedby': string | undefined;
  'aria-invalid': true | undefined;
}

/** A labelled input with an optional hint and error, wired together with ids for assistive tech. */
export function Field({
  label,
  name,
  error,
  hint,
  optional,
  children,
}: {
  label: string;
  name: string;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  children: (props: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> (optional)</span> : null}
      </label>
      {children({ id, name, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint ? (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/**
 * A message region that is always in the DOM so screen readers announce changes.
 * `tone="error"` uses role=alert; otherwise role=status.
 */
export function Message({ tone, children }: { tone: 'error' | 'success' | 'info'; children: ReactNode }) {
  const role = tone === 'error' ? 'alert' : 'status';
  return (
    <div role={role} aria-live={tone === 'error' ? 'assertive' : 'polite'} className={children ? `message message-${tone}` : 'message-empty'}>
      {children}
    </div>
  );
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** A whole-page problem (failed load), with a retry button. */
export function LoadError({ error, onRetry, what }: { error: unknown; onRetry?: () => void; what: string }) {
  const notFound = error instanceof ApiError && error.status === 404;
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="panel panel-problem" role="alert">
      <h2>{notFound ? `${capitalise(what)} not found` : forbidden ? 'Not allowed' : `Could not load ${what}`}</h2>
      <p>{notFound ? `This ${what} does not exist, or it was deleted.` : errorText(error)}</p>
      {error instanceof ApiError && error.requestId ? (
        <p className="muted small">
          Request ID: <code>{error.requestId}</code>
        </p>
      ) : null}
      {onRetry && !notFound && !forbidden ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </p>
  );
}

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  // Fallback for plain-HTTP deployments, where the async clipboard API is unavailable.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy failed');
}

/** Copies `value` and says so (visibly and to screen readers). */
export function CopyButton({ value, label = 'Copy', ariaLabel }: { value: string; label?: string; ariaLabel?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  async function handleClick(): Promise<void> {
    try {
      await copyText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setState('idle'), 2500);
  }

  return (
    <span className="copy">
      <button type="button" className="button button-small" onClick={handleClick} aria-label={ariaLabel}>
        {label}
      </button>
      <span className="copy-status" role="status" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed — select the text and copy it by hand' : ''}
      </span>
    </span>
  );
}

/** Formats an ISO timestamp in the user's time zone; falls back gracefully on bad input. */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
  }
}

export function DateTime({ iso, timeZone }: { iso: string | null | undefined; timeZone: string }) {
  if (!iso) return <span className="muted">—</span>;
  return <time dateTime={iso}>{formatDateTime(iso, timeZone)}</time>;
}

/** All IANA zones this browser knows, making sure `current` is selectable even if it is not listed. */
export function timeZoneOptions(current?: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const set = new Set(zones);
  if (!set.has('UTC')) zones = ['UTC', ...zones];
  if (current && !set.has(current) && current !== 'UTC') zones = [current, ...zones];
  return zones;
}

/** A required password input with its label: the sign-in, password and user forms all ask for one. */
export function PasswordField({
  label,
  name,
  value,
  onChange,
  autoComplete,
  error,
  hint,
}: {
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  error?: string | undefined;
  hint?: ReactNode;
}) {
  return (
    <Field label={label} name={name} error={error} hint={hint}>
      {(props) => (
        <input {...props} type="password" autoComplete={autoComplete} required value={value} onChange={(e) => onChange(e.target.value)} />
      )}
    </Field>
  );
}

/** A form's submit button, saying what it is doing while pending, and a Cancel button. */
export function FormActions({ pending, label, pendingLabel, onCancel }: { pending: boolean; label: string; pendingLabel: string; onCancel: () => void }) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={pending}>
        {pending ? pendingLabel : label}
      </button>
      <button type="button" className="button" onClick={onCancel} disabled={pending}>
        Cancel
      </button>
    </div>
  );
}
