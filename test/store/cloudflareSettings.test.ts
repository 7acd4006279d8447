import { describe, expect, it } from 'vitest';
import { DIALECTS } from './dialects.js';

/** The Cloudflare team and AUD stored through the API (migration 14): versions with who and when. */
for (const dialect of DIALECTS)
  describe(`Cloudflare settings (${dialect.name})`, () => {
    it('keeps every change as a version; the newest decides; a clear is recorded once', async () => {
      const store = await dialect.open();
      try {
        const settings = store.cloudflareSettings;
        expect(await settings.current()).toBeUndefined();
        expect(await settings.clear('apikey:admin', '2026-12-01T10:00:00Z')).toBe(false);
        const a = { issuer: 'https://a.cloudflareaccess.com', audience: 'ab'.repeat(32) };
        const b = { issuer: 'https://b.cloudflareaccess.com', audience: 'cd'.repeat(32) };
        await settings.save({ ...a, changedBy: 'apikey:admin', changedAt: '2026-12-01T10:01:00Z' });
        const saved = await settings.save({ ...b, changedBy: 'admin', changedAt: '2026-12-01T10:02:00Z' });
        expect(saved).toMatchObject({ version: 2, ...b, changedBy: 'admin' });
        expect(await settings.current()).toEqual({
          ...b,
          changedBy: 'admin',
          changedAt: '2026-12-01T10:02:00Z',
        });
        expect(await settings.clear('apikey:ops', '2026-12-01T10:03:00Z')).toBe(true);
        expect(await settings.current()).toBeUndefined();
        expect(await settings.clear('apikey:ops', '2026-12-01T10:04:00Z')).toBe(false);
        const history = await settings.history();
        expect(history.map((c) => [c.version, c.issuer, c.changedBy])).toEqual([
          [1, a.issuer, 'apikey:admin'],
          [2, b.issuer, 'admin'],
          [3, null, 'apikey:ops'],
        ]);
      } finally {
        await store.close();
      }
    });
  });
