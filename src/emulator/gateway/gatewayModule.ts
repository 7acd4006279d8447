import type { GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import type { Principal } from '../authenticate.js';
import type { EmulatorState } from '../emulatorState.js';
import type { Fleet } from '../fleet/index.js';
import { HttpError } from '../httpError.js';
import type { CollectionStore } from './endpoints/collections.js';
import type { EdgeWindow } from './endpoints/edgeWindow.js';

/** What every Gateway resolver receives. */
export interface GatewayContext {
  state: EmulatorState;
  principal: Principal;
  /** the fleet behind `endpoints` and the result collections behind its cursors */
  gateway: {
    fleet: Fleet;
    collections: CollectionStore;
    /** the tenant refuses `UPDATED_AFTER` filters (`--without updated-after`) */
    refusesUpdatedAfter?: boolean;
  };
  /** set by the `expire-cursor` fault: the presented cursor is treated as expired */
  expireCursor?: boolean;
  /** set when a large `endpoints` answer is executed in slices: the edges this execution returns */
  edgeWindow?: EdgeWindow;
}

export type RootResolver = (
  args: Record<string, unknown>,
  context: GatewayContext,
  info: GraphQLResolveInfo,
) => unknown;

/**
 * One slice of the Gateway schema: SDL (using `extend type Query`/`Mutation` for its root
 * fields) and the root resolvers behind it. Slices are assembled in `gatewaySchema.ts`.
 */
export interface GatewayModule {
  typeDefs: string;
  query?: Record<string, RootResolver>;
  mutation?: Record<string, RootResolver>;
  /** Resolvers of non-root fields, attached to the built schema (e.g. a deprecated alias). */
  fieldResolvers?: (schema: GraphQLSchema) => void;
}

/** Tanium reports mutation failures inside the payload as `error: SystemError`, with HTTP 200. */
export function systemError(error: unknown): { message: string; retryable: boolean; timedOut: boolean } {
  if (error instanceof HttpError)
    return { message: error.message, retryable: error.status >= 500, timedOut: false };
  throw error;
}
