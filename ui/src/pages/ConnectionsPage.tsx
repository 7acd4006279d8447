import { useState } from 'react';
import { href } from '../route';
import type { Connection } from '../types';
import { Empty, Scroll, Section, when } from '../widgets';
import { ConnectForm } from './ConnectForm';
import { TestConnection } from './TestConnection';

/** Connections: health, token days left, last sync; the connect form; Test Tanium Connection. */
export function ConnectionsPage({ connections, reload }: { connections: Connection[]; reload: () => void }) {
  const [editing, setEditing] = useState<string | 'new' | undefined>(
    connections.length === 0 ? 'new' : undefined,
  );
  const [testing, setTesting] = useState<string>();
  const editedConnection = connections.find((c) => c.name === editing);
  return (
    <>
      <h1>Connections</h1>
      <Section title="Your Tanium connections">
        {connections.length === 0 ? (
          <Empty>No connection yet: add one with the form below.</Empty>
        ) : (
          <Scroll label="Connection list">
            <table>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Address</th>
                  <th scope="col">Health</th>
                  <th scope="col">Token</th>
                  <th scope="col">Days left</th>
                  <th scope="col">Last sync</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {connections.map((c) => (
                  <tr key={c.name}>
                    <td>
                      <a href={href('dashboard', c.name)}>{c.name}</a>
                    </td>
                    <td>{c.domain ?? c.url}</td>
                    <td>{health(c)}</td>
                    <td>
                      <span className="mono">{c.token.masked ?? '—'}</span>
                    </td>
                    <td>{c.rotation.daysLeft ?? '—'}</td>
                    <td>
                      {c.lastSync
                        ? `${c.lastSync.status ?? ''} ${when(c.lastSync.finishedAt ?? null)}`
                        : 'never'}
                    </td>
                    <td className="actions">
                      <button type="button" className="secondary" onClick={() => setEditing(c.name)}>
                        Edit {c.name}
                      </button>
                      <button type="button" onClick={() => setTesting(c.name)}>
                        Test Tanium Connection
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Scroll>
        )}
        {editing === undefined ? (
          <button type="button" onClick={() => setEditing('new')}>
            Add a connection
          </button>
        ) : null}
      </Section>
      {testing ? <TestConnection key={testing} connection={testing} /> : null}
      {editing !== undefined ? (
        <ConnectForm
          key={editing}
          existing={editedConnection}
          onSaved={() => {
            reload();
          }}
          onCancel={() => setEditing(undefined)}
        />
      ) : null}
    </>
  );
}

function health(c: Connection): string {
  if (c.token.error) return `Token unreadable: ${c.token.error}`;
  if (c.rotation.problem) return c.rotation.problem.message;
  if (c.lastSync?.status === 'failed') return 'Last sync failed';
  if (c.rotation.daysLeft !== null && c.rotation.daysLeft < 2) return 'Token expires soon';
  return 'OK';
}
