/**
 * The one way the web app talks to the server: same-origin fetch with the session cookie, the CSRF
 * header on every change, and problem+json errors turned into ApiError (status, detail, problems).
 */
import { t } from '../text.js';
import type { Problem } from './types.js';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;

/** Remembers the CSRF token from sign-in or /api/auth/me (cleared on sign-out). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when a request answers 401 after sign-in (the session expired or was revoked). */
export function onSessionLost(handler: () => void): void {
  onUnauthenticated = handler;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }
}

async function readProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as Partial<Problem>;
      return { ...body, status: res.status };
    } catch {
      // fall through: a JSON content type with a body that is not JSON
    }
  }
  const text = await res.text().catch(() => '');
  return { status: res.status, title: res.statusText, detail: text.trim() || `HTTP ${res.status} ${res.statusText}` };
}

export interface RequestOptions {
  /** JSON body (sent as application/json) or FormData (multipart). */
  body?: unknown;
  /** Don't call the session-lost handler on 401 (sign-in and the first /me). */
  quiet401?: boolean;
}

export async function request<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(url, { method, headers, body, credentials: 'same-origin' });
  } catch (err) {
    throw new ApiError({ status: 0, title: 'Network error', detail: t('networkError', (err as Error).message) });
  }
  if (!res.ok) {
    const problem = await readProblem(res);
    if (res.status === 401 && !options.quiet401) onUnauthenticated?.();
    throw new ApiError(problem);
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const api = {
  get: <T>(url: string, options?: RequestOptions) => request<T>('GET', url, options),
  post: <T>(url: string, body?: unknown, options?: RequestOptions) => request<T>('POST', url, { ...options, body }),
  put: <T>(url: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', url, { ...options, body }),
  patch: <T>(url: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', url, { ...options, body }),
  delete: <T>(url: string, options?: RequestOptions) => request<T>('DELETE', url, options),
};
