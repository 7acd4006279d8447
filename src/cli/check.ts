import type { Command } from 'commander';
import { clientForConnection } from '../connections/client.js';
import { readToken } from '../connections/connections.js';
import { type Diagnosis, diagnose, redactDiagnosis } from '../connections/diagnosis.js';
import { DEFAULT_CONNECTION, validateConnectionName } from '../connections/name.js';
import { type SchemaReport, schemaReport } from '../connections/schemaReport.js';
import { forecastFor, forecastLine, type MethodForecast, rotationHealth } from '../rotation/index.js';
import { SERVER_NOW_QUERY } from '../rotation/learnToken.js';
import { PermissionError, type ProbeResult, redactSecrets, type TaniumClient } from '../sdk/index.js';
import { withConnections } from './context.js';
import { type GlobalOptions, printJson } from './output.js';
import { parseSeconds } from './parseNumber.js';

/** Seed 001's exact messages. */
export const CHECK_OK = 'Successfully authenticated with Tanium Cloud';
export const CHECK_FAILED =
  'Unable to connect to Tanium. Please verify your API token and API domain (e.g. acme-api.cloud.tanium.com) are correct.';
/** Seed 001's tip, said with every module report. */
export const MODULES_TIP =
  'A passing check proves only that the token authenticates; each module also needs its permission on the token persona.';

const DEFAULT_TIMEOUT_S = 15;

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

interface CheckOptions {
  name: string;
  modules?: boolean;
  timeout: string;
}

/**
 * `tanium-bridge check`: looks up the current session (seed 001's health check). On failure, a second
 * line says why (diagnosis.ts). `--modules` then probes the ten modules.
 */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('test the stored token: look up the current session, and say why it failed')
    .option('--name <name>', 'connection name', DEFAULT_CONNECTION)
    .option('--modules', 'also probe each of the ten modules and report which this token may use')
    .option('--timeout <seconds>', 'give up on an answer after this many seconds', String(DEFAULT_TIMEOUT_S))
    .action(async (options: CheckOptions, command: Command) => {
      const global = command.optsWithGlobals<GlobalOptions>();
      const name = validateConnectionName(options.name);
      const timeoutMs = parseSeconds(options.timeout, '--timeout');
      await withConnections(global, async (ctx) => {
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
          // Rotation's own view (store only): a lost token, or an expiry near with rotation not working.
          const now = failure === undefined ? await serverNow(client) : undefined;
          const health = await rotationHealth(ctx.store, name, now ?? ctx.now?.() ?? new Date());
          const rotation =
            health.level === 'ok' ? undefined : { level: health.level, message: health.message };
          if (failure !== undefined) {
            const diagnosis = redactDiagnosis(
              diagnose(failure, { name, kind: record.kind, address: record.address, token }),
              secrets,
            );
            reportFailure(global, diagnosis, rotation);
            return;
          }
          const gateway = await schemaReport(
            { store: ctx.store, client, ...(ctx.now ? { now: ctx.now } : {}) },
            name,
            secrets,
          );
          const modules = options.modules ? await probe(client, secrets) : undefined;
          const method = options.modules
            ? await forecastFor(ctx.store, name, permissions, ctx.now?.() ?? new Date())
            : undefined;
          reportSuccess(global, modules, rotation, method, gateway);
        } finally {
          await client.close();
        }
      });
    });
}

type RotationWarning = { level: 'warn' | 'error'; message: string } | undefined;

function reportFailure(global: GlobalOptions, diagnosis: Diagnosis, rotation: RotationWarning): void {
  process.exitCode = 1;
  if (global.json)
    printJson({ ok: false, message: CHECK_FAILED, diagnosis, ...(rotation ? { rotation } : {}) });
  else {
    const warning = rotation ? `Token rotation: ${rotation.message}\n` : '';
    process.stderr.write(`${CHECK_FAILED}\n${diagnosis.message} ${diagnosis.fix}\n${warning}`);
  }
}

function reportSuccess(
  global: GlobalOptions,
  modules: ModuleReport[] | undefined,
  rotation: RotationWarning,
  method: MethodForecast | undefined,
  gateway: SchemaReport,
): void {
  if (global.json) {
    printJson({
      ok: true,
      message: CHECK_OK,
      gateway,
      ...(modules === undefined ? {} : { modules }),
      ...(method === undefined ? {} : { rotationMethod: method }),
      ...(rotation ? { rotation } : {}),
    });
    return;
  }
  if (rotation) process.stderr.write(`Warning: token rotation: ${rotation.message}\n`);
  for (const line of schemaLines(gateway)) process.stderr.write(`Warning: ${line}\n`);
  const lines = [CHECK_OK];
  if (modules !== undefined) {
    const usable = modules.filter((m) => m.ok).length;
    lines.push(`Modules this token may use: ${usable} of ${modules.length}`);
    const width = Math.max(...modules.map((m) => m.name.length));
    for (const m of modules) {
      const label = m.name.padEnd(width);
      lines.push(m.ok ? `  ok       ${label}`.trimEnd() : `  refused  ${label}  ${m.reason ?? ''}`.trimEnd());
    }
    if (method !== undefined) lines.push(forecastLine(method));
    lines.push(MODULES_TIP);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The schema report as warning lines (none when the tenant has everything the streams read). */
function schemaLines(gateway: SchemaReport): string[] {
  if (!gateway.ok) return [`could not read the tenant's Gateway schema: ${gateway.error}`];
  return [...gateway.warnings, ...(gateway.missing ? [gateway.missing] : [])];
}

async function probe(client: TaniumClient, secrets: readonly string[]): Promise<ModuleReport[]> {
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
