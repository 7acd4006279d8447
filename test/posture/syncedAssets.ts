import { openStore } from '../../src/store/open.js';

/** Synced assets of a home with at least one MAC address, to pick devices from, read through its store. */
export async function syncedAssets(home: string, db?: string) {
  const store = await openStore(home, { db });
  try {
    const { rows } = await store.rowQuery.page({
      connection: 'default',
      stream: 'assets',
      filters: [],
      limit: 100,
    });
    return rows
      .filter((r) => (r['mac_addresses'] as string[] | null)?.length)
      .slice(0, 10)
      .map((r) => ({
        endpoint_id: r['endpoint_id'] as string,
        serial_number: r['serial_number'] as string,
        name: r['name'] as string,
        mac_addresses: r['mac_addresses'] as string[],
      }));
  } finally {
    await store.close();
  }
}
