import { useCurrentUser } from '../../app/auth.tsx';
import { PageHeader } from '../../app/ui.tsx';
import { ContactsSection } from './ContactsSection.tsx';
import { PasswordSection } from './PasswordSection.tsx';
import { ProfileSection } from './ProfileSection.tsx';
import { TokensSection } from './TokensSection.tsx';
import { UsersSection } from './UsersSection.tsx';
import { WebhooksSection } from './WebhooksSection.tsx';

export function SettingsPage() {
  const user = useCurrentUser();
  return (
    <>
      <PageHeader title="Settings" description={`Signed in as ${user.email}.`} />
      <nav aria-label="Settings sections" className="subnav">
        <ul>
          <li>
            <a href="#profile">Profile</a>
          </li>
          <li>
            <a href="#password">Password</a>
          </li>
          <li>
            <a href="#contacts">Contact methods</a>
          </li>
          <li>
            <a href="#tokens">API tokens</a>
          </li>
          {user.role === 'admin' ? (
            <>
              <li>
                <a href="#users">Users</a>
              </li>
              <li>
                <a href="#webhooks">Webhooks</a>
              </li>
            </>
          ) : null}
        </ul>
      </nav>
      <ProfileSection />
      <PasswordSection />
      <ContactsSection />
      <TokensSection />
      {user.role === 'admin' ? <UsersSection /> : null}
      {user.role === 'admin' ? <WebhooksSection /> : null}
    </>
  );
}
