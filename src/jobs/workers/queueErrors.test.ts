import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.js';
import { ERROR_LOG_EVERY_MS, QueueErrorLog } from './queueErrors.js';

/** A log that keeps its lines, and a clock the test moves by hand. */
function setup() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const clock = { ms: 1_000 };
  const errors = new QueueErrorLog(
    createLogger({ level: 'debug', destination }),
    'pw-secret',
    () => clock.ms,
  );
  const logged = () => lines.map((line) => (JSON.parse(line) as { error: string }).error);
  return { errors, clock, logged };
}

describe('QueueErrorLog', () => {
  it('logs a message once per window, and again once the window has passed', () => {
    const { errors, clock, logged } = setup();
    errors.report(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    clock.ms += ERROR_LOG_EVERY_MS - 1;
    errors.report(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    expect(logged()).toHaveLength(1);
    clock.ms += 1;
    errors.report(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    expect(logged()).toHaveLength(2);
  });

  it('mutes a message whatever queue pg-boss names in it', () => {
    const { errors, logged } = setup();
    errors.report(new Error('timeout exceeded (Queue: sync, Worker: 1)'));
    errors.report(new Error('timeout exceeded (Queue: rotate, Worker: 2)'));
    expect(logged()).toEqual(['timeout exceeded ']);
  });

  it('forgets the messages whose window has passed, so messages that never repeat do not pile up', () => {
    const { errors, clock, logged } = setup();
    for (let i = 0; i < 1_000; i++) errors.report(new Error(`job ${i} could not be completed`));
    expect(errors.remembered).toBe(1_000);
    clock.ms += ERROR_LOG_EVERY_MS / 2;
    errors.report(new Error('one more'));
    expect(errors.remembered).toBe(1_001);
    clock.ms += ERROR_LOG_EVERY_MS / 2;
    errors.report(new Error('the last one'));
    // The thousand are a window old and forgotten; "one more" is half a window old and still muted.
    expect(errors.remembered).toBe(2);
    errors.report(new Error('one more'));
    expect(logged()).toHaveLength(1_002);
  });

  it('masks the database password', () => {
    const { errors, logged } = setup();
    errors.report(new Error('password authentication failed: pw-secret'));
    expect(logged().join('\n')).not.toContain('pw-secret');
  });
});
