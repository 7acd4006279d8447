import { createHash, randomBytes } from 'node:crypto';
import { DAY_MS } from './clock.js';
import { HttpError } from './httpError.js';
import { TrustList } from './trustList.js';

/**
 * API tokens as Tanium keeps them: bound to a user and persona, with a lifetime and trusted
 * addresses. Only a SHA-256 digest of each token string is kept, so the state file never holds
 * a usable token; the string exists only in the create and rotate answers.
 */
export interface TokenRecord {
  id: number;
  name: string;
  notes: string;
  userId: number;
  personaId: number;
  digest: string;
  createdMs: number;
  expiresMs: number;
  expireInDays: number;
  lastUsedMs: number;
  trustedIpAddresses: string;
}

export interface NewToken {
  name: string;
  notes: string;
  userId: number;
  personaId: number;
  expireInDays: number;
  trusted: TrustList;
}

export const digestOf = (tokenString: string): string =>
  createHash('sha256').update(tokenString).digest('hex');

export class TokenStore {
  readonly #byDigest = new Map<string, TokenRecord>();

  constructor(
    readonly records: TokenRecord[],
    private nextId: () => number,
  ) {
    for (const record of records) this.#byDigest.set(record.digest, record);
  }

  /** Active tokens: not revoked (revoked ones are removed) and not expired. */
  active(nowMs: number): TokenRecord[] {
    return this.records.filter((r) => r.expiresMs > nowMs);
  }

  byString(tokenString: string): TokenRecord | undefined {
    return this.#byDigest.get(digestOf(tokenString));
  }

  byId(id: number, nowMs: number): TokenRecord {
    const record = this.records.find((r) => r.id === id);
    if (!record || record.expiresMs <= nowMs) {
      throw new HttpError(404, 'APITokenNotFound', `no active API token with id ${id}`);
    }
    return record;
  }

  create(spec: NewToken, nowMs: number, stringLength: number): { record: TokenRecord; tokenString: string } {
    const tokenString = `token-${randomBytes(Math.ceil(stringLength / 2))
      .toString('hex')
      .slice(0, stringLength)}`;
    const record: TokenRecord = {
      id: this.nextId(),
      name: spec.name,
      notes: spec.notes,
      userId: spec.userId,
      personaId: spec.personaId,
      digest: digestOf(tokenString),
      createdMs: nowMs,
      expiresMs: nowMs + spec.expireInDays * DAY_MS,
      expireInDays: spec.expireInDays,
      lastUsedMs: nowMs,
      trustedIpAddresses: spec.trusted.toString(),
    };
    this.records.push(record);
    this.#byDigest.set(record.digest, record);
    return { record, tokenString };
  }

  /**
   * Exchanges a token: the old one is deleted and a new one issued with the same user, persona,
   * name, notes, trusted addresses and lifetime. The old string stops working at once.
   */
  rotate(
    old: TokenRecord,
    nowMs: number,
    stringLength: number,
  ): { record: TokenRecord; tokenString: string } {
    this.revoke(old);
    return this.create(
      {
        name: old.name,
        notes: old.notes,
        userId: old.userId,
        personaId: old.personaId,
        expireInDays: old.expireInDays,
        trusted: TrustList.parse(old.trustedIpAddresses),
      },
      nowMs,
      stringLength,
    );
  }

  revoke(record: TokenRecord): void {
    const index = this.records.indexOf(record);
    if (index >= 0) this.records.splice(index, 1);
    this.#byDigest.delete(record.digest);
  }
}
