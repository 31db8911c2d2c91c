import { canEdit, useCurrentUser } from '../../app/auth.tsx';
import { useResource } from '../../app/hooks.ts';
import { Link } from '../../app/router.tsx';
import { LoadError, Loading, PageHeader } from '../../app/ui.tsx';
import { servicesApi } from './api.ts';

export function ServicesPage() {
  const user = useCurrentUser();
  const services = useResource((signal) => servicesApi.list(signal), 'services');
  const editable = canEdit(user);

  return (
    <>
      <PageHeader
        title="Services"
        description="The systems you run. Monitoring tools send alerts to a service using one of its integration keys."
        actions={
          editable ? (
            <Link to="/services/new" className="button button-primary">
              New service
            </Link>
          ) : null
        }
      />
      {services.status === 'loading' ? <Loading label="Loading services…" /> : null}
      {services.status === 'error' ? <LoadError error={services.error} what="services" onRetry={services.reload} /> : null}
      {services.status === 'ready' && services.data.length === 0 ? (
        <section className="panel panel-empty">
          <h2>No services yet</h2>
          <p>
            {editable
              ? 'Create a service for each system you want to receive alerts for. Each one gets an integration key to send alerts with.'
              : 'Nobody has created a service yet.'}
          </p>
          {editable ? (
            <Link to="/services/new" className="button button-primary">
              Create your first service
            </Link>
          ) : null}
        </section>
      ) : null}
      {services.status === 'ready' && services.data.length > 0 ? (
        <div className="table-wrap">
          <table className="table table-stack">
            <caption className="visually-hidden">Services</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Team</th>
                <th scope="col">Description</th>
                <th scope="col" className="numeric">
                  Active keys
                </th>
              </tr>
            </thead>
            <tbody>
              {[...services.data]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((service) => (
                  <tr key={service.id}>
                    <th scope="row" data-label="Name">
                      <Link to={`/services/${encodeURIComponent(service.id)}`}>{service.name}</Link>
                    </th>
                    <td data-label="Team">{service.teamName ?? <span className="muted">No team</span>}</td>
                    <td data-label="Description" className="cell-description">
                      {service.description || <span className="muted">—</span>}
                    </td>
                    <td data-label="Active keys" className="numeric">
                      {service.integrationKeys.length}
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
