import type { FastifyError, FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { isProblem, type ProblemKind } from '../common/problem.js';
import { redactTokens } from '../common/redact.js';
import { isTaniumError } from '../sdk/index.js';

/** Every error the API answers, in one shape: `{"error": {"code", "message", "fix"}}`. */
export interface ErrorBody {
  error: { code: string; message: string; fix: string; details?: Record<string, unknown> };
}

const STATUS: Record<ProblemKind, number> = {
  invalid: 422,
  malformed: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
  upstream: 502,
};

export function errorBody(
  code: string,
  message: string,
  fix: string,
  details?: Record<string, unknown>,
): ErrorBody {
  return { error: { code, message: redactTokens(message), fix, ...(details ? { details } : {}) } };
}

/** Fastify's own errors: schema validation, body parsing, size and media type. */
function fastifyError(error: FastifyError): { status: number; body: ErrorBody } | undefined {
  if (error.validation) {
    return {
      status: 400,
      body: errorBody(
        'invalid_request',
        `Invalid request: the ${error.message}.`,
        'Send the fields and types the OpenAPI document (/v1/openapi.json) describes.',
      ),
    };
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: errorBody('body_too_large', 'The request body is too large.', 'Send a smaller body.'),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: errorBody(
          'unsupported_media_type',
          'The request body is not JSON.',
          'Send Content-Type: application/json.',
        ),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        status: 400,
        body: errorBody('invalid_json', 'The request body is not valid JSON.', 'Send a JSON object.'),
      };
    case 'FST_CSRF_INVALID_TOKEN':
    case 'FST_CSRF_MISSING_SECRET':
      return {
        status: 403,
        body: errorBody(
          'csrf_token_invalid',
          'The CSRF token is missing or does not match this session.',
          'Send the token from the sign-in answer (or GET /v1/session) in the X-CSRF-Token header.',
        ),
      };
  }
  if (error.statusCode === 429)
    return {
      status: 429,
      body: errorBody('rate_limited', 'Too many attempts.', 'Wait a minute, then try again.'),
    };
  return undefined;
}

/** The status and body for any error; unknown errors are 500 with the request id and no detail. */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (isProblem(error)) {
    const details = Object.keys(error.details).length > 0 ? error.details : undefined;
    return { status: STATUS[error.kind], body: errorBody(error.code, error.message, error.fix, details) };
  }
  // The SDK refuses some input before any request (a path that leaves the module base, an unknown
  // module): that is the caller's mistake, not Tanium being unreachable.
  if (isTaniumError(error) && error.category === 'usage')
    return {
      status: STATUS.invalid,
      body: errorBody(
        'invalid_input',
        error.message,
        'Correct the request as the message says, then send it again.',
      ),
    };
  if (isTaniumError(error)) {
    const unreachable = error.status === undefined;
    return {
      status: unreachable ? 503 : 502,
      body: errorBody(
        unreachable ? 'tanium_unreachable' : 'tanium_error',
        error.message,
        error.retryable
          ? 'Tanium may answer if you try again later.'
          : "Check the request and the token's permissions.",
        { ...(error.status === undefined ? {} : { taniumStatus: error.status }), retryable: error.retryable },
      ),
    };
  }
  const known = fastifyError(error as FastifyError);
  if (known) return known;
  return {
    status: 500,
    body: errorBody(
      'internal',
      `Internal error (request id ${requestId}).`,
      'This is a bug in tanium-bridge: the service log has the details under this request id.',
    ),
  };
}

/** Errors become responses in exactly one place; unknown routes answer 404 in the same shape. */
export function installErrorHandlers(app: FastifyInstance, log: Logger): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error, request.id);
    if (status >= 500 && body.error.code === 'internal')
      log.error({ err: error, reqId: request.id, route: request.routeOptions.url }, 'request failed');
    reply.status(status).type('application/json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(
        errorBody(
          'route_not_found',
          `No route ${request.method} ${request.url.split('?')[0]}.`,
          'See /v1/openapi.json for the routes.',
        ),
      );
  });
}
