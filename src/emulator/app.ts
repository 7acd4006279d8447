import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { authenticate, type Principal } from './authenticate.js';
import { CONSOLE_PATH, consoleRoutes } from './console/consoleRoutes.js';
import { clockRoutes } from './control/clockRoutes.js';
import { faultRoutes } from './control/faultRoutes.js';
import { statsRoutes } from './control/statsRoutes.js';
import { truthRoutes } from './control/truthRoutes.js';
import type { EmulatorState } from './emulatorState.js';
import { countRequests, EmulatorFaults, injectFaults } from './faults/index.js';
import type { GatewayFeature } from './gateway/gatewaySchema.js';
import { GATEWAY_PATH, graphqlRoute } from './gateway/graphqlRoute.js';
import { type GatewayLimits, resolveGatewayLimits } from './gateway/queryLimits.js';
import { DEFAULT_SLICE_EDGES, type GatewaySlices } from './gateway/slicedExecution.js';
import { HttpError } from './httpError.js';
import { parseJsonBody, UNSUPPORTED_MEDIA_TYPE_TEXT } from './jsonBody.js';
import { CONNECT_PATH, CONNECT_UNAUTHORIZED, moduleRoutes } from './modules/index.js';
import { apiTokenRoutes } from './rest/apiTokenRoutes.js';
import { groupRoutes } from './rest/groupRoutes.js';
import { inventoryRoutes } from './rest/inventoryRoutes.js';
import { packageRoutes } from './rest/packageRoutes.js';
import { questionRoutes } from './rest/questionRoutes.js';
import { sensorRoutes } from './rest/sensorRoutes.js';
import { sessionRoutes } from './rest/sessionRoutes.js';
import { systemSettingRoutes } from './rest/systemSettingRoutes.js';
import { userRoutes } from './rest/userRoutes.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** Largest request body the emulator reads; larger bodies are refused with 413 before parsing. */
export const BODY_LIMIT = 1024 * 1024;

/** The message of every authentication failure: Tanium's own wording does not say which check failed. */
export const UNAUTHORIZED_TEXT =
  'Unauthorized: verify the token string is valid and that the IP of the client is listed in the api_token_trusted_ip_address_list global setting';

/**
 * Routes that answer without a `session` header: emulator controls, the console page and its assets
 * (loopback only, see console/consoleRoutes.ts), and sign-in (which Tanium Cloud refuses).
 */
const isOpenRoute = (method: string, url: string) =>
  url.startsWith('/__emulator/') ||
  (method === 'GET' && (url === CONSOLE_PATH || url.startsWith('/assets/'))) ||
  (method === 'POST' && url.startsWith('/api/v2/session/login'));

/** What surfaces may read of the app's options (resolved: every limit has its value). */
export interface SurfaceOptions {
  gatewayLimits: GatewayLimits;
  /** Optional Gateway parts the tenant lacks (none by default). */
  without: readonly GatewayFeature[];
  /** How large `endpoints` answers are sliced (gateway/slicedExecution.ts). */
  gatewaySlices: GatewaySlices;
}

export type Surface = (app: FastifyInstance, state: EmulatorState, options: SurfaceOptions) => void;

/** Each surface of the emulator registers its routes; later surfaces append here. */
export const SURFACES: readonly Surface[] = [
  apiTokenRoutes,
  systemSettingRoutes,
  sessionRoutes,
  inventoryRoutes,
  sensorRoutes,
  groupRoutes,
  packageRoutes,
  userRoutes,
  questionRoutes,
  graphqlRoute,
  clockRoutes,
  truthRoutes,
  moduleRoutes,
  consoleRoutes,
];

export interface EmulatorAppOptions {
  /** Fault rules and request statistics (see docs/emulator-faults.md); a fresh, empty set by default. */
  faults?: EmulatorFaults;
  /** Gateway request limits (docs/emulator.md); each one not given keeps its default. */
  gatewayLimits?: Partial<GatewayLimits>;
  /** Optional parts of Tanium's Gateway schema to leave out, to model a tenant without them. */
  without?: readonly GatewayFeature[];
  /** Edges per slice of a large `endpoints` answer; 250 by default, 0 answers in one piece. */
  gatewaySlices?: GatewaySlices;
}

export function buildEmulatorApp(
  state: EmulatorState,
  surfaces: readonly Surface[] = SURFACES,
  options: EmulatorAppOptions = {},
): FastifyInstance {
  const app = Fastify({ bodyLimit: BODY_LIMIT, logger: false, return503OnClosing: false });
  const faults = options.faults ?? new EmulatorFaults();
  const surfaceOptions: SurfaceOptions = {
    gatewayLimits: resolveGatewayLimits(options.gatewayLimits),
    without: options.without ?? [],
    gatewaySlices: options.gatewaySlices ?? { edges: DEFAULT_SLICE_EDGES },
  };
  app.decorateRequest('principal', null);

  // One JSON parser for every content type, so that a missing or wrong Content-Type is answered by
  // the emulator (415 for text/plain or a form), not by Fastify.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, parseJsonBody);

  // Faults and stats: count every request before authentication, decide faults after it.
  countRequests(app, faults);

  app.addHook('onRequest', async (request, reply) => {
    if (isOpenRoute(request.method, request.url)) return;
    const result = authenticate(
      state,
      request.headers.session,
      request.ip,
      request.headers['x-forwarded-for'],
    );
    if ('principal' in result) {
      request.principal = result.principal;
      return;
    }
    faults.stats.authFailure(result.failure);
    if (request.url.startsWith(GATEWAY_PATH)) {
      return reply.code(401).send({ errors: [{ message: UNAUTHORIZED_TEXT }], data: null });
    }
    // Connect answers a bad session with its own documented text.
    if (request.url.startsWith(`${CONNECT_PATH}/`)) return reply.code(401).send(CONNECT_UNAUTHORIZED);
    return reply.code(401).send({ text: UNAUTHORIZED_TEXT });
  });

  injectFaults(app, faults);
  faultRoutes(app, faults);
  statsRoutes(app, faults.stats);

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    const { status, text, headers } = describe(error);
    reply.headers(headers);
    if (request.url.startsWith(GATEWAY_PATH))
      return reply.code(status).send({ errors: [{ message: text }], data: null });
    return reply.code(status).send({ text });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ text: `NotFound: no route for ${request.method} ${request.url.split('?')[0]}` }),
  );

  for (const surface of surfaces) surface(app, state, surfaceOptions);
  return app;
}

function describe(error: FastifyError | HttpError): {
  status: number;
  text: string;
  headers: Record<string, string>;
} {
  if (error instanceof HttpError) return { status: error.status, text: error.text, headers: error.headers };
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, text: `RequestTooLarge: the body exceeds ${BODY_LIMIT} bytes`, headers: {} };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, text: `UnsupportedMediaType: ${UNSUPPORTED_MEDIA_TYPE_TEXT}`, headers: {} };
    default: {
      const status =
        error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
      const text = status === 500 ? `InternalError: ${error.message}` : `BadRequest: ${error.message}`;
      return { status, text, headers: {} };
    }
  }
}
