// The signed-in frame: skip link, header with the user and Sign out, primary navigation, <main>.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useAuth, useCurrentUser } from './auth.tsx';
import { Link, isWithin, navigate, usePathname } from './router.tsx';
import { Message, errorText } from './ui.tsx';

export interface Section {
  href: string;
  label: string;
}

export const SECTIONS: readonly Section[] = [
  { href: '/incidents', label: 'Incidents' },
  { href: '/alerts', label: 'Alerts' },
  { href: '/noise', label: 'Noise control' },
  { href: '/on-call', label: 'On-call' },
  { href: '/escalation', label: 'Escalation' },
  { href: '/services', label: 'Services' },
  { href: '/status-pages', label: 'Status pages' },
  { href: '/postmortems', label: 'Postmortems' },
  { href: '/analytics', label: 'Analytics' },
  { href: '/settings', label: 'Settings' },
];

const ROLE_LABEL = { admin: 'Admin', responder: 'Responder', observer: 'Observer' } as const;

export function Shell({ children }: { children: ReactNode }) {
  const user = useCurrentUser();
  const { signOut } = useAuth();
  const pathname = usePathname();
  const [menuOpen, setMenuOpen] = useState(false);
  const [signingOut, setSigningOut] = useState(false);
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const firstRender = useRef(true);

  // After client-side navigation, close the phone menu and move focus to the new page's heading
  // so keyboard and screen-reader users land at the start of the new content.
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>('main [data-page-title]');
      (heading ?? document.getElementById('main'))?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [pathname]);

  useEffect(() => {
    if (!menuOpen) return;
    function onKey(event: KeyboardEvent): void {
      if (event.key === 'Escape') {
        setMenuOpen(false);
        menuButton.current?.focus();
      }
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  async function handleSignOut(): Promise<void> {
    setSigningOut(true);
    setSignOutError(null);
    try {
      await signOut();
      navigate('/', { replace: true });
    } catch (error) {
      setSignOutError(`Could not sign out: ${errorText(error)}`);
      setSigningOut(false);
    }
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="Vigil home">
          <BrandMark />
          <span>Vigil</span>
        </Link>
        <button
          ref={menuButton}
          type="button"
          className="button menu-button"
          aria-expanded={menuOpen}
          aria-controls="primary-nav"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span className="menu-icon" aria-hidden="true" />
          Menu
        </button>
        <div className="account">
          <span className="account-who">
            <span className="visually-hidden">Signed in as </span>
            <span className="account-name" title={user.email}>
              {user.name || user.email}
            </span>
            <span className="badge" aria-label={`role: ${ROLE_LABEL[user.role]}`}>
              {ROLE_LABEL[user.role]}
            </span>
          </span>
          <button type="button" className="button button-quiet" onClick={handleSignOut} disabled={signingOut}>
            {signingOut ? 'Signing out…' : 'Sign out'}
          </button>
        </div>
      </header>
      <Message tone="error">{signOutError}</Message>
      <div className="layout">
        <nav id="primary-nav" aria-label="Primary" className={menuOpen ? 'nav nav-open' : 'nav'}>
          <ul>
            {SECTIONS.map((section) => {
              const current = isWithin(pathname, section.href);
              return (
                <li key={section.href}>
                  <Link to={section.href} aria-current={current ? 'page' : undefined} onClick={() => setMenuOpen(false)}>
                    {section.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path d="M8 9l8 15 8-15" fill="none" stroke="#f7b538" strokeWidth="3.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}
