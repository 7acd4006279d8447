import { describe, expect, it } from 'vitest';
import { INVALID_DOMAIN_MESSAGE } from '../../src/connections/domain.js';
import { domainReason } from '../../src/connections/domainReason.js';
import { REQUIRED_MESSAGE } from '../../src/connections/required.js';
import {
  BLANK_DOMAINS,
  HOSTILE_DOMAINS,
  INVALID_SERVERS,
  VALID_DOMAINS,
  VALID_SERVERS,
} from '../fixtures/domains.js';
import { CLI_SUITE_TIMEOUT_MS, pool, runCli, tempHome } from '../helpers/runCli.js';

const TOKEN = 'token-validation0000000000000000';

describe('connect validates the address before anything else (CLI)', {
  timeout: CLI_SUITE_TIMEOUT_MS,
}, () => {
  it("rejects every hostile domain with the workflow integration guide's exact message and stores nothing", async () => {
    const home = tempHome();
    const results = await pool(HOSTILE_DOMAINS, 4, (domain) =>
      runCli(['connect', '--domain', domain], { home, input: TOKEN }),
    );
    results.forEach((result, index) => {
      expect({ domain: HOSTILE_DOMAINS[index], code: result.code, stderr: result.stderr }).toEqual({
        domain: HOSTILE_DOMAINS[index],
        code: 1,
        stderr: `${INVALID_DOMAIN_MESSAGE}\n${domainReason(HOSTILE_DOMAINS[index] as string)}\n`,
      });
      expect(result.stdout).toBe('');
    });
    const status = await runCli(['status', '--json'], { home });
    expect(JSON.parse(status.stdout)).toEqual({ connections: [] });
  });

  it.each(BLANK_DOMAINS.map((value) => [value]))('requires a domain: %j', async (domain) => {
    const result = await runCli(['connect', '--domain', domain], { home: tempHome(), input: TOKEN });
    expect(result).toMatchObject({ code: 1, stderr: `${REQUIRED_MESSAGE}\n` });
  });

  it('accepts valid domains, stored lower-case', async () => {
    const home = tempHome();
    await pool(VALID_DOMAINS, 4, async ([domain, stored]) => {
      const index = VALID_DOMAINS.findIndex(([candidate]) => candidate === domain);
      const result = await runCli(['connect', '--domain', domain, '--name', `d${index}`, '--json'], {
        home,
        input: TOKEN,
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).connection.domain).toBe(stored);
    });
  });

  it('applies the server URL rules', async () => {
    const home = tempHome();
    await pool(VALID_SERVERS, 4, async ([url, origin]) => {
      const name = `s${VALID_SERVERS.findIndex(([candidate]) => candidate === url)}`;
      const result = await runCli(['connect', '--server', url, '--name', name, '--json'], {
        home,
        input: TOKEN,
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).connection).toMatchObject({
        kind: 'server',
        url: origin,
        domain: null,
      });
    });
    await pool(INVALID_SERVERS, 4, async ([url, reason]) => {
      const result = await runCli(['connect', '--server', url, '--name', 'bad'], { home, input: TOKEN });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^Invalid server URL: /);
      expect(result.stderr).toMatch(reason);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });

  it('refuses the allow-list corners (invalid punycode, a trailing dot the URL parser would drop) with one line', async () => {
    const home = tempHome();
    const cases: readonly (readonly [string[], RegExp])[] = [
      [
        ['--domain', 'xn--80ak6aa92e-api.cloud.tanium.com'],
        /^Failed to install integration: Invalid API domain: /,
      ],
      [
        ['--server', 'http://127.0.0.1.:8443'],
        /^Invalid server URL: the host name ends with a dot; remove the trailing dot/,
      ],
      [['--server', 'https://xn--a.example.com'], /^Invalid server URL: the host name has a punycode/],
      [
        ['--server', 'http://[64:ff9b::7f00:1]:8443'],
        /^Invalid server URL: plain http:\/\/ is allowed only to a loopback/,
      ],
    ];
    for (const [args, pattern] of cases) {
      const result = await runCli(['connect', ...args, '--name', 'corner'], { home, input: TOKEN });
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(result.stderr).toMatch(pattern);
      // A refused API domain adds its reason on a second line (docs/cli.md); everything else is one line.
      const lines = args[0] === '--domain' ? 2 : 1;
      expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(lines);
    }
    const status = await runCli(['status', '--json'], { home });
    expect(JSON.parse(status.stdout)).toEqual({ connections: [] });
  });

  it('refuses --domain and --server together', async () => {
    const result = await runCli(
      ['connect', '--domain', 'acme-api.cloud.tanium.com', '--server', 'https://tanium.example.com'],
      { home: tempHome(), input: TOKEN },
    );
    expect(result).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Give either --domain/) });
  });

  it('refuses invalid connection names', async () => {
    const result = await runCli(['connect', '--domain', 'acme-api.cloud.tanium.com', '--name', 'Prod!'], {
      home: tempHome(),
      input: TOKEN,
    });
    expect(result).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^Invalid connection name "Prod!"/),
    });
  });
});
