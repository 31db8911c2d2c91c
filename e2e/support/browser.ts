// Shared plumbing for the browser tests in e2e/browser: a real server with its own data directory,
// Debian's chromium with one page, listeners that collect what went wrong in the page, and a few
// API helpers the tests use to set things up without clicking.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { NODE, ROOT, type ServerProcess, startServerProcess } from './server-process.ts';

export const CHROMIUM = '/usr/bin/chromium';
/**
 * How long a page wait may take before it fails. Generous: the suite runs browser tests beside
 * database tests on two cores, where a render that takes 200 ms alone can take seconds.
 */
export const UI_TIMEOUT_MS = 30_000;

/** For `describe(…, { skip })`: false when chromium is installed, else the reason to skip. */
export const skipWithoutChromium: false | string = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} does not exist; install Debian's chromium (apt-get install -y chromium) to run the browser tests`;

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Builds web/dist if it is missing, so the server has a UI to serve. */
export function ensureWebBuilt(): void {
  if (existsSync(join(ROOT, 'web/dist/index.html'))) return;
  const result = spawnSync(NODE, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `vite build failed:\n${result.stdout}\n${result.stderr}`);
}

export interface BrowserSession {
  baseUrl: string;
  server: ServerProcess;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught page errors and unexpected dialogs (which are dismissed). */
  consoleErrors: string[];
  /** Non-API responses that failed (the UI's own files): the first thing to look at when nothing renders. */
  assetFailures: string[];
  /** Closes the browser, stops the server and removes its data directory. */
  close(): Promise<void>;
}

export interface BrowserSessionOptions {
  /** Names the temporary data directory (vigil-browser-<name>-…). */
  name: string;
  /** Extra environment for the server; VIGIL_DATA_DIR is set already. */
  env?: Record<string, string>;
  viewport?: { width: number; height: number };
}

/** Starts the server on a fresh data directory and opens chromium on it with one page. */
export async function openBrowserSession({ name, env = {}, viewport = { width: 1280, height: 900 } }: BrowserSessionOptions): Promise<BrowserSession> {
  ensureWebBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), `vigil-browser-${name}-`));
  let server: ServerProcess | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const started = startServerProcess({ VIGIL_DATA_DIR: dataDir, ...env });
    server = started;
    process.once('exit', () => started.child.kill('SIGKILL'));
    const baseUrl = await started.url;
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ viewport, baseURL: baseUrl });
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const consoleErrors: string[] = [];
    const assetFailures: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error)));
    page.on('dialog', (dialog) => {
      consoleErrors.push(`unexpected dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (response.status() >= 400 && !url.pathname.startsWith('/api/')) assetFailures.push(`${response.status()} ${url.pathname}`);
    });
    return { baseUrl, server: started, browser, context, page, consoleErrors, assetFailures, close };
  } catch (error) {
    await close().catch(() => {});
    throw error;
  }
}

/** POSTs JSON without a session (the way a monitoring tool does) and checks the status; returns the parsed answer. */
export async function postJson(baseUrl: string, path: string, body: Record<string, unknown>, expected = 202): Promise<unknown> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json();
  assert.equal(response.status, expected, JSON.stringify(answer));
  return answer;
}

/** Calls /api/v1 with the page's session; fails unless the answer is 2xx. */
export async function api<T>(page: Page, method: 'GET' | 'POST' | 'PUT', path: string, data?: Record<string, unknown>): Promise<T> {
  const response = await page.request.fetch(`/api/v1${path}`, { method, headers: { Accept: 'application/json' }, ...(data ? { data } : {}) });
  assert.ok(response.status() < 300, `${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Creates a service through the API; returns its id and first integration key. */
export async function createService(page: Page, name: string): Promise<{ id: string; key: string }> {
  const { service } = await api<{ service: { id: string; integrationKeys: { key: string }[] } }>(page, 'POST', '/services', { name });
  return { id: service.id, key: service.integrationKeys[0]!.key };
}

/** Opens the login page, saying what went wrong (the UI's files, the console) when it does not render. */
export async function openLoginPage({ page, assetFailures, consoleErrors }: BrowserSession): Promise<void> {
  await page.goto('/');
  try {
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  } catch (error) {
    const detail = assetFailures.length ? `the server refused the UI's files: ${assetFailures.join(', ')}` : `console: ${consoleErrors.join(' | ')}`;
    throw new Error(`the login page did not render; ${detail}`, { cause: error });
  }
}

/**
 * Signs in through the login page. Before signing in, the page's GET /me is answered 401: that is
 * expected, so it is taken out of `consoleErrors`; anything else logged stays there.
 */
export async function signIn(session: BrowserSession, email: string, password: string): Promise<void> {
  await openLoginPage(session);
  const { page, consoleErrors } = session;
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  const kept = consoleErrors.filter((text) => !/status of 401/.test(text));
  consoleErrors.splice(0, consoleErrors.length, ...kept);
}

/**
 * A second person in the same browser: a fresh context signed in over the API as `email`, with
 * one page whose console errors (and uncaught errors) are collected. Close it when done.
 */
export async function openSecondPerson(session: BrowserSession, email: string, password: string): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: session.baseUrl });
  try {
    const login = await context.request.post('/api/v1/auth/login', { data: { email, password } });
    if (login.status() !== 200) throw new Error(`signing in as ${email}: ${login.status()} ${await login.text()}`);
    const page = await context.newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    return { page, errors, close: () => context.close() };
  } catch (e) {
    await context.close();
    throw e;
  }
}
