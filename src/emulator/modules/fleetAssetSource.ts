import type { EmulatorState } from '../emulatorState.js';
import type { FleetView } from '../fleet/index.js';
import type { AssetRow, AssetSource } from './assetSource.js';

/**
 * Asset rows from the emulator's fleet, as the fleet is now. The Asset module keeps its own
 * internal ids (Tanium's Asset ids differ from Gateway EIDs): here the fleet index plus one, which
 * is stable, positive and ascends with the fleet's id order, as keyset paging needs.
 */
export class FleetAssetSource implements AssetSource {
  constructor(private readonly state: EmulatorState) {}

  rows(minimumAssetId: number, limit: number): readonly AssetRow[] {
    const view = this.state.fleet.view(this.state.now());
    const live = view.live();
    const rows: AssetRow[] = [];
    for (let k = lowerBound(live, minimumAssetId - 1); k < live.length && rows.length < limit; k++) {
      rows.push(assetRow(view, live[k]!));
    }
    return rows;
  }

  byId(id: number): AssetRow | undefined {
    const view = this.state.fleet.view(this.state.now());
    const index = id - 1;
    return Number.isSafeInteger(index) && index >= 0 && view.isLive(index)
      ? assetRow(view, index)
      : undefined;
  }
}

function assetRow(view: FleetView, i: number): AssetRow {
  const e = view.endpoint(i);
  return {
    id: i + 1,
    computer_name: e.name,
    computer_id: e.computerID,
    serial_number: e.serialNumber,
    ip_address: e.ipAddress,
    mac_address: e.macAddresses[0] ?? null,
    os_name: e.os.name,
    os_platform: e.os.platform,
    manufacturer: e.manufacturer,
    model: e.model,
    chassis_type: e.chassisType,
    is_virtual: e.isVirtual,
    domain_name: e.domainName,
    last_logged_in_user: e.lastLoggedInUser,
    ram_mb: Number.parseInt(e.memory.ram, 10) || null,
    first_seen: e.eidFirstSeen,
    last_seen: e.eidLastSeen,
  };
}

function lowerBound(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
