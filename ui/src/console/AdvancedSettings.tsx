import { useEffect, useState } from 'react';
import { call } from './consoleApi';

interface Setting {
  name: string;
  value: string;
}

/** Administration > Configuration > Settings > Advanced Settings, the four token settings. */
export function AdvancedSettings() {
  const [settings, setSettings] = useState<Setting[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  useEffect(() => {
    call<{ settings: Setting[] }>('GET', '/settings')
      .then((answer) => setSettings(answer.settings))
      .catch((e: Error) => setMessage({ ok: false, text: e.message }));
  }, []);
  const save = async (setting: Setting) => {
    try {
      await call('PATCH', `/settings/${setting.name}`, { value: setting.value });
      setMessage({ ok: true, text: `Saved ${setting.name}.` });
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <>
      <h1>Advanced Settings</h1>
      {message ? (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>
          {message.text}
        </p>
      ) : null}
      {settings.map((s, i) => (
        <form
          key={s.name}
          className="card inline"
          onSubmit={(e) => {
            e.preventDefault();
            void save(s);
          }}
        >
          <label htmlFor={`setting-${s.name}`}>{s.name}</label>
          <input
            id={`setting-${s.name}`}
            value={s.value}
            onChange={(e) =>
              setSettings(settings.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))
            }
          />
          <button type="submit">Save {s.name}</button>
        </form>
      ))}
    </>
  );
}
