import { DAY, hex, iso, pick, SEED_EPOCH_MS, seededRandom } from './seeded.js';

/**
 * One asset as the Asset API answers it: the internal asset `id` and the attribute values keyed
 * by attribute field name. Tanium publishes no fixed list; the names here are an ASSUMPTION
 * (see ASSET_ATTRIBUTES) and follow the snake_case column names clients have been seen to read.
 */
export type AssetValue = string | number | boolean | null;
export type AssetRow = Readonly<{ id: number } & Record<string, AssetValue>>;

/**
 * Where Asset rows come from. The endpoint fleet replaces the built-in set by implementing this:
 * ids must be stable, positive and unique; `rows` answers ascending by id.
 */
export interface AssetSource {
  /** Assets whose id is at least `minimumAssetId`, ascending by id, at most `limit` of them. */
  rows(minimumAssetId: number, limit: number): readonly AssetRow[];
  byId(id: number): AssetRow | undefined;
}

export interface AssetAttribute {
  id: number;
  fieldName: string;
  displayName: string;
  dataType: 'string' | 'number' | 'boolean' | 'datetime';
}

/** The attribute catalog (entity "Computer", table `ci_item`): ASSUMPTION, see docs. */
export const ASSET_ATTRIBUTES: readonly AssetAttribute[] = [
  { id: 1, fieldName: 'computer_name', displayName: 'Computer Name', dataType: 'string' },
  { id: 2, fieldName: 'computer_id', displayName: 'Computer ID', dataType: 'string' },
  { id: 3, fieldName: 'serial_number', displayName: 'Serial Number', dataType: 'string' },
  { id: 4, fieldName: 'ip_address', displayName: 'IP Address', dataType: 'string' },
  { id: 5, fieldName: 'mac_address', displayName: 'MAC Address', dataType: 'string' },
  { id: 6, fieldName: 'os_name', displayName: 'Operating System', dataType: 'string' },
  { id: 7, fieldName: 'os_platform', displayName: 'OS Platform', dataType: 'string' },
  { id: 8, fieldName: 'manufacturer', displayName: 'Manufacturer', dataType: 'string' },
  { id: 9, fieldName: 'model', displayName: 'Model', dataType: 'string' },
  { id: 10, fieldName: 'chassis_type', displayName: 'Chassis Type', dataType: 'string' },
  { id: 11, fieldName: 'is_virtual', displayName: 'Is Virtual', dataType: 'boolean' },
  { id: 12, fieldName: 'domain_name', displayName: 'Domain Name', dataType: 'string' },
  { id: 13, fieldName: 'last_logged_in_user', displayName: 'Last Logged In User', dataType: 'string' },
  { id: 14, fieldName: 'ram_mb', displayName: 'RAM (MB)', dataType: 'number' },
  { id: 15, fieldName: 'first_seen', displayName: 'First Seen', dataType: 'datetime' },
  { id: 16, fieldName: 'last_seen', displayName: 'Last Seen', dataType: 'datetime' },
];

const MODELS = [
  ['Dell Inc.', 'Latitude 7440', 'Laptop', 'Windows', 'Windows 11 Enterprise'],
  ['Dell Inc.', 'OptiPlex 7010', 'Desktop', 'Windows', 'Windows 10 Enterprise'],
  ['LENOVO', 'ThinkPad T14 Gen 4', 'Laptop', 'Windows', 'Windows 11 Pro'],
  ['Apple Inc.', 'MacBookPro18,3', 'Laptop', 'Mac', 'macOS 14.5'],
  ['HP', 'ProLiant DL380 Gen10', 'Rack Mount Chassis', 'Linux', 'Red Hat Enterprise Linux 9.3'],
  ['VMware, Inc.', 'VMware Virtual Platform', 'Virtual', 'Linux', 'Ubuntu 22.04.4 LTS'],
  ['Microsoft Corporation', 'Virtual Machine', 'Virtual', 'Windows', 'Windows Server 2022 Datacenter'],
] as const;
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'];

/** A deterministic built-in set: `count` assets with ids 1001, 1004, 1007, … (gaps, as real ids have). */
export class BuiltInAssetSource implements AssetSource {
  readonly #rows: AssetRow[];

  constructor(count = 300, seed = 7) {
    const random = seededRandom(seed);
    this.#rows = Array.from({ length: count }, (_, i) => {
      const [manufacturer, model, chassis, platform, os] = pick(random, MODELS);
      const prefix = platform === 'Linux' ? 'srv' : 'ws';
      const firstSeen = SEED_EPOCH_MS - (30 + Math.floor(random() * 300)) * DAY;
      const lastSeen = SEED_EPOCH_MS - Math.floor(random() * random() * 45) * DAY;
      return {
        id: 1001 + i * 3,
        computer_name: `${prefix}-${String(i + 1).padStart(4, '0')}.example.com`,
        computer_id: String(100_000 + Math.floor(random() * 4_000_000_000)),
        serial_number: hex(random, 10).toUpperCase(),
        ip_address: `10.${20 + (i >> 8)}.${i & 255}.${10 + Math.floor(random() * 200)}`,
        mac_address: Array.from({ length: 6 }, () => hex(random, 2)).join(':'),
        os_name: os,
        os_platform: platform,
        manufacturer,
        model,
        chassis_type: chassis,
        is_virtual: chassis === 'Virtual',
        domain_name: 'example.com',
        last_logged_in_user: `EXAMPLE\\${pick(random, USERS)}`,
        ram_mb: pick(random, [8192, 16384, 32768, 65536]),
        first_seen: iso(firstSeen),
        last_seen: iso(lastSeen),
      };
    });
  }

  rows(minimumAssetId: number, limit: number): readonly AssetRow[] {
    const start = lowerBound(this.#rows, minimumAssetId);
    return this.#rows.slice(start, start + limit);
  }

  byId(id: number): AssetRow | undefined {
    const index = lowerBound(this.#rows, id);
    const row = this.#rows[index];
    return row?.id === id ? row : undefined;
  }

  get size(): number {
    return this.#rows.length;
  }
}

function lowerBound(rows: readonly AssetRow[], id: number): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((rows[mid] as AssetRow).id < id) low = mid + 1;
    else high = mid;
  }
  return low;
}
