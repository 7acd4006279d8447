import { UserError } from '../common/userError.js';
import { JOB_KINDS, type JobKind } from '../store/jobs.js';

/** The `--jobs` list of serve and worker: comma-separated job kinds. */
export function parseJobs(text: string): JobKind[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.find((n) => !(JOB_KINDS as readonly string[]).includes(n));
  if (names.length === 0 || unknown !== undefined)
    throw new UserError(
      `Unknown job "${unknown ?? text}": use a comma-separated list of ${JOB_KINDS.join(', ')}.`,
    );
  return names as JobKind[];
}
