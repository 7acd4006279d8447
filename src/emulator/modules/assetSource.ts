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
