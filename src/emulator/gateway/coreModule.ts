import { taniumTime } from '../clock.js';
import type { GatewayModule } from './gatewayModule.js';

/** The Gateway's root types and its two smoke tests: `query { now }` and `mutation { ping }`. */
export const coreModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    "An RFC 3339 date and time, such as 2026-05-01T12:00:00Z."
    scalar Time
    type Query {
      "The current time of the server; intended as a connectivity test."
      now: Time!
    }
    type Mutation {
      "Returns true; intended as a connectivity test."
      ping: Boolean!
    }
  `,
  query: { now: (_args, { state }) => taniumTime(state.now()) },
  mutation: { ping: () => true },
};
