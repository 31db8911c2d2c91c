import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AlertSignal, applySignals, emptySignal } from '../../core/alerts/index.ts';
import { eachDatabase } from '../../storage/testing/test-database.ts';
import { createHarness, errorOf, type Harness } from '../testing/harness.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

eachDatabase('noise control API', (kind) => {
  let h: Harness;
  let serial = 0;
  before(async () => {
    h = await createHarness(kind);
  });
  after(() => h.close());

  const at = (msFromNow: number) => new Date(h.clock.now().getTime() + msFromNow).toISOString();
  /** As the responder unless another token is given; `null`: no credentials at all. */
  const call = (method: string, url: string, body?: unknown, token?: string | null) =>
    h.request(method, `/api/v1${url}`, { token: token === null ? undefined : (token ?? h.tokens.responder), ...(body !== undefined ? { body } : {}) });
  const newService = async (name = `Service ${++serial}`) => {
    const res = await call('POST', '/services', { name });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().service.id as string;
  };
  /** Asserts a 400 VALIDATION naming `field` with a reason matching `reason`. */
  const assertInvalid = (res: Awaited<ReturnType<typeof call>>, field: string, reason: RegExp, note = '') => {
    assert.equal(res.statusCode, 400, `${note} ${res.body}`);
    const error = errorOf(res);
    assert.equal(error.code, 'VALIDATION');
    const found = error.details?.fields?.find((f) => f.field === field);
    assert.ok(found, `${note}: expected ${field} in ${JSON.stringify(error.details)}`);
    assert.match(found.reason, reason, note);
  };
  const auditActions = async (entityType: string, entityId: string) =>
    (await call('GET', `/audit?entityType=${entityType}&entityId=${entityId}`, undefined, h.tokens.admin)).json().entries.map((e: { action: string }) => e.action).reverse();

  describe('maintenance windows', () => {
    it('schedules a window that turns upcoming → active → past as the clock moves, audited', async () => {
      const serviceId = await newService();
      const res = await call('POST', '/maintenance-windows', { serviceId, description: 'Database upgrade', startsAt: at(HOUR), endsAt: at(3 * HOUR) });
      assert.equal(res.statusCode, 201, res.body);
      const { maintenanceWindow: w } = res.json();
      assert.equal(w.state, 'upcoming');
      assert.equal(w.serviceId, serviceId);
      assert.equal(w.createdBy, 'The responder');
      assert.equal(w.startsAt, at(HOUR));

      const list = async (query: string) => (await call('GET', `/maintenance-windows?serviceId=${serviceId}${query}`, undefined, h.tokens.observer)).json().maintenanceWindows;
      assert.deepEqual((await list('&state=upcoming')).map((x: { id: string }) => x.id), [w.id]);
      assert.deepEqual(await list('&state=active'), []);
      h.clock.advance(HOUR);
      assert.equal((await list('&state=active'))[0].state, 'active');
      h.clock.advance(2 * HOUR);
      assert.equal((await list('&state=past'))[0].id, w.id);
      assert.equal((await call('GET', `/maintenance-windows/${w.id}`)).json().maintenanceWindow.state, 'past');
      assert.deepEqual(await auditActions('maintenance_window', w.id), ['maintenance_window.create']);
    });

    it('lists windows of every service when no service is named, and filters by service', async () => {
      const a = await newService();
      const b = await newService();
      await call('POST', '/maintenance-windows', { serviceId: a, description: 'A', startsAt: at(0), endsAt: at(HOUR) });
      await call('POST', '/maintenance-windows', { serviceId: b, description: 'B', startsAt: at(0), endsAt: at(HOUR) });
      const all = (await call('GET', '/maintenance-windows?state=active')).json().maintenanceWindows.map((w: { serviceId: string }) => w.serviceId);
      assert.ok(all.includes(a) && all.includes(b));
      const onlyB = (await call('GET', `/maintenance-windows?serviceId=${b}`)).json().maintenanceWindows;
      assert.deepEqual(onlyB.map((w: { description: string }) => w.description), ['B']);
    });

    it('reads a start up to 5 minutes in the past as now, and refuses an earlier one', async () => {
      const serviceId = await newService();
      const late = await call('POST', '/maintenance-windows', { serviceId, description: 'Now-ish', startsAt: at(-4 * MIN), endsAt: at(HOUR) });
      assert.equal(late.statusCode, 201);
      assert.equal(late.json().maintenanceWindow.startsAt, at(0));
      assert.equal(late.json().maintenanceWindow.state, 'active');
      assertInvalid(await call('POST', '/maintenance-windows', { serviceId, description: 'Too late', startsAt: at(-6 * MIN), endsAt: at(HOUR) }), 'body.startsAt', /5 minutes/);
    });

    it('rejects bad windows naming the field', async () => {
      const serviceId = await newService();
      const ok = { serviceId, description: 'Upgrade', startsAt: at(HOUR), endsAt: at(2 * HOUR) };
      const cases: [unknown, string, RegExp][] = [
        [{ ...ok, endsAt: at(HOUR) }, 'body.endsAt', /after startsAt/],
        [{ ...ok, endsAt: at(30 * MIN) }, 'body.endsAt', /after startsAt/],
        [{ ...ok, endsAt: at(HOUR + 91 * DAY) }, 'body.endsAt', /90 days/],
        [{ ...ok, description: '   ' }, 'body.description', /empty/],
        [{ ...ok, description: 'x'.repeat(1001) }, 'body.description', /1000/],
        [{ ...ok, startsAt: 'tomorrow' }, 'body.startsAt', /date-time/],
        [{ ...ok, startsAt: '2026-03-02T10:00:00' }, 'body.startsAt', /date-time/],
        [{ ...ok, serviceId: undefined }, 'body.serviceId', /required/],
        [{ ...ok, serviceId: '00000000-0000-4000-8000-000000000000' }, 'body.serviceId', /no such service/],
        [{ ...ok, colour: 'red' }, 'body.colour', /not a known field/],
      ];
      for (const [body, field, reason] of cases) assertInvalid(await call('POST', '/maintenance-windows', body), field, reason, JSON.stringify(body));
    });

    it('edits by state: an upcoming window moves, an active one keeps its start and ends now, a past one keeps its times', async () => {
      const serviceId = await newService();
      const { maintenanceWindow: w } = (await call('POST', '/maintenance-windows', { serviceId, description: 'Upgrade', startsAt: at(HOUR), endsAt: at(2 * HOUR) })).json();
      const patch = (body: unknown, token?: string) => call('PATCH', `/maintenance-windows/${w.id}`, body, token);

      const moved = await patch({ startsAt: at(30 * MIN), description: 'Upgrade to v16' });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal(moved.json().maintenanceWindow.startsAt, at(30 * MIN));
      assert.equal(moved.json().maintenanceWindow.description, 'Upgrade to v16');
      assertInvalid(await patch({ endsAt: at(10 * MIN) }), 'body.endsAt', /after startsAt/);

      h.clock.advance(45 * MIN); // active now
      assertInvalid(await patch({ startsAt: at(-40 * MIN) }), 'body.startsAt', /active/);
      assertInvalid(await patch({ endsAt: at(-10 * MIN) }), 'body.endsAt', /past/);
      const extended = await patch({ endsAt: at(3 * HOUR) });
      assert.equal(extended.json().maintenanceWindow.endsAt, at(3 * HOUR));
      const ended = await patch({ endsAt: at(-2 * MIN) }); // "end now", sent by a slow client
      assert.equal(ended.statusCode, 200, ended.body);
      assert.equal(ended.json().maintenanceWindow.endsAt, at(0));
      assert.equal(ended.json().maintenanceWindow.state, 'past');

      assertInvalid(await patch({ endsAt: at(HOUR) }), 'body.endsAt', /over/);
      const renamed = await patch({ description: 'Upgrade to v16 (done)', endsAt: ended.json().maintenanceWindow.endsAt });
      assert.equal(renamed.statusCode, 200, 'a past window may be described, and its unchanged end echoed back');
      assert.equal(renamed.json().maintenanceWindow.description, 'Upgrade to v16 (done)');
      assert.deepEqual(await auditActions('maintenance_window', w.id), [
        'maintenance_window.create',
        'maintenance_window.update',
        'maintenance_window.update',
        'maintenance_window.update',
        'maintenance_window.update',
      ]);
      assertInvalid(await patch({}), 'body', /fewer than 1/);
    });

    it('ends a window that began this very instant', async () => {
      const serviceId = await newService();
      const { maintenanceWindow: w } = (await call('POST', '/maintenance-windows', { serviceId, description: 'Quick', startsAt: at(0), endsAt: at(HOUR) })).json();
      const ended = await call('PATCH', `/maintenance-windows/${w.id}`, { endsAt: at(0) });
      assert.equal(ended.statusCode, 200, ended.body);
      assert.equal(ended.json().maintenanceWindow.state, 'past');
    });

    it('deletes a window; unknown ids are 404, observers 403, strangers 401', async () => {
      const serviceId = await newService();
      const { maintenanceWindow: w } = (await call('POST', '/maintenance-windows', { serviceId, description: 'Temp', startsAt: at(HOUR), endsAt: at(2 * HOUR) })).json();
      const body = { serviceId, description: 'Nope', startsAt: at(HOUR), endsAt: at(2 * HOUR) };
      for (const res of [
        await call('POST', '/maintenance-windows', body, h.tokens.observer),
        await call('PATCH', `/maintenance-windows/${w.id}`, { description: 'x' }, h.tokens.observer),
        await call('DELETE', `/maintenance-windows/${w.id}`, undefined, h.tokens.observer),
        await call('POST', '/maintenance-windows', body, await h.token('admin', 'read')),
      ]) {
        assert.equal(res.statusCode, 403, res.body);
        assert.equal(errorOf(res).code, 'FORBIDDEN');
      }
      assert.equal((await call('GET', '/maintenance-windows', undefined, null)).statusCode, 401);
      assert.equal((await call('POST', '/maintenance-windows', body, null)).statusCode, 401);

      assert.equal((await call('DELETE', `/maintenance-windows/${w.id}`)).statusCode, 204);
      const gone = await call('GET', `/maintenance-windows/${w.id}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(errorOf(gone).code, 'NOT_FOUND');
      assert.equal((await call('DELETE', `/maintenance-windows/${w.id}`)).statusCode, 404);
      assert.equal((await call('PATCH', `/maintenance-windows/${w.id}`, { description: 'x' })).statusCode, 404);
      assert.deepEqual(await auditActions('maintenance_window', w.id), ['maintenance_window.create', 'maintenance_window.delete']);
    });
  });

  describe('silences', () => {
    const matchers = [{ name: 'alertname', op: '=', value: 'DiskFull' }];
    const create = (body: Record<string, unknown>, token?: string | null) => call('POST', '/silences', { matchers, comment: 'Known issue', endsAt: at(HOUR), ...body }, token);

    it('computes pending → active → expired from the clock, and lists by state', async () => {
      const res = await create({ startsAt: at(HOUR), endsAt: at(2 * HOUR) });
      assert.equal(res.statusCode, 201, res.body);
      const { silence } = res.json();
      assert.equal(silence.state, 'pending');
      assert.equal(silence.createdBy, 'The responder');
      assert.equal(silence.serviceId, null);
      assert.deepEqual(silence.matchers, matchers);
      const ids = async (state: string) => (await call('GET', `/silences?state=${state}`, undefined, h.tokens.observer)).json().silences.map((s: { id: string }) => s.id);
      assert.ok((await ids('pending')).includes(silence.id));
      assert.ok(!(await ids('active')).includes(silence.id));
      h.clock.advance(HOUR);
      assert.ok((await ids('active')).includes(silence.id));
      assert.equal((await call('GET', `/silences/${silence.id}`)).json().silence.state, 'active');
      h.clock.advance(HOUR);
      assert.ok((await ids('expired')).includes(silence.id));
      assert.equal((await call('GET', `/silences/${silence.id}`)).json().silence.state, 'expired');
    });

    it('starts now by default, may be scoped to one service, and records the token owner as creator', async () => {
      const serviceId = await newService();
      const token = await h.token('admin', 'write');
      const res = await create({ serviceId }, token);
      assert.equal(res.statusCode, 201, res.body);
      const { silence } = res.json();
      assert.equal(silence.startsAt, at(0));
      assert.equal(silence.state, 'active');
      assert.equal(silence.serviceId, serviceId);
      assert.equal(silence.createdBy, 'The admin');
      assert.deepEqual(await auditActions('silence', silence.id), ['silence.create']);
    });

    it('rejects bad silences naming the field', async () => {
      const cases: [Record<string, unknown>, string, RegExp][] = [
        [{ matchers: [] }, 'body.matchers', /at least one/],
        [{ matchers: [{ name: 'alertname', op: '=~', value: '(' }] }, 'body.matchers.0.value', /regular expression/],
        [{ matchers: [...matchers, { name: '1st', op: '=', value: 'x' }] }, 'body.matchers.1.name', /label name/],
        [{ matchers: [{ name: 'alertname', op: '==', value: 'x' }] }, 'body.matchers.0.op', /one of/],
        [{ matchers: [{ name: 'alertname', op: '=~', value: '.*' }] }, 'body.matchers', /every alert/],
        [{ matchers: Array.from({ length: 21 }, (_, i) => ({ name: `l${i}`, op: '=', value: 'x' })) }, 'body.matchers', /at most 20/],
        [{ matchers: [{ name: 'alertname', op: '=', value: 'x', extra: 1 }] }, 'body.matchers.0.extra', /not a known field/],
        [{ comment: '  ' }, 'body.comment', /empty/],
        [{ endsAt: at(-HOUR) }, 'body.endsAt', /future/],
        [{ startsAt: at(2 * HOUR), endsAt: at(HOUR) }, 'body.endsAt', /after startsAt/],
        [{ startsAt: at(-HOUR) }, 'body.startsAt', /5 minutes/],
        [{ endsAt: undefined }, 'body.endsAt', /required/],
        [{ serviceId: '00000000-0000-4000-8000-000000000000' }, 'body.serviceId', /no such service/],
      ];
      for (const [body, field, reason] of cases) assertInvalid(await create(body), field, reason, JSON.stringify(body));
    });

    it('edits an active silence in place: comment and end, never its start or an end in the past', async () => {
      const { silence } = (await create({})).json();
      h.clock.advance(10 * MIN);
      const patch = (body: unknown) => call('PATCH', `/silences/${silence.id}`, body);
      const edited = await patch({ comment: 'Known issue, ticket OPS-12', endsAt: at(2 * HOUR) });
      assert.equal(edited.statusCode, 200, edited.body);
      assert.equal(edited.json().replaced, null);
      assert.equal(edited.json().silence.id, silence.id);
      assert.equal(edited.json().silence.endsAt, at(2 * HOUR));
      assertInvalid(await patch({ startsAt: at(0) }), 'body.startsAt', /active/);
      assertInvalid(await patch({ endsAt: at(-HOUR) }), 'body.endsAt', /past/);
      // A client echoing the whole silence back, start unchanged, is an in-place edit.
      const echoed = await patch({ ...edited.json().silence, id: undefined, state: undefined, serviceName: undefined, createdBy: undefined, createdAt: undefined, updatedAt: undefined, comment: 'Echo' });
      assert.equal(echoed.statusCode, 200, echoed.body);
      assert.equal(echoed.json().silence.comment, 'Echo');
      const ended = await patch({ endsAt: at(0) });
      assert.equal(ended.json().silence.state, 'expired');
      assert.deepEqual(await auditActions('silence', silence.id), ['silence.create', 'silence.update', 'silence.update', 'silence.update']);
    });

    it('replaces an active silence whose matchers change: the new one answers (201), the old one expires', async () => {
      const { silence: old } = (await create({ endsAt: at(2 * HOUR) })).json();
      h.clock.advance(10 * MIN);
      const newMatchers = [{ name: 'alertname', op: '=~', value: 'Disk.*' }];
      const res = await call('PATCH', `/silences/${old.id}`, { matchers: newMatchers });
      assert.equal(res.statusCode, 201, res.body);
      const { silence, replaced } = res.json();
      assert.notEqual(silence.id, old.id);
      assert.deepEqual(replaced, { id: old.id, reason: 'its matchers changed' });
      assert.equal(res.headers.location, `/api/v1/silences/${silence.id}`);
      assert.deepEqual(silence.matchers, newMatchers);
      assert.equal(silence.startsAt, at(0));
      assert.equal(silence.endsAt, at(110 * MIN));
      assert.equal(silence.comment, old.comment);
      assert.equal(silence.state, 'active');
      const before = (await call('GET', `/silences/${old.id}`)).json().silence;
      assert.equal(before.state, 'expired');
      assert.equal(before.endsAt, at(0));
      assert.deepEqual(before.matchers, matchers, 'the old silence keeps what it matched');
      assert.deepEqual(await auditActions('silence', old.id), ['silence.create', 'silence.expire']);
      assert.deepEqual(await auditActions('silence', silence.id), ['silence.create']);
    });

    it('replaces a silence moved to another service', async () => {
      const serviceId = await newService();
      const { silence: old } = (await create({})).json();
      const res = await call('PATCH', `/silences/${old.id}`, { serviceId });
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().replaced.reason, 'its service changed');
      assert.equal(res.json().silence.serviceId, serviceId);
    });

    it('edits a pending silence: its start may move later but not into the past; new matchers replace it', async () => {
      const { silence } = (await create({ startsAt: at(HOUR), endsAt: at(2 * HOUR) })).json();
      const patch = (body: unknown) => call('PATCH', `/silences/${silence.id}`, body);
      assertInvalid(await patch({ startsAt: at(-HOUR) }), 'body.startsAt', /past/);
      const later = await patch({ startsAt: at(90 * MIN) });
      assert.equal(later.statusCode, 200, later.body);
      assert.equal(later.json().silence.startsAt, at(90 * MIN));
      assertInvalid(await patch({ endsAt: at(80 * MIN) }), 'body.endsAt', /after startsAt/);
      const startNow = await patch({ startsAt: at(-MIN) });
      assert.equal(startNow.statusCode, 200, 'a minute ago reads as now');
      assert.equal(startNow.json().silence.state, 'active');

      const { silence: pending } = (await create({ startsAt: at(HOUR), endsAt: at(2 * HOUR) })).json();
      const replaced = await call('PATCH', `/silences/${pending.id}`, { matchers: [{ name: 'alertname', op: '=', value: 'DiskAlmostFull' }] });
      assert.equal(replaced.statusCode, 201);
      assert.equal(replaced.json().silence.startsAt, pending.startsAt, 'the replacement keeps the future start');
      assert.equal(replaced.json().silence.state, 'pending');
      const old = (await call('GET', `/silences/${pending.id}`)).json().silence;
      assert.equal(old.state, 'expired');
      assert.ok(old.endsAt <= at(0));
    });

    it('replaces an expired silence on any edit, which needs a new end', async () => {
      const { silence: old } = (await create({ endsAt: at(HOUR) })).json();
      h.clock.advance(2 * HOUR);
      assertInvalid(await call('PATCH', `/silences/${old.id}`, { comment: 'Again' }), 'body.endsAt', /new end/);
      const res = await call('PATCH', `/silences/${old.id}`, { comment: 'Again', endsAt: at(HOUR) });
      assert.equal(res.statusCode, 201, res.body);
      assert.deepEqual(res.json().replaced, { id: old.id, reason: 'the silence had expired' });
      assert.equal(res.json().silence.state, 'active');
      assert.equal(res.json().silence.startsAt, at(0));
      assert.equal((await call('GET', `/silences/${old.id}`)).json().silence.endsAt, old.endsAt, 'the expired one is left as it was');
    });

    it('expires a silence now (pending or active), answers an expired one unchanged, and refuses observers', async () => {
      const { silence: active } = (await create({})).json();
      const { silence: pending } = (await create({ startsAt: at(HOUR), endsAt: at(2 * HOUR) })).json();
      assert.equal((await call('POST', `/silences/${active.id}/expire`, undefined, h.tokens.observer)).statusCode, 403);
      assert.equal((await call('PATCH', `/silences/${active.id}`, { comment: 'x' }, h.tokens.observer)).statusCode, 403);
      assert.equal((await create({}, h.tokens.observer)).statusCode, 403);
      assert.equal((await call('POST', `/silences/${active.id}/expire`, undefined, null)).statusCode, 401);

      const a = await call('POST', `/silences/${active.id}/expire`);
      assert.equal(a.statusCode, 200, a.body);
      assert.equal(a.json().silence.state, 'expired');
      assert.equal(a.json().silence.endsAt, at(0));
      const p = await call('POST', `/silences/${pending.id}/expire`);
      assert.equal(p.json().silence.state, 'expired');
      h.clock.advance(MIN);
      const again = await call('POST', `/silences/${active.id}/expire`);
      assert.equal(again.statusCode, 200);
      assert.equal(again.json().silence.endsAt, a.json().silence.endsAt);
      assert.deepEqual(await auditActions('silence', active.id), ['silence.create', 'silence.expire']);
      assert.equal((await call('POST', '/silences/00000000-0000-4000-8000-000000000000/expire')).statusCode, 404);
      assert.equal((await call('GET', '/silences/00000000-0000-4000-8000-000000000000')).statusCode, 404);
      assert.equal((await call('PATCH', '/silences/00000000-0000-4000-8000-000000000000', { comment: 'x' })).statusCode, 404);
    });
  });

  describe('event rules', () => {
    const rule = (serviceId: string | null, name: string, extra: Record<string, unknown> = {}) => ({
      name,
      serviceId,
      matchers: [{ name: 'source', op: '=', value: name }],
      actions: { severity: 'warning' },
      ...extra,
    });
    const names = async (serviceId: string) =>
      (await call('GET', `/event-rules?serviceId=${serviceId}`)).json().eventRules.map((r: { name: string; position: number }) => `${r.position}:${r.name}`);

    it('creates service rules (write) and global rules (admin only), listing global ones first', async () => {
      const serviceId = await newService('Payments');
      const own = await call('POST', '/event-rules', rule(serviceId, 'own'));
      assert.equal(own.statusCode, 201, own.body);
      assert.equal(own.json().eventRule.serviceName, 'Payments');
      assert.equal(own.json().eventRule.enabled, true);
      assert.equal(own.json().eventRule.position, 1);

      const global = rule(null, 'route db', { actions: { routeToServiceId: serviceId } });
      const denied = await call('POST', '/event-rules', global);
      assert.equal(denied.statusCode, 403, 'a responder may not add a global rule');
      assert.equal((await call('POST', '/event-rules', rule(serviceId, 'x'), h.tokens.observer)).statusCode, 403);
      assert.equal((await call('POST', '/event-rules', rule(serviceId, 'x'), null)).statusCode, 401);
      const created = await call('POST', '/event-rules', global, h.tokens.admin);
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(created.json().eventRule.actions, { routeToServiceId: serviceId });

      const all = (await call('GET', '/event-rules', undefined, h.tokens.observer)).json().eventRules;
      assert.equal(all[0].serviceId, null);
      assert.ok(all.some((r: { id: string }) => r.id === own.json().eventRule.id));
      assert.deepEqual(await names(serviceId), ['1:own']);
      assert.deepEqual(await auditActions('event_rule', created.json().eventRule.id), ['event_rule.create']);
    });

    it('keeps positions 1..n in a scope: insert at a place, move with PATCH, close the gap on delete', async () => {
      const serviceId = await newService();
      const ids: Record<string, string> = {};
      for (const n of ['a', 'b', 'c']) ids[n] = (await call('POST', '/event-rules', rule(serviceId, n))).json().eventRule.id;
      assert.deepEqual(await names(serviceId), ['1:a', '2:b', '3:c']);
      ids.first = (await call('POST', '/event-rules', rule(serviceId, 'first', { position: 1 }))).json().eventRule.id;
      assert.deepEqual(await names(serviceId), ['1:first', '2:a', '3:b', '4:c']);
      const moved = await call('PATCH', `/event-rules/${ids.c}`, { position: 2 });
      assert.equal(moved.json().eventRule.position, 2);
      assert.deepEqual(await names(serviceId), ['1:first', '2:c', '3:a', '4:b']);
      await call('PATCH', `/event-rules/${ids.first}`, { position: 99 });
      assert.deepEqual(await names(serviceId), ['1:c', '2:a', '3:b', '4:first']);
      assert.equal((await call('DELETE', `/event-rules/${ids.a}`)).statusCode, 204);
      assert.deepEqual(await names(serviceId), ['1:c', '2:b', '3:first']);
      assert.equal((await call('GET', `/event-rules/${ids.a}`)).statusCode, 404);
      assert.deepEqual(await auditActions('event_rule', ids.a!), ['event_rule.create', 'event_rule.delete']);
    });

    it('keeps positions 1..n when rules of one scope are created and moved concurrently', async () => {
      const serviceId = await newService();
      const created = await Promise.all(Array.from({ length: 8 }, (_, i) => call('POST', '/event-rules', rule(serviceId, `p${i}`, { position: 1 }))));
      assert.deepEqual(created.map((r) => r.statusCode), Array(8).fill(201));
      const ids = created.map((r) => r.json().eventRule.id as string);
      await Promise.all(ids.map((id, i) => call('PATCH', `/event-rules/${id}`, { position: (i % 3) + 1 })));
      const positions = (await names(serviceId)).map((n: string) => Number(n.split(':')[0]));
      assert.deepEqual(positions, [1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('changes a rule: actions replaced as a whole, disabled, renamed; global ones need admin', async () => {
      const serviceId = await newService();
      const { eventRule: r } = (await call('POST', '/event-rules', rule(serviceId, 'noisy'))).json();
      const res = await call('PATCH', `/event-rules/${r.id}`, { name: 'noisy disk', actions: { suppress: true }, enabled: false });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json().eventRule.actions, { suppress: true });
      assert.equal(res.json().eventRule.enabled, false);
      assert.equal(res.json().eventRule.name, 'noisy disk');
      assert.equal((await call('PATCH', `/event-rules/${r.id}`, { enabled: true }, h.tokens.observer)).statusCode, 403);

      const { eventRule: g } = (await call('POST', '/event-rules', rule(null, 'global drop', { actions: { drop: true } }), h.tokens.admin)).json();
      assert.equal((await call('PATCH', `/event-rules/${g.id}`, { enabled: false })).statusCode, 403);
      assert.equal((await call('DELETE', `/event-rules/${g.id}`)).statusCode, 403);
      assert.equal((await call('PATCH', `/event-rules/${g.id}`, { enabled: false }, h.tokens.admin)).statusCode, 200);
      assert.equal((await call('DELETE', `/event-rules/${g.id}`, undefined, h.tokens.admin)).statusCode, 204);
      assert.equal((await call('PATCH', `/event-rules/${g.id}`, { enabled: true }, h.tokens.admin)).statusCode, 404);
      assert.equal((await call('DELETE', `/event-rules/${g.id}`, undefined, h.tokens.admin)).statusCode, 404);
    });

    it('refuses a 101st rule in one scope (409 LIMIT_EXCEEDED)', async () => {
      const serviceId = await newService();
      const now = h.clock.now();
      await h.database.db
        .insertInto('event_rules')
        .values(
          Array.from({ length: 100 }, (_, i) => ({
            service_id: serviceId,
            name: `r${i}`,
            position: i + 1,
            matchers: JSON.stringify([{ name: 'source', op: '=', value: `s${i}` }]),
            actions: JSON.stringify({ suppress: true }),
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      const res = await call('POST', '/event-rules', rule(serviceId, 'one too many'));
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(errorOf(res).code, 'LIMIT_EXCEEDED');
      assert.equal((await call('POST', '/event-rules', rule(await newService(), 'another scope'))).statusCode, 201);
    });

    it('rejects bad rules naming the field', async () => {
      const serviceId = await newService();
      const other = await newService();
      const cases: [unknown, string, RegExp, string?][] = [
        [rule(serviceId, 'r', { actions: { routeToServiceId: other } }), 'body.actions.routeToServiceId', /global/],
        [rule(null, 'r', { actions: { routeToServiceId: '00000000-0000-4000-8000-000000000000' } }), 'body.actions.routeToServiceId', /no such service/, h.tokens.admin],
        [rule(serviceId, 'r', { actions: {} }), 'body.actions', /at least one action/],
        [rule(serviceId, 'r', { actions: { drop: true, suppress: true } }), 'body.actions.drop', /cannot also/],
        [rule(serviceId, 'r', { actions: { severity: 'urgent' } }), 'body.actions.severity', /one of/],
        [rule(serviceId, 'r', { actions: { page: true } }), 'body.actions.page', /not a known field/],
        [rule(serviceId, '  '), 'body.name', /empty/],
        [rule(serviceId, 'r', { matchers: [{ name: 'source', op: '!~', value: '[' }] }), 'body.matchers.0.value', /regular expression/],
        [rule(serviceId, 'r', { position: 0 }), 'body.position', />= 1/],
        [{ ...rule(serviceId, 'r'), serviceId: undefined }, 'body.serviceId', /required/],
        [rule('00000000-0000-4000-8000-000000000000', 'r'), 'body.serviceId', /no such service/],
      ];
      for (const [body, field, reason, token] of cases) assertInvalid(await call('POST', '/event-rules', body, token), field, reason, JSON.stringify(body));
      const { eventRule: r } = (await call('POST', '/event-rules', rule(serviceId, 'fine'))).json();
      assertInvalid(await call('PATCH', `/event-rules/${r.id}`, { matchers: [] }), 'body.matchers', /at least one/);
      assertInvalid(await call('PATCH', `/event-rules/${r.id}`, { serviceId: null }), 'body.serviceId', /not a known field/);
    });
  });

  describe('alert settings', () => {
    it('answers the defaults, then what was set, with the effective urgency filled in', async () => {
      const serviceId = await newService();
      const url = `/services/${serviceId}/alert-settings`;
      const initial = await call('GET', url, undefined, h.tokens.observer);
      assert.equal(initial.statusCode, 200, initial.body);
      assert.deepEqual(initial.json().alertSettings, {
        serviceId,
        grouping: { mode: 'none' },
        urgencyRule: null,
        effectiveUrgency: { bySeverity: { critical: 'high', error: 'high', warning: 'low', info: 'low' }, supportHours: null },
      });

      const urgencyRule = {
        bySeverity: { warning: 'high' },
        supportHours: { timeZone: 'America/New_York', days: [5, 1, 2, 3, 4, 1], start: '09:00', end: '17:00', outsideHours: 'low' },
      };
      const put = await call('PUT', url, { grouping: { mode: 'content', fields: ['alertname', 'source'], windowMinutes: 60 }, urgencyRule });
      assert.equal(put.statusCode, 200, put.body);
      const got = (await call('GET', url)).json().alertSettings;
      assert.deepEqual(got.grouping, { mode: 'content', fields: ['alertname', 'source'], windowMinutes: 60 });
      assert.deepEqual(got.urgencyRule.supportHours.days, [1, 2, 3, 4, 5]);
      assert.deepEqual(got.effectiveUrgency.bySeverity, { critical: 'high', error: 'high', warning: 'high', info: 'low' });
      assert.equal(got.effectiveUrgency.supportHours.timeZone, 'America/New_York');

      const reset = await call('PUT', url, { grouping: { mode: 'time', windowMinutes: 0 }, urgencyRule: null });
      assert.deepEqual(reset.json().alertSettings.grouping, { mode: 'time', windowMinutes: 0 });
      assert.equal(reset.json().alertSettings.urgencyRule, null);
      assert.deepEqual(await auditActions('service', serviceId), ['service.create', 'service.alert_settings.update', 'service.alert_settings.update']);
    });

    it('rejects bad settings naming the field; observers 403; unknown services 404', async () => {
      const serviceId = await newService();
      const url = `/services/${serviceId}/alert-settings`;
      const none = { mode: 'none' };
      const hours = { timeZone: 'Europe/London', days: [1], start: '09:00', end: '17:00', outsideHours: 'low' };
      const cases: [unknown, string, RegExp][] = [
        [{ grouping: { mode: 'time' }, urgencyRule: null }, 'body.grouping.windowMinutes', /required/],
        [{ grouping: { mode: 'none', fields: ['a'] }, urgencyRule: null }, 'body.grouping.fields', /not used/],
        [{ grouping: { mode: 'content', fields: [], windowMinutes: 5 }, urgencyRule: null }, 'body.grouping.fields', /1 to 10/],
        [{ grouping: { mode: 'content', fields: ['bad field'], windowMinutes: 5 }, urgencyRule: null }, 'body.grouping.fields.0', /field/],
        [{ grouping: { mode: 'time', windowMinutes: 5000 }, urgencyRule: null }, 'body.grouping.windowMinutes', /1440/],
        [{ grouping: { mode: 'sometimes' }, urgencyRule: null }, 'body.grouping.mode', /one of/],
        [{ grouping: none }, 'body.urgencyRule', /required/],
        [{ grouping: none, urgencyRule: { supportHours: { ...hours, timeZone: 'Mars/Olympus' } } }, 'body.urgencyRule.supportHours.timeZone', /IANA/],
        [{ grouping: none, urgencyRule: { supportHours: { ...hours, start: '25:00' } } }, 'body.urgencyRule.supportHours.start', /HH:MM/],
        [{ grouping: none, urgencyRule: { supportHours: { ...hours, end: '08:00' } } }, 'body.urgencyRule.supportHours.end', /after start/],
        [{ grouping: none, urgencyRule: { supportHours: { ...hours, days: [0] } } }, 'body.urgencyRule.supportHours.days', /weekdays/],
        [{ grouping: none, urgencyRule: { bySeverity: { warning: 'medium' } } }, 'body.urgencyRule.bySeverity.warning', /one of/],
        [{ grouping: none, urgencyRule: { bySeverity: { fatal: 'high' } } }, 'body.urgencyRule.bySeverity.fatal', /not a known field/],
      ];
      for (const [body, field, reason] of cases) assertInvalid(await call('PUT', url, body), field, reason, JSON.stringify(body));
      assert.equal((await call('PUT', url, { grouping: none, urgencyRule: null }, h.tokens.observer)).statusCode, 403);
      const unknown = '/services/00000000-0000-4000-8000-000000000000/alert-settings';
      assert.equal((await call('GET', unknown)).statusCode, 404);
      assert.equal((await call('PUT', unknown, { grouping: none, urgencyRule: null })).statusCode, 404);
    });
  });

  describe('what ingestion does with them', () => {
    const signal = (labels: Record<string, string>, extra: Partial<AlertSignal> = {}): AlertSignal => ({
      ...emptySignal('generic', 'trigger'),
      summary: 'Something happened',
      labels,
      dedupKey: `k-${++serial}`,
      ...extra,
    });
    const ingest = (serviceId: string, s: AlertSignal) =>
      h.database.db.transaction().execute(async (tx) => (await applySignals(tx, h.clock.now(), [{ target: { serviceId }, signal: s }]))[0]!);

    it('suppresses, drops and sets urgency by what the API stored', async () => {
      const svc = await newService();
      const quiet = await newService();
      await call('POST', '/silences', { matchers: [{ name: 'alertname', op: '=~', value: 'IngestDisk.*' }], comment: 'Disks being replaced', endsAt: at(HOUR), serviceId: svc });
      await call('POST', '/maintenance-windows', { serviceId: quiet, description: 'Rack move', startsAt: at(0), endsAt: at(HOUR) });
      await call('POST', '/event-rules', { name: 'drop probes', serviceId: svc, matchers: [{ name: 'source', op: '=', value: 'probe' }], actions: { drop: true } });
      await call('PUT', `/services/${svc}/alert-settings`, { grouping: { mode: 'none' }, urgencyRule: { bySeverity: { warning: 'high' } } });

      const silenced = await ingest(svc, signal({ alertname: 'IngestDiskFull' }));
      assert.equal(silenced.decision, 'suppressed');
      assert.match(silenced.reason, /Disks being replaced/);
      const maintained = await ingest(quiet, signal({ alertname: 'Anything' }));
      assert.equal(maintained.decision, 'suppressed');
      assert.match(maintained.reason, /Rack move/);
      const dropped = await ingest(svc, signal({}, { source: 'probe' }));
      assert.equal(dropped.decision, 'dropped');
      assert.match(dropped.reason, /drop probes/);
      const paged = await ingest(svc, signal({ alertname: 'CPU' }, { severity: 'warning' }));
      assert.equal(paged.decision, 'created');
      assert.match(paged.reason, /high urgency/);

      const other = await newService();
      assert.equal((await ingest(other, signal({ alertname: 'IngestDiskFull' }))).decision, 'created', 'the silence is scoped to one service');

      h.clock.advance(HOUR);
      assert.equal((await ingest(quiet, signal({ alertname: 'Anything' }))).decision, 'created', 'the window is over');
      assert.equal((await ingest(svc, signal({ alertname: 'IngestDiskFull' }))).decision, 'created', 'the silence has expired');
    });
  });
});
