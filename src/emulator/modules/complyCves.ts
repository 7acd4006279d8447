import { objectBody, onlyFields } from '../body.js';
import { badBody } from '../httpError.js';
import { between, DAY, iso, pick, SEED_EPOCH_MS, seededRandom } from './seeded.js';

/**
 * Comply's Tanium Vulnerability Library (`POST /v1/vulnerability/cves`): a seeded CVE set and the
 * page request Tanium describes: `filter` (field/operator/value(s), nested `filters`), `sort`
 * `{prop, direction}`, `select`, `limit` (default and maximum 1,000) and `offset`.
 */
export const CVE_PAGE_MAX = 1000;

const PROPS = [
  'cve',
  'submittedDate',
  'lastModifiedDate',
  'summary',
  'cvss2Score',
  'helpUrl',
  'affectedProducts',
  'affectedPlatforms',
  'definitions',
  'sources',
  'cvss3Score',
  'cpes',
  'remediations',
  'cisaKev',
  'configurations',
  'hasPerformanceImpactingDefinitions',
  'alias',
  'cvss4Score',
  'cwes',
  'epss',
  'exploits',
  'mitreAttacks',
  'botnets',
  'ransomwareFamilies',
] as const;
type Prop = (typeof PROPS)[number];
const OPERATORS = [
  'Contains',
  'NotContains',
  'MatchesAll',
  'MatchesAny',
  'Equals',
  'GreaterThanOrEqual',
  'GreaterThan',
  'LessThanOrEqual',
  'LessThan',
  'NotEqual',
  'In',
  'NotIn',
] as const;
type Operator = (typeof OPERATORS)[number];

export type Cve = Record<string, unknown> & { cve: string };

/** Props as stored on a CVE item (where the page request's name differs from the item's field). */
const ITEM_FIELD: Partial<Record<Prop, string>> = { remediations: 'remediation', epss: 'epssScore' };

function value(cve: Cve, prop: Prop): unknown {
  const scores = cve['scores'] as Record<string, { baseScore: number | null } | undefined>;
  switch (prop) {
    case 'cvss2Score':
      return scores['cvssv2']?.baseScore ?? null;
    case 'cvss3Score':
      return scores['cvssv3']?.baseScore ?? null;
    case 'cvss4Score':
      return scores['cvssv4']?.baseScore ?? null;
    case 'cisaKev':
      return cve['cisaKev'] !== undefined;
    default:
      return cve[ITEM_FIELD[prop] ?? prop];
  }
}

interface Filter {
  field?: Prop;
  operator: Operator;
  value?: string;
  values?: string[];
  filters?: Filter[];
}

function readFilter(raw: unknown, where: string): Filter {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw badBody(`${where} must be a JSON object`);
  const body = raw as Record<string, unknown>;
  onlyFields(body, ['field', 'operator', 'value', 'values', 'filters']);
  const operator = body['operator'] ?? (body['filters'] ? 'MatchesAll' : undefined);
  if (typeof operator !== 'string' || !(OPERATORS as readonly string[]).includes(operator)) {
    throw badBody(`${where}.operator must be one of ${OPERATORS.join(', ')}`);
  }
  if (body['filters'] !== undefined) {
    if (!Array.isArray(body['filters'])) throw badBody(`${where}.filters must be a list of filters`);
    if (operator !== 'MatchesAll' && operator !== 'MatchesAny') {
      throw badBody(`${where}: nested "filters" combine with MatchesAll or MatchesAny, not ${operator}`);
    }
    return {
      operator,
      filters: body['filters'].map((f, i) => readFilter(f, `${where}.filters[${i}]`)),
    };
  }
  const field = body['field'];
  if (typeof field !== 'string' || !(PROPS as readonly string[]).includes(field)) {
    throw badBody(`${where}.field must be one of ${PROPS.join(', ')}`);
  }
  const filter: Filter = { field: field as Prop, operator: operator as Operator };
  if (body['value'] !== undefined) {
    if (typeof body['value'] !== 'string') throw badBody(`${where}.value must be a string`);
    filter.value = body['value'];
  }
  if (body['values'] !== undefined) {
    if (!Array.isArray(body['values']) || !body['values'].every((v) => typeof v === 'string')) {
      throw badBody(`${where}.values must be a list of strings`);
    }
    filter.values = body['values'] as string[];
  }
  const listOperator = ['In', 'NotIn', 'MatchesAll', 'MatchesAny'].includes(operator);
  if (listOperator && !filter.values) throw badBody(`${where}: operator ${operator} needs "values"`);
  if (!listOperator && filter.value === undefined)
    throw badBody(`${where}: operator ${operator} needs "value"`);
  if (['GreaterThan', 'GreaterThanOrEqual', 'LessThan', 'LessThanOrEqual'].includes(operator)) {
    const comparable = [
      'cvss2Score',
      'cvss3Score',
      'cvss4Score',
      'epss',
      'submittedDate',
      'lastModifiedDate',
    ];
    if (!comparable.includes(field))
      throw badBody(`${where}: ${operator} applies to ${comparable.join(', ')}`);
  }
  return filter;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v ?? '');
}

function matches(cve: Cve, filter: Filter): boolean {
  if (filter.filters) {
    return filter.operator === 'MatchesAny'
      ? filter.filters.some((f) => matches(cve, f))
      : filter.filters.every((f) => matches(cve, f));
  }
  const actual = value(cve, filter.field as Prop);
  const list = Array.isArray(actual) ? actual.map(text) : [text(actual)];
  const wanted = filter.value ?? '';
  const lower = wanted.toLowerCase();
  const compare = (): number => {
    if (typeof actual === 'number') return actual - Number(wanted);
    if (actual === null || actual === undefined) return Number.NaN;
    return Date.parse(text(actual)) - Date.parse(wanted);
  };
  switch (filter.operator) {
    case 'Contains':
      return list.some((v) => v.toLowerCase().includes(lower));
    case 'NotContains':
      return !list.some((v) => v.toLowerCase().includes(lower));
    case 'Equals':
      return list.some((v) => v === wanted);
    case 'NotEqual':
      return !list.some((v) => v === wanted);
    case 'In':
      return list.some((v) => filter.values?.includes(v));
    case 'NotIn':
      return !list.some((v) => filter.values?.includes(v));
    case 'MatchesAll':
      return (filter.values ?? []).every((w) => list.includes(w));
    case 'MatchesAny':
      return (filter.values ?? []).some((w) => list.includes(w));
    case 'GreaterThan':
      return compare() > 0;
    case 'GreaterThanOrEqual':
      return compare() >= 0;
    case 'LessThan':
      return compare() < 0;
    case 'LessThanOrEqual':
      return compare() <= 0;
  }
}

function readProp(raw: unknown, where: string): Prop {
  if (typeof raw !== 'string' || !(PROPS as readonly string[]).includes(raw)) {
    throw badBody(`${where} must be one of ${PROPS.join(', ')}`);
  }
  return raw as Prop;
}

function readCount(
  body: Record<string, unknown>,
  field: 'limit' | 'offset',
  fallback: number,
  max?: number,
): number {
  const raw = body[field];
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
    throw badBody(`field "${field}" must be a whole number of at least 0`);
  }
  if (max !== undefined && raw > max) throw badBody(`field "${field}" must be at most ${max}, got ${raw}`);
  return raw;
}

/** Answers one page of the library; the whole request is validated before anything is read. */
export function cvePage(cves: readonly Cve[], rawBody: unknown) {
  const body = objectBody(rawBody, false);
  onlyFields(body, ['filter', 'sort', 'select', 'limit', 'offset', 'countDefinitions']);
  const limit = readCount(body, 'limit', CVE_PAGE_MAX, CVE_PAGE_MAX);
  const offset = readCount(body, 'offset', 0);
  const filter = body['filter'] === undefined ? undefined : readFilter(body['filter'], 'filter');
  let sort: { prop: Prop; descending: boolean } | undefined;
  if (body['sort'] !== undefined) {
    const raw = objectBody(body['sort'], false);
    onlyFields(raw, ['prop', 'direction']);
    const direction = raw['direction'] ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc') throw badBody('sort.direction must be asc or desc');
    sort = { prop: readProp(raw['prop'], 'sort.prop'), descending: direction === 'desc' };
  }
  let select: Prop[] | undefined;
  if (body['select'] !== undefined) {
    if (!Array.isArray(body['select'])) throw badBody('field "select" must be a list of properties');
    select = body['select'].map((p, i) => readProp(p, `select[${i}]`));
  }
  const countDefinitions = body['countDefinitions'];
  if (countDefinitions !== undefined && typeof countDefinitions !== 'boolean') {
    throw badBody('field "countDefinitions" must be true or false');
  }

  let matching = filter ? cves.filter((c) => matches(c, filter)) : [...cves];
  if (sort) {
    const { prop, descending } = sort;
    matching = matching.sort((a, b) => {
      const x = value(a, prop) as string | number | boolean | null;
      const y = value(b, prop) as string | number | boolean | null;
      const order = x === y ? 0 : x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return (descending ? -order : order) || a.cve.localeCompare(b.cve);
    });
  }
  const items = matching.slice(offset, offset + limit).map((c) => (select ? project(c, select) : c));
  return {
    items,
    count: items.length,
    offset,
    total: matching.length,
    ...(countDefinitions
      ? { definitionsTotal: matching.reduce((n, c) => n + (c['definitions'] as unknown[]).length, 0) }
      : {}),
  };
}

function project(cve: Cve, select: Prop[]): Cve {
  const out: Cve = { cve: cve.cve };
  for (const prop of select) {
    if (prop.startsWith('cvss')) out['scores'] = cve['scores'];
    else {
      const field = ITEM_FIELD[prop] ?? prop;
      if (cve[field] !== undefined) out[field] = cve[field];
    }
  }
  return out;
}

const PRODUCTS = [
  ['OpenSSL', 'Linux'],
  ['Google Chrome', 'Windows'],
  ['Microsoft Windows 11', 'Windows'],
  ['Apple macOS', 'Mac'],
  ['Mozilla Firefox', 'Windows'],
  ['Linux Kernel', 'Linux'],
  ['Microsoft Office', 'Windows'],
  ['sudo', 'Linux'],
] as const;

const severity3 = (score: number) =>
  score === 0 ? 'None' : score < 4 ? 'Low' : score < 7 ? 'Medium' : score < 9 ? 'High' : 'Critical';
const severity2 = (score: number) => (score < 4 ? 'Low' : score < 7 ? 'Medium' : 'High');

export function seedCves(count = 400): Cve[] {
  const random = seededRandom(41);
  return Array.from({ length: count }, (_, i) => {
    const year = 2019 + (i % 7);
    const id = `CVE-${year}-${String(1000 + i * 37).padStart(5, '0')}`;
    const [product, platform] = pick(random, PRODUCTS);
    const v3 = Math.round(random() * 100) / 10;
    const v2 = Math.min(10, Math.round((v3 * 0.9 + random()) * 10) / 10);
    const submitted = SEED_EPOCH_MS - between(random, 30, 2000) * DAY;
    const kev = random() < 0.12;
    const epss = Math.round(random() * random() * 10_000) / 10_000;
    return {
      cve: id,
      submittedDate: iso(submitted),
      lastModifiedDate: iso(submitted + between(random, 1, 25) * DAY),
      sources: ['nvd'],
      summary: `${pick(random, ['Heap overflow', 'Use after free', 'Privilege escalation', 'Remote code execution', 'Information disclosure'])} in ${product}`,
      scores: {
        cvssv2: { vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', baseScore: v2, baseSeverity: severity2(v2) },
        cvssv3: {
          vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
          baseScore: v3,
          baseSeverity: severity3(v3),
          version: '3.1',
        },
      },
      helpUrl: `https://nvd.nist.gov/vuln/detail/${id}`,
      affectedProducts: [product],
      affectedPlatforms: [platform],
      definitions: [
        {
          definitionId: `oval:com.tanium:def:${10_000 + i}`,
          class: 'vulnerability',
          title: `${id} ${product}`,
        },
      ],
      remediation: { description: `Update ${product}`, solutionLink: `https://example.com/advisories/${id}` },
      cpes: [`cpe:2.3:a:${product.toLowerCase().replace(/\W+/g, '_')}:*:*:*:*:*:*:*:*`],
      ...(kev
        ? {
            cisaKev: {
              vendorProject: product.split(' ')[0],
              product,
              vulnerabilityName: `${product} vulnerability`,
              dateAdded: iso(submitted + 10 * DAY),
              requiredAction: 'Apply updates per vendor instructions.',
              dueDate: iso(submitted + 31 * DAY),
            },
          }
        : {}),
      hasPerformanceImpactingDefinitions: false,
      alias: '',
      epssScore: epss,
      epssPercentile: Math.min(1, epss * 4),
      epssPercentileRange:
        epss < 0.01
          ? '0-25th percentile'
          : epss < 0.05
            ? '25-50th percentile'
            : epss < 0.2
              ? '50-75th percentile'
              : '75-100th percentile',
      cwes: [
        {
          id: pick(random, ['CWE-787', 'CWE-416', 'CWE-269', 'CWE-94', 'CWE-200']),
          name: null,
          description: null,
        },
      ],
      exploits: [],
      mitreAttacks: [],
      botnets: [],
      ransomwareFamilies: [],
    };
  });
}
