import { readFileSync } from 'node:fs';
import { type FaultRule, FaultRuleError, parseFaultRules } from './faultRules.js';

/**
 * Reads `--faults FILE` (`{"rules": [...]}`). Throws FaultRuleError with one line naming the file
 * and the problem: unreadable, not JSON, or the first bad rule field.
 */
export function readFaultFile(path: string): FaultRule[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String(code);
    throw new FaultRuleError(`Cannot read the faults file ${path}: ${why}.`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new FaultRuleError(`The faults file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  try {
    return parseFaultRules(body);
  } catch (error) {
    if (error instanceof FaultRuleError)
      throw new FaultRuleError(`The faults file ${path} has a bad rule: ${error.message}.`);
    throw error;
  }
}
