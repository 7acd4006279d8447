import { redactSecrets, type TaniumClient } from '../sdk/index.js';
import type { Store } from '../store/store.js';
import { STREAM_NAMES, type StreamName } from '../streams/stream.js';
import { missingMessage } from '../sync/schemaNeeds.js';
import { readStreamPlan } from '../sync/streamPlan.js';

/** What `check` says of the tenant's Gateway schema: optional fields it lacks, required ones missing. */
export type SchemaReport =
  | { ok: true; fetchedAt: string | null; warnings: string[]; missing: string | null }
  | { ok: false; error: string };

/**
 * Reads the tenant's Gateway schema (refreshing the connection's cache, since `check` is when a user
 * asks what the tenant has) and plans the streams a sync would run: every stream, sensors only when
 * sensors are chosen. Never fails the check: an unreadable schema is reported as such.
 */
export async function schemaReport(
  deps: { store: Store; client: TaniumClient; now?: () => Date },
  name: string,
  secrets: readonly string[],
): Promise<SchemaReport> {
  try {
    const settings = await deps.store.sync.settings(name);
    const streams: StreamName[] = STREAM_NAMES.filter((s) => s !== 'sensors' || settings.sensors.length > 0);
    const plan = await readStreamPlan(deps, name, streams, { sensors: settings.sensors }, true);
    const cached = await deps.store.gatewaySchemas.get(name);
    return {
      ok: true,
      fetchedAt: cached?.fetchedAt ?? null,
      warnings: plan.warnings.map((w) => w.message),
      missing: plan.missing.length ? missingMessage(name, plan.missing, streams) : null,
    };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { ok: false, error: redactSecrets(text, secrets).replace(/\s*[\r\n]+\s*/g, ' ') };
  }
}
