import { useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { splitFieldErrors } from '../../app/api.ts';
import { useAction, useFocusFirstInvalid } from '../../app/hooks.ts';
import { Message, PasswordField } from '../../app/ui.tsx';
import { settingsApi } from './api.ts';

export function PasswordSection() {
  const { pending, error, run, reset } = useAction();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmPassword, setConfirmPassword] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const { byField, general } = splitFieldErrors(error, ['currentPassword', 'newPassword']);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, mismatch ? 'mismatch' : error);

  async function handleSubmit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setDone(null);
    if (newPassword !== confirmPassword) {
      reset();
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const result = await run(() => settingsApi.changePassword(currentPassword, newPassword));
    if (result.ok) {
      setCurrentPassword('');
      setNewPassword('');
      setConfirmPassword('');
      setDone('Password changed.');
    }
  }

  return (
    <section id="password" className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <form ref={formRef} className="form" onSubmit={handleSubmit}>
        <Message tone="error">{general}</Message>
        <PasswordField label="Current password" name="currentPassword" error={byField['currentPassword']} autoComplete="current-password" value={currentPassword} onChange={setCurrentPassword} />
        <PasswordField label="New password" name="newPassword" error={byField['newPassword']} autoComplete="new-password" value={newPassword} onChange={setNewPassword} />
        <PasswordField label="Confirm new password" name="confirmPassword" error={mismatch ? 'The two new passwords do not match.' : undefined} autoComplete="new-password" value={confirmPassword} onChange={setConfirmPassword} />
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={pending}>
            {pending ? 'Changing…' : 'Change password'}
          </button>
          <Message tone="success">{done}</Message>
        </div>
      </form>
    </section>
  );
}
