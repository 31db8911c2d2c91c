// Honest placeholders for the areas of Vigil that have no UI yet.
import { Link } from './router.tsx';
import { PageHeader } from './ui.tsx';

const PLANNED: Record<string, string> = {
  'Status pages': 'Public and internal status pages that tell your users what is going on.',
  Postmortems: 'Write-ups after incidents, with timelines and follow-up actions.',
  Analytics: 'Reports on alert volume, response times and on-call load.',
};

export function NotAvailable({ area }: { area: string }) {
  return (
    <>
      <PageHeader title={area} />
      <section className="panel panel-empty" aria-labelledby="not-available-heading">
        <h2 id="not-available-heading">Not available yet</h2>
        <p>This part of Vigil has not been built yet, so there is nothing to show here.</p>
        {PLANNED[area] ? <p className="muted">When it arrives, this is where you will find: {PLANNED[area]}</p> : null}
        <p>
          In the meantime you can set up <Link to="/services">services</Link> and their integration keys.
        </p>
      </section>
    </>
  );
}

export function NotFound() {
  return (
    <>
      <PageHeader title="Page not found" />
      <section className="panel panel-empty">
        <p>There is no page at this address.</p>
        <p>
          <Link to="/services">Go to Services</Link>
        </p>
      </section>
    </>
  );
}
