import { assetsStream } from './assets.js';
import { complianceStream } from './compliance.js';
import { sensorsStream } from './sensors.js';
import { STREAM_NAMES, type StreamDefinition, type StreamName } from './stream.js';
import { vulnerabilitiesStream } from './vulnerabilities.js';

export * from './stream.js';

export const STREAMS: Readonly<Record<StreamName, StreamDefinition>> = {
  assets: assetsStream,
  vulnerabilities: vulnerabilitiesStream,
  compliance: complianceStream,
  sensors: sensorsStream,
};

export function isStreamName(name: string): name is StreamName {
  return (STREAM_NAMES as readonly string[]).includes(name);
}
