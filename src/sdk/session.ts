/** The Platform session lookup: the health check's "who am I" call. */

/** `GET /api/v2/session/current` → `data`; the user carries persona, roles and permissions. */
export interface CurrentSession {
  user: {
    id: number;
    name: string;
    display_name?: string;
    domain?: string;
    personas?: { id: number; name: string }[];
    permissions?: unknown[];
    roles?: { id: number; name: string }[];
    [field: string]: unknown;
  };
}

export interface SessionCalls {
  rest<T>(method: 'GET', path: string): Promise<T>;
}

export function sessionApi(client: SessionCalls) {
  return {
    /** Who the token belongs to. Fails with AuthenticationError when the token is refused. */
    current(): Promise<CurrentSession> {
      return client.rest<CurrentSession>('GET', '/session/current');
    },
  };
}

export type SessionApi = ReturnType<typeof sessionApi>;
