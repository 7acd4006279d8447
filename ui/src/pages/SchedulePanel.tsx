import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc } from '../api';
import { asApiError, useGet } from '../hooks';
import { ErrorBox, Scroll, Section, when } from '../widgets';

interface Job {
  connection: string;
  job: string;
  effectiveEveryMs: number;
  nextRunAt: string | null;
  lastFinishedAt: string | null;
  lastOutcome: string | null;
  lastError: string | null;
  running: boolean;
}

type Interval = 'syncEvery' | 'fullEvery' | 'rotateEvery';
const JOB_OF: Record<Interval, string> = { syncEvery: 'sync', fullEvery: 'reconcile', rotateEvery: 'rotate' };
const LABEL: Record<Interval, string> = {
  syncEvery: 'Incremental sync every',
  fullEvery: 'Full reconcile every',
  rotateEvery: 'Rotation check every',
};

/** The scheduler's jobs of one connection and its own intervals (PATCH …/schedule). */
export function SchedulePanel({ connection, fields }: { connection: string; fields: Interval[] }) {
  const jobs = useGet<{ jobs: Job[] }>('/v1/jobs');
  const [values, setValues] = useState<Partial<Record<Interval, string>>>({});
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState(false);
  const mine = (jobs.data?.jobs ?? []).filter(
    (j) => j.connection === connection && fields.some((f) => JOB_OF[f] === j.job),
  );
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setError(undefined);
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
    if (Object.keys(body).length === 0) return;
    try {
      await api('PATCH', `/v1/connections/${enc(connection)}/schedule`, body);
      setSaved(true);
      jobs.reload();
    } catch (e) {
      setError(asApiError(e));
    }
  };
  return (
    <Section title="Schedule">
      {jobs.error ? (
        <ErrorBox error={jobs.error} title="The schedule is not available" />
      ) : (
        <>
          <Scroll label="Jobs">
            <table>
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Every</th>
                  <th scope="col">Next run</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Outcome</th>
                </tr>
              </thead>
              <tbody>
                {mine.map((j) => (
                  <tr key={j.job}>
                    <td>{j.job}</td>
                    <td>{Math.round(j.effectiveEveryMs / 60_000)} min</td>
                    <td>{j.running ? 'running now' : when(j.nextRunAt)}</td>
                    <td>{when(j.lastFinishedAt)}</td>
                    <td>{j.lastError ?? j.lastOutcome ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
          <form onSubmit={submit} className="inline">
            {fields.map((f) => (
              <span key={f}>
                <label htmlFor={`every-${f}`}>{LABEL[f]}</label>
                <input
                  id={`every-${f}`}
                  placeholder="e.g. 1h"
                  value={values[f] ?? ''}
                  onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                />
              </span>
            ))}
            <button type="submit">Save schedule</button>
          </form>
          <ErrorBox error={error} />
          {saved ? (
            <p role="status" className="ok">
              Schedule saved.
            </p>
          ) : null}
        </>
      )}
    </Section>
  );
}
