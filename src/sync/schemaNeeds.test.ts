import { describe, expect, it } from 'vitest';
import { STREAMS } from '../streams/index.js';
import { endpointsQuery } from './query.js';
import { missingMessage, planForSchema, STREAM_NEEDS } from './schemaNeeds.js';

/** A schema with every field the streams read, less those named. */
function schemaWithout(...absent: string[]) {
  const gone = new Set(absent);
  return { has: (type: string, field: string) => !gone.has(`${type}.${field}`) && !gone.has(type) };
}

describe('planning the query from the tenant schema', () => {
  it('everything present: no warning, nothing missing, risk and the experimental fields asked for', () => {
    const plan = planForSchema(schemaWithout(), ['assets', 'vulnerabilities', 'compliance'], { sensors: [] });
    expect(plan.warnings).toEqual([]);
    expect(plan.missing).toEqual([]);
    const query = endpointsQuery([STREAMS.assets, STREAMS.vulnerabilities, STREAMS.compliance], plan.options);
    expect(query).toContain('risk { totalScore riskLevel assetCriticality }');
    expect(query).toContain('isCisaKev excepted epssScore');
  });

  it('risk absent: one warning naming the columns and posture, no risk in the query, its fields not checked', () => {
    const plan = planForSchema(schemaWithout('Endpoint.risk', 'EndpointRisk'), ['assets'], { sensors: [] });
    expect(plan.warnings.map((w) => w.field)).toEqual(['Endpoint.risk']);
    expect(plan.warnings[0]?.message).toContain('risk_score, risk_level and asset_criticality stay null');
    expect(plan.warnings[0]?.message).toContain('posture risk checks');
    expect(plan.options.risk).toBe(false);
    expect(endpointsQuery([STREAMS.assets], plan.options)).not.toContain('risk');
  });

  it('a risk without assetCriticality: risk asked for with the fields it has', () => {
    const plan = planForSchema(schemaWithout('EndpointRisk.assetCriticality'), ['assets'], { sensors: [] });
    expect(plan.warnings.map((w) => w.field)).toEqual(['EndpointRisk.assetCriticality']);
    expect(endpointsQuery([STREAMS.assets], plan.options)).toContain('risk { totalScore riskLevel }');
  });

  it('experimental finding fields absent: left out of the query, one warning per field', () => {
    const plan = planForSchema(
      schemaWithout('EndpointComplianceCveFinding.epssScore', 'EndpointComplianceComplianceFinding.excepted'),
      ['vulnerabilities', 'compliance'],
      { sensors: [] },
    );
    expect(plan.warnings.map((w) => w.field).sort()).toEqual([
      'EndpointComplianceComplianceFinding.excepted',
      'EndpointComplianceCveFinding.epssScore',
    ]);
    const query = endpointsQuery([STREAMS.vulnerabilities, STREAMS.compliance], plan.options);
    expect(query).not.toContain('epssScore');
    expect(query).toContain('isCisaKev excepted }');
    expect(query).toMatch(/lastScanDate \}/);
  });

  it('a required field absent: missing, with every stream that needs it, and a message with the fix', () => {
    const plan = planForSchema(
      schemaWithout('Endpoint.compliance'),
      ['assets', 'vulnerabilities', 'compliance'],
      {
        sensors: [],
      },
    );
    expect(plan.missing).toEqual([
      { field: 'Endpoint.compliance', streams: ['vulnerabilities', 'compliance'], solution: 'Tanium Comply' },
    ]);
    expect(missingMessage('lab', plan.missing, ['assets', 'vulnerabilities', 'compliance'])).toBe(
      'The Gateway of "lab" lacks Endpoint.compliance (Tanium Comply), needed by the vulnerabilities and compliance streams. Fix: enable it on the tenant, or sync only the other streams (assets).',
    );
  });

  it("every stream's needs name a solution and a dependent", () => {
    for (const needs of Object.values(STREAM_NEEDS))
      for (const n of needs) expect(n.solution.length * n.dependents.length).toBeGreaterThan(0);
  });
});
