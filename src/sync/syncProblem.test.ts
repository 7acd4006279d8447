import { describe, expect, it } from 'vitest';
import { Problem } from '../common/problem.js';
import { LeaseLostError } from '../store/leases.js';
import { syncProblem } from './syncProblem.js';

describe('syncProblem: a sync that lost its lease', () => {
  it('without a failure: nothing needs doing', () => {
    const problem = syncProblem('acme', new LeaseLostError('sync:acme', 'page 3 of run 7 was not written'));
    expect(problem).toBeInstanceOf(Problem);
    expect(problem).toMatchObject({
      code: 'sync_lease_lost',
      message: 'Sync of "acme" stopped: it stalled past its lease and another sync took the connection over.',
      fix: 'Pages already stored are kept; nothing needs doing.',
    });
  });

  it('after a failure it did not record: the failure is named, and where to see it again', () => {
    const lost = new LeaseLostError(
      'sync:acme',
      'run 7 was not recorded failed (Tanium answered 401.)',
      'Tanium answered 401.',
    );
    const problem = syncProblem('acme', lost) as Problem;
    expect(problem.code).toBe('sync_lease_lost');
    expect(problem.message).toBe(
      'Sync of "acme" stopped: it stalled past its lease and another sync took the connection over, after it failed: Tanium answered 401.',
    );
    expect(problem.fix).not.toContain('nothing needs doing');
    expect(problem.fix).toContain('the sync that took over meets it too');
  });
});
