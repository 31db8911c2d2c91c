// Browser test of contact methods against the real server: a webhook receiver runs in this process;
// the Settings page adds a webhook method pointing at it (after the server's field error for a bad
// URL and its 412 for email without SMTP), the engine POSTs the verification code to the receiver,
// a wrong code shows the attempts left, "Send a new code" within the minute shows the 429, the right
// code makes the badge Verified, a high-urgency rule makes the readiness banner say pages reach you;
// a method is deleted after a confirmation. The On-call page's "Not reachable" warning lists
// everyone on call without a way to reach them (a schedule made through the API), and stops listing
// you once you are ready. Phone width; no console errors beyond the refusals the test provokes.
//
// Needs Debian's chromium at /usr/bin/chromium (`apt-get install -y chromium`); skipped without it.
// Run: node_modules/.bin/node --test e2e/browser/contacts.test.ts
// Screenshots land in /tmp/vigil-contacts-*.png.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { api, type BrowserSession, openBrowserSession, skipWithoutChromium, signIn } from '../support/browser.ts';

const ADMIN_EMAIL = 'admin@example.com';
const ADMIN_PASSWORD = 'browser-test-Passw0rd-long';
const DAY = 86_400_000;
const skip = skipWithoutChromium;

interface Verification {
  type: string;
  contactMethodId: string;
  code: string;
  message: string;
}
interface ReadinessOut {
  people: { user: { id: string; name: string }; readiness: { high: boolean; problems: string[] } }[];
}

/** A webhook receiver: keeps every JSON body POSTed to it, and lets the test wait for the next one. */
function startReceiver(): Promise<{ server: Server; url: string; bodies: Verification[]; next: (matches: (b: Verification) => boolean) => Promise<Verification> }> {
  const bodies: Verification[] = [];
  const waiters: { matches: (b: Verification) => boolean; resolve: (b: Verification) => void }[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      response.writeHead(204).end();
      let body: Verification;
      try {
        body = JSON.parse(text) as Verification;
      } catch {
        return;
      }
      bodies.push(body);
      for (const w of waiters.splice(0)) {
        if (w.matches(body)) w.resolve(body);
        else waiters.push(w);
      }
    });
  });
  const next = (matches: (b: Verification) => boolean) =>
    new Promise<Verification>((resolve, reject) => {
      const seen = bodies.find(matches);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => reject(new Error(`no matching webhook POST in 20 s; received: ${JSON.stringify(bodies)}`)), 20_000);
      waiters.push({ matches, resolve: (b) => (clearTimeout(timer), resolve(b)) });
    });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/pager`, bodies, next })),
  );
}

describe('web UI: contact methods, notification rules and readiness', { skip }, () => {
  let session: BrowserSession | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  let page: Page;
  let consoleErrors: string[] = [];
  let me = { id: '', name: '' };
  let pat = { id: '', name: '' };
  let methodId = '';
  let ready = false;
  const needSetup = () => assert.ok(ready, 'setup failed: not signed in, or no schedule');
  const needMethod = () => assert.ok(methodId, 'the webhook method was not added');
  const section = () => page.getByRole('region', { name: 'Contact methods', exact: true });
  const banner = () => section().getByRole('status', { name: 'Readiness' });
  const warning = () => page.getByRole('region', { name: /Not reachable/ });
  /** Console errors other than the refusals this test provokes on purpose (400, 412, 429). */
  const unexpectedErrors = () => consoleErrors.splice(0).filter((text) => !/status of (401|400|412|429)/.test(text));

  before(async () => {
    receiver = await startReceiver();
    session = await openBrowserSession({ name: 'contacts', env: { VIGIL_ADMIN_EMAIL: ADMIN_EMAIL, VIGIL_ADMIN_PASSWORD: ADMIN_PASSWORD } });
    ({ page, consoleErrors } = session);
  });

  after(async () => {
    await session?.close();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  test('setup: sign in, another person, a schedule putting both on call this week', async () => {
    await signIn(session!, ADMIN_EMAIL, ADMIN_PASSWORD);
    ({ user: me } = await api<{ user: { id: string; name: string } }>(page, 'GET', '/me'));
    ({ user: pat } = await api<{ user: { id: string; name: string } }>(page, 'POST', '/users', { email: 'pat@example.com', name: 'Pat Nomethod', role: 'responder', password: 'pat-test-Passw0rd-long' }));
    const day0 = Math.floor(Date.now() / DAY) * DAY;
    await api(page, 'POST', '/schedules', {
      name: 'Primary',
      timeZone: 'UTC',
      layers: [
        {
          id: 'main',
          name: 'Main',
          participants: [me.id, pat.id],
          rotation: { unit: 'day', length: 1 },
          handoff: { date: new Date(day0).toISOString().slice(0, 10), time: '00:00' },
          start: new Date(day0 - DAY).toISOString(),
        },
      ],
    });
    const { people } = await api<ReadinessOut>(page, 'GET', '/readiness');
    assert.deepEqual(people.map((p) => [p.user.name, p.readiness.high]).sort(), [[me.name, false], [pat.name, false]].sort());
    assert.deepEqual(unexpectedErrors(), []);
    ready = true;
  });

  test('the On-call page lists both as not reachable, with what is missing', async () => {
    needSetup();
    await page.goto('/on-call');
    await page.getByRole('heading', { level: 1, name: 'On-call' }).waitFor();
    const items = warning().getByRole('listitem');
    await items.nth(1).waitFor();
    const texts = await items.allInnerTexts();
    assert.equal(texts.length, 2, texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith(`${me.name}:`) && /no contact method/.test(t)), texts.join(' | '));
    assert.ok(texts.some((t) => t.startsWith(`${pat.name}:`)), texts.join(' | '));
    assert.doesNotMatch(await warning().innerText(), /@|http/, 'no addresses');
  });

  test('Settings: the banner says pages do not reach you; a bad URL, email without SMTP and SMS without Twilio are refused clearly', async () => {
    needSetup();
    await page.goto('/settings');
    await page.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Contact methods' }).waitFor();
    await banner().getByText('High-urgency pages do not reach you yet.').waitFor();
    assert.match(await banner().innerText(), /No contact method\./);
    await section().getByText('You have no contact methods yet').waitFor();

    const form = section().getByRole('form', { name: 'Add a contact method' });
    await form.getByLabel('Type').selectOption('webhook');
    await form.getByLabel('Label').fill('Pager bridge');
    await form.getByLabel('Webhook URL').fill('ftp://example.com/hook');
    await form.getByRole('button', { name: 'Add method' }).click();
    const address = form.getByLabel('Webhook URL');
    await form.getByText('must be an absolute http or https URL').waitFor();
    assert.equal(await address.getAttribute('aria-invalid'), 'true');
    const described = (await address.getAttribute('aria-describedby')) ?? '';
    assert.match(await page.locator(`[id="${described.split(' ')[0]}"]`).innerText(), /absolute http or https URL/, 'the error is tied to the field');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'address', 'focus moves to the invalid field');

    await form.getByLabel('Type').selectOption('email');
    await form.getByLabel('Email address').fill('me@example.com');
    await form.getByRole('button', { name: 'Add method' }).click();
    await form.getByRole('alert').getByText(/Email is not configured on this server: set VIGIL_SMTP_URL/).waitFor();
    await form.getByText('Email is not configured on this server', { exact: true }).waitFor();
    assert.equal(await form.getByLabel('Type').getAttribute('aria-invalid'), 'true');
    await form.getByLabel('Type').selectOption('sms');
    assert.equal(await form.getByLabel('Mobile number').getAttribute('placeholder'), '+14155550123');
    await form.getByLabel('Mobile number').fill('+1 415 555 0123');
    await form.getByRole('button', { name: 'Add method' }).click();
    await form.getByRole('alert').getByText(/SMS and voice are not configured on this server: set VIGIL_TWILIO_ACCOUNT_SID/).waitFor();
    assert.equal(receiver!.bodies.length, 0, 'nothing was sent');
    assert.deepEqual(unexpectedErrors(), []);
  });

  test('adds a webhook method; the code arrives at the receiver; a wrong code says how many attempts are left', async () => {
    needSetup();
    const form = section().getByRole('form', { name: 'Add a contact method' });
    await form.getByLabel('Type').selectOption('webhook');
    await form.getByLabel('Label').fill('Pager bridge');
    await form.getByLabel('Webhook URL').fill(receiver!.url);
    await form.getByRole('button', { name: 'Add method' }).click();
    const row = section().getByRole('row', { name: /Pager bridge/ });
    await row.waitFor();
    assert.match(await row.innerText(), /Not verified/);
    methodId = (await row.getAttribute('data-method-id')) ?? '';
    needMethod();

    const verifyForm = section().getByRole('form', { name: 'Enter the code for “Pager bridge”' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'code'); // the new method's code field has focus
    assert.equal(await verifyForm.getByLabel('Code').evaluate((el) => el === document.activeElement), true);
    const sent = await receiver!.next((b) => b.contactMethodId === methodId);
    assert.equal(sent.type, 'vigil.contact_verification');
    assert.match(sent.code, /^\d{6}$/);

    const verify = section().getByRole('form', { name: 'Enter the code for “Pager bridge”' });
    const wrong = sent.code === '000000' ? '111111' : '000000';
    // By keyboard: type into the field and press Enter.
    await verify.getByLabel('Code').focus();
    await page.keyboard.type(wrong);
    await page.keyboard.press('Enter');
    await verify.getByText('is not the code that was sent (4 attempts left)').waitFor();
    assert.equal(await verify.getByLabel('Code').getAttribute('aria-invalid'), 'true');

    // A new code within the minute: the server's 429, said as it is.
    await verify.getByRole('button', { name: 'Send a new code' }).click();
    await verify.getByRole('alert').getByText(/wait a moment before asking for another/).waitFor();
    assert.equal(receiver!.bodies.filter((b) => b.contactMethodId === methodId).length, 1, 'no second code was sent');
    assert.deepEqual(unexpectedErrors(), []);
  });

  test('the right code verifies it: the badge says Verified, the form goes away', async () => {
    needMethod();
    const sent = await receiver!.next((b) => b.contactMethodId === methodId);
    const verify = section().getByRole('form', { name: 'Enter the code for “Pager bridge”' });
    await verify.getByLabel('Code').fill(sent.code);
    await verify.getByRole('button', { name: 'Verify' }).click();
    const row = section().getByRole('row', { name: /Pager bridge/ });
    await row.getByText('Verified', { exact: true }).waitFor();
    await verify.waitFor({ state: 'detached' });
    const { methods } = await api<{ methods: { id: string; verified: boolean }[] }>(page, 'GET', '/users/me/contacts');
    assert.deepEqual(methods.map((m) => [m.id, m.verified]), [[methodId, true]]);
    // Verified, but no rule yet: still not ready, and the banner says why.
    await banner().getByText('High-urgency pages do not reach you yet.').waitFor();
    assert.match(await banner().innerText(), /notification rule for high urgency/i);
  });

  test('a high-urgency rule makes the banner say pages reach you', async () => {
    needMethod();
    const rules = section().getByRole('region', { name: 'Notification rules' });
    await rules.getByText('No rules for high urgency.').waitFor();
    const form = rules.getByRole('form', { name: 'Add a rule' });
    await form.getByLabel('Method').selectOption({ label: 'Pager bridge' });
    await form.getByLabel('Urgency').selectOption('high');
    await form.getByLabel('Delay (minutes)').fill('2000');
    await form.getByRole('button', { name: 'Add rule' }).click();
    // The browser refuses a delay over a day before anything is sent.
    assert.equal(await form.getByLabel('Delay (minutes)').evaluate((el) => (el as HTMLInputElement).validity.rangeOverflow), true);
    await rules.getByText('No rules for high urgency.').waitFor();
    await form.getByLabel('Delay (minutes)').fill('0');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await banner().getByText('High-urgency pages reach you.').waitFor();
    const high = rules.getByRole('list', { name: 'High urgency' });
    assert.deepEqual((await high.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()), ['After 0 minutes: Pager bridge Delete']);
    await rules.getByText('No rules for low urgency.').waitFor();
    const { rules: saved } = await api<{ rules: { contactMethodId: string; urgency: string; delayMinutes: number }[] }>(page, 'GET', '/users/me/contacts');
    assert.deepEqual(saved.map((r) => [r.contactMethodId, r.urgency, r.delayMinutes]), [[methodId, 'high', 0]]);
    await page.screenshot({ path: '/tmp/vigil-contacts-settings.png', fullPage: true });
    assert.deepEqual(unexpectedErrors(), []);
  });

  test('deletes a method after a confirmation (cancel keeps it)', async () => {
    needMethod();
    const form = section().getByRole('form', { name: 'Add a contact method' });
    await form.getByLabel('Type').selectOption('webhook');
    await form.getByLabel('Label').fill('Spare');
    await form.getByLabel('Webhook URL').fill(`${receiver!.url}?spare=1`);
    await form.getByRole('button', { name: 'Add method' }).click();
    const row = section().getByRole('row', { name: /Spare/ });
    await row.waitFor();
    await row.getByRole('button', { name: 'Delete contact method “Spare”' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete contact method “Spare”?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Delete contact method “Spare”' }).click();
    await dialog.getByRole('button', { name: 'Delete method' }).click();
    await row.waitFor({ state: 'detached' });
    await section().getByText('Deleted contact method “Spare”.').waitFor();
    const { methods } = await api<{ methods: { label: string }[] }>(page, 'GET', '/users/me/contacts');
    assert.deepEqual(methods.map((m) => m.label), ['Pager bridge']);
    await banner().getByText('High-urgency pages reach you.').waitFor();
  });

  test('the On-call warning no longer lists you, only the person without a method', async () => {
    needMethod();
    await page.goto('/on-call');
    await page.getByRole('heading', { level: 1, name: 'On-call' }).waitFor();
    const items = warning().getByRole('listitem');
    await items.first().waitFor();
    const texts = await items.allInnerTexts();
    assert.deepEqual(texts.map((t) => t.split(':')[0]), [pat.name]);
    assert.match(texts[0]!, /no contact method/);
  });

  test('phone width: Settings and On-call fit without sideways scrolling', async () => {
    needSetup();
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const path of ['/settings', '/on-call']) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).waitFor();
        if (path === '/settings') {
          await banner().waitFor();
          await section().screenshot({ path: '/tmp/vigil-contacts-phone-section.png' });
        }
        else await warning().waitFor();
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${path} is ${width}px wide at 390px`);
        await page.screenshot({ path: `/tmp/vigil-contacts-phone${path.replace('/', '-')}.png`, fullPage: true });
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    assert.deepEqual(unexpectedErrors(), []);
  });
});
