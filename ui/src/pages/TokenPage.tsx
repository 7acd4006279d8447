import { useEffect, useRef, useState } from 'react';
import { type ApiError, api, enc } from '../api';
import { asApiError, useGet } from '../hooks';
import { endedAs, isQueued, type QueuedReply, untilEnded } from '../queuedJob';
import type { Rotation } from '../types';
import { Empty, ErrorBox, Loading, Scroll, Section, when } from '../widgets';
import { SchedulePanel } from './SchedulePanel';

interface RotationEntry {
  attemptId: string;
  startedAt: string;
  finishedAt: string | null;
  method: string;
  oldTokenId: string | null;
  newTokenId: string | null;
  outcome: string;
  error: string | null;
}

/** The token: time to expiry, the rotation schedule, rotate now, the audit trail (token ids, never tokens). */
export function TokenPage({ connection }: { connection: string }) {
  const base = `/v1/connections/${enc(connection)}`;
  const rotation = useGet<Rotation>(`${base}/rotation`);
  const trail = useGet<{ rotations: RotationEntry[] }>(`${base}/rotations`);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [outcome, setOutcome] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const rotate = async () => {
    setBusy(true);
    setError(undefined);
    setFailure(undefined);
    try {
      const answer = await api<{ outcome?: string } | QueuedReply>('POST', `${base}/rotate`, {});
      if (isQueued(answer)) {
        // Queued for the workers (serve --no-scheduler): follow the job until it ends.
        setOutcome('Rotation queued for the workers…');
        const ended = endedAs(await untilEnded(answer, () => !mounted.current));
        if (ended.ok) setOutcome(`Rotation finished: ${ended.outcome}.`);
        else {
          setOutcome(undefined);
          setFailure(`Rotation failed: ${ended.error}`);
        }
      } else setOutcome(`Rotation finished: ${answer.outcome ?? 'done'}.`);
      rotation.reload();
      trail.reload();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  const r = rotation.data;
  return (
    <>
      <h1>Token of {connection}</h1>
      <Section title="Expiry">
        {rotation.loading && !r ? <Loading what="the token's expiry" /> : null}
        <ErrorBox error={rotation.error} />
        {r ? (
          <dl className="facts">
            <dt>Expires</dt>
            <dd>{r.expiresAt ? when(r.expiresAt) : 'not known yet (no rotation has run)'}</dd>
            <dt>Days left</dt>
            <dd>{r.daysLeft ?? '—'}</dd>
            <dt>Last rotation</dt>
            <dd>
              {when(r.lastSuccessAt)} {r.lastOutcome ? `(${r.lastOutcome})` : ''}
            </dd>
            {r.problem ? (
              <>
                <dt>Problem</dt>
                <dd className="error">
                  {r.problem.message} {r.problem.fix}
                </dd>
              </>
            ) : null}
          </dl>
        ) : null}
        <button type="button" onClick={rotate} disabled={busy}>
          Rotate now
        </button>
        <ErrorBox error={error} />
        {failure ? (
          <p role="alert" className="error">
            {failure}
          </p>
        ) : null}
        {outcome ? (
          <p role="status" className="ok">
            {outcome}
          </p>
        ) : null}
      </Section>
      <SchedulePanel connection={connection} fields={['rotateEvery']} />
      <Section title="Rotation audit trail">
        <ErrorBox error={trail.error} />
        {trail.data && trail.data.rotations.length === 0 ? <Empty>No rotation yet.</Empty> : null}
        {trail.data && trail.data.rotations.length > 0 ? (
          <Scroll label="Rotations">
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Method</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Old token id</th>
                  <th scope="col">New token id</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {trail.data.rotations.map((e) => (
                  <tr key={e.attemptId}>
                    <td>{when(e.startedAt)}</td>
                    <td>{e.method}</td>
                    <td>{e.outcome}</td>
                    <td>{e.oldTokenId ?? '—'}</td>
                    <td>{e.newTokenId ?? '—'}</td>
                    <td>{e.error ?? ''}</td>
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
