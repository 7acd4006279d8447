import { type KeyObject, randomBytes, sign } from 'node:crypto';
import { bitString, explicit, integer, oid, sequence, set, time, utf8 } from './der.js';

const ED25519 = '1.3.101.112';
const COMMON_NAME = '2.5.4.3';

/**
 * A self-signed X.509 v3 certificate (PEM) for an Ed25519 key: the emulated Tanium Client identity
 * key's public half, as a tenant would distribute it (docs/posture.md, "Endpoint identity").
 */
export function selfSignedCertificate(
  privateKey: KeyObject,
  publicKey: KeyObject,
  subject: string,
  notBefore: number,
  notAfter: number,
): string {
  const algorithm = sequence(oid(ED25519));
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8(subject))));
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(randomBytes(16)),
    algorithm,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    spki,
  );
  const der = sequence(tbs, algorithm, bitString(sign(null, tbs, privateKey)));
  const body = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${body}-----END CERTIFICATE-----\n`;
}
