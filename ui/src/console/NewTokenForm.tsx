import { type FormEvent, useState } from 'react';
import { type ApiToken, call } from './consoleApi';

/** New API Token: Notes, Expire in days (the settings' default and maximum), Trusted IP addresses. */
export function NewTokenForm(props: {
  defaultDays: number;
  maxDays: number;
  onSaved: (token: ApiToken, nowMs: number) => void;
  onCancel: () => void;
}) {
  const [notes, setNotes] = useState('');
  const [days, setDays] = useState('');
  const [trusted, setTrusted] = useState('');
  const [error, setError] = useState<string>();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    const body = {
      notes,
      trustedIpAddresses: trusted,
      ...(days.trim() === '' ? {} : { expireInDays: Number(days) }),
    };
    try {
      const answer = await call<{ nowMs: number; token: ApiToken }>('POST', '/tokens', body);
      props.onSaved(answer.token, answer.nowMs);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <section className="card" aria-label="New API Token">
      <h2>New API Token</h2>
      <form onSubmit={save} className="form">
        <div className="field">
          <label htmlFor="notes">Notes</label>
          <input id="notes" value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="days">Expire in days</label>
          <input
            id="days"
            type="number"
            min={1}
            max={props.maxDays}
            placeholder={String(props.defaultDays)}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            aria-describedby="days-help"
          />
          <div className="help" id="days-help">
            Default {props.defaultDays} days; at most {props.maxDays} days.
          </div>
        </div>
        <div className="field">
          <label htmlFor="trusted">Trusted IP addresses</label>
          <textarea
            id="trusted"
            rows={3}
            value={trusted}
            onChange={(e) => setTrusted(e.target.value)}
            aria-describedby="trusted-help"
          />
          <div className="help" id="trusted-help">
            Separate addresses with commas or line breaks.
          </div>
        </div>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
        <div className="buttons">
          <button type="submit">Save</button>
          <button type="button" className="secondary" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
