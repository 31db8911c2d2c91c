import { CliError, describeFetchFailure, EXIT, exitCodeForStatus, formatApiError, isApiErrorBody, parseBaseUrl } from './format.ts';

export const DEFAULT_URL = 'http://127.0.0.1:8080';
const TIMEOUT_MS = 30_000;

export interface ApiClientOptions {
  /** --url, else VIGIL_URL, else DEFAULT_URL. */
  url: string | undefined;
  urlFromFlag: boolean;
  /** --token, else VIGIL_TOKEN. */
  token: string | undefined;
  fetch: typeof fetch;
  userAgent: string;
}

export interface ApiClient {
  readonly baseUrl: string;
  /**
   * The parsed JSON body (undefined for 204), or a CliError carrying the one line and exit code.
   * `auth: false` for the public endpoints (event ingestion, keyed by its URL): no token is needed
   * and none is sent.
   */
  request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, options?: { auth?: boolean }): Promise<T>;
}

/**
 * The user commands' only way to Vigil: HTTP to /api/v1 with a bearer token. Every failure
 * becomes a CliError: unreachable (exit 3), 401/403 or no token (exit 4), any other API error (exit 1).
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const raw = options.url ?? DEFAULT_URL;
  const source = options.urlFromFlag ? 'check --url' : 'set VIGIL_URL';
  const baseUrl = parseBaseUrl(raw);
  if (!baseUrl) throw new CliError(`${options.urlFromFlag ? '--url' : 'VIGIL_URL'} "${raw}" is not an http:// or https:// URL`, EXIT.USAGE);
  const token = options.token?.trim();

  return {
    baseUrl,
    async request<T>(method: string, path: string, body?: unknown, { auth = true }: { auth?: boolean } = {}): Promise<T> {
      if (auth && !token) throw new CliError('no API token: set VIGIL_TOKEN or pass --token', EXIT.AUTH);
      const headers: Record<string, string> = { accept: 'application/json', 'user-agent': options.userAgent };
      if (auth) headers.authorization = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      let response: Response;
      let text: string;
      try {
        response = await options.fetch(`${baseUrl}/api/v1${path}`, {
          method,
          headers,
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
        text = await response.text();
      } catch (e) {
        throw new CliError(`cannot reach Vigil at ${baseUrl}: ${describeFetchFailure(e)} (${source})`, EXIT.UNREACHABLE);
      }
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (response.ok) {
        if (text && parsed === undefined) {
          throw new CliError(`${baseUrl} answered HTTP ${response.status} with something other than JSON: is it a Vigil server? (${source})`, EXIT.ERROR);
        }
        return parsed as T;
      }
      if (isApiErrorBody(parsed)) throw new CliError(formatApiError(parsed), exitCodeForStatus(response.status));
      throw new CliError(
        `HTTP ${response.status} ${response.statusText} from ${baseUrl}${path ? `/api/v1${path}` : ''}, not a Vigil API error: is it a Vigil server? (${source})`,
        exitCodeForStatus(response.status),
      );
    },
  };
}
