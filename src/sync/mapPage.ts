import { createHash } from 'node:crypto';
import { STREAMS } from '../streams/index.js';
import {
  type EndpointNode,
  emptyBatch,
  type Quarantined,
  type StreamBatch,
  type StreamName,
  type StreamOptions,
  ValidationError,
} from '../streams/stream.js';
import { time } from '../streams/values.js';
import type { GatewayPage } from './fetchPages.js';

/** One page as rows of every active stream (in `active` order), ready to write. */
export interface MappedPage {
  batches: StreamBatch[];
  /** Nodes refused before any stream read them (no id). */
  refused: Quarantined[];
  rows: number;
  /** The last endpoint id of the page, in the Gateway's order: where a resumed pass continues. */
  lastId: string | null;
}

/**
 * Where the next incremental pass starts: the largest eidLastSeen of the pass's first page. An endpoint's
 * eidLastSeen is never after the moment the Gateway answers for it, so this is a Tanium time no later
 * than the pass's first read, and so no later than any read of the pass: a change after any read is
 * after it (docs/sync.md, "Incremental"). Once a page has set it, it holds (`settle`), across resumes.
 */
export class PassStartSeen {
  #ms = Number.NEGATIVE_INFINITY;
  #settled: boolean;

  constructor(public value: string | null) {
    if (value !== null) this.#ms = Date.parse(value);
    this.#settled = value !== null;
  }

  /** After a page: a value set by it holds from now on. */
  settle(): void {
    if (this.value !== null) this.#settled = true;
  }

  see(node: EndpointNode): void {
    if (this.#settled) return;
    try {
      const seen = time(node, 'eidLastSeen');
      const ms = seen === null ? Number.NaN : Date.parse(seen);
      if (ms > this.#ms) {
        this.#ms = ms;
        this.value = seen;
      }
    } catch {
      // a malformed eidLastSeen is the assets stream's to quarantine
    }
  }
}

function refuse(node: EndpointNode | null | undefined, stream: StreamName): Quarantined {
  const digest = createHash('sha256')
    .update(JSON.stringify(node ?? null))
    .digest('hex')
    .slice(0, 16);
  return { stream, key: `#${digest}`, reason: 'id is missing', raw: node ?? null };
}

/** Maps every node to rows of each stream; validation failures go to quarantine, per record. */
export function mapPage(
  page: GatewayPage,
  active: readonly StreamName[],
  options: StreamOptions,
  maxSeen: PassStartSeen,
): MappedPage {
  const batches = active.map((): StreamBatch => emptyBatch());
  const refused: Quarantined[] = [];
  let lastId: string | null = null;
  for (const edge of page.edges) {
    const node = edge?.node as EndpointNode | null | undefined;
    const id = node?.['id'];
    if (!node || typeof node !== 'object' || typeof id !== 'string' || id.trim() === '') {
      refused.push(refuse(node, active[0]!));
      continue;
    }
    lastId = id;
    maxSeen.see(node);
    for (let s = 0; s < active.length; s++) {
      const stream = STREAMS[active[s]!];
      const batch = batches[s]!;
      try {
        stream.read(node, id, batch, options);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        batch.quarantined.push({ stream: stream.name, key: id, reason: error.message, raw: node });
      }
    }
  }
  const rows = batches.reduce((n, b) => n + b.rows.length, 0);
  return { batches, refused, rows, lastId };
}
