import type { StreamName, StreamOptions } from '../streams/stream.js';

/** What the schema must have for a stream: a field, and who needs it if the tenant lacks it. */
export interface FieldNeed {
  type: string;
  field: string;
  /** required: the stream cannot run without it; optional: its columns stay null and a warning says so */
  required: boolean;
  /** The Tanium solution (or version) that brings the field, as Tanium's schema names it. */
  solution: string;
  /** What depends on it, in words, for the warning or the error. */
  dependents: string;
  /** Checked only when this field (`Type.field`) is present (the fields of an optional object). */
  parent?: string;
}

const need = (
  type: string,
  fields: string,
  required: boolean,
  solution: string,
  dependents: string,
): FieldNeed[] => fields.split(/\s+/).map((field) => ({ type, field, required, solution, dependents }));

const ASSET_FIELDS = `id computerID name domainName serialNumber systemUUID manufacturer model chassisType
  isVirtual isEncrypted os ipAddress ipAddresses macAddresses namespace lastLoggedInUser primaryUser memory
  processor eidFirstSeen eidLastSeen`.trim();

/**
 * Each stream's needs, from Tanium's published schema: stable fields are required; `Endpoint.risk`
 * (in Tanium's current reference, absent from older schema versions) and the experimental finding
 * fields are optional.
 */
export const STREAM_NEEDS: Readonly<Record<StreamName, readonly FieldNeed[]>> = {
  assets: [
    ...need('Query', 'endpoints', true, 'the Tanium Gateway', 'every stream'),
    ...need('Endpoint', ASSET_FIELDS, true, 'Tanium Core Content and Interact', 'the assets stream'),
    ...need(
      'EndpointOS',
      'name generation platform language',
      true,
      'Tanium Core Content',
      'the assets stream',
    ),
    ...need(
      'EndpointUser',
      'name email department',
      true,
      'Tanium Core AD Query Content',
      'the assets stream',
    ),
    ...need('Memory', 'total', true, 'Tanium Core Content', 'the assets stream'),
    ...need('Processor', 'cpu', true, 'Tanium Core Content', 'the assets stream'),
    ...need(
      'Endpoint',
      'risk',
      false,
      'Tanium Benchmark, in newer Gateway releases',
      'the assets columns risk_score, risk_level and asset_criticality stay null, so posture risk checks cannot pass',
    ),
    ...need(
      'EndpointRisk',
      'totalScore riskLevel',
      false,
      "Tanium's endpoint risk",
      'the assets columns risk_score and risk_level stay null',
    ).map((n) => ({ ...n, parent: 'Endpoint.risk' })),
    ...need(
      'EndpointRisk',
      'assetCriticality',
      false,
      "Tanium's endpoint risk",
      'the assets column asset_criticality stays null',
    ).map((n) => ({ ...n, parent: 'Endpoint.risk' })),
  ],
  vulnerabilities: [
    ...need('Endpoint', 'compliance', true, 'Tanium Comply', 'the vulnerabilities stream'),
    ...need('EndpointCompliance', 'cveFindings', true, 'Tanium Comply', 'the vulnerabilities stream'),
    ...need(
      'EndpointComplianceCveFinding',
      'cveId cveYear cvssScore cvssScoreV3 severity severityV3 summary firstFound lastFound absoluteFirstFoundDate',
      true,
      'Tanium Comply',
      'the vulnerabilities stream',
    ),
    ...need(
      'EndpointComplianceCveFinding',
      'isCisaKev excepted epssScore',
      false,
      'a newer Tanium Comply (experimental fields)',
      'the vulnerabilities columns is_cisa_kev, excepted and epss_score stay null',
    ),
  ],
  compliance: [
    ...need('Endpoint', 'compliance', true, 'Tanium Comply', 'the compliance stream'),
    ...need('EndpointCompliance', 'complianceFindings', true, 'Tanium Comply', 'the compliance stream'),
    ...need(
      'EndpointComplianceComplianceFinding',
      'id ruleId rule category state standard standardVersion profile profileVersion firstFoundDate lastScanDate',
      true,
      'Tanium Comply',
      'the compliance stream',
    ),
    ...need(
      'EndpointComplianceComplianceFinding',
      'excepted',
      false,
      'a newer Tanium Comply (experimental field)',
      'the compliance column excepted stays null',
    ),
  ],
  sensors: [
    ...need('Endpoint', 'sensorReadings', true, 'the Tanium Gateway', 'the sensors stream'),
    ...need(
      'EndpointSensorReadingColumn',
      'name values sensor',
      true,
      'the Tanium Gateway',
      'the sensors stream',
    ),
  ],
};

/** An optional field the tenant lacks: its columns stay null (one warning per field). */
export interface SchemaWarning {
  field: string;
  message: string;
}

/** A required field the tenant lacks: the streams that need it cannot run. */
export interface SchemaMissing {
  field: string;
  streams: StreamName[];
  solution: string;
}

export interface SchemaView {
  has(type: string, field: string): boolean;
}

export interface SchemaPlan {
  /** Options for the streams' selections: absent optional fields are left out. */
  options: StreamOptions;
  warnings: SchemaWarning[];
  missing: SchemaMissing[];
}

/** What the tenant's schema allows the given streams to select, and what it lacks. */
export function planForSchema(
  schema: SchemaView,
  streams: readonly StreamName[],
  base: StreamOptions,
): SchemaPlan {
  const absent = new Set<string>();
  const warnings = new Map<string, SchemaWarning>();
  const missing = new Map<string, SchemaMissing>();
  for (const stream of streams) {
    for (const n of STREAM_NEEDS[stream]) {
      if (schema.has(n.type, n.field)) continue;
      if (n.parent && absent.has(n.parent)) continue;
      const field = `${n.type}.${n.field}`;
      if (!n.required) {
        absent.add(field);
        if (!warnings.has(field))
          warnings.set(field, {
            field,
            message: `The tenant's Gateway has no ${field}, which comes with ${n.solution}: ${n.dependents}.`,
          });
        continue;
      }
      const entry = missing.get(field) ?? { field, streams: [], solution: n.solution };
      if (!entry.streams.includes(stream)) entry.streams.push(stream);
      missing.set(field, entry);
    }
  }
  const options: StreamOptions = {
    ...base,
    absent,
    risk: !absent.has('Endpoint.risk') && base.risk !== false,
  };
  return { options, warnings: [...warnings.values()], missing: [...missing.values()] };
}

/** One line per missing field: which streams cannot run and what to install, or which streams to sync. */
export function missingMessage(
  connection: string,
  missing: readonly SchemaMissing[],
  requested: readonly StreamName[],
): string {
  const blocked = new Set(missing.flatMap((m) => m.streams));
  const runnable = requested.filter((s) => !blocked.has(s));
  const reasons = missing
    .map(
      (m) =>
        `${m.field} (${m.solution}), needed by the ${m.streams.join(' and ')} stream${m.streams.length > 1 ? 's' : ''}`,
    )
    .join('; ');
  const fix = runnable.length
    ? `enable it on the tenant, or sync only the other streams (${runnable.join(',')})`
    : 'enable it on the tenant (or ask Tanium which release brings it)';
  return `The Gateway of "${connection}" lacks ${reasons}. Fix: ${fix}.`;
}
