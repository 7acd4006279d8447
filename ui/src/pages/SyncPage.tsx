import { useCallback, useEffect, useRef, useState } from 'react';
import { type ApiError, api, enc } from '../api';
import { asApiError, useGet } from '../hooks';
import { endedAs, isQueued, type QueuedReply, untilEnded } from '../queuedJob';
import { STREAMS, type SyncRun } from '../types';
import { Empty, ErrorBox, Scroll, Section, when } from '../widgets';
import { SchedulePanel } from './SchedulePanel';

interface PageEvent {
  page: number;
  endpoints: number;
  rows: number;
  totalRecords: number | null;
  endpointsPerSecond: number;
  etaSeconds: number | null;
}

interface Progress {
  state: 'idle' | 'queued' | 'running' | 'done' | 'failed';
  page?: PageEvent;
  note?: string;
  error?: string;
}

/** Sync: run now, a live progress bar from the Server-Sent Events stream, the history of runs, the schedule. */
export function SyncPage({ connection, onFinished }: { connection: string; onFinished: () => void }) {
  const base = `/v1/connections/${enc(connection)}`;
  const runs = useGet<{ runs: SyncRun[] }>(`${base}/runs`);
  const [streams, setStreams] = useState<string[]>(['assets', 'vulnerabilities', 'compliance']);
  const [full, setFull] = useState(false);
  const [progress, setProgress] = useState<Progress>({ state: 'idle' });
  const [error, setError] = useState<ApiError>();
  const source = useRef<EventSource | undefined>(undefined);
  const mounted = useRef(true);
  const { reload } = runs;

  const follow = useCallback(() => {
    source.current?.close();
    const events = new EventSource(`${base}/sync/events`);
    source.current = events;
    const finish = (next: Progress) => {
      events.close();
      setProgress(next);
      reload();
      onFinished();
    };
    events.addEventListener('running', (e) => {
      const data = JSON.parse((e as MessageEvent).data) as { lastPage: PageEvent | null };
      setProgress({ state: 'running', ...(data.lastPage ? { page: data.lastPage } : {}) });
    });
    events.addEventListener('page', (e) => {
      setProgress({ state: 'running', page: JSON.parse((e as MessageEvent).data) as PageEvent });
    });
    for (const name of ['retry', 'restart', 'skipped'])
      events.addEventListener(name, (e) => {
        const data = JSON.parse((e as MessageEvent).data) as { reason?: string };
        setProgress((p) => ({ ...p, note: `${name}: ${data.reason ?? ''}` }));
      });
    events.addEventListener('idle', () => {
      events.close();
      setProgress((p) => (p.state === 'running' ? { state: 'done' } : p));
    });
    events.addEventListener('done', () => finish({ state: 'done' }));
    events.addEventListener('error', (e) => {
      const data = (e as MessageEvent).data as string | undefined;
      if (data === undefined) return; // the connection itself: EventSource retries on its own
      const problem = JSON.parse(data) as { message: string; fix?: string };
      finish({ state: 'failed', error: `${problem.message} ${problem.fix ?? ''}` });
    });
  }, [base, reload, onFinished]);

  useEffect(() => {
    mounted.current = true;
    follow();
    return () => {
      mounted.current = false;
      source.current?.close();
    };
  }, [follow]);

  const start = async () => {
    setError(undefined);
    try {
      const answer = await api<unknown>('POST', `${base}/sync`, { streams, full });
      if (isQueued(answer)) await followQueued(answer);
      else {
        setProgress({ state: 'running' });
        follow();
      }
    } catch (e) {
      setError(asApiError(e));
    }
  };
  // Queued for the workers (serve --no-scheduler): the run is not streamed here, its job is polled.
  const followQueued = async (job: QueuedReply) => {
    source.current?.close();
    setProgress({ state: 'queued' });
    const ended = await untilEnded(job, () => !mounted.current).then(endedAs, (e: unknown) => ({
      ok: false as const,
      error: `${asApiError(e).body.message} ${asApiError(e).body.fix}`,
    }));
    if (!mounted.current) return;
    setProgress(ended.ok ? { state: 'done' } : { state: 'failed', error: ended.error });
    reload();
    onFinished();
  };
  const stop = async () => {
    await api('DELETE', `${base}/sync`).catch((e: unknown) => setError(asApiError(e)));
  };
  const toggle = (stream: string) =>
    setStreams(streams.includes(stream) ? streams.filter((s) => s !== stream) : [...streams, stream]);

  return (
    <>
      <h1>Sync of {connection}</h1>
      <Section title="Run now">
        <fieldset>
          <legend>Streams</legend>
          {STREAMS.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={streams.includes(s)} onChange={() => toggle(s)} /> {s}
            </label>
          ))}
          <label className="check">
            <input type="checkbox" checked={full} onChange={(e) => setFull(e.target.checked)} /> Full (read
            every endpoint and remove what is gone)
          </label>
        </fieldset>
        <div className="buttons">
          <button
            type="button"
            onClick={start}
            disabled={progress.state === 'running' || progress.state === 'queued' || streams.length === 0}
          >
            Run sync now
          </button>
          <button type="button" className="secondary" onClick={stop} disabled={progress.state !== 'running'}>
            Stop
          </button>
        </div>
        <ErrorBox error={error} />
        <ProgressView progress={progress} />
      </Section>
      <Section title="History">
        <ErrorBox error={runs.error} />
        {runs.data?.runs.length === 0 ? <Empty>No sync has run yet.</Empty> : null}
        {runs.data && runs.data.runs.length > 0 ? <RunTable runs={runs.data.runs} /> : null}
      </Section>
      <SchedulePanel connection={connection} fields={['syncEvery', 'fullEvery']} />
    </>
  );
}

function ProgressView({ progress }: { progress: Progress }) {
  const page = progress.page;
  const total = page?.totalRecords ?? null;
  const share = page && total ? Math.min(100, Math.round((page.endpoints / total) * 100)) : undefined;
  return (
    <div className="progress" aria-live="polite" data-state={progress.state}>
      {progress.state === 'running' ? (
        <>
          <progress aria-label="Sync progress" max={100} {...(share === undefined ? {} : { value: share })} />
          <p role="status">
            {page
              ? `Page ${page.page}: ${page.endpoints.toLocaleString('en-US')} endpoints` +
                (total ? ` of ${total.toLocaleString('en-US')}` : '') +
                `, ${page.rows.toLocaleString('en-US')} rows, ${Math.round(page.endpointsPerSecond).toLocaleString('en-US')} endpoints/s` +
                (page.etaSeconds !== null ? `, about ${Math.ceil(page.etaSeconds)} s left` : '')
              : 'Starting…'}
          </p>
        </>
      ) : null}
      {progress.state === 'queued' ? (
        <p role="status">
          Sync queued for the workers: it runs there, and its outcome shows here when it ends.
        </p>
      ) : null}
      {progress.state === 'done' ? (
        <p role="status" className="ok">
          Sync finished.
        </p>
      ) : null}
      {progress.state === 'failed' ? (
        <p role="alert" className="error">
          Sync failed: {progress.error}
        </p>
      ) : null}
      {progress.note ? <p className="note">{progress.note}</p> : null}
    </div>
  );
}

function RunTable({ runs }: { runs: SyncRun[] }) {
  return (
    <Scroll label="Sync runs">
      <table aria-label="Sync runs">
        <thead>
          <tr>
            <th scope="col">Run</th>
            <th scope="col">Started</th>
            <th scope="col">Mode</th>
            <th scope="col">Status</th>
            <th scope="col">Added / updated / removed per stream</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr key={run.id}>
              <td>{run.id}</td>
              <td>{when(run.startedAt)}</td>
              <td>{run.mode}</td>
              <td>{run.status}</td>
              <td>
                {run.summary
                  ? Object.entries(run.summary.streams)
                      .map(([s, c]) => `${s}: +${c.added} ~${c.updated} −${c.removed}`)
                      .join('; ')
                  : typeof run.error === 'string'
                    ? run.error
                    : (run.error?.message ?? '—')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
