import type { NextStep } from '../common/nextStep.js';
import { forecastFor, type MethodForecast, rotationHealth } from '../rotation/index.js';
import { SERVER_NOW_QUERY } from '../rotation/learnToken.js';
import { PermissionError, type ProbeResult, redactSecrets, type TaniumClient } from '../sdk/index.js';
import { clientForConnection } from './client.js';
import { type ConnectionContext, readToken } from './connections.js';
import { type Diagnosis, diagnose, redactDiagnosis } from './diagnosis.js';
import { validateConnectionName } from './name.js';
import { type SchemaReport, schemaReport } from './schemaReport.js';

/** The health check's exact messages, as the connect workflow of integration products gives them (docs/check.md). */
export const CHECK_OK = 'Successfully authenticated with Tanium Cloud';
export const CHECK_FAILED =
  'Unable to connect to Tanium. Please verify your API token and API domain (e.g. acme-api.cloud.tanium.com) are correct.';
/** Said with every module report: authentication alone does not admit a token to a module. */
export const MODULES_TIP =
  'A passing check proves only that the token authenticates; each module also needs its permission on the token persona.';

export const DEFAULT_CHECK_TIMEOUT_MS = 15_000;

export interface ModuleReport {
  key: string;
  name: string;
  ok: boolean;
  /** The permission the module needs (for a refused module: the one to grant). */
  permission: string;
  /** HTTP status of a failed probe, when a response arrived. */
  status?: number;
  /** Why a probe failed, one line. */
  reason?: string;
}

export interface RotationWarning {
  level: 'warn' | 'error';
  message: string;
  next?: NextStep;
}

export interface CheckResult {
  ok: boolean;
  /** CHECK_OK or CHECK_FAILED, exactly. */
  message: string;
  /** Why it failed (cause and fix); only when `ok` is false. */
  diagnosis?: Diagnosis;
  /** The per-module permission matrix, when asked for and the token authenticates. */
  modules?: ModuleReport[];
  /** What the tenant's Gateway schema lacks of what the streams read (when the token authenticates). */
  gateway?: SchemaReport;
  /** With `modules`: which rotation method will be used and why (from the persona's permissions). */
  rotationMethod?: MethodForecast;
  /** Rotation's own view (store only): a lost token, or an expiry near with rotation not working. */
  rotation?: RotationWarning;
}

export interface CheckOptions {
  modules?: boolean;
  timeoutMs?: number;
}

/**
 * The health check: look up the current session with the stored token and, on failure, say why
 * (diagnosis.ts); with `modules`, probe each of the ten modules. Never throws for a Tanium failure:
 * the result says what happened.
 */
export async function checkConnection(
  ctx: ConnectionContext,
  name: string,
  options: CheckOptions = {},
): Promise<CheckResult> {
  validateConnectionName(name);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const { client, record } = await clientForConnection(ctx, name, {
    timeouts: { connectMs: timeoutMs, headersMs: timeoutMs, bodyMs: timeoutMs },
    // A health check answers promptly: one retry at most for a blip, never a minute of backoff.
    retry: { maxAttempts: 2, maxTotalWaitMs: 5_000 },
  });
  let token: string | undefined;
  try {
    let failure: unknown;
    let permissions: unknown;
    try {
      token = await readToken(ctx, name);
      permissions = (await client.session.current()).user.permissions;
    } catch (error) {
      failure = error;
    }
    const secrets = token === undefined ? [] : [token];
    const now = failure === undefined ? await serverNow(client) : undefined;
    const health = await rotationHealth(ctx.store, name, now ?? ctx.now?.() ?? new Date());
    const rotation: RotationWarning | undefined =
      health.level === 'ok'
        ? undefined
        : { level: health.level, message: health.message, ...(health.next ? { next: health.next } : {}) };
    if (failure !== undefined) {
      const diagnosis = redactDiagnosis(
        diagnose(failure, { name, kind: record.kind, address: record.address, token }),
        secrets,
      );
      return { ok: false, message: CHECK_FAILED, diagnosis, ...(rotation ? { rotation } : {}) };
    }
    const gateway = await schemaReport(
      { store: ctx.store, client, ...(ctx.now ? { now: ctx.now } : {}) },
      name,
      secrets,
    );
    const modules = options.modules ? await probeModules(client, secrets) : undefined;
    const rotationMethod = options.modules
      ? await forecastFor(ctx.store, name, permissions, ctx.now?.() ?? new Date())
      : undefined;
    return {
      ok: true,
      message: CHECK_OK,
      gateway,
      ...(modules ? { modules } : {}),
      ...(rotationMethod ? { rotationMethod } : {}),
      ...(rotation ? { rotation } : {}),
    };
  } finally {
    await client.close();
  }
}

async function probeModules(client: TaniumClient, secrets: readonly string[]): Promise<ModuleReport[]> {
  const results = await client.probeModules();
  return results.map((r) => moduleReport(r, secrets));
}

export function moduleReport(result: ProbeResult, secrets: readonly string[]): ModuleReport {
  const base = { key: result.key, name: result.name, ok: result.ok, permission: result.permission };
  if (result.ok || result.error === undefined) return base;
  const error = result.error;
  const reason =
    error instanceof PermissionError
      ? `needs the "${result.permission}" permission on the token's persona (HTTP 403)`
      : error.status === 404
        ? `not found (HTTP 404): is ${result.name} installed on this tenant?`
        : redactSecrets(error.message, secrets).replace(/\s*[\r\n]+\s*/g, ' ');
  return { ...base, ...(error.status === undefined ? {} : { status: error.status }), reason };
}

/** The tenant's clock (`query { now }`), which token expiry follows; undefined when the Gateway does not answer. */
async function serverNow(client: TaniumClient): Promise<Date | undefined> {
  try {
    const { now } = await client.graphql<{ now: string }>(SERVER_NOW_QUERY);
    const ms = Date.parse(now);
    return Number.isNaN(ms) ? undefined : new Date(ms);
  } catch {
    return undefined;
  }
}
