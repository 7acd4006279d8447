import { describe, expect, it } from 'vitest';
import { runCli, tempHome } from '../helpers/runCli.js';
import { startCliUntilFirstLine, stopChild } from '../helpers/spawnCli.js';

interface Announced {
  url: string;
  token: string;
  tenants: { url: string; token: string }[];
}

/** Every endpoint name of a tenant's fleet, read from its Gateway, sorted. */
async function fleetNames(tenant: { url: string; token: string }): Promise<string[]> {
  const reply = await fetch(`${tenant.url}/plugin/products/gateway/graphql`, {
    method: 'POST',
    headers: { session: tenant.token, 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ endpoints(first: 500) { edges { node { name } } } }' }),
  });
  const body = (await reply.json()) as { data: { endpoints: { edges: { node: { name: string } }[] } } };
  return body.data.endpoints.edges.map((e) => e.node.name).sort();
}

describe('tanium-bridge emulator --tenants', () => {
  it('announces every tenant; a connection to tenant 2 syncs tenant 2 only', async () => {
    const { child, firstLine } = await startCliUntilFirstLine(
      ['emulator', '--tenants', '3', '--endpoints', '40', '--json'],
      30_000,
    );
    try {
      const announced = JSON.parse(firstLine) as Announced;
      expect(announced.tenants.map((t) => new URL(t.url).hostname)).toEqual([
        '127.0.0.1',
        '127.0.0.2',
        '127.0.0.3',
      ]);
      // One tenant's url and token at the top level, as without --tenants.
      expect({ url: announced.url, token: announced.token }).toEqual(announced.tenants[0]);
      const second = announced.tenants[1]!;
      const home = tempHome();
      const connect = await runCli(['connect', '--name', 't2', '--server', second.url], {
        home,
        input: `${second.token}\n`,
      });
      expect(connect.code, connect.stderr).toBe(0);
      const sync = await runCli(['sync', '--name', 't2', '--streams', 'assets', '--json'], { home });
      expect(sync.code, sync.stderr).toBe(0);
      const exported = await runCli(['export', 'assets', '--name', 't2'], { home });
      const stored = exported.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { name: string }).name)
        .sort();
      // Exactly tenant 2's fleet: the fleets differ, so tenant 1's names would not match.
      expect(stored).toEqual(await fleetNames(second));
      expect(stored).not.toEqual(await fleetNames(announced.tenants[0]!));
      // The token of tenant 2 is not a token of tenant 1.
      const elsewhere = await fetch(`${announced.url}/api/v2/session/current`, {
        headers: { session: second.token },
      });
      expect(elsewhere.status).toBe(401);
    } finally {
      await stopChild(child);
    }
    expect(child.exitCode).toBe(0);
  }, 120_000);

  it('refuses --state, --host and --identity-port with several tenants, and a count out of range', async () => {
    const home = tempHome();
    const state = await runCli(['emulator', '--tenants', '2', '--state', 'x.json'], { home });
    expect(state.code).toBe(1);
    expect(state.stderr.trim()).toBe(
      '--state cannot be combined with --tenants: tenants listen on 127.0.0.1 to 127.0.0.N and keep their state in memory. Leave out --state, or run one tenant.',
    );
    const host = await runCli(['emulator', '--tenants', '2', '--host', '::1'], { home });
    expect(host.code).toBe(1);
    expect(host.stderr).toMatch(/^--host cannot be combined with --tenants/);
    const identity = await runCli(['emulator', '--tenants', '2', '--identity-port', '0'], { home });
    expect(identity.code).toBe(1);
    expect(identity.stderr).toMatch(/^--identity-port cannot be combined with --tenants/);
    const many = await runCli(['emulator', '--tenants', '255'], { home });
    expect(many.code).toBe(1);
    expect(many.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(many.stderr).toContain('--tenants');
  }, 60_000);
});
