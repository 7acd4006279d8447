import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fake, json, startFake, TOKEN } from '../../test/sdk/fakeTanium.js';
import {
  createTaniumClient,
  InvalidRequestPathError,
  resolveModulePath,
  type TaniumClient,
} from './index.js';

let fake: Fake;
let client: TaniumClient;
beforeAll(async () => {
  fake = await startFake((req, res) => json(res, 200, { path: req.url }));
  client = createTaniumClient({ target: { kind: 'server', url: fake.url }, token: TOKEN });
});
afterAll(async () => {
  await client.close();
  await fake.close();
});

/** Each must be refused before any request is made. */
const HOSTILE: string[] = [
  'http://evil.example/x',
  'https://evil.example/x',
  'HTTPS://evil.example',
  'ftp://evil.example/x',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'mailto:a@b',
  '//evil.example/x',
  '///evil.example/x',
  '\\\\evil.example\\x',
  '/\\evil.example/x',
  '/v1\\..\\..\\x',
  '/..',
  '/../../api/v2/api_tokens',
  '/v1/../../gateway/graphql',
  '../x',
  '/v1/./assets',
  '/%2e%2e/%2e%2e/api/v2/api_tokens',
  '/%2E%2E/x',
  '/.%2e/x',
  '/%252e%252e/x',
  '/v1%2f..%2f..%2fx',
  '/v1%2Fassets',
  '/v1/%5c..%5cx',
  '/v1/assets\r\nX-Injected: 1',
  '/v1/assets\nsession: token-x',
  '/v1/assets%0d%0aX-Injected:%201',
  '/v1/assets?x=%0a',
  '/v1/assets%00.json',
  '/v1/assets\u0000',
  '/v1/\u007fassets',
  '/v1/assets\t',
  '/v1/as sets',
  '/@evil.example/x',
  '/v1/assets?redirect=user@evil.example',
  '/v1/assets#fragment',
  '/v1/assets%',
  '/v1/assets%zz',
  '',
];

/** Dot segments in every spelling some server reads as `.` or `..`: all get the same message. */
const DOT_SEGMENTS: string[] = [
  '/..;/api/v2/api_tokens',
  '/v1/..;/..;/x',
  '/v1/..;jsessionid=1/x',
  '/v1/.;/assets',
  '/%2e%2e;/x',
  '/%2E%2E;/x',
  '/..%3b/x',
  '/..%3B/x',
  '/%2e%2e%3b/x',
  '/.%2e;/x',
  '/%252e%252e;/x',
  '/..%253b/x',
  '/%25252e%25252e/x',
  '/v1\\..\\..\\x',
  '/v1/..\\x',
  '/v1%5c..%5cx',
  '/v1%255c..%255cx',
  '/v1/..%20/x',
  '/v1/...',
  '/v1/%ef%bc%8e%ef%bc%8e/x',
  '/v1/\uff0e\uff0e/x',
  '/v1/.',
  '..',
];

describe('module path validation', () => {
  it.each(DOT_SEGMENTS.map((path) => [path]))('refuses the dot segment %j with one message', (path) => {
    expect(() => resolveModulePath('https://a-api.cloud.tanium.com', '/plugin/products/patch', path)).toThrow(
      /^Invalid request path ".+": it has a dot segment \(\. or \.\.,.*\), which could leave the module base\. Write the path without dot segments, e\.g\. \/v1\/assets\/1\.$/,
    );
  });

  it('still accepts ; and dots inside ordinary segments', () => {
    for (const path of [
      '/v1/assets;v=2',
      '/v1/file.tar.gz',
      '/v1/.well-known',
      '/v1/a..b',
      '/v1/assets?x=..',
    ]) {
      expect(
        resolveModulePath('https://a-api.cloud.tanium.com', '/plugin/products/patch', path).pathname,
        path,
      ).toMatch(/^\/plugin\/products\/patch\/v1\//);
    }
  });

  it(`refuses ${HOSTILE.length} hostile paths before any request`, async () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(25);
    for (const path of [...HOSTILE, ...DOT_SEGMENTS]) {
      const error = await client
        .module('patch')
        .request('GET', path)
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(error, JSON.stringify(path)).toBeInstanceOf(InvalidRequestPathError);
      expect((error as Error).message).toMatch(/^Invalid request path .+: .+\. .+/);
    }
    await expect(client.rest('GET', '/../../plugin/products/patch/v1/patches')).rejects.toBeInstanceOf(
      InvalidRequestPathError,
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('accepts ordinary module paths, with or without a leading slash', async () => {
    const valid: [string, string][] = [
      ['/v1/patches?take=1', '/plugin/products/patch/v1/patches?take=1'],
      ['v1/patches', '/plugin/products/patch/v1/patches'],
      [
        '/v1/deployments?filters=%7B%22a%22%3A1%7D&orderBy=name,desc',
        '/plugin/products/patch/v1/deployments?filters=%7B%22a%22%3A1%7D&orderBy=name,desc',
      ],
      ['/v1/patches/abc-123_x.y', '/plugin/products/patch/v1/patches/abc-123_x.y'],
      ['/v1/patches/a%20b', '/plugin/products/patch/v1/patches/a%20b'],
      ['/v1/patches?q=a%2Fb', '/plugin/products/patch/v1/patches?q=a%2Fb'],
      ['/v1/patches?email=a%40b.example', '/plugin/products/patch/v1/patches?email=a%40b.example'],
      ['/', '/plugin/products/patch/'],
    ];
    for (const [path, expected] of valid) {
      const answer = await client.module('patch').request<{ path: string }>('GET', path);
      expect(answer.path, path).toBe(expected);
    }
    expect(fake.requests).toHaveLength(valid.length);
  });

  it('names the problem and the fix', () => {
    expect(() =>
      resolveModulePath('https://a-api.cloud.tanium.com', '/api/v2', 'https://evil.example/'),
    ).toThrow(/absolute URL.*relative to the module base/);
    expect(() => resolveModulePath('https://a-api.cloud.tanium.com', '/api/v2', '/%0d%0a')).toThrow(
      /encoded control/,
    );
  });
});
