import { grantToken, revokeToken, rotateToken, visibleTokens } from '../tokenService.js';
import { gatewayToken } from '../tokenViews.js';
import { type GatewayModule, systemError } from './gatewayModule.js';

/** Gateway token operations: `myAPITokens`, `apiTokenGrant`, `apiTokenRotate`, `apiTokenRevoke` (Tanium's names). */
export const tokensModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    "An authentication token that a user can use to make requests."
    type APIToken {
      "The time at which the token was created or last rotated."
      created: Time!
      expiration: Time!
      id: ID!
      lastUsed: Time!
      notes: String!
      persona: Persona
      "Contains the string value only when the request creates or rotates a token."
      tokenString: String
      trustedIPAddresses: [String!]!
    }
    "A persona: Tanium's schema names it and gives no id."
    type Persona {
      name: String!
    }
    input APITokenGrantInput {
      expiresInDays: Int
      notes: String
      personaName: String
      trustedIPAddresses: [String!]!
    }
    type APITokenGrantPayload {
      error: SystemError
      token: APIToken
    }
    type APITokenQueryPayload {
      error: SystemError
      tokens: [APIToken!]
    }
    input APITokenRevokeInput {
      id: ID!
    }
    type APITokenRevokePayload {
      error: SystemError
    }
    input APITokenRotateInput {
      tokenString: String!
    }
    type APITokenRotatePayload {
      error: SystemError
      token: APIToken
    }
    extend type Query {
      "API tokens of the current user."
      myAPITokens: APITokenQueryPayload!
    }
    extend type Mutation {
      apiTokenGrant(input: APITokenGrantInput!): APITokenGrantPayload!
      apiTokenRevoke(input: APITokenRevokeInput!): APITokenRevokePayload!
      apiTokenRotate(input: APITokenRotateInput!): APITokenRotatePayload!
    }
  `,
  query: {
    myAPITokens: (_args, { state, principal }) => ({
      tokens: visibleTokens(state, principal)
        .filter((t) => t.userId === principal.user.id)
        .map((t) => gatewayToken(state, t)),
      error: null,
    }),
  },
  mutation: {
    apiTokenGrant: (args, { state, principal }) => {
      const input = args['input'] as {
        expiresInDays?: number | null;
        notes?: string | null;
        personaName?: string | null;
        trustedIPAddresses: string[];
      };
      try {
        const { record, tokenString } = grantToken(state, principal, {
          notes: input.notes ?? undefined,
          expireInDays: input.expiresInDays ?? undefined,
          trustedIpAddresses: input.trustedIPAddresses,
          persona: input.personaName ?? undefined,
        });
        return { token: gatewayToken(state, record, tokenString), error: null };
      } catch (error) {
        return { token: null, error: systemError(error) };
      }
    },
    apiTokenRotate: (args, { state, principal }) => {
      const input = args['input'] as { tokenString: string };
      try {
        const { record, tokenString } = rotateToken(state, principal, input.tokenString);
        return { token: gatewayToken(state, record, tokenString), error: null };
      } catch (error) {
        return { token: null, error: systemError(error) };
      }
    },
    apiTokenRevoke: (args, { state, principal }) => {
      const input = args['input'] as { id: string };
      try {
        const id = Number(input.id);
        if (!Number.isSafeInteger(id))
          return {
            error: { message: `no API token with id "${input.id}"`, retryable: false, timedOut: false },
          };
        revokeToken(state, principal, id);
        return { error: null };
      } catch (error) {
        return { error: systemError(error) };
      }
    },
  },
};
