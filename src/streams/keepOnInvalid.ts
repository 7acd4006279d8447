import { type StreamDefinition, type StreamName, ValidationError } from './stream.js';
import { seenAt } from './values.js';

type Read = StreamDefinition['read'];

/**
 * `read`, with a record its checks refuse (a field of the wrong type) quarantined whole for this stream:
 * what is stored for the endpoint stays, since a refused answer is no answer, and the page goes on.
 */
export function keepOnInvalid(stream: StreamName, read: Read): Read {
  return (node, endpointId, batch, options) => {
    const rows = batch.rows.length;
    const replaced = batch.replaced.length;
    const kept = batch.kept.length;
    const unknown = batch.unknown;
    try {
      read(node, endpointId, batch, options);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      batch.rows.length = rows;
      batch.replaced.length = replaced;
      batch.kept.length = kept;
      batch.unknown = unknown;
      batch.quarantined.push({ stream, key: endpointId, reason: error.message, raw: node });
      batch.kept.push({ scope: [endpointId], status: 'unknown', at: seenAt(node) });
    }
  };
}
