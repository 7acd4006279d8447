import { spawnSync } from 'node:child_process';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { CLI, startCliUntilFirstLine, stopChild } from '../helpers/spawnCli.js';

describe('tanium-bridge emulator', () => {
  it('prints exactly one {url, token} JSON object as its first line, and the token works', async () => {
    const { child, firstLine } = await startCliUntilFirstLine(['emulator', '--port', '0', '--json']);
    try {
      const announced = JSON.parse(firstLine) as Record<string, string>;
      expect(Object.keys(announced).sort()).toEqual(['token', 'url']);
      expect(announced['url']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(announced['token']).toMatch(/^token-[0-9a-f]+$/);
      const reply = await request(`${announced['url']}/api/v2/session/current`, {
        headers: { session: announced['token']! },
      });
      const body = (await reply.body.json()) as { data: { user: { personas: { name: string }[] } } };
      expect(reply.statusCode).toBe(200);
      expect(body.data.user.personas.map((p) => p.name)).toContain('Default');
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
  });

  it('--realism answers with gaps for that share; a share outside 0 to 1 is refused in one line', async () => {
    const { child, firstLine } = await startCliUntilFirstLine([
      'emulator',
      '--json',
      '--endpoints',
      '300',
      '--realism',
      '0.2',
    ]);
    try {
      const { url } = JSON.parse(firstLine) as { url: string };
      const truth = (await (await request(`${url}/__emulator/truth`)).body.json()) as {
        answers: { realism: number; cveFindingsNull: number };
      };
      expect(truth.answers.realism).toBe(0.2);
      expect(truth.answers.cveFindingsNull).toBeGreaterThan(0);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
    const bad = spawnSync(process.execPath, [CLI, 'emulator', '--realism', '5'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim()).toBe('Invalid --realism "5": use a share from 0 to 1, such as 0.05.');
  });

  it('--without risk serves a Gateway without Endpoint.risk; an unknown part is refused in one line', async () => {
    const { child, firstLine } = await startCliUntilFirstLine(['emulator', '--json', '--without', 'risk']);
    try {
      const { url, token } = JSON.parse(firstLine) as { url: string; token: string };
      const reply = await request(`${url}/plugin/products/gateway/graphql`, {
        method: 'POST',
        headers: { session: token, 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ endpoints(first: 1) { edges { node { risk { totalScore } } } } }' }),
      });
      const body = (await reply.body.json()) as { errors: { message: string }[] };
      expect(reply.statusCode).toBe(400);
      expect(body.errors[0]?.message).toMatch(/^Cannot query field "risk" on type "Endpoint"\./);
    } finally {
      expect(await stopChild(child)).toBe(0);
    }
    const bad = spawnSync(process.execPath, [CLI, 'emulator', '--without', 'compliance'], {
      encoding: 'utf8',
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim()).toBe(
      'Unknown --without part "compliance": use a comma-separated list of risk, updated-after.',
    );
  });

  it('refuses a bad port with one clear line and no stack', () => {
    const result = spawnSync(process.execPath, [CLI, 'emulator', '--port', 'eighty'], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr.trim()).toBe(
      'Invalid port "eighty": use a whole number from 0 to 65535 (0 picks a free port).',
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
