import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useAction } from '../../app/hooks.ts';
import { Link, navigate } from '../../app/router.tsx';
import { PageHeader } from '../../app/ui.tsx';
import { servicesApi } from './api.ts';
import { ServiceForm, toInput, toValues } from './ServiceForm.tsx';

export function NewServicePage() {
  const user = useCurrentUser();
  const { pending, error, run } = useAction();

  if (!canEdit(user)) {
    return (
      <>
        <PageHeader title="New service" />
        <section className="panel panel-empty">
          <p>Observers can look at services but cannot create them.</p>
          <p>
            <Link to="/services">Back to services</Link>
          </p>
        </section>
      </>
    );
  }

  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/services">Services</Link>
      </nav>
      <PageHeader
        title="New service"
        description="The service gets an integration key named “default” straight away; you can add more later."
      />
      <section className="panel">
        <ServiceForm
          initial={toValues()}
          submitLabel="Create service"
          pendingLabel="Creating…"
          pending={pending}
          error={error}
          onSubmit={async (values) => {
            const result = await run(() => servicesApi.create(toInput(values, false)));
            if (result.ok) navigate(`/services/${encodeURIComponent(result.value.id)}`);
          }}
          onCancel={() => navigate('/services')}
        />
      </section>
    </>
  );
}
