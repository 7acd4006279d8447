import { useCallback, useEffect, useRef, useState } from 'react';
import { Scroll } from '../widgets';
import { AdvancedSettings } from './AdvancedSettings';
import { type ApiToken, call, type TokenList, VIEW_WINDOW_MS } from './consoleApi';
import { NewTokenForm } from './NewTokenForm';
import { type AttributeFilter, matches, TokenFilters } from './TokenFilters';

interface Shown {
  id: number;
  tokenString: string;
}

/**
 * Tanium's API Tokens page (Administration > Permissions > API Tokens): the grid never shows token
 * strings; a new token's string is shown after Save and through View Token for five minutes (emulator
 * clock), and never after a refresh of the grid or page, or a move to another console page — the page
 * keeps the strings in memory only, and forgets them on each of those.
 */
export function ConsoleApp() {
  const [page, setPage] = useState<'tokens' | 'settings'>('tokens');
  const viewable = useRef(new Map<number, { tokenString: string; createdMs: number }>());
  const go = (next: 'tokens' | 'settings') => {
    viewable.current.clear();
    setPage(next);
  };
  return (
    <>
      <header className="top">
        <span className="brand">Tanium emulator console</span>
        <nav aria-label="Console pages">
          <ul>
            <li>
              <button
                type="button"
                className="nav"
                aria-current={page === 'tokens' ? 'page' : undefined}
                onClick={() => go('tokens')}
              >
                API Tokens
              </button>
            </li>
            <li>
              <button
                type="button"
                className="nav"
                aria-current={page === 'settings' ? 'page' : undefined}
                onClick={() => go('settings')}
              >
                Advanced Settings
              </button>
            </li>
          </ul>
        </nav>
      </header>
      <main id="main">
        {page === 'tokens' ? <TokensPage viewable={viewable.current} /> : <AdvancedSettings />}
      </main>
    </>
  );
}

function TokensPage({ viewable }: { viewable: Map<number, { tokenString: string; createdMs: number }> }) {
  const [list, setList] = useState<TokenList>();
  const [error, setError] = useState<string>();
  const [selected, setSelected] = useState<number[]>([]);
  const [text, setText] = useState('');
  const [filters, setFilters] = useState<AttributeFilter[]>([]);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<Shown>();
  const [notice, setNotice] = useState<string>();
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(async () => {
    try {
      setList(await call<TokenList>('GET', '/tokens'));
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const refresh = async () => {
    viewable.clear();
    setShown(undefined);
    setNotice(undefined);
    setSelected([]);
    await load();
  };

  const saved = (token: ApiToken, nowMs: number) => {
    setCreating(false);
    if (token.token_string) {
      viewable.set(token.id, { tokenString: token.token_string, createdMs: nowMs });
      setShown({ id: token.id, tokenString: token.token_string });
    }
    void load();
  };

  const view = async () => {
    setNotice(undefined);
    const id = selected[0];
    if (selected.length !== 1 || id === undefined) {
      setNotice('Select one token to view.');
      return;
    }
    const kept = viewable.get(id);
    const { nowMs } = await call<{ nowMs: number }>('GET', '/clock');
    if (!kept || nowMs - kept.createdMs > VIEW_WINDOW_MS) {
      viewable.delete(id);
      setShown(undefined);
      setNotice(
        'The token string can no longer be viewed: it is shown only for five minutes after the token is created, and not after a refresh or after leaving this page.',
      );
      return;
    }
    setShown({ id, tokenString: kept.tokenString });
  };

  const remove = async () => {
    try {
      await call('DELETE', '/tokens', { ids: selected });
      for (const id of selected) viewable.delete(id);
      setSelected([]);
      setConfirming(false);
      setNotice(`Deleted ${selected.length} token(s).`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const rows = (list?.tokens ?? []).filter((t) => matches(t, text, filters));
  const toggle = (id: number) =>
    setSelected(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id]);
  return (
    <>
      <h1>API Tokens</h1>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <div className="buttons">
        <button type="button" onClick={() => setCreating(true)}>
          New API Token
        </button>
        <button type="button" className="secondary" onClick={view}>
          View Token
        </button>
        <button
          type="button"
          className="secondary"
          disabled={selected.length === 0}
          onClick={() => setConfirming(true)}
        >
          Delete Selected
        </button>
        <button type="button" className="secondary" onClick={refresh}>
          Refresh
        </button>
      </div>
      {confirming ? (
        <div
          className="card"
          role="alertdialog"
          aria-label="Confirm deletion"
          aria-describedby="confirm-text"
        >
          <p id="confirm-text">
            Delete {selected.length} API token(s)? They stop working at once and leave the grid.
          </p>
          <div className="buttons">
            <button type="button" onClick={remove}>
              Confirm
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {notice ? (
        <p role="status" className="notice">
          {notice}
        </p>
      ) : null}
      {shown ? (
        <section className="card" aria-label="Token string">
          <h2>Token {shown.id}</h2>
          <p>Copy the token string now: the console shows it only for five minutes.</p>
          <code className="mono" data-testid="token-string">
            {shown.tokenString}
          </code>
          <div className="buttons">
            <button type="button" onClick={() => void navigator.clipboard?.writeText(shown.tokenString)}>
              Copy
            </button>
            <button type="button" className="secondary" onClick={() => setShown(undefined)}>
              Close
            </button>
          </div>
        </section>
      ) : null}
      {creating && list ? (
        <NewTokenForm
          defaultDays={list.defaultDays}
          maxDays={list.maxDays}
          onSaved={saved}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      <TokenFilters text={text} onText={setText} filters={filters} onFilters={setFilters} />
      <Scroll label="API tokens">
        <table aria-label="API tokens">
          <thead>
            <tr>
              <th scope="col">Select</th>
              <th scope="col">ID</th>
              <th scope="col">User</th>
              <th scope="col">Notes</th>
              <th scope="col">Created</th>
              <th scope="col">Expiration</th>
              <th scope="col">Last used</th>
              <th scope="col">Trusted IP addresses</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select token ${t.id}`}
                    checked={selected.includes(t.id)}
                    onChange={() => toggle(t.id)}
                  />
                </td>
                <td>{t.id}</td>
                <td>{t.user.name}</td>
                <td>{t.notes}</td>
                <td>{t.created_time}</td>
                <td>{t.expiration}</td>
                <td>{t.last_used_on}</td>
                <td>{t.trusted_ip_addresses}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Scroll>
      {list && rows.length === 0 ? <p className="empty">No API token matches.</p> : null}
    </>
  );
}
