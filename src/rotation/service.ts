/**
 * Rotation for a stored connection, the entry points: `rotateConnection` (the `rotate` command),
 * `rotateIfDue` (cron and the later `serve`/`worker` schedulers) and `resetAfterTokenReplace`. One
 * rotation at a time per connection (lease.ts); the machine's ports are in storePorts.ts; the method
 * is chosen in method.ts; the report is built in report.ts.
 */
import { type ConnectionContext, noSuchConnection } from '../connections/connections.js';
import type { ConnectionRecord } from '../store/connections.js';
import { initialRotationRecord, type RotationRecord } from '../store/rotation.js';
import { rotationClient } from './client.js';
import { type CrashPoint, type RotationPorts, runRotation } from './driver.js';
import { describeError, isRefusal } from './errorClassification.js';
import { refusedMessage } from './health.js';
import { learnToken, saveLearned } from './learnToken.js';
import { withRotationLease } from './lease.js';
import { CLEAN_OUTCOMES, next, type RotationOutcome } from './machine.js';
import { type MethodChoice, planFor } from './method.js';
import { type ReportInput, type RotateReport, report } from './report.js';
import { DEFAULT_POLICY, type Dueness, dueness, type SchedulePolicy } from './schedule.js';
import { readSlot } from './secrets.js';
import { commitRecord, storePorts } from './storePorts.js';

export { exitCodeOf, type RotateAction, type RotateReport } from './report.js';

export interface RotateOptions {
  /**
   * `auto` (the default): grant-then-revoke where the persona may create tokens, else the exchange
   * (docs/rotation.md). `grant`, `grant-graphql`, `rest`, `graphql` force one method.
   */
  method?: MethodChoice;
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

type Early = { report: RotateReport } | { record: RotationRecord; due: Dueness | null };

/** With --if-due (or before the first rotation): learn the token's expiry and decide whether to go on. */
async function checkDue(
  ctx: ConnectionContext,
  connection: ConnectionRecord,
  record: RotationRecord,
  options: RotateOptions,
  base: Omit<ReportInput, 'outcome' | 'record'>,
): Promise<Early> {
  const now = options.now ?? (() => new Date());
  const name = connection.name;
  let due: Dueness | null = null;
  let current = record;
  const early = (outcome: ReportInput['outcome'], extra: Partial<ReportInput> = {}): Early => ({
    report: report({ ...base, outcome, record: current, ...extra }),
  });
  try {
    const client = rotationClient(connection, () => readSlot(ctx, name, 'active').then((t) => t ?? ''));
    try {
      const learned = await learnToken(client, current.tokenId, now);
      current = await saveLearned(ctx, name, learned, now().toISOString());
      if (learned.token) due = dueness(learned.token, learned.serverNowMs, options.policy ?? DEFAULT_POLICY);
    } finally {
      await client.close();
    }
  } catch (error) {
    if (options.ifDue && isRefusal(error)) return early('refused', { message: refusedMessage(name) });
    // Without --if-due, learning is a nicety (ids in the audit): rotate anyway.
    if (options.ifDue)
      return early('unknown', {
        message: `Could not learn the expiry of "${name}" from Tanium (${describeError(error)}); not rotating blindly, the next run tries again.`,
      });
  }
  if (options.ifDue && due === null)
    return early('nothing_to_do', {
      message: `Tanium lists no token of this user for "${name}", so its expiry is unknown; not rotating. A rotation that is not conditional on the expiry still works.`,
      next: { step: 'rotate', connection: name },
    });
  if (options.ifDue && due !== null && !due.due) return early('not_due', { due });
  return { record: current, due };
}

/** One rotation of a stored connection (recovering an interrupted one first). */
export async function rotateConnection(
  ctx: ConnectionContext,
  name: string,
  options: RotateOptions = {},
): Promise<RotateReport> {
  const now = options.now ?? (() => new Date());
  const connection = await ctx.store.connections.get(name);
  if (!connection) throw noSuchConnection(name);
  // What was there before waiting for the lease: tells whether another process acted meanwhile.
  const before = await ctx.store.rotation.get(name);
  return withRotationLease(ctx, name, options.waitMs ?? 60_000, async (owner, waited) => {
    const ports = storePorts(ctx, connection, owner, { now, checkpoint: options.checkpoint });
    let record = await ports.load();
    const base = { name, recovered: null as RotationOutcome | null, now: now() };
    // Someone else was rotating when we arrived and has finished: do not rotate a second time.
    const actedMeanwhile =
      (before !== undefined && before.phase !== 'idle') ||
      record.lastAttemptAt !== (before?.lastAttemptAt ?? null);
    if (waited && record.phase === 'idle' && actedMeanwhile)
      return report({ ...base, outcome: 'done_elsewhere', record });

    if (record.phase !== 'idle') {
      const result = await runRotation(ports, null);
      base.recovered = result.recovered;
      record = result.record;
      if (result.recovered === null || !CLEAN_OUTCOMES.includes(result.recovered))
        return report({ ...base, outcome: result.recovered ?? 'nothing_to_do', record });
    }

    let due: Dueness | null = null;
    if (options.ifDue || record.tokenId === null) {
      const checked = await checkDue(ctx, connection, record, options, base);
      if ('report' in checked) return checked.report;
      ({ record, due } = checked);
    }
    return rotateNow(ports, record, options.method ?? 'auto', { ...base, due, now: now() });
  });
}

async function rotateNow(
  ports: RotationPorts,
  record: RotationRecord,
  choice: MethodChoice,
  base: Omit<ReportInput, 'outcome' | 'record'>,
): Promise<RotateReport> {
  const result = await runRotation(ports, planFor(choice, record, base.now));
  return report({ ...base, outcome: result.outcome, record: result.record, fellBack: result.fellBack });
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
