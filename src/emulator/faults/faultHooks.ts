import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GATEWAY_PATH } from '../gateway/graphqlRoute.js';
import type { EmulatorFaults } from './emulatorFaults.js';
import { cutResponse, dropResponse, sendGraphqlErrorFault, sendStatusFault } from './faultResponses.js';
import type { Fault } from './faultRules.js';
import { type GatewayRequestInfo, gatewayRequestInfo } from './gatewayOperation.js';

/** The fault decided for one request, readable by route handlers as `request.faults`. */
export interface RequestFaults {
  /** The rule's fault string, e.g. `expire-cursor`. */
  fault: string;
  kind: Fault['kind'];
  /** True when an `expire-cursor` rule chose this request: treat the presented cursor as expired. */
  expireCursor: boolean;
  /** `latency-after-commit`: how long the answer waits after the handler ran. */
  afterCommitMs?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The injected fault for this request, or null (the usual case). Set before the handler runs. */
    faults: RequestFaults | null;
  }
}

/**
 * For the Gateway's cursor check: true when an `expire-cursor` fault rule chose this request.
 * The cursor code should then answer exactly as for a cursor that expired by the clock.
 */
export function cursorExpiryInjected(request: FastifyRequest): boolean {
  return request.faults?.expireCursor === true;
}

/** The faults that act on the serialized answer in `onSend`: they cut, drop or delay the whole body. */
const ANSWER_FAULTS: ReadonlySet<Fault['kind']> = new Set([
  'reset',
  'truncate',
  'drop-response-after-commit',
  'latency-after-commit',
]);

/** True when this request's fault acts on the serialized answer, so the Gateway answers it in one piece. */
export function faultActsOnAnswer(request: FastifyRequest): boolean {
  const kind = request.faults?.kind;
  return kind !== undefined && ANSWER_FAULTS.has(kind);
}

const isControl = (url: string) => url.startsWith('/__emulator/');

/** Counts every request except `/__emulator/*`. Registered before the auth hook, so refused requests count too. */
export function countRequests(app: FastifyInstance, faults: EmulatorFaults): void {
  app.addHook('onRequest', async (request) => {
    if (!isControl(request.url)) faults.stats.request(request.method, request.routeOptions.url);
  });
}

/**
 * Decides and applies faults. The decision runs in `preHandler`: after authentication (a refused
 * request neither gets a fault nor uses up a `count`) and after the body is parsed (so a rule can
 * match a Gateway operation). Status, graphql-error and latency act there; reset, truncate,
 * latency-after-commit and drop-response-after-commit let the handler run and act on the serialized
 * answer in `onSend`.
 */
export function injectFaults(app: FastifyInstance, faults: EmulatorFaults): void {
  app.decorateRequest('faults', null);

  app.addHook('preHandler', async (request, reply) => {
    if (!faults.active || isControl(request.url)) return;
    const path = request.url.split('?')[0] ?? request.url;
    const gateway = path === GATEWAY_PATH;
    let info: GatewayRequestInfo | undefined | null = null;
    const decision = faults.decide({
      method: request.method,
      path,
      gateway: () => {
        if (info === null) info = gateway ? gatewayRequestInfo(request.body) : undefined;
        return info;
      },
    });
    if (!decision) return;
    const { fault, rule } = decision;
    request.faults = {
      fault: rule.fault,
      kind: fault.kind,
      expireCursor: fault.kind === 'expire-cursor',
      ...(fault.kind === 'latency-after-commit' ? { afterCommitMs: fault.ms } : {}),
    };
    switch (fault.kind) {
      case 'status':
        return sendStatusFault(reply, fault, gateway);
      case 'graphql-error':
        return gateway
          ? sendGraphqlErrorFault(reply)
          : sendStatusFault(reply, { status: 500, retryAfter: undefined }, false);
      case 'latency':
        await sleep(fault.ms);
        return;
      default:
        return;
    }
  });

  // Callback style on purpose: for a cut or dropped answer `done` is never called, so Fastify never
  // writes to a socket this hook has taken over (the request ends when the socket closes).
  app.addHook('onSend', (request, reply, payload, done) => {
    // Only the faults listed in ANSWER_FAULTS act here: the Gateway streams every other large answer.
    if (!faultActsOnAnswer(request)) return done(null, payload);
    const kind = request.faults?.kind;
    if (kind === 'reset' || kind === 'truncate') return cutResponse(reply, payload, kind);
    if (kind === 'drop-response-after-commit') return dropResponse(reply);
    if (kind === 'latency-after-commit') {
      setTimeout(() => done(null, payload), request.faults?.afterCommitMs ?? 0);
      return;
    }
    done(null, payload);
  });
}
