import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, onSessionExpired, setCsrf } from './api';
import { useGet } from './hooks';
import { ConnectionsPage } from './pages/ConnectionsPage';
import { DashboardPage } from './pages/DashboardPage';
import { DataPage } from './pages/DataPage';
import { LoginPage } from './pages/LoginPage';
import { ModulesPage } from './pages/ModulesPage';
import { PosturePage } from './pages/PosturePage';
import { SyncPage } from './pages/SyncPage';
import { TokenPage } from './pages/TokenPage';
import { href, useRoute } from './route';
import type { Connection } from './types';
import { Loading } from './widgets';

type SessionState = 'checking' | 'signed-out' | 'expired' | 'signed-in';

const PAGES = [
  { page: 'dashboard', label: 'Dashboard' },
  { page: 'connections', label: 'Connections' },
  { page: 'token', label: 'Token' },
  { page: 'sync', label: 'Sync' },
  { page: 'data', label: 'Data' },
  { page: 'posture', label: 'Posture' },
  { page: 'modules', label: 'Module console' },
] as const;

export function App() {
  const [session, setSession] = useState<SessionState>('checking');
  useEffect(() => {
    api<{ csrfToken?: string }>('GET', '/v1/session')
      .then((answer) => {
        setCsrf(answer.csrfToken);
        setSession('signed-in');
      })
      .catch((e: unknown) =>
        setSession(e instanceof ApiError && e.body.code === 'session_expired' ? 'expired' : 'signed-out'),
      );
    return onSessionExpired(() => {
      setCsrf(undefined);
      setSession('expired');
    });
  }, []);
  const signOut = useCallback(async () => {
    await api('DELETE', '/v1/session').catch(() => undefined);
    setCsrf(undefined);
    setSession('signed-out');
  }, []);
  if (session === 'checking') return <Loading what="the session" />;
  if (session !== 'signed-in')
    return <LoginPage expired={session === 'expired'} onSignedIn={() => setSession('signed-in')} />;
  return <Shell onSignOut={signOut} />;
}

function Shell({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const list = useGet<{ connections: Connection[] }>('/v1/connections');
  const connections = list.data?.connections ?? [];
  const current = route.connection ?? connections[0]?.name;
  return (
    <>
      {/* Routes live in the hash, so the skip link moves focus itself instead of changing the hash. */}
      <button type="button" className="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header className="top">
        <span className="brand">tanium-bridge</span>
        <nav aria-label="Pages">
          <ul>
            {PAGES.map((p) => (
              <li key={p.page}>
                <a
                  href={href(p.page, p.page === 'connections' ? undefined : current)}
                  aria-current={route.page === p.page ? 'page' : undefined}
                >
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" className="secondary" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {list.loading && !list.data ? (
          <Loading what="connections" />
        ) : (
          <Page
            page={route.page}
            connection={current}
            connections={connections}
            reloadConnections={list.reload}
          />
        )}
      </main>
    </>
  );
}

interface PageProps {
  page: string;
  connection: string | undefined;
  connections: Connection[];
  reloadConnections: () => void;
}

function Page({ page, connection, connections, reloadConnections }: PageProps) {
  if (page === 'connections' || connection === undefined)
    return <ConnectionsPage connections={connections} reload={reloadConnections} />;
  switch (page) {
    case 'token':
      return <TokenPage connection={connection} />;
    case 'sync':
      return <SyncPage connection={connection} onFinished={reloadConnections} />;
    case 'data':
      return <DataPage connection={connection} />;
    case 'posture':
      return <PosturePage connection={connection} />;
    case 'modules':
      return <ModulesPage connection={connection} />;
    default:
      return <DashboardPage connection={connection} connections={connections} />;
  }
}
