// Top level: auth gate, then the shell with the route table.
import { useEffect } from 'react';
import type { ReactNode } from 'react';
import { AlertDetailPage } from '../features/alerts/AlertDetailPage.tsx';
import { AlertsPage } from '../features/alerts/AlertsPage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { EditPolicyPage, NewPolicyPage, PoliciesPage, PolicyDetailPage } from '../features/escalation/PolicyPages.tsx';
import { IncidentDetailPage } from '../features/incidents/IncidentDetailPage.tsx';
import { IncidentsPage } from '../features/incidents/IncidentsPage.tsx';
import { NoisePage } from '../features/noise/NoisePage.tsx';
import { ScheduleDetailPage } from '../features/schedules/ScheduleDetailPage.tsx';
import { EditSchedulePage, NewSchedulePage } from '../features/schedules/SchedulePages.tsx';
import { SchedulesPage } from '../features/schedules/SchedulesPage.tsx';
import { NewServicePage } from '../features/services/NewServicePage.tsx';
import { ServiceDetailPage } from '../features/services/ServiceDetailPage.tsx';
import { ServicesPage } from '../features/services/ServicesPage.tsx';
import { SettingsPage } from '../features/settings/SettingsPage.tsx';
import { AuthProvider, useAuth } from './auth.tsx';
import { ConfirmProvider } from './confirm.tsx';
import { NotAvailable, NotFound } from './NotAvailable.tsx';
import { matchPath, navigate, usePathname } from './router.tsx';
import { Shell } from './Shell.tsx';
import { Loading, errorText } from './ui.tsx';

export function App() {
  return (
    <AuthProvider>
      <ConfirmProvider>
        <AuthGate />
      </ConfirmProvider>
    </AuthProvider>
  );
}

function AuthGate() {
  const { state, retry } = useAuth();
  if (state.status === 'loading') {
    return (
      <div className="centered">
        <Loading label="Loading Vigil…" />
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <main className="centered" id="main">
        <div className="panel panel-problem" role="alert">
          <h1>Vigil is not reachable</h1>
          <p>{errorText(state.error)}</p>
          <button type="button" className="button button-primary" onClick={retry}>
            Try again
          </button>
        </div>
      </main>
    );
  }
  if (state.status === 'signed-out') return <LoginPage expired={state.expired} />;
  return (
    <Shell>
      <Routes />
    </Shell>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

const PLACEHOLDERS: Record<string, string> = {
  '/status-pages': 'Status pages',
  '/postmortems': 'Postmortems',
  '/analytics': 'Analytics',
};

function Routes(): ReactNode {
  const pathname = usePathname();
  if (pathname === '/' || pathname === '/login') return <Redirect to="/services" />;
  if (matchPath('/services', pathname)) return <ServicesPage />;
  if (matchPath('/services/new', pathname)) return <NewServicePage />;
  const service = matchPath('/services/:id', pathname);
  if (service?.['id']) return <ServiceDetailPage key={service['id']} id={service['id']} />;
  if (matchPath('/settings', pathname)) return <SettingsPage />;
  if (matchPath('/alerts', pathname)) return <AlertsPage />;
  const alert = matchPath('/alerts/:number', pathname);
  if (alert?.['number']) return <AlertDetailPage key={alert['number']} number={alert['number']} />;
  if (matchPath('/noise', pathname)) return <NoisePage />;
  if (matchPath('/incidents', pathname)) return <IncidentsPage />;
  const incident = matchPath('/incidents/:number', pathname);
  if (incident?.['number']) return <IncidentDetailPage key={incident['number']} number={incident['number']} />;
  if (matchPath('/on-call', pathname)) return <SchedulesPage />;
  if (matchPath('/on-call/new', pathname)) return <NewSchedulePage />;
  const scheduleEdit = matchPath('/on-call/:id/edit', pathname);
  if (scheduleEdit?.['id']) return <EditSchedulePage key={scheduleEdit['id']} id={scheduleEdit['id']} />;
  const schedule = matchPath('/on-call/:id', pathname);
  if (schedule?.['id']) return <ScheduleDetailPage key={schedule['id']} id={schedule['id']} />;
  if (matchPath('/escalation', pathname)) return <PoliciesPage />;
  if (matchPath('/escalation/new', pathname)) return <NewPolicyPage />;
  const policyEdit = matchPath('/escalation/:id/edit', pathname);
  if (policyEdit?.['id']) return <EditPolicyPage key={policyEdit['id']} id={policyEdit['id']} />;
  const policy = matchPath('/escalation/:id', pathname);
  if (policy?.['id']) return <PolicyDetailPage key={policy['id']} id={policy['id']} />;
  for (const [prefix, area] of Object.entries(PLACEHOLDERS)) {
    if (pathname === prefix || pathname.startsWith(prefix + '/')) return <NotAvailable area={area} />;
  }
  return <NotFound />;
}
