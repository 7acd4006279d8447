import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from './databaseUrl.js';
import { refusedProblem } from './refused.js';

/** What the server's error carries: its SQLSTATE. */
const sqlstate = (code: string) => Object.assign(new Error('refused'), { code });

describe('refused statements (no server needed)', () => {
  it('names the setting and the login to change, the login always quoted', () => {
    const fix = (url: string) =>
      refusedProblem(sqlstate('57014'), parseDatabaseUrl(url), undefined)?.fix ?? 'no problem';
    // `user` is a reserved word: unquoted, the ALTER ROLE it gives would not parse.
    expect(fix('postgres://user@db.example/app')).toContain('ALTER ROLE "user" SET statement_timeout = 0');
    expect(fix('postgres://tb@db.example/app')).toContain('ALTER ROLE "tb" SET');
    expect(fix(`postgres://${encodeURIComponent('o"brien')}@db.example/app`)).toContain(
      'ALTER ROLE "o""brien" SET',
    );
    expect(fix('postgres://db.example/app')).toContain('ALTER ROLE CURRENT_USER SET');
  });

  it('a problem for the mapped codes only, never for a name an object inherits', () => {
    const target = parseDatabaseUrl('postgres://tb:secret@db.example/app');
    const problem = refusedProblem(sqlstate('25006'), target, undefined);
    expect(problem?.toJSON()).toMatchObject({ code: 'database_refused' });
    expect(problem?.message).toBe(
      'The PostgreSQL database db.example:5432/app refused the command: it accepts only reads (a standby, or default_transaction_read_only is on).',
    );
    expect(JSON.stringify(problem?.details)).not.toContain('secret');
    for (const code of ['toString', 'constructor', '__proto__', '23505', 'ECONNREFUSED'])
      expect(refusedProblem(sqlstate(code), target, undefined)).toBeUndefined();
    expect(refusedProblem(new Error('no code'), target, undefined)).toBeUndefined();
  });
});
