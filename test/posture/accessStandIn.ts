import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

export type Key = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

/** A stand-in for Cloudflare Access on 127.0.0.1: serves the team's key set at /cdn-cgi/access/certs. */
export class AccessStandIn {
  keys: JWK[] = [];
  fetches = 0;
  server: Server = createServer((req, res) => {
    if (req.url !== '/cdn-cgi/access/certs') {
      res.writeHead(404).end();
      return;
    }
    this.fetches++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
  });
  get url() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  listen(): Promise<void> {
    return new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
  }
  async addKey(kid: string): Promise<Key> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    this.keys.push({ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' });
    return privateKey;
  }
}

/** An Access application token as Cloudflare signs it: RS256, with the team as `iss` and the AUD as `aud`. */
export function accessToken(
  key: Key,
  kid: string,
  claims: { iss: string; aud: string; exp?: number },
): Promise<string> {
  return new SignJWT({ type: 'app' })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer(claims.iss)
    .setAudience(claims.aud)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(key);
}
