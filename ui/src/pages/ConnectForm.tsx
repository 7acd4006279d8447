import { type FormEvent, useState } from 'react';
import { type ApiError, api, enc } from '../api';
import { asApiError } from '../hooks';
import type { Connection } from '../types';
import { ErrorBox, Section } from '../widgets';

/** The connect form's wording, as Tanium's workflow integration gives it (docs/ui.md). */
export const TEXT = {
  required: 'This field is required',
  domainHelp: 'Your Tanium Cloud API domain (e.g. acme-api.cloud.tanium.com). Do not include https://.',
  tokenHelp:
    'A Tanium API token (session token) with the permissions required for the workflows you plan to run.',
  serverHelp:
    'Advanced: an on-prem Tanium server or the emulator, as https://host[:port] or http://127.0.0.1:PORT.',
} as const;

interface Saved {
  connection: Connection;
  created: boolean;
  tokenReplaced: boolean;
}

interface FieldErrors {
  name?: string;
  address?: string;
  token?: string;
}

/**
 * Create or edit a connection. On edit the domain stays visible and the token shows as bullets and its
 * last four characters with Replace; a blank or untouched token field keeps the stored token.
 */
export function ConnectForm(props: {
  existing: Connection | undefined;
  onSaved: () => void;
  onCancel: () => void;
}) {
  const [saved, setSaved] = useState<Connection | undefined>(props.existing);
  const [name, setName] = useState(saved?.name ?? '');
  const [advanced, setAdvanced] = useState(saved?.kind === 'server');
  const [address, setAddress] = useState(saved ? (saved.domain ?? saved.url) : '');
  const [token, setToken] = useState('');
  const [replacing, setReplacing] = useState(saved === undefined);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<ApiError>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    setFailure(undefined);
    const found: FieldErrors = {};
    if (!saved && name.trim() === '') found.name = TEXT.required;
    if (address.trim() === '') found.address = TEXT.required;
    if (!saved && token === '') found.token = TEXT.required;
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const target = advanced ? { server: address.trim() } : { domain: address.trim() };
    // A blank token on an edit keeps the stored one: send none.
    const body = { ...target, ...(token === '' ? {} : { token }) };
    setBusy(true);
    try {
      const answer = saved
        ? await api<Saved>('PATCH', `/v1/connections/${enc(saved.name)}`, body)
        : await api<Saved>('POST', '/v1/connections', { name: name.trim(), ...body });
      setSaved(answer.connection);
      setToken('');
      setReplacing(false);
      setDone(
        answer.tokenReplaced
          ? `Saved "${answer.connection.name}". Run Test Tanium Connection to check the token.`
          : `Saved "${answer.connection.name}"; the stored token is kept.`,
      );
      props.onSaved();
    } catch (e) {
      const error = asApiError(e);
      // The service names the address in its 422 (the workflow's own "Invalid API domain" message).
      if (error.status === 422 && /domain|server|address|URL/i.test(error.body.message))
        setErrors({ address: error.body.message });
      else setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  const title = saved ? `Edit connection ${saved.name}` : 'Add a connection';
  return (
    <Section title={title}>
      <form onSubmit={submit} noValidate className="form">
        {saved ? null : (
          <Field
            id="name"
            label="Name"
            required
            error={errors.name}
            help="A short name: letters, digits, - and _."
          >
            <input
              id="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              {...described('name', errors.name)}
            />
          </Field>
        )}
        <Field
          id="address"
          label={advanced ? 'Server URL' : 'API Domain'}
          required
          error={errors.address}
          help={advanced ? TEXT.serverHelp : TEXT.domainHelp}
        >
          <input
            id="address"
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            {...described('address', errors.address)}
          />
        </Field>
        <label className="check">
          <input type="checkbox" checked={advanced} onChange={(e) => setAdvanced(e.target.checked)} />{' '}
          Advanced: connect to an on-prem server or the emulator instead of Tanium Cloud
        </label>
        {replacing ? (
          <Field id="token" label="API Token" required={!saved} error={errors.token} help={TEXT.tokenHelp}>
            <input
              id="token"
              type="password"
              autoComplete="new-password"
              value={token}
              onChange={(e) => setToken(e.target.value)}
              {...described('token', errors.token, !saved)}
            />
          </Field>
        ) : (
          <div className="field">
            <span className="label" id="token-label">
              API Token
            </span>
            <span className="mono" data-testid="masked-token">
              {saved?.token.masked ?? '—'}
            </span>{' '}
            <button type="button" className="secondary" onClick={() => setReplacing(true)}>
              Replace
            </button>
          </div>
        )}
        <ErrorBox error={failure} />
        {done ? (
          <p className="ok" role="status">
            {done}
          </p>
        ) : null}
        <div className="buttons">
          <button type="submit" disabled={busy}>
            Submit
          </button>
          <button type="button" className="secondary" onClick={props.onCancel}>
            Close
          </button>
        </div>
      </form>
    </Section>
  );
}

function described(id: string, error: string | undefined, required = true) {
  return {
    'aria-required': required,
    'aria-describedby': error ? `${id}-error ${id}-help` : `${id}-help`,
    'aria-invalid': error ? true : undefined,
  };
}

function Field(props: {
  id: string;
  label: string;
  required?: boolean;
  help: string;
  error: string | undefined;
  children: React.ReactNode;
}) {
  return (
    <div className="field">
      <div className="label-row">
        <label htmlFor={props.id}>{props.label}</label>
        {props.required ? (
          <span className="required" aria-hidden="true">
            *
          </span>
        ) : null}
      </div>
      {props.children}
      <div className="help" id={`${props.id}-help`}>
        {props.help}
      </div>
      {props.error ? (
        <div className="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </div>
      ) : null}
    </div>
  );
}
