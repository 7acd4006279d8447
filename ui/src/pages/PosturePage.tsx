import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc } from '../api';
import { asApiError } from '../hooks';
import { ErrorBox, Section, when } from '../widgets';

/** The decision's shape, from docs/posture.md. */
interface Decision {
  verdict: 'allow' | 'deny' | 'ambiguous';
  rule: string | null;
  checks: { check: string; passed: boolean; sentence: string }[];
  endpoint: { endpointId: string; computerId?: string; serialNumber?: string; hostname?: string } | null;
  dataAge: { syncedAt: string | null; seconds: number | null; maxSeconds: number; stale: boolean };
  reason?: string;
  failOpen?: boolean;
}

const KEYS = [
  { by: 'serial', label: 'Serial number' },
  { by: 'hostname', label: 'Hostname' },
  { by: 'computer-id', label: 'Computer id' },
  { by: 'eid', label: 'Endpoint id' },
  { by: 'mac', label: 'MAC address' },
  { by: 'ip', label: 'IP address' },
];

/** Posture: look a device up by any key (verdict, reasons, data age); edit a policy with its problems in place. */
export function PosturePage({ connection }: { connection: string }) {
  return (
    <>
      <h1>Posture</h1>
      <Lookup connection={connection} />
      <PolicyEditor />
    </>
  );
}

function Lookup({ connection }: { connection: string }) {
  const [device, setDevice] = useState('');
  const [by, setBy] = useState('serial');
  const [policy, setPolicy] = useState('');
  const [decision, setDecision] = useState<Decision>();
  const [error, setError] = useState<ApiError>();
  const look = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setDecision(undefined);
    const query = new URLSearchParams({ by, connection });
    if (policy) query.set('policy', policy);
    try {
      setDecision(await api<Decision>('GET', `/v1/posture/${enc(device.trim())}?${query}`));
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Section title="Look a device up">
      <form onSubmit={look} className="inline">
        <label htmlFor="by">Key</label>
        <select id="by" value={by} onChange={(e) => setBy(e.target.value)}>
          {KEYS.map((k) => (
            <option key={k.by} value={k.by}>
              {k.label}
            </option>
          ))}
        </select>
        <label htmlFor="device">Device</label>
        <input id="device" value={device} onChange={(e) => setDevice(e.target.value)} required />
        <label htmlFor="lookup-policy">Policy (optional)</label>
        <input id="lookup-policy" value={policy} onChange={(e) => setPolicy(e.target.value)} />
        <button type="submit" disabled={device.trim() === ''}>
          Look up
        </button>
      </form>
      <ErrorBox error={error} />
      {decision ? <DecisionView decision={decision} /> : null}
    </Section>
  );
}

function DecisionView({ decision }: { decision: Decision }) {
  return (
    <div className="decision" aria-live="polite">
      <p role="status" className={`verdict verdict-${decision.verdict}`}>
        Verdict: {decision.verdict}
        {decision.rule ? ` (rule ${decision.rule})` : ''}
        {decision.failOpen ? ' — allowed because the policy fails open on stale data' : ''}
      </p>
      {decision.reason ? <p>{decision.reason}</p> : null}
      <ul aria-label="Reasons">
        {decision.checks.map((c) => (
          <li key={c.check} className={c.passed ? 'ok' : 'error'}>
            {c.passed ? 'passed' : 'failed'}: {c.check}: {c.sentence}
          </li>
        ))}
      </ul>
      <dl className="facts">
        <dt>Endpoint</dt>
        <dd>
          {decision.endpoint
            ? `${decision.endpoint.hostname ?? ''} (id ${decision.endpoint.endpointId}, serial ${decision.endpoint.serialNumber ?? '—'})`
            : 'none matched'}
        </dd>
        <dt>Data age</dt>
        <dd>
          {decision.dataAge.syncedAt
            ? `synced ${when(decision.dataAge.syncedAt)}, ${Math.round((decision.dataAge.seconds ?? 0) / 60)} min old`
            : 'never synced'}
          {decision.dataAge.stale ? ' — stale' : ''}
        </dd>
      </dl>
    </div>
  );
}

interface Problems {
  problems: string[];
}

/** A problem names its place as a path (`rules[2].require[0].riskLevel: …`): show it beside that line. */
export function placeOf(problem: string, source: string): number | undefined {
  const path = problem.split(':')[0] ?? '';
  const key = path
    .split('.')
    .at(-1)
    ?.replace(/\[\d+\]$/, '');
  if (!key) return undefined;
  const index = source.split('\n').findIndex((line) => new RegExp(`["']?${key}["']?\\s*:`).test(line));
  return index === -1 ? undefined : index + 1;
}

function PolicyEditor() {
  const [name, setName] = useState('');
  const [format, setFormat] = useState<'yaml' | 'json'>('yaml');
  const [source, setSource] = useState('');
  const [problems, setProblems] = useState<string[]>([]);
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState<string>();
  const load = async () => {
    setError(undefined);
    try {
      const policy = await api<{ format: 'yaml' | 'json'; source: string; version: number }>(
        'GET',
        `/v1/policies/${enc(name)}`,
      );
      setFormat(policy.format);
      setSource(policy.source);
      setSaved(`Loaded version ${policy.version}.`);
    } catch (e) {
      setError(asApiError(e));
    }
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setProblems([]);
    setSaved(undefined);
    try {
      const answer = await api<{ version: number }>('PUT', `/v1/policies/${enc(name)}`, { format, source });
      setSaved(`Saved version ${answer.version}.`);
    } catch (e) {
      const failure = asApiError(e);
      const listed = (failure.body.details as Problems | undefined)?.problems;
      if (failure.status === 422 && listed) setProblems(listed);
      else setError(failure);
    }
  };
  const lines = source.split('\n');
  return (
    <Section title="Edit a policy">
      <form onSubmit={save} className="form">
        <div className="row">
          <span className="field">
            <label htmlFor="policy-name">Policy name</label>
            <input id="policy-name" value={name} onChange={(e) => setName(e.target.value)} />
          </span>
          <span className="field">
            <label htmlFor="policy-format">Format</label>
            <select
              id="policy-format"
              value={format}
              onChange={(e) => setFormat(e.target.value as 'yaml' | 'json')}
            >
              <option value="yaml">YAML</option>
              <option value="json">JSON</option>
            </select>
          </span>
          <button type="button" className="secondary" onClick={load} disabled={name === ''}>
            Load
          </button>
        </div>
        <div className="field">
          <label htmlFor="policy-source">Policy</label>
          <textarea
            id="policy-source"
            rows={12}
            className="mono"
            value={source}
            onChange={(e) => setSource(e.target.value)}
            aria-describedby={problems.length ? 'policy-problems' : undefined}
            aria-invalid={problems.length ? true : undefined}
          />
        </div>
        {problems.length ? (
          <div role="alert">
            <ol id="policy-problems" className="problems" aria-label="Problems in the policy">
              {problems.map((p) => {
                const line = placeOf(p, source);
                return (
                  <li key={p}>
                    {line ? (
                      <span className="place">
                        Line {line} ({lines[line - 1]?.trim()}):{' '}
                      </span>
                    ) : null}
                    {p}
                  </li>
                );
              })}
            </ol>
          </div>
        ) : null}
        <ErrorBox error={error} />
        {saved ? (
          <p role="status" className="ok">
            {saved}
          </p>
        ) : null}
        <button type="submit" disabled={name === ''}>
          Save policy
        </button>
      </form>
    </Section>
  );
}
