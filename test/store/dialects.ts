import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqliteStore.js';
import type { Store } from '../../src/store/store.js';

/** Each dialect the store suite runs against; PostgreSQL joins this list when it lands. */
export interface DialectUnderTest {
  name: string;
  open(): Promise<Store>;
}

export const DIALECTS: DialectUnderTest[] = [
  {
    name: 'sqlite',
    open: async () => SqliteStore.open(join(mkdtempSync(join(tmpdir(), 'tb-store-')), 'bridge.db')),
  },
];
