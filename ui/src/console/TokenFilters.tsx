import { useState } from 'react';
import type { ApiToken } from './consoleApi';

export interface AttributeFilter {
  attribute: keyof typeof ATTRIBUTES;
  operator: 'contains' | 'equals';
  value: string;
}

const ATTRIBUTES = {
  id: (t: ApiToken) => String(t.id),
  user: (t: ApiToken) => t.user.name,
  notes: (t: ApiToken) => t.notes,
  trusted: (t: ApiToken) => t.trusted_ip_addresses,
  expiration: (t: ApiToken) => t.expiration,
};
const LABELS: Record<AttributeFilter['attribute'], string> = {
  id: 'ID',
  user: 'User',
  notes: 'Notes',
  trusted: 'Trusted IP addresses',
  expiration: 'Expiration',
};

/** "Filter items" matches any column; attribute filters all have to match (Boolean AND), as in Tanium's grid. */
export function matches(token: ApiToken, text: string, filters: AttributeFilter[]): boolean {
  const needle = text.trim().toLowerCase();
  const columns = Object.values(ATTRIBUTES).map((read) => read(token).toLowerCase());
  if (needle && !columns.some((c) => c.includes(needle))) return false;
  return filters.every((f) => {
    const value = ATTRIBUTES[f.attribute](token).toLowerCase();
    const wanted = f.value.toLowerCase();
    return f.operator === 'equals' ? value === wanted : value.includes(wanted);
  });
}

export function TokenFilters(props: {
  text: string;
  onText: (text: string) => void;
  filters: AttributeFilter[];
  onFilters: (filters: AttributeFilter[]) => void;
}) {
  const [draft, setDraft] = useState<AttributeFilter>({ attribute: 'user', operator: 'contains', value: '' });
  return (
    <section className="card" aria-label="Filters">
      <div className="inline">
        <label htmlFor="filter-items">Filter items</label>
        <input
          id="filter-items"
          type="search"
          value={props.text}
          onChange={(e) => props.onText(e.target.value)}
        />
      </div>
      <div className="inline">
        <label htmlFor="filter-attribute">Attribute</label>
        <select
          id="filter-attribute"
          value={draft.attribute}
          onChange={(e) => setDraft({ ...draft, attribute: e.target.value as AttributeFilter['attribute'] })}
        >
          {Object.entries(LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
        <label htmlFor="filter-operator">Operator</label>
        <select
          id="filter-operator"
          value={draft.operator}
          onChange={(e) => setDraft({ ...draft, operator: e.target.value as AttributeFilter['operator'] })}
        >
          <option value="contains">contains</option>
          <option value="equals">equals</option>
        </select>
        <label htmlFor="filter-value">Value</label>
        <input
          id="filter-value"
          value={draft.value}
          onChange={(e) => setDraft({ ...draft, value: e.target.value })}
        />
        <button
          type="button"
          disabled={draft.value === ''}
          onClick={() => {
            props.onFilters([...props.filters, draft]);
            setDraft({ ...draft, value: '' });
          }}
        >
          Add filter
        </button>
      </div>
      {props.filters.length > 0 ? (
        <ul aria-label="Attribute filters (all must match)">
          {props.filters.map((f, i) => (
            <li key={`${f.attribute}-${f.operator}-${f.value}`}>
              {LABELS[f.attribute]} {f.operator} “{f.value}”{' '}
              <button
                type="button"
                className="link"
                onClick={() => props.onFilters(props.filters.filter((_, j) => j !== i))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
