import type { ReactNode } from 'react';
import type { ApiError } from './api';

/** An error as the API gives it: what went wrong and what to do. */
export function ErrorBox({ error, title }: { error: ApiError | undefined; title?: string }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {title ? <strong>{title}: </strong> : null}
      <span>{error.body.message}</span>
      {error.body.fix ? <div className="fix">{error.body.fix}</div> : null}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section aria-label={title} className="card">
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC';
}

/**
 * A box that scrolls sideways on narrow screens (wide tables): focusable, so a keyboard can scroll it
 * too (axe's scrollable-region-focusable rule).
 */
export function Scroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard
    <section className="scroll" tabIndex={0} aria-label={label}>
      {children}
    </section>
  );
}
