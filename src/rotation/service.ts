/**
 * Rotation for a stored connection: the state machine's ports over the store and the SDK, one
 * rotation at a time per connection across processes (lease `rotation:<name>`), learning the token's
 * id and expiry from the server's clock, and the entry points `rotateConnection` (the `rotate`
 * command) and `rotateIfDue` (cron and the later `serve`/`worker` schedulers).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { redactTokens } from '../common/redact.js';
import { UserError } from '../common/userError.js';
import { type ConnectionContext, noSuchConnection } from '../connections/connections.js';
import {
  AuthenticationError,
  ClientConfigError,
  ConnectionError,
  GraphQLError,
  InvalidRequestError,
  InvalidRequestPathError,
  NotFoundError,
  PermissionError,
  RateLimitError,
  redactSecrets,
  type TaniumClient,
  TaniumError,
  TimeoutError,
} from '../sdk/index.js';
import type { ConnectionRecord } from '../store/connections.js';
import { initialRotationRecord, type RotationMethod, type RotationRecord } from '../store/rotation.js';
import { rotationClient } from './client.js';
import {
  type CrashPoint,
  type ProbeResult,
  type RotateResult,
  type RotationPorts,
  runRotation,
} from './driver.js';
import { lostMessage, refusedMessage } from './health.js';
import { next, type RotationEffect, type RotationOutcome } from './machine.js';
import {
  DEFAULT_POLICY,
  type Dueness,
  dueness,
  humanDuration,
  pickToken,
  type SchedulePolicy,
} from './schedule.js';
import { readSlot, seal } from './secrets.js';

export const leaseKey = (name: string) => `rotation:${name}`;
/** Long enough for one run (a few calls with timeouts); renewed at every commit. */
const LEASE_TTL_MS = 5 * 60_000;

export interface RotateOptions {
  /** `rest` (PATCH /api/v2/api_tokens, the default) or `graphql` (apiTokenRotate). */
  method?: RotationMethod;
  /** Rotate only when due (server clock). */
  ifDue?: boolean;
  policy?: SchedulePolicy;
  /** Local clock (tests). Server time is always learned from Tanium. */
  now?: () => Date;
  /** How long to wait for another process's rotation of the same connection (default 60 s). */
  waitMs?: number;
  /** Test hook: called at each crash point (see CRASH_POINTS). */
  checkpoint?: (point: CrashPoint) => void | Promise<void>;
}

export type RotateAction = RotationOutcome | 'not_due' | 'done_elsewhere' | 'nothing_to_do';

export interface RotateReport {
  name: string;
  /** What this run did or found. */
  outcome: RotateAction;
  /** When an interrupted attempt was found first, how its recovery ended. */
  recovered: RotationOutcome | null;
  method: RotationMethod | null;
  attemptId: string | null;
  oldTokenId: string | null;
  newTokenId: string | null;
  phase: RotationRecord['phase'];
  tokenId: string | null;
  expiresAt: string | null;
  due: Dueness | null;
  error: string | null;
  /** One paragraph for people; never holds a token. */
  message: string;
}

/** Rotations that ended well or had nothing to do exit 0; failures 1; a token that needs a human 3. */
export function exitCodeOf(outcome: RotateAction): number {
  switch (outcome) {
    case 'rotated':
    case 'not_due':
    case 'done_elsewhere':
    case 'nothing_to_do':
    case 'replaced':
      return 0;
    case 'lost':
    case 'refused':
    case 'blocked':
      return 3;
    default:
      return 1;
  }
}

/** A one-line, redacted description of a failure (never the token, even when not token-shaped). */
export function describeError(error: unknown, secrets: readonly (string | undefined)[] = []): string {
  const known = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  let text: string;
  if (error instanceof ConnectionError || error instanceof TimeoutError)
    text = `${error.message} (${error.code})`;
  else if (error instanceof Error) text = error.message;
  else text = String(error);
  return redactTokens(redactSecrets(text, known)).replace(/\s+/g, ' ').slice(0, 500);
}

/** Tanium refused the token: 401 on REST (AuthenticationError) or the Gateway (errors[] with HTTP 401). */
export function isRefusal(error: unknown): boolean {
  return error instanceof AuthenticationError || (error instanceof TaniumError && error.status === 401);
}

/**
 * How the rotate call ended. Only definite answers count as "nothing happened"; anything else that
 * may have reached the server (timeouts, resets, dropped answers, 5xx, an unreadable body) is
 * unknown and must be probed, never retried.
 */
export function classifyRotateError(error: unknown): Exclude<RotateResult['kind'], 'answered'> {
  if (isRefusal(error)) return 'refused';
  if (error instanceof ConnectionError || error instanceof TimeoutError)
    return error.mayHaveReachedServer ? 'no_answer' : 'not_sent';
  if (error instanceof ClientConfigError || error instanceof InvalidRequestPathError) return 'not_sent';
  if (error instanceof GraphQLError) {
    // A payload `error` is Tanium's own answer; `(timed out)` means it may still have run.
    const payload = error.messages.every(
      (m) => m.startsWith('apiTokenRotate: ') && !m.endsWith('(timed out)'),
    );
    return payload && error.status === undefined ? 'rejected' : 'no_answer';
  }
  if (
    error instanceof InvalidRequestError ||
    error instanceof PermissionError ||
    error instanceof NotFoundError ||
    error instanceof RateLimitError
  )
    return 'rejected';
  return 'no_answer';
}

/** A probe: 401 means the token is refused; any other answer from Tanium (even 403) means it works. */
export function classifyProbeError(error: unknown): ProbeResult['kind'] {
  if (isRefusal(error)) return 'refused';
  if (
    error instanceof TaniumError &&
    error.status !== undefined &&
    error.status >= 400 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  )
    return 'ok';
  return 'unreachable';
}

async function probe(connection: ConnectionRecord, token: string | undefined): Promise<ProbeResult> {
  if (token === undefined) return { kind: 'refused', error: 'no token stored in this slot' };
  const client = rotationClient(connection, token);
  try {
    await client.session.current();
    return { kind: 'ok' };
  } catch (error) {
    const kind = classifyProbeError(error);
    return kind === 'ok' ? { kind } : { kind, error: describeError(error, [token]) };
  } finally {
    await client.close();
  }
}

async function exchange(
  connection: ConnectionRecord,
  token: string | undefined,
  method: RotationMethod,
  now: () => Date,
): Promise<RotateResult> {
  if (token === undefined) return { kind: 'not_sent', error: 'no token stored' };
  const client = rotationClient(connection, token);
  try {
    const issued =
      method === 'rest'
        ? await client.tokens.rotateRest(token).then((t) => ({
            id: String(t.id),
            secret: t.token_string,
            created: t.created_time ?? null,
            expiration: t.expiration ?? null,
          }))
        : await client.tokens.rotateGraphql(token).then((t) => ({
            id: String(t.id),
            secret: t.tokenString ?? undefined,
            created: t.created,
            expiration: t.expiration,
          }));
    const received = now().getTime();
    if (issued.secret === undefined || issued.secret === '')
      return { kind: 'no_answer', error: 'Tanium answered the rotation without a token string' };
    const clockOffsetMs = issued.created === null ? null : Date.parse(issued.created) - received;
    return {
      kind: 'answered',
      token: { id: issued.id, created: issued.created, expiration: issued.expiration },
      secret: issued.secret,
      clockOffsetMs: Number.isFinite(clockOffsetMs) ? clockOffsetMs : null,
    };
  } catch (error) {
    const kind = classifyRotateError(error);
    return { kind, error: describeError(error, [token]) };
  } finally {
    await client.close();
  }
}

/** The ports over the store and Tanium, for one connection, holding the lease `owner`. */
export function storePorts(
  ctx: ConnectionContext,
  connection: ConnectionRecord,
  owner: string,
  options: { now: () => Date; checkpoint?: RotateOptions['checkpoint'] },
): RotationPorts {
  const name = connection.name;
  return {
    async load() {
      return (await ctx.store.rotation.get(name)) ?? initialRotationRecord(options.now().toISOString());
    },
    async commit(record, effects) {
      await commitRecord(ctx, name, record, effects, owner);
    },
    rotate: async (method) => exchange(connection, await readSlot(ctx, name, 'active'), method, options.now),
    verifyPending: async () => probe(connection, await readSlot(ctx, name, 'pending')),
    probeOld: async () => probe(connection, await readSlot(ctx, name, 'active')),
    now: () => options.now().toISOString(),
    newAttemptId: () => randomUUID(),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  };
}

/** Persists a record and its effects in one transaction, renewing (and checking) the lease. */
export async function commitRecord(
  ctx: ConnectionContext,
  name: string,
  record: RotationRecord,
  effects: readonly RotationEffect[],
  owner: string | null,
): Promise<void> {
  // Sealing loads the master key from disk: do it before taking the write lock.
  const sealed = effects.flatMap((e) => (e.kind === 'store_pending' ? [seal(ctx, name, e.secret)] : []));
  const now = record.updatedAt;
  await ctx.store.transaction(async (tx) => {
    if (owner !== null && !(await tx.leases.acquire(leaseKey(name), owner, LEASE_TTL_MS, Date.now())))
      throw new Error(`rotation of "${name}": the lease was lost to another process; nothing was written`);
    for (const effect of effects) {
      switch (effect.kind) {
        case 'store_pending': {
          const secret = sealed.shift();
          if (secret) await tx.secrets.put(name, 'pending', secret, now);
          break;
        }
        case 'promote_pending': {
          const pending = await tx.secrets.get(name, 'pending');
          if (!pending) throw new Error(`rotation of "${name}": no pending token to promote`);
          await tx.secrets.put(name, 'active', pending, now);
          await tx.secrets.remove(name, 'pending');
          await tx.connections.touch(name, now);
          break;
        }
        case 'discard_pending':
          await tx.secrets.remove(name, 'pending');
          break;
        case 'audit':
          await tx.rotation.audit({ ...effect.entry, connectionName: name });
          break;
      }
    }
    await tx.rotation.put(name, record);
  });
}

/** Same host and the pid no longer runs: the holder crashed. */
function holderIsDead(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isSafeInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the connection's rotation lease, waiting (up to `waitMs`) while another process holds it; a
 * crashed holder on this machine is detected and its lease taken over. `waited` tells the caller that
 * someone else was rotating when it arrived.
 */
export async function withRotationLease<T>(
  ctx: ConnectionContext,
  name: string,
  waitMs: number,
  fn: (owner: string, waited: boolean) => Promise<T>,
): Promise<T> {
  const owner = `${hostname()}:${process.pid}:${randomUUID()}`;
  const key = leaseKey(name);
  const deadline = Date.now() + waitMs;
  let waited = false;
  while (!(await ctx.store.leases.acquire(key, owner, LEASE_TTL_MS, Date.now()))) {
    waited = true;
    const holder = await ctx.store.leases.get(key);
    if (holder && holderIsDead(holder.owner)) {
      await ctx.store.leases.release(key, holder.owner);
      continue;
    }
    if (Date.now() >= deadline)
      throw new UserError(
        `Another process is rotating the token of "${name}" and did not finish within ${Math.round(waitMs / 1000)} s; try again later.`,
      );
    await sleep(100);
  }
  try {
    return await fn(owner, waited);
  } finally {
    await ctx.store.leases.release(key, owner);
  }
}

export interface LearnedToken {
  serverNowMs: number;
  clockOffsetMs: number;
  token: { id: string; created: string; expiration: string } | null;
  /** False when several tokens could be this connection's and the earliest expiry was taken. */
  certain: boolean;
}

/**
 * Learns the server's time (`query { now }`) and which of the caller's tokens is this connection's
 * (`myAPITokens`, see pickToken) with its expiry.
 */
export async function learnToken(
  client: TaniumClient,
  knownId: string | null,
  now: () => Date,
): Promise<LearnedToken> {
  const before = now().getTime();
  const data = await client.graphql<{ now: string }>('query ServerNow { now }');
  const after = now().getTime();
  const serverNowMs = Date.parse(data.now);
  if (!Number.isFinite(serverNowMs)) throw new Error('Tanium answered `now` with an unreadable time');
  const clockOffsetMs = serverNowMs - Math.round((before + after) / 2);
  const mine = await client.tokens.mine();
  const picked = pickToken(
    mine.map((t) => ({
      id: String(t.id),
      created: t.created,
      expiration: t.expiration,
      lastUsed: t.lastUsed ?? null,
    })),
    knownId,
    serverNowMs,
  );
  return {
    serverNowMs,
    clockOffsetMs,
    token: picked
      ? { id: picked.token.id, created: picked.token.created, expiration: picked.token.expiration }
      : null,
    certain: picked?.certain ?? false,
  };
}

/** Records what was learned about the active token (only while no attempt is in progress). */
async function saveLearned(
  ctx: ConnectionContext,
  name: string,
  learned: LearnedToken,
  at: string,
): Promise<RotationRecord> {
  return ctx.store.transaction(async (tx) => {
    const record = (await tx.rotation.get(name)) ?? initialRotationRecord(at);
    if (record.phase !== 'idle') return record;
    const updated: RotationRecord = {
      ...record,
      clockOffsetMs: learned.clockOffsetMs,
      ...(learned.token
        ? {
            tokenId: learned.certain ? learned.token.id : record.tokenId,
            tokenCreated: learned.token.created,
            tokenExpiration: learned.token.expiration,
          }
        : {}),
      updatedAt: at,
    };
    await tx.rotation.put(name, updated);
    return updated;
  });
}

function report(
  name: string,
  outcome: RotateAction,
  recovered: RotationOutcome | null,
  record: RotationRecord,
  extra: { due?: Dueness | null; message?: string } = {},
  now: Date,
): RotateReport {
  const flag = name === 'default' ? '' : ` --name ${name}`;
  const serverNow = now.getTime() + (record.clockOffsetMs ?? 0);
  const expiry =
    record.tokenExpiration === null
      ? ''
      : ` It expires at ${record.tokenExpiration} (in ${humanDuration(Date.parse(record.tokenExpiration) - serverNow)}).`;
  const via =
    record.method === 'graphql' ? 'the Gateway (apiTokenRotate)' : 'REST (PATCH /api/v2/api_tokens)';
  const messages: Record<RotateAction, () => string> = {
    rotated: () =>
      `${recovered === 'rotated' ? 'Finished an interrupted rotation' : 'Rotated the token'} of "${name}" via ${via}: token id ${record.oldTokenId ?? '(unknown)'} → ${record.tokenId ?? '(unknown)'}; the new token is stored and verified, the old one no longer works.${expiry}`,
    failed: () =>
      `Rotation of "${name}" failed: ${record.lastError ?? 'no detail'}. Nothing was exchanged and the stored token still works; the next run tries again.`,
    not_exchanged: () =>
      `Rotation of "${name}" got no answer (${record.lastError ?? 'no detail'}). Nothing was exchanged and the stored token still works; the next run tries again.`,
    unknown: () =>
      `Rotation of "${name}" got no answer and Tanium could not be reached to check whether it exchanged the token (${record.lastError ?? 'no detail'}). Nothing is retried blindly: the next \`tanium-bridge rotate${flag}\` checks first.`,
    verify_pending: () =>
      `A new token for "${name}" (id ${record.newTokenId ?? 'unknown'}) was received and stored, but could not be verified yet (${record.lastError ?? 'no detail'}); the next \`tanium-bridge rotate${flag}\` verifies and activates it.`,
    lost: () => lostMessage(name, record),
    refused: () => refusedMessage(name),
    blocked: () => (record.phase === 'lost' ? lostMessage(name, record) : refusedMessage(name)),
    replaced: () => `The token of "${name}" was replaced; rotation starts over from it.`,
    not_due: () => `Not rotating "${name}": ${extra.due?.reason ?? 'not due'}.`,
    done_elsewhere: () =>
      `Another process rotated "${name}" just now (outcome: ${record.lastOutcome ?? 'unknown'}); nothing more to do.${expiry}`,
    nothing_to_do: () => `Nothing to do for "${name}".${expiry}`,
  };
  return {
    name,
    outcome,
    recovered,
    method: record.method,
    attemptId: record.attemptId,
    oldTokenId: record.oldTokenId,
    newTokenId: record.newTokenId,
    phase: record.phase,
    tokenId: record.tokenId,
    expiresAt: record.tokenExpiration,
    due: extra.due ?? null,
    error: outcome === 'rotated' || outcome === 'not_due' ? null : record.lastError,
    message: extra.message ?? messages[outcome](),
  };
}

/** One rotation of a stored connection (recovering an interrupted one first). */
export async function rotateConnection(
  ctx: ConnectionContext,
  name: string,
  options: RotateOptions = {},
): Promise<RotateReport> {
  const now = options.now ?? (() => new Date());
  const method = options.method ?? 'rest';
  const connection = await ctx.store.connections.get(name);
  if (!connection) throw noSuchConnection(name);
  // What was there before waiting for the lease: tells whether another process acted meanwhile.
  const before = await ctx.store.rotation.get(name);
  return withRotationLease(ctx, name, options.waitMs ?? 60_000, async (owner, waited) => {
    const ports = storePorts(ctx, connection, owner, {
      now,
      ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    });
    let record = await ports.load();
    // Someone else was rotating when we arrived and has finished: do not exchange a second time.
    const actedMeanwhile =
      (before !== undefined && before.phase !== 'idle') ||
      record.lastAttemptAt !== (before?.lastAttemptAt ?? null);
    if (waited && record.phase === 'idle' && actedMeanwhile)
      return report(name, 'done_elsewhere', null, record, {}, now());

    let recovered: RotationOutcome | null = null;
    if (record.phase !== 'idle') {
      const result = await runRotation(ports, null);
      recovered = result.recovered;
      record = result.record;
      if (recovered !== 'not_exchanged')
        return report(name, recovered ?? 'nothing_to_do', recovered, record, {}, now());
    }

    let due: Dueness | null = null;
    if (options.ifDue || record.tokenId === null) {
      try {
        const client = rotationClient(connection, () => readSlot(ctx, name, 'active').then((t) => t ?? ''));
        try {
          const learned = await learnToken(client, record.tokenId, now);
          record = await saveLearned(ctx, name, learned, now().toISOString());
          if (learned.token)
            due = dueness(
              { created: learned.token.created, expiration: learned.token.expiration },
              learned.serverNowMs,
              options.policy ?? DEFAULT_POLICY,
            );
        } finally {
          await client.close();
        }
      } catch (error) {
        if (options.ifDue && isRefusal(error))
          return report(name, 'refused', recovered, record, { message: refusedMessage(name) }, now());
        // Without --if-due, learning is a nicety (ids in the audit): rotate anyway.
        if (options.ifDue)
          return report(
            name,
            'unknown',
            recovered,
            record,
            {
              message: `Could not learn the expiry of "${name}" from Tanium (${describeError(error)}); not rotating blindly, the next run tries again.`,
            },
            now(),
          );
      }
      if (options.ifDue && due === null)
        return report(
          name,
          'nothing_to_do',
          recovered,
          record,
          {
            message: `Tanium lists no token of this user for "${name}", so its expiry is unknown; not rotating. Run \`tanium-bridge rotate\` to rotate anyway.`,
          },
          now(),
        );
      if (options.ifDue && due !== null && !due.due)
        return report(name, 'not_due', recovered, record, { due }, now());
    }

    const result = await runRotation(ports, method);
    return report(
      name,
      result.outcome === 'nothing_to_do' ? 'nothing_to_do' : result.outcome,
      recovered,
      result.record,
      { due },
      now(),
    );
  });
}

/**
 * The scheduler hook for `serve` and `worker` (and `rotate --if-due` from cron): rotates the
 * connection's token when it is due by the server's clock, finishing or diagnosing an interrupted
 * rotation first. Never throws for Tanium failures: the report says what happened.
 */
export function rotateIfDue(
  ctx: ConnectionContext,
  name: string,
  options: Omit<RotateOptions, 'ifDue'> = {},
): Promise<RotateReport> {
  return rotateConnection(ctx, name, { ...options, ifDue: true });
}

/**
 * After `token replace` (or `connect` with a new token): the rotation state starts over from the new
 * token, which clears `lost` and `refused` and abandons any attempt in progress.
 */
export async function resetAfterTokenReplace(
  ctx: ConnectionContext,
  name: string,
  now: Date = new Date(),
): Promise<void> {
  const at = now.toISOString();
  const record = (await ctx.store.rotation.get(name)) ?? initialRotationRecord(at);
  const step = next(record, { type: 'token_replaced', at });
  await commitRecord(ctx, name, step.record, step.effects, null);
}
