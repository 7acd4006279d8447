import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_MAX_AGE_MS } from '../../src/connections/gatewaySchema.js';
import type { SyncEvent } from '../../src/sync/events.js';
import { GatewaySchemaError } from '../../src/sync/streamPlan.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { runCli, tempHome } from '../helpers/runCli.js';
import { syncTarget, truth } from '../helpers/syncHarness.js';
import { DIALECTS } from '../store/dialects.js';

const RISK_WARNING =
  /no Endpoint\.risk.*risk_score, risk_level and asset_criticality stay null.*posture risk checks/;

/** A tenant whose Gateway schema has no `Endpoint.risk` (an older release), over real HTTP. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ endpoints: 400, seed: 12, without: ['risk'], realism: 0 });
});
afterAll(() => h.close());

describe.each(DIALECTS)('a client that adapts to the tenant schema ($name)', (dialect) => {
  it('check reports the absent risk field once, naming what depends on it, and still succeeds', async () => {
    const home = tempHome();
    const cli = await dialect.cliEnv();
    const { env } = cli;
    expect((await runCli(['connect', '--server', h.url], { home, env, input: h.token })).code).toBe(0);
    const human = await runCli(['check'], { home, env });
    expect(human.code).toBe(0);
    expect(human.stdout).toBe('Successfully authenticated with Tanium Cloud\n');
    expect(human.stderr.match(/Warning: /g)).toHaveLength(1);
    expect(human.stderr).toMatch(RISK_WARNING);
    const json = JSON.parse((await runCli(['check', '--json'], { home, env })).stdout);
    expect(json.ok).toBe(true);
    expect(json.gateway.warnings).toHaveLength(1);
    expect(json.gateway.warnings[0]).toMatch(RISK_WARNING);
    expect(json.gateway.missing).toBeNull();
    // The schema was cached for the connection: the types the streams read, without Endpoint.risk.
    const store = await cli.open(home);
    try {
      const cached = await store.gatewaySchemas.get('default');
      expect(cached?.types['Endpoint']).toContain('compliance');
      expect(cached?.types['Endpoint']).not.toContain('risk');
      expect(cached?.types['EndpointRisk']).toBeUndefined();
    } finally {
      await store.close();
      await cli.drop();
    }
  });

  it('a sync then completes with every asset and its risk columns null, warning once', async () => {
    const target = await syncTarget(h.emulator, h.url, dialect);
    try {
      const events: SyncEvent[] = [];
      const summary = await target.sync({
        streams: ['assets', 'vulnerabilities'],
        onEvent: (e) => events.push(e),
      });
      const warnings = events.filter((e) => e.event === 'warning');
      expect(warnings).toHaveLength(1);
      expect(summary.warnings).toHaveLength(1);
      expect(summary.warnings[0]).toMatch(RISK_WARNING);
      expect(summary.skipped).toEqual({});
      expect(await target.store.sync.count('default', 'assets')).toBe((await truth(h.url)).endpoints);
      let rows = 0;
      for await (const row of target.store.sync.rows('default', 'assets')) {
        rows++;
        expect([row['risk_score'], row['risk_level'], row['asset_criticality']]).toEqual([null, null, null]);
        // Not asked for is not unknown: the risk columns are not listed as kept from an earlier answer.
        expect(row['unknown_fields']).not.toContain('risk_score');
      }
      expect(rows).toBeGreaterThan(300);
      expect(summary.streams.assets?.unknown).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('uses the cached schema within a day and reads it again after a day', async () => {
    const target = await syncTarget(h.emulator, h.url, dialect);
    try {
      const start = Date.now();
      await target.sync({ streams: ['assets'], now: () => new Date(start) });
      const first = await target.store.gatewaySchemas.get('default');
      await target.sync({ streams: ['assets'], now: () => new Date(start + 60_000) });
      expect((await target.store.gatewaySchemas.get('default'))?.fetchedAt).toBe(first?.fetchedAt);
      const later = new Date(start + SCHEMA_MAX_AGE_MS + 60_000);
      await target.sync({ streams: ['assets'], now: () => later });
      expect((await target.store.gatewaySchemas.get('default'))?.fetchedAt).toBe(later.toISOString());
    } finally {
      await target.close();
    }
  });

  it('reads the schema again when the tenant refuses a query the cached schema allowed, and goes on', async () => {
    const target = await syncTarget(h.emulator, h.url, dialect);
    try {
      // A cache from before an upgrade that removed risk: the first page is refused (HTTP 400).
      const now = new Date();
      await target.store.gatewaySchemas.put('default', { fetchedAt: now.toISOString(), types: withRisk() });
      const events: SyncEvent[] = [];
      const summary = await target.sync({ streams: ['assets'], onEvent: (e) => events.push(e) });
      expect(events.some((e) => e.event === 'retry' && /schema changed/.test(e.reason))).toBe(true);
      expect(summary.endpoints).toBe((await truth(h.url)).endpoints);
      expect((await target.store.gatewaySchemas.get('default'))?.types['Endpoint']).not.toContain('risk');
    } finally {
      await target.close();
    }
  });

  it('a required field missing fails the run before any page, naming the field, the solution and the fix', async () => {
    const target = await syncTarget(h.emulator, h.url, dialect);
    try {
      const types = withRisk();
      types['Endpoint'] = types['Endpoint']!.filter((f) => f !== 'compliance');
      await target.store.gatewaySchemas.put('default', { fetchedAt: new Date().toISOString(), types });
      const error = await target
        .sync({ streams: ['assets', 'vulnerabilities', 'compliance'] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewaySchemaError);
      const text = (error as Error).message;
      expect(text).toContain('Endpoint.compliance (Tanium Comply)');
      expect(text).toContain('vulnerabilities and compliance streams');
      expect(text).toContain('or sync only the other streams (assets');
      // No row was written; the run is recorded as failed with the message.
      expect(await target.store.sync.count('default', 'assets')).toBe(0);
      const [run] = await target.store.sync.runs('default', 1);
      expect(run).toMatchObject({ status: 'failed', error: text });
    } finally {
      await target.close();
    }
  });
});

/** The emulator's cached types as a tenant with `Endpoint.risk` would answer them. */
function withRisk(): Record<string, string[]> {
  return {
    Query: ['now', 'endpoints'],
    Endpoint: [
      'id computerID name domainName serialNumber systemUUID manufacturer model chassisType isVirtual isEncrypted',
      'os ipAddress ipAddresses macAddresses namespace lastLoggedInUser primaryUser memory processor eidFirstSeen',
      'eidLastSeen compliance sensorReadings risk',
    ]
      .join(' ')
      .split(' '),
    EndpointOS: ['name', 'generation', 'platform', 'language'],
    EndpointUser: ['name', 'email', 'department'],
    Memory: ['total'],
    Processor: ['cpu'],
    EndpointRisk: ['totalScore', 'riskLevel', 'assetCriticality'],
    EndpointCompliance: ['cveFindings', 'complianceFindings'],
    EndpointComplianceCveFinding:
      'cveId cveYear cvssScore cvssScoreV3 severity severityV3 summary firstFound lastFound absoluteFirstFoundDate isCisaKev excepted epssScore'.split(
        ' ',
      ),
    EndpointComplianceComplianceFinding:
      'id ruleId rule category state standard standardVersion profile profileVersion firstFoundDate lastScanDate excepted'.split(
        ' ',
      ),
    EndpointSensorReadingColumn: ['name', 'values', 'sensor'],
  };
}
