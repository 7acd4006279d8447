/**
 * The SDK's module table against the emulator's: the same permission names (both are assumptions
 * where Tanium publishes none; the emulator's 403 text is what a user sees), and probes that a
 * limited persona passes or fails exactly as its permissions say.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODULE_PERMISSIONS } from '../../src/emulator/modules/index.js';
import { createTaniumClient, MODULES, PermissionError } from '../../src/sdk/index.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';

const emulatorKey = (key: string) => key.replace(/-(\w)/g, (_m, c: string) => c.toUpperCase());

describe('SDK module permissions match the emulator', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('names the same permission and base for every module but the Core Platform', () => {
    for (const m of MODULES) {
      const info = MODULE_PERMISSIONS.find((e) => e.key === emulatorKey(m.key));
      expect(info, m.key).toBeDefined();
      expect(info?.name).toBe(m.name);
      expect(info?.probe.startsWith(m.basePath), m.key).toBe(true);
      if (m.key === 'platform') expect(info?.permission).toBeNull();
      else expect(m.permission, m.key).toBe(info?.permission);
    }
  });

  it('probes every module with the SDK: a limited persona gets exactly its modules, 403s name the rest', async () => {
    const granted = ['Asset API User', 'Show Comply', 'Show Threat Response'];
    const reply = await h.call<{ token: string }>('POST', '/__emulator/personas', {
      token: null,
      body: { user: 'sdk-probe', persona: 'Some modules', permissions: granted },
    });
    expect(reply.status, reply.text).toBe(200);
    const client = createTaniumClient({ baseUrl: h.url, token: reply.json.token });
    try {
      const results = await client.probeModules();
      expect(results.filter((r) => r.ok).map((r) => r.key)).toEqual([
        'platform',
        'asset',
        'comply',
        'threat-response',
      ]);
      for (const r of results.filter((x) => !x.ok)) {
        expect(r.error).toBeInstanceOf(PermissionError);
        expect(r.error?.message).toContain(`it needs the "${r.permission}" permission`);
        // The emulator's own 403 text names the same permission.
        expect(r.error?.text).toContain(`lacks the "${r.permission}" permission`);
      }
      const admin = createTaniumClient({ baseUrl: h.url, token: h.token });
      expect((await admin.probeModules()).every((r) => r.ok)).toBe(true);
      await admin.close();
    } finally {
      await client.close();
    }
  });
});
