import type { ConnectionRecord } from '../store/connections.js';
import { type ConnectionContext, maskedToken } from './connections.js';

/**
 * The public shape of a connection in `status --json` and the HTTP API. Stable: fields are added,
 * never renamed. It never holds the token, only its mask. Rotation fields will be added beside `token`.
 */
export interface ConnectionView {
  name: string;
  kind: 'cloud' | 'server';
  /** The API domain for `cloud`, else null. */
  domain: string | null;
  /** The server URL origin for `server`, else null. */
  url: string | null;
  token: { masked: string | null; error: string | null };
  createdAt: string;
  updatedAt: string;
}

export async function viewConnection(
  ctx: ConnectionContext,
  record: ConnectionRecord,
): Promise<ConnectionView> {
  return {
    name: record.name,
    kind: record.kind,
    domain: record.kind === 'cloud' ? record.address : null,
    url: record.kind === 'server' ? record.address : null,
    token: await maskedToken(ctx, record.name),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/** Human lines for one connection, aligned for `status`. */
export function formatConnection(view: ConnectionView): string {
  const lines = [
    `${view.name}`,
    `  kind     ${view.kind === 'cloud' ? 'Tanium Cloud' : 'server'}`,
    `  ${view.kind === 'cloud' ? 'domain' : 'url   '}   ${view.domain ?? view.url}`,
    `  token    ${view.token.masked ?? `unreadable: ${view.token.error}`}`,
    `  created  ${view.createdAt}`,
    `  updated  ${view.updatedAt}`,
  ];
  return lines.join('\n');
}
