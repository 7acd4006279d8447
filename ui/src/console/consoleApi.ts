/** The emulator console's data routes (src/emulator/console/consoleRoutes.ts). */

export interface ApiToken {
  id: number;
  notes: string;
  created_time: string;
  expiration: string;
  last_used_on: string;
  trusted_ip_addresses: string;
  user: { name: string };
  persona: { name: string };
  token_string?: string;
}

export interface TokenList {
  nowMs: number;
  user: string;
  defaultDays: number;
  maxDays: number;
  tokens: ApiToken[];
}

export const BASE = '/__emulator/console';

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json().catch(() => ({}))) as { text?: string };
  if (!response.ok) throw new Error(json.text ?? `HTTP ${response.status}`);
  return json as T;
}

/** Tanium's rule: a token string can be viewed for five minutes after it is created. */
export const VIEW_WINDOW_MS = 5 * 60_000;
