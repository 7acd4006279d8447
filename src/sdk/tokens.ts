/**
 * API token calls for the rotation feature to build on. Rotation is an exchange: the old token dies
 * at once, so these are mutations, never retried, and the SDK never logs their answers. A caller must
 * persist the new token before doing anything else with it.
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
    method: 'GET' | 'PATCH',
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
