import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useAuth } from '../../app/auth.tsx';
import { useAction, useDocumentTitle, useFocusFirstInvalid } from '../../app/hooks.ts';
import { BrandMark } from '../../app/Shell.tsx';
import { Field, Message, PasswordField } from '../../app/ui.tsx';

const FIELDS = ['email', 'password'];

export function LoginPage({ expired }: { expired: boolean }) {
  useDocumentTitle('Sign in');
  const { signIn } = useAuth();
  const { pending, error, run } = useAction();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { byField, general } = splitFieldErrors(error, FIELDS);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, error);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const result = await run(() => signIn(email.trim(), password));
    if (!result.ok) setPassword('');
  }

  return (
    <div className="login">
      <main id="main" className="login-card" aria-labelledby="login-title">
        <div className="login-brand">
          <BrandMark />
          <span>Vigil</span>
        </div>
        <h1 id="login-title">Sign in</h1>
        {expired && !error ? (
          <p className="message message-info">Your session has ended. Sign in again to continue.</p>
        ) : null}
        <form ref={formRef} onSubmit={handleSubmit}>
          <Message tone="error">{general}</Message>
          <Field label="Email" name="email" error={byField['email']}>
            {(props) => (
              <input
                {...props}
                type="email"
                autoComplete="username"
                required
                autoFocus
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            )}
          </Field>
          <PasswordField label="Password" name="password" error={byField['password']} autoComplete="current-password" value={password} onChange={setPassword} />
          <button type="submit" className="button button-primary button-block" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
