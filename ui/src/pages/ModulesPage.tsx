import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc } from '../api';
import { asApiError, useGet } from '../hooks';
import { MODULES } from '../types';
import { Empty, ErrorBox, Scroll, Section, when } from '../widgets';

interface Answer {
  status: number;
  data: unknown;
  durationMs: number;
  auditId: number;
}

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  module: string;
  method: string;
  path: string;
  status: number | null;
  durationMs: number;
  outcome: string;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** One call to a module's API (path relative to the module's base), its answer, and the audit log. */
export function ModulesPage({ connection }: { connection: string }) {
  const [module, setModule] = useState<string>('platform');
  const [method, setMethod] = useState('GET');
  const [path, setPath] = useState('');
  const [body, setBody] = useState('');
  const [bodyError, setBodyError] = useState<string>();
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<ApiError>();
  const audit = useGet<{ entries: AuditEntry[] }>(`/v1/audit?connection=${enc(connection)}&limit=20`);
  const send = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    setAnswer(undefined);
    setBodyError(undefined);
    let parsed: unknown;
    if (body.trim() !== '') {
      try {
        parsed = JSON.parse(body);
      } catch {
        setBodyError('The body is not valid JSON: fix it or leave it empty.');
        return;
      }
    }
    try {
      const request = { method, path: path || '/', ...(parsed === undefined ? {} : { body: parsed }) };
      setAnswer(
        await api<Answer>('POST', `/v1/connections/${enc(connection)}/modules/${module}/request`, request),
      );
    } catch (e) {
      setError(asApiError(e));
    } finally {
      audit.reload();
    }
  };
  return (
    <>
      <h1>Module console of {connection}</h1>
      <Section title="Request">
        <form onSubmit={send} className="form">
          <div className="row">
            <span className="field">
              <label htmlFor="module">Module</label>
              <select id="module" value={module} onChange={(e) => setModule(e.target.value)}>
                {MODULES.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </span>
            <span className="field">
              <label htmlFor="method">Method</label>
              <select id="method" value={method} onChange={(e) => setMethod(e.target.value)}>
                {METHODS.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            </span>
            <span className="field grow">
              <label htmlFor="path">Path (relative to the module's base)</label>
              <input id="path" value={path} placeholder="/" onChange={(e) => setPath(e.target.value)} />
            </span>
          </div>
          <div className="field">
            <label htmlFor="body">JSON body (optional)</label>
            <textarea
              id="body"
              rows={4}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              aria-describedby={bodyError ? 'body-error' : undefined}
            />
            {bodyError ? (
              <div className="field-error" id="body-error" role="alert">
                {bodyError}
              </div>
            ) : null}
          </div>
          <button type="submit">Send request</button>
        </form>
        <ErrorBox error={error} />
        {answer ? (
          <section aria-label="Response">
            <p role="status">
              HTTP {answer.status} in {answer.durationMs} ms (audit entry {answer.auditId})
            </p>
            <pre className="response">{JSON.stringify(answer.data, null, 2)}</pre>
          </section>
        ) : null}
      </Section>
      <Section title="Audit log">
        <ErrorBox error={audit.error} />
        {audit.data?.entries.length === 0 ? <Empty>No module request yet.</Empty> : null}
        {audit.data && audit.data.entries.length > 0 ? (
          <Scroll label="Audit entries">
            <table aria-label="Audit log">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Module</th>
                  <th scope="col">Request</th>
                  <th scope="col">Status</th>
                  <th scope="col">ms</th>
                </tr>
              </thead>
              <tbody>
                {audit.data.entries.map((e) => (
                  <tr key={e.id}>
                    <td>{when(e.at)}</td>
                    <td>{e.actor}</td>
                    <td>{e.module}</td>
                    <td className="mono">
                      {e.method} {e.path}
                    </td>
                    <td>{e.status ?? e.outcome}</td>
                    <td>{e.durationMs}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        ) : null}
      </Section>
    </>
  );
}
