import { useEffect, useState } from 'react';
import { type ApiError, api, enc } from '../api';
import { asApiError } from '../hooks';
import type { CheckResult } from '../types';
import { ErrorBox, Loading, Scroll, Section } from '../widgets';

/** "Test Tanium Connection": the workflow document's own message, our diagnosis, the permission matrix. */
export function TestConnection({ connection }: { connection: string }) {
  const [result, setResult] = useState<CheckResult>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    api<CheckResult>('POST', `/v1/connections/${enc(connection)}/check?modules=true`, {})
      .then(setResult)
      .catch((e: unknown) => setError(asApiError(e)));
  }, [connection]);
  return (
    <Section title={`Test Tanium Connection: ${connection}`}>
      {!result && !error ? <Loading what="the check" /> : null}
      <ErrorBox error={error} />
      {result ? (
        <div aria-live="polite">
          <p className={result.ok ? 'ok' : 'error'} role="status">
            {result.message}
          </p>
          {result.diagnosis ? (
            <dl className="diagnosis">
              <dt>Cause</dt>
              <dd>{result.diagnosis.message}</dd>
              <dt>Fix</dt>
              <dd>{result.diagnosis.fix}</dd>
            </dl>
          ) : null}
          {result.modules ? (
            <Scroll label="Module permissions">
              <table aria-label="Module permissions">
                <thead>
                  <tr>
                    <th scope="col">Module</th>
                    <th scope="col">Permission</th>
                    <th scope="col">Allowed</th>
                  </tr>
                </thead>
                <tbody>
                  {result.modules.map((m) => (
                    <tr key={m.key}>
                      <td>{m.name}</td>
                      <td>{m.permission}</td>
                      <td>{m.ok ? 'yes' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Scroll>
          ) : null}
        </div>
      ) : null}
    </Section>
  );
}
