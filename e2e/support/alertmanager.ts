// Runs a real Prometheus Alertmanager (Debian's `prometheus-alertmanager`, 0.25) for tests and
// benchmarks: its own config, storage and port in a fresh temp dir, clustering off, a webhook
// receiver pointing where the caller says. Never the system service on :9093.
//
// The binary runs under a small sh wrapper in a process group of its own. stop() signals the group;
// if the test process dies without calling stop() (crash, timeout, kill -9), the wrapper sees its
// stdin pipe close and terminates Alertmanager, so no orphan keeps a port or a temp dir busy.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Where Debian installs it; `prometheus-alertmanager` or `alertmanager` on PATH also count. */
export const DEBIAN_ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

export const ALERTMANAGER_SKIP_REASON =
  `${DEBIAN_ALERTMANAGER} does not exist; install Debian's prometheus-alertmanager ` +
  '(scripts/ensure-test-deps.sh does, or apt-get install -y --no-install-recommends prometheus-alertmanager) to run the Alertmanager tests';

/** The receiver's name has a dot so payloads show Alertmanager regex-escaping it (`vigil\.webhook`). */
export const ALERTMANAGER_RECEIVER = 'vigil.webhook';

/** One element of the body of `POST /api/v2/alerts`. Times are RFC 3339 strings. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  /** In the past: the alert is resolved. Absent: firing until resolve_timeout (5 m) passes. */
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerOptions {
  webhookUrl: string;
  /** Go durations. Defaults: group_wait 1s, group_interval 1s, repeat_interval 1h. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Default true. */
  sendResolved?: boolean;
  /** Default ['alertname']. */
  groupBy?: string[];
}

export interface Alertmanager {
  /** e.g. http://127.0.0.1:40123 */
  url: string;
  /** Posts alerts with the v2 API; throws unless Alertmanager answers 200. */
  post(alerts: PostableAlert[]): Promise<void>;
  /** Stops the process group and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** Everything Alertmanager printed so far (it logs to stderr). */
  logs(): string;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Alertmanager binary to run, or undefined when it is not installed. */
export function alertmanagerBinary(): string | undefined {
  if (isExecutable(DEBIAN_ALERTMANAGER)) return DEBIAN_ALERTMANAGER;
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['prometheus-alertmanager', 'alertmanager']) {
      if (isExecutable(join(dir, name))) return join(dir, name);
    }
  }
  return undefined;
}

/** YAML double-quoted scalars accept JSON string syntax. */
const q = (s: string): string => JSON.stringify(s);

export function alertmanagerConfig(options: AlertmanagerOptions): string {
  const groupBy = options.groupBy ?? ['alertname'];
  return [
    'route:',
    `  receiver: ${q(ALERTMANAGER_RECEIVER)}`,
    `  group_by: [${groupBy.map(q).join(', ')}]`,
    `  group_wait: ${options.groupWait ?? '1s'}`,
    `  group_interval: ${options.groupInterval ?? '1s'}`,
    `  repeat_interval: ${options.repeatInterval ?? '1h'}`,
    'receivers:',
    `  - name: ${q(ALERTMANAGER_RECEIVER)}`,
    '    webhook_configs:',
    `      - url: ${q(options.webhookUrl)}`,
    `        send_resolved: ${options.sendResolved ?? true}`,
    '',
  ].join('\n');
}

// Runs "$@" in the background and waits for it, passing signals on; when fd 0 (a pipe from the test
// process) reaches end of file, that is, the test process is gone, it terminates the child.
const WRAPPER = `
exec 3<&0 0</dev/null
"$@" &
am=$!
{ read -r _ <&3; kill -TERM "$am" 2>/dev/null; } &
watch=$!
trap 'kill -TERM "$am" 2>/dev/null' TERM INT
while :; do
  wait "$am"; code=$?
  kill -0 "$am" 2>/dev/null || break
done
kill "$watch" 2>/dev/null
exit "$code"
`;

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Instances not stopped yet: removed on process exit (a kill -9 leaves only the temp dir behind). */
const running = new Map<number, string>();
process.on('exit', () => {
  for (const [pid, dir] of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  }
});

const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

/** Starts Alertmanager and resolves once `GET /-/ready` answers 200. */
export async function startAlertmanager(options: AlertmanagerOptions): Promise<Alertmanager> {
  const binary = alertmanagerBinary();
  if (!binary) throw new Error(ALERTMANAGER_SKIP_REASON);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, alertmanagerConfig(options));
  try {
    // A free port can be taken between probing and binding; try a few.
    for (let attempt = 1; ; attempt++) {
      try {
        return await launch(binary, dir, configFile, await freePort());
      } catch (error) {
        if (attempt < 3 && /address already in use/.test(String(error))) continue;
        throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function launch(binary: string, dir: string, configFile: string, port: number): Promise<Alertmanager> {
  const args = [
    `--config.file=${configFile}`,
    `--storage.path=${dir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
  ];
  const child: ChildProcess = spawn('/bin/sh', ['-c', WRAPPER, 'alertmanager-wrapper', binary, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = once(child, 'exit').then(([code, signal]) => (signal as string | null) ?? (code as number | null));
  // A test that forgets stop() must not keep its process alive: the wrapper cleans up when it exits.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as { unref(): void }).unref();
  const url = `http://127.0.0.1:${port}`;
  running.set(child.pid!, dir);

  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.ref();
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {}
      }, STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    child.stdin!.destroy();
    running.delete(child.pid!);
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let early: string | number | null | undefined;
  exited.then((how) => (early = how));
  for (;;) {
    if (early !== undefined) {
      await kill();
      throw new Error(`Alertmanager exited (${early}) before it was ready:\n${out}`);
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(`Alertmanager was not ready at ${url}/-/ready within ${READY_TIMEOUT_MS / 1000} s:\n${out}`);
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    url,
    logs: () => out,
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    async post(alerts) {
      const res = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`POST /api/v2/alerts answered ${res.status}: ${text}`);
    },
  };
}
