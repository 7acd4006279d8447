/**
 * API token calls for the rotation feature to build on: the exchange (rotate: the old token dies at
 * once), and grant and revoke (create a new token, later revoke the old one by id). All are mutations,
 * never retried, and the SDK never logs their answers. A caller must persist a new token before doing
 * anything else with it.
 */
import { GraphQLError } from './errors.js';

/** REST `api_token` (Platform). `token_string` only on create and rotate. */
export interface ApiToken {
  id: number;
  name?: string;
  notes?: string;
  created_time?: string;
  expiration?: string;
  last_used_on?: string;
  expire_in_days?: number;
  trusted_ip_addresses?: string;
  deleted_flag?: number;
  persona?: { id: number; name?: string };
  user?: { id: number; name: string; display_name?: string; domain?: string };
  token_string?: string;
}

/** Gateway `APIToken`. `tokenString` is null except on grant and rotate. */
export interface GatewayApiToken {
  id: string;
  created: string;
  expiration: string;
  lastUsed: string;
  notes: string;
  persona: { name: string } | null;
  tokenString: string | null;
  trustedIPAddresses: string[];
}

export interface SystemError {
  message: string | null;
  retryable: boolean | null;
  timedOut: boolean | null;
}

/** What tokens.ts needs from the client. */
export interface TokenCalls {
  rest<T>(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    options?: { data?: unknown; secrets?: readonly string[] },
  ): Promise<T>;
  graphql<T>(
    query: string,
    variables?: Record<string, unknown>,
    options?: { secrets?: readonly string[] },
  ): Promise<T>;
}

const TOKEN_FIELDS = 'id created expiration lastUsed notes persona { name } tokenString trustedIPAddresses';

export const ROTATE_MUTATION = `mutation RotateToken($tokenString: String!) {
  apiTokenRotate(input: { tokenString: $tokenString }) {
    token { ${TOKEN_FIELDS} }
    error { message retryable timedOut }
  }
}`;

export const GRANT_MUTATION = `mutation GrantToken($input: APITokenGrantInput!) {
  apiTokenGrant(input: $input) {
    token { ${TOKEN_FIELDS} }
    error { message retryable timedOut }
  }
}`;

export const REVOKE_MUTATION = `mutation RevokeToken($id: ID!) {
  apiTokenRevoke(input: { id: $id }) {
    error { message retryable timedOut }
  }
}`;

/** What a new token is created with (the caller's persona is the one the request authenticates as). */
export interface GrantSpec {
  notes: string;
  expireInDays: number;
  /** IP addresses and CIDR ranges. */
  trustedIpAddresses: readonly string[];
}

export const MY_TOKENS_QUERY = `query MyApiTokens {
  myAPITokens {
    tokens { ${TOKEN_FIELDS} }
    error { message retryable timedOut }
  }
}`;

function payloadError(operation: string, error: SystemError | null | undefined): GraphQLError | undefined {
  if (
    error === null ||
    error === undefined ||
    (error.message === null && !error.retryable && !error.timedOut)
  ) {
    return undefined;
  }
  const suffix = error.timedOut ? ' (timed out)' : '';
  return new GraphQLError([`${operation}: ${error.message ?? 'unknown error'}${suffix}`], {
    retryable: error.retryable === true,
  });
}

export function tokenApi(client: TokenCalls) {
  return {
    /** PATCH /api/v2/api_tokens {token_string}: exchange `tokenString` for a new token (REST). */
    async rotateRest(tokenString: string): Promise<ApiToken> {
      return client.rest<ApiToken>('PATCH', '/api_tokens', {
        data: { token_string: tokenString },
        secrets: [tokenString],
      });
    },

    /** Gateway `apiTokenRotate`: exchange `tokenString` for a new token. Payload errors throw GraphQLError. */
    async rotateGraphql(tokenString: string): Promise<GatewayApiToken> {
      const data = await client.graphql<{
        apiTokenRotate: { token: GatewayApiToken | null; error: SystemError | null };
      }>(ROTATE_MUTATION, { tokenString }, { secrets: [tokenString] });
      const payload = data.apiTokenRotate;
      const failure = payloadError('apiTokenRotate', payload?.error);
      if (failure !== undefined) throw failure;
      if (!payload?.token?.tokenString) throw new GraphQLError(['apiTokenRotate returned no token'], {});
      return payload.token;
    },

    /** POST /api/v2/api_tokens: create a token for the calling user and persona (REST). */
    async grantRest(spec: GrantSpec): Promise<ApiToken> {
      return client.rest<ApiToken>('POST', '/api_tokens', {
        data: {
          notes: spec.notes,
          expire_in_days: spec.expireInDays,
          trusted_ip_addresses: spec.trustedIpAddresses.join(','),
        },
      });
    },

    /** Gateway `apiTokenGrant`: create a token for the calling user and persona. Payload errors throw GraphQLError. */
    async grantGraphql(spec: GrantSpec): Promise<GatewayApiToken> {
      const data = await client.graphql<{
        apiTokenGrant: { token: GatewayApiToken | null; error: SystemError | null };
      }>(GRANT_MUTATION, {
        input: {
          notes: spec.notes,
          expiresInDays: spec.expireInDays,
          trustedIPAddresses: [...spec.trustedIpAddresses],
        },
      });
      const payload = data.apiTokenGrant;
      const failure = payloadError('apiTokenGrant', payload?.error);
      if (failure !== undefined) throw failure;
      if (!payload?.token?.tokenString) throw new GraphQLError(['apiTokenGrant returned no token'], {});
      return payload.token;
    },

    /** DELETE /api/v2/api_tokens/{id}: revoke a token (REST). A token already gone is a NotFoundError. */
    async revokeRest(id: string): Promise<ApiToken> {
      return client.rest<ApiToken>('DELETE', `/api_tokens/${encodeURIComponent(id)}`);
    },

    /** Gateway `apiTokenRevoke`. Payload errors throw GraphQLError. */
    async revokeGraphql(id: string): Promise<void> {
      const data = await client.graphql<{ apiTokenRevoke: { error: SystemError | null } }>(REVOKE_MUTATION, {
        id,
      });
      const failure = payloadError('apiTokenRevoke', data.apiTokenRevoke?.error);
      if (failure !== undefined) throw failure;
    },

    /** GET /api/v2/api_tokens: active tokens (no token strings). */
    async list(): Promise<ApiToken[]> {
      return client.rest<ApiToken[]>('GET', '/api_tokens');
    },

    /** Gateway `myAPITokens`: the caller's tokens, with expirations (token strings are null). */
    async mine(): Promise<GatewayApiToken[]> {
      const data = await client.graphql<{
        myAPITokens: { tokens: GatewayApiToken[] | null; error: SystemError | null };
      }>(MY_TOKENS_QUERY);
      const failure = payloadError('myAPITokens', data.myAPITokens?.error);
      if (failure !== undefined) throw failure;
      return data.myAPITokens?.tokens ?? [];
    },
  };
}

export type TokenApi = ReturnType<typeof tokenApi>;
