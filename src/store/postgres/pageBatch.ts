import type { PoolClient, QueryResult } from 'pg';

type OnResult = (result: QueryResult) => void;

/**
 * Statements of one page sent together: one multi-statement simple query, one round trip instead of
 * one per statement (a page has a dozen; each round trip to a busy server on the same cores cost more
 * than the statement). Values are literals in the text (sqlLiteral.ts): the simple protocol takes no
 * parameters. PostgreSQL runs them in order and stops at the first error, which then rolls back the
 * page's transaction. Each statement's result goes to its `onResult`.
 */
export class PageBatch {
  readonly #statements: string[] = [];
  readonly #handlers: (OnResult | undefined)[] = [];

  add(sql: string, onResult?: OnResult): void {
    this.#statements.push(sql);
    this.#handlers.push(onResult);
  }

  get size(): number {
    return this.#statements.length;
  }

  /** The statements as one text, for a caller that sends them itself (with the page's BEGIN). */
  get text(): string {
    return this.#statements.join(';\n');
  }

  /** Sends the statements on `client` (inside the page's transaction) and hands out their results. */
  async run(client: PoolClient): Promise<void> {
    if (this.#statements.length === 0) return;
    const reply = (await client.query(this.text)) as QueryResult | QueryResult[];
    this.deliver(Array.isArray(reply) ? reply : [reply]);
  }

  /** Hands out the results of `text`, sent by the caller, in order. */
  deliver(results: readonly QueryResult[]): void {
    for (const [i, result] of results.entries()) this.#handlers[i]?.(result);
  }
}
