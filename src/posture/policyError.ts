import { Problem } from '../common/problem.js';

/** A policy refused whole: every problem named by its path, nothing of it loaded. */
export function policyError(problems: readonly string[]): Problem {
  const shown = problems.slice(0, 5).join('; ');
  const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
  return new Problem({
    code: 'invalid_policy',
    kind: 'invalid',
    message: `The policy is not valid: ${shown}${more}.`,
    fix: 'Correct each named path (docs/posture.md lists every check and its values) and try again.',
    details: { problems: [...problems] },
  });
}
