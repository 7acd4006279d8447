/** The one way the page talks to the service: the public /v1 API with the session cookie (docs/server.md). */

export interface ApiErrorBody {
  code: string;
  message: string;
  fix: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message);
  }
}

/** The CSRF token lives in memory only (never storage): a reload asks GET /v1/session for a fresh one. */
let csrfToken: string | undefined;
const expiredListeners = new Set<() => void>();

export function setCsrf(token: string | undefined): void {
  csrfToken = token;
}

/** Called when any call answers 401: the session expired or was ended elsewhere. */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

const SAFE = new Set(['GET', 'HEAD']);

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, {
      code: 'unreachable',
      message: 'The tanium-bridge service cannot be reached.',
      fix: 'Check that serve is running, then try again.',
    });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const error = (json as { error?: ApiErrorBody } | undefined)?.error ?? {
      code: `http_${response.status}`,
      message: `The service answered HTTP ${response.status}.`,
      fix: 'Try again; if it persists, look at the service log.',
    };
    if (response.status === 401 && path !== '/v1/session') for (const l of expiredListeners) l();
    throw new ApiError(response.status, error);
  }
  return json as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export const enc = encodeURIComponent;
