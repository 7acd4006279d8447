import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply } from 'fastify';

/** How long a `reset` waits between the partial body and the RST, so the client surely reads the part. */
const RESET_PAUSE_MS = 20;

/**
 * Answers an injected status fault the way a cloud edge would: 429 with `Retry-After` and Tanium's
 * error shape of the surface, 503 with an HTML maintenance page, anything else with the surface's
 * error shape (`{"text"}` on REST, `{"errors": [...], "data": null}` on the Gateway).
 */
export function sendStatusFault(
  reply: FastifyReply,
  fault: { status: number; retryAfter: number | undefined },
  gateway: boolean,
): FastifyReply {
  const { status, retryAfter } = fault;
  reply.code(status);
  if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
  if (status === 429) {
    return reply.send(gateway ? { errors: [{ message: 'rate limited' }] } : { text: 'Too Many Requests' });
  }
  if (status === 503) return reply.type('text/html; charset=utf-8').send(EDGE_503_HTML);
  const text = `InjectedFault: ${status} ${STATUS_CODES[status] ?? 'Error'} (injected by an emulator fault rule)`;
  return reply.send(gateway ? { errors: [{ message: text }], data: null } : { text });
}

/** `graphql-error`: HTTP 200 with `errors[]` and no data, as the Gateway reports a failed execution. */
export function sendGraphqlErrorFault(reply: FastifyReply): FastifyReply {
  return reply.code(200).send({
    errors: [{ message: 'Internal server error: injected by an emulator fault rule (graphql-error)' }],
    data: null,
  });
}

const EDGE_503_HTML = `<html>
<head><title>503 Service Temporarily Unavailable</title></head>
<body>
<center><h1>503 Service Temporarily Unavailable</h1></center>
<hr><center>cloud edge (tanium-bridge emulator: injected fault)</center>
</body>
</html>
`;

/**
 * `reset` and `truncate`: sends the status line, the headers with a `Content-Length` for the whole
 * body, and the first half of the body; then `truncate` closes the connection cleanly (FIN: the
 * client sees a short body) and `reset` aborts it (RST: the client sees ECONNRESET mid-body).
 * The caller must keep Fastify from writing anything after this.
 */
export function cutResponse(reply: FastifyReply, payload: unknown, mode: 'reset' | 'truncate'): void {
  const res = reply.raw;
  const socket = res.socket;
  const body = payloadBytes(payload);
  const headers = { ...reply.getHeaders(), 'content-length': String(body.length) };
  res.writeHead(reply.statusCode, headers as Record<string, string>);
  res.flushHeaders();
  const part = body.subarray(0, Math.floor(body.length / 2));
  const cut = () => {
    if (!socket || socket.destroyed) return;
    if (mode === 'truncate') socket.end(() => socket.destroy());
    else setTimeout(() => resetSocket(socket), RESET_PAUSE_MS);
  };
  if (part.length > 0) res.write(part, cut);
  else setImmediate(cut);
}

/** `drop-response-after-commit`: the handler has run; close the connection before any byte of the answer. */
export function dropResponse(reply: FastifyReply): void {
  reply.raw.socket?.destroy();
}

function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
}

function payloadBytes(payload: unknown): Buffer {
  if (typeof payload === 'string') return Buffer.from(payload);
  if (Buffer.isBuffer(payload)) return payload;
  // A streamed payload (none of the emulator's routes streams today) is cut before its body.
  if (payload && typeof (payload as { destroy?: unknown }).destroy === 'function')
    (payload as { destroy: () => void }).destroy();
  return Buffer.alloc(0);
}
