import { GraphQLError } from 'graphql';
import type { FleetView } from '../fleet/index.js';
import type { GatewayModule } from './gatewayModule.js';
import { listConnection } from './listConnection.js';

type Usage = 'Baselining' | 'High' | 'Limited' | 'Normal' | 'NotInstalled' | 'UsageNotDetected';
const USED: readonly Usage[] = ['High', 'Normal', 'Limited'];

interface Install {
  i: number;
  version: string;
  usage: Usage;
}

interface Product {
  vendor: string;
  name: string;
  installs: Install[];
}

/** Asset's software products and the endpoints that have them: `assetProducts`, `assetProductEndpoints`. */
export const assetModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    enum AssetProductState { Cataloged Ignored Tracked }
    enum AssetProductUsageEnum { Baselining High Limited Normal NotInstalled UsageNotDetected }
    type AssetProductInstallation { installedCount: Int pendingUsage: Int unusedCount: Int usedCount: Int }
    type AssetProductTracking {
      baselinePeriodDays: Int
      highMinutesUsedPerDay: Int
      normalMinutesUsedPerDay: Int
      reportingPeriodDays: Int
      state: AssetProductState
    }
    type AssetProductUsage {
      baselining: Int! high: Int! limited: Int! normal: Int! notInstalled: Int! usageNotDetected: Int!
    }
    type AssetProductVersion { installs: Int! version: String! }
    type AssetProduct {
      installation: AssetProductInstallation
      name: String!
      tracking: AssetProductTracking
      usage: AssetProductUsage
      vendor: String!
      versions: [AssetProductVersion!]
    }
    type AssetProductEdge implements Edge { cursor: Cursor! node: AssetProduct! }
    type AssetProductConnection implements Connection {
      edges: [AssetProductEdge]!
      pageInfo: PageInfo!
      totalCount: Int!
    }
    input AssetProductsFilter { search: String states: [AssetProductState!] vendors: [String!] }
    type AssetProductEndpoint {
      computerId: String
      computerName: String
      createdAt: Time
      eid: Int
      endpointFingerprint: String
      id: Int
      ipAddress: String
      manufacturer: String
      operatingSystem: String
      osPlatform: String
      serialNumber: String
      servicePack: String
      updatedAt: Time
      userName: String
    }
    type AssetProductEndpointEdge implements Edge { cursor: Cursor! node: AssetProductEndpoint! }
    type AssetProductEndpointConnection implements Connection {
      edges: [AssetProductEndpointEdge]!
      pageInfo: PageInfo!
      totalCount: Int!
    }
    input AssetProductEndpointsFilter { name: String usage: AssetProductUsageEnum vendor: String version: String }
    extend type Query {
      assetProductEndpoints(after: Cursor, filter: AssetProductEndpointsFilter, first: Int): AssetProductEndpointConnection
      assetProducts(after: Cursor, filter: AssetProductsFilter, first: Int): AssetProductConnection
    }
  `,
  query: {
    assetProducts: (rawArgs, { state }) => {
      const args = rawArgs as {
        after?: string | null;
        first?: number | null;
        filter?: ProductsFilter | null;
      };
      const products = productsOf(state.fleet.view(state.now())).filter(productMatches(args.filter));
      return listConnection(products.map(productNode), args, { max: 5_000, defaultFirst: 20 });
    },
    assetProductEndpoints: (rawArgs, { state }) => {
      const args = rawArgs as {
        after?: string | null;
        first?: number | null;
        filter?: EndpointsFilter | null;
      };
      const view = state.fleet.view(state.now());
      const f = args.filter ?? {};
      const seen = new Set<number>();
      for (const product of productsOf(view)) {
        if (f.name != null && product.name.toLowerCase() !== f.name.toLowerCase()) continue;
        if (f.vendor != null && product.vendor.toLowerCase() !== f.vendor.toLowerCase()) continue;
        for (const install of product.installs) {
          if (f.version != null && install.version !== f.version) continue;
          if (f.usage != null && install.usage !== f.usage) continue;
          seen.add(install.i);
        }
      }
      const indices = [...seen].sort((a, b) => a - b);
      return listConnection(
        indices.map((i) => endpointNode(view, i)),
        args,
        { max: 5_000, defaultFirst: 20 },
      );
    },
  },
};

interface ProductsFilter {
  search?: string | null;
  states?: string[] | null;
  vendors?: string[] | null;
}
interface EndpointsFilter {
  name?: string | null;
  vendor?: string | null;
  version?: string | null;
  usage?: Usage | null;
}

function productMatches(filter: ProductsFilter | null | undefined) {
  const search = filter?.search?.toLowerCase();
  const vendors = filter?.vendors?.map((v) => v.toLowerCase());
  return (p: Product) =>
    (!search || p.vendor.toLowerCase().includes(search) || p.name.toLowerCase().includes(search)) &&
    (!vendors || vendors.includes(p.vendor.toLowerCase())) &&
    (!filter?.states || filter.states.includes(stateOf(p)));
}

/** Products tracked by Asset: those on at least a tenth of the fleet; the rest are catalogued only. */
function stateOf(p: Product): string {
  return p.installs.length >= 10 ? 'Tracked' : 'Cataloged';
}

function productNode(p: Product) {
  const count = (u: Usage) => p.installs.filter((x) => x.usage === u).length;
  const versions = new Map<string, number>();
  for (const x of p.installs) versions.set(x.version, (versions.get(x.version) ?? 0) + 1);
  const used = p.installs.filter((x) => USED.includes(x.usage)).length;
  return {
    vendor: p.vendor,
    name: p.name,
    installation: {
      installedCount: p.installs.length,
      usedCount: used,
      unusedCount: count('UsageNotDetected'),
      pendingUsage: count('Baselining'),
    },
    tracking: {
      state: stateOf(p),
      baselinePeriodDays: 7,
      reportingPeriodDays: 30,
      normalMinutesUsedPerDay: 60,
      highMinutesUsedPerDay: 240,
    },
    usage: {
      baselining: count('Baselining'),
      high: count('High'),
      limited: count('Limited'),
      normal: count('Normal'),
      notInstalled: 0,
      usageNotDetected: count('UsageNotDetected'),
    },
    versions: [...versions].map(([version, installs]) => ({ version, installs })),
  };
}

function endpointNode(view: FleetView, i: number) {
  const e = view.endpoint(i);
  const eid = Number(e.id);
  if (!Number.isSafeInteger(eid)) throw new GraphQLError(`endpoint id ${e.id} is not a number`);
  return {
    id: i + 1,
    eid,
    computerId: e.computerID,
    computerName: e.name,
    ipAddress: e.ipAddress,
    manufacturer: e.manufacturer,
    operatingSystem: e.os.name,
    osPlatform: e.os.platform,
    serialNumber: e.serialNumber,
    servicePack: e.os.platform === 'Windows' ? '0' : null,
    userName: e.lastLoggedInUser,
    endpointFingerprint: e.systemUUID,
    createdAt: e.eidFirstSeen,
    updatedAt: e.eidLastSeen,
  };
}

/** The usage Asset would report for an install: stable per endpoint and product. */
function usageOf(i: number, name: string): Usage {
  let h = i * 2654435761;
  for (let k = 0; k < name.length; k++) h = Math.imul(h ^ name.charCodeAt(k), 16777619);
  const buckets: Usage[] = ['High', 'Normal', 'Normal', 'Limited', 'UsageNotDetected', 'Baselining'];
  return buckets[(h >>> 0) % buckets.length]!;
}

const cache = new WeakMap<FleetView, Product[]>();

/** Every installed application across the live fleet, grouped as Asset groups products (vendor, name). */
function productsOf(view: FleetView): Product[] {
  const cached = cache.get(view);
  if (cached) return cached;
  const byKey = new Map<string, Product>();
  for (const i of view.live()) {
    for (const app of view.endpoint(i).installedApplications) {
      const vendor = app.name.split(' ')[0] ?? app.name;
      const key = `${vendor}\u0000${app.name}`;
      let product = byKey.get(key);
      if (!product) {
        product = { vendor, name: app.name, installs: [] };
        byKey.set(key, product);
      }
      product.installs.push({ i, version: app.version, usage: usageOf(i, app.name) });
    }
  }
  const products = [...byKey.values()].sort(
    (a, b) => a.vendor.localeCompare(b.vendor) || a.name.localeCompare(b.name),
  );
  cache.set(view, products);
  return products;
}
