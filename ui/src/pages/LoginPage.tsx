import { type FormEvent, useState } from 'react';
import { api, setCsrf } from '../api';
import { asApiError } from '../hooks';
import { ErrorBox } from '../widgets';

/** Sign-in with the admin password set by `tanium-bridge admin set-password` (docs/server.md). */
export function LoginPage({ expired, onSignedIn }: { expired: boolean; onSignedIn: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ReturnType<typeof asApiError>>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const answer = await api<{ csrfToken: string }>('POST', '/v1/session', { password });
      setCsrf(answer.csrfToken);
      setPassword('');
      onSignedIn();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" className="login">
      <h1>Sign in to tanium-bridge</h1>
      {expired ? (
        <p className="notice" role="status">
          Your session has ended. Sign in again.
        </p>
      ) : null}
      <form onSubmit={submit} className="card">
        <label htmlFor="password">Admin password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
