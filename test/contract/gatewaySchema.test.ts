import {
  astFromValue,
  buildClientSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  NoDeprecatedCustomRule,
  parse,
  print,
  specifiedRules,
  validate,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_QUERY } from '../../src/connections/gatewaySchema.js';
import { SERVER_NOW_QUERY } from '../../src/rotation/learnToken.js';
import { GRANT_MUTATION, MY_TOKENS_QUERY, REVOKE_MUTATION, ROTATE_MUTATION } from '../../src/sdk/tokens.js';
import { STREAM_NAMES, STREAMS, type StreamName } from '../../src/streams/index.js';
import { endpointsQuery } from '../../src/sync/query.js';
import { planForSchema } from '../../src/sync/schemaNeeds.js';
import { type Harness, startHarness } from '../helpers/emulatorHarness.js';
import { KNOWN_DIFFERENCES, TANIUM_GATEWAY } from './taniumGatewayReference.js';

/** The emulator's schema as a client sees it: full introspection over real HTTP. */
async function introspected(h: Harness): Promise<GraphQLSchema> {
  const reply = await h.gql<{ data: IntrospectionQuery }>(getIntrospectionQuery());
  expect(reply.status).toBe(200);
  return buildClientSchema(reply.json.data);
}

const valueText = (value: unknown, type: GraphQLInputType) => {
  const ast = astFromValue(value, type);
  return ast ? print(ast) : 'null';
};
const withDefault = (a: GraphQLArgument | GraphQLInputField) =>
  `${String(a.type)}${a.defaultValue === undefined ? '' : ` = ${valueText(a.defaultValue, a.type)}`}`;
function signature(field: GraphQLField<unknown, unknown>): string {
  const args = [...field.args].sort((x, y) => x.name.localeCompare(y.name));
  const list = args.length ? `(${args.map((a) => `${a.name}: ${withDefault(a)}`).join(', ')}): ` : '';
  return `${list}${String(field.type)}${field.deprecationReason == null ? '' : ' @deprecated'}`;
}
const norm = (s: string) =>
  s
    .replace(/\s+/g, ' ')
    .replace(/^\(\): /, '')
    .trim();

const extraTypes: Readonly<Record<string, string>> = KNOWN_DIFFERENCES.extraTypes;
const extraFields: Readonly<Record<string, string>> = KNOWN_DIFFERENCES.extraFields;
const missingInputs: Readonly<Record<string, string>> = KNOWN_DIFFERENCES.missingInputFields;

/** Object types the emulator gives only some of Tanium's fields (docs/emulator.md says which). */
const PARTIAL = new Set(['Query', 'Mutation', 'PlaybookStepOverride', 'PlaybookStepTaskArgumentOverride']);

function compareType(schema: GraphQLSchema, name: string): string[] {
  const type = schema.getType(name)!;
  const facts = TANIUM_GATEWAY[name];
  if (!facts) return extraTypes[name] ? [] : [`${name}: not in Tanium's published schema`];
  const problems: string[] = [];
  const kind = isObjectType(type)
    ? 'OBJECT'
    : isInputObjectType(type)
      ? 'INPUT_OBJECT'
      : isEnumType(type)
        ? 'ENUM'
        : isInterfaceType(type)
          ? 'INTERFACE'
          : isUnionType(type)
            ? 'UNION'
            : 'SCALAR';
  if (kind !== facts.kind) return [`${name}: a ${kind}, Tanium's is a ${facts.kind}`];
  if (isEnumType(type)) {
    const values = type
      .getValues()
      .map((v) => v.name)
      .sort();
    if (values.join() !== [...(facts.values ?? [])].sort().join())
      problems.push(`${name}: values ${values.join(' ')}, Tanium's ${facts.values?.join(' ')}`);
  }
  if (isUnionType(type)) {
    const members = type
      .getTypes()
      .map((t) => t.name)
      .sort();
    if (members.join() !== [...(facts.members ?? [])].sort().join()) problems.push(`${name}: members differ`);
  }
  if (isObjectType(type) || isInterfaceType(type)) {
    const mine = type.getFields();
    for (const [field, def] of Object.entries(mine)) {
      const key = `${name}.${field}`;
      const theirs = facts.fields?.[field];
      if (theirs === undefined) {
        if (!extraFields[key]) problems.push(`${key}: not in Tanium's published schema`);
      } else if (norm(signature(def)) !== norm(theirs)) {
        problems.push(`${key}: ${signature(def)}, Tanium's ${theirs}`);
      }
    }
    if (!PARTIAL.has(name))
      for (const field of Object.keys(facts.fields ?? {}))
        if (!mine[field]) problems.push(`${name}.${field}: Tanium has it, the emulator does not`);
    const interfaces = isObjectType(type)
      ? type
          .getInterfaces()
          .map((i) => i.name)
          .sort()
      : [];
    if (interfaces.join() !== [...(facts.implements ?? [])].sort().join())
      problems.push(
        `${name}: implements ${interfaces.join(', ') || 'nothing'}, Tanium's ${facts.implements?.join(', ') ?? 'nothing'}`,
      );
  }
  if (isInputObjectType(type)) {
    const mine = type.getFields();
    for (const [field, def] of Object.entries(mine)) {
      const theirs = facts.fields?.[field];
      if (theirs === undefined) problems.push(`${name}.${field}: not in Tanium's published schema`);
      else if (norm(withDefault(def)) !== norm(theirs))
        problems.push(`${name}.${field}: ${withDefault(def)}, Tanium's ${theirs}`);
    }
    // An input without one of Tanium's fields would refuse valid documents: each must be documented.
    for (const field of Object.keys(facts.fields ?? {}))
      if (!mine[field] && !missingInputs[`${name}.${field}`])
        problems.push(`${name}.${field}: Tanium accepts it, the emulator does not`);
  }
  return problems;
}

let h: Harness;
let withoutRisk: Harness;
let schema: GraphQLSchema;
let older: GraphQLSchema;
beforeAll(async () => {
  h = await startHarness({ endpoints: 50, seed: 2 });
  withoutRisk = await startHarness({ endpoints: 50, seed: 2, without: ['risk'] });
  schema = await introspected(h);
  older = await introspected(withoutRisk);
});
afterAll(async () => {
  await h.close();
  await withoutRisk.close();
});

describe("the emulator's Gateway against Tanium's published schema", () => {
  it("every type, field, argument, default, enum value and nullability it defines is Tanium's", () => {
    const problems: string[] = [];
    let compared = 0;
    for (const name of Object.keys(schema.getTypeMap())) {
      if (
        name.startsWith('__') ||
        (isScalarType(schema.getType(name)) && ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(name))
      )
        continue;
      problems.push(...compareType(schema, name));
      compared++;
    }
    expect(problems).toEqual([]);
    expect(compared).toBeGreaterThan(150);
  });

  it('defines the fields integrations use, and what the issue named as refused today', () => {
    const query = schema.getQueryType()!.getFields();
    const mutation = schema.getMutationType()!.getFields();
    for (const f of [
      'assetProducts',
      'assetProductEndpoints',
      'computerGroups',
      'computerGroup',
      'sensors',
      'actionGroups',
      'patchDefinitions',
    ])
      expect(query[f], f).toBeDefined();
    for (const f of [
      'computerGroupDelete',
      'sensorHarvest',
      'actionStop',
      'scheduledActionDelete',
      'patchCreateDeployment',
      'patchStopDeployment',
      'reportImport',
      'reportDelete',
      'playbookScheduleUpsert',
    ])
      expect(mutation[f], f).toBeDefined();
  });

  it('refuses selections Tanium refuses (HTTP 400, as a validation failure)', async () => {
    const refused = [
      ['{ myAPITokens { tokens { persona { id } } } }', 'Cannot query field "id" on type "Persona"'],
      [
        '{ endpoints(source: {tds: {scope: ALL}}) { totalRecords } }',
        'Value "ALL" does not exist in "EndpointScope" enum',
      ],
      ['{ sensors { edges { node { parameters } } } }', 'must have a selection of subfields'],
    ] as const;
    for (const [query, message] of refused) {
      if (message === null) continue;
      const reply = await h.gql<{ errors: { message: string }[] }>(query);
      expect(reply.status, query).toBe(400);
      expect(reply.json.errors[0]?.message).toContain(message);
    }
    // Without risk, the emulator refuses `risk` as Tanium's published snapshot does.
    const risk = await withoutRisk.gql<{ errors: { message: string }[] }>(
      '{ endpoints { edges { node { risk { totalScore } } } } }',
    );
    expect(risk.status).toBe(400);
    expect(risk.json.errors[0]?.message).toMatch(/^Cannot query field "risk" on type "Endpoint"\./);
    expect(older.getType('EndpointRisk')).toBeUndefined();
  });
});

/** Every stream combination the sync can send, for a schema (the plan leaves out what it lacks). */
function syncDocuments(target: GraphQLSchema): { name: string; text: string }[] {
  const view = {
    has: (type: string, field: string) => {
      const t = target.getType(type);
      return (isObjectType(t) || isInterfaceType(t)) && t.getFields()[field] !== undefined;
    },
  };
  const docs: { name: string; text: string }[] = [];
  const subsets = (1 << STREAM_NAMES.length) - 1;
  for (let mask = 1; mask <= subsets; mask++) {
    const streams = STREAM_NAMES.filter((_, k) => mask & (1 << k)) as StreamName[];
    const plan = planForSchema(view, streams, { sensors: ['IP Address', 'Applicable Patches'] });
    docs.push({
      name: `sync ${streams.join('+')}`,
      text: endpointsQuery(
        streams.map((s) => STREAMS[s]),
        plan.options,
      ),
    });
  }
  return docs;
}

const FIXED_DOCUMENTS = [
  { name: 'server time', text: SERVER_NOW_QUERY },
  { name: 'schema introspection', text: SCHEMA_QUERY },
  { name: 'rotate', text: ROTATE_MUTATION },
  { name: 'grant', text: GRANT_MUTATION },
  { name: 'revoke', text: REVOKE_MUTATION },
  { name: 'my tokens', text: MY_TOKENS_QUERY },
];

describe('every GraphQL document the product can send', () => {
  const strict = [...specifiedRules, NoDeprecatedCustomRule];

  it('validates against the emulator schema, strictly (no deprecated field either)', () => {
    for (const doc of [...FIXED_DOCUMENTS, ...syncDocuments(schema)]) {
      expect(
        validate(schema, parse(doc.text), strict).map((e) => e.message),
        doc.name,
      ).toEqual([]);
    }
  });

  it('as planned for a tenant without risk, validates against that tenant', () => {
    const docs = syncDocuments(older);
    expect(docs.some((d) => d.text.includes('risk'))).toBe(false);
    for (const doc of [...FIXED_DOCUMENTS, ...docs])
      expect(
        validate(older, parse(doc.text), strict).map((e) => e.message),
        doc.name,
      ).toEqual([]);
  });

  it('is answered over HTTP without errors: the sync query with every stream, and the introspection', async () => {
    const full = syncDocuments(schema).at(-1)!;
    const page = await h.gql<{ data: unknown; errors?: unknown }>(full.text, {
      first: 5,
      sort: [{ path: 'id', order: 'asc' }],
    });
    expect(page.status).toBe(200);
    expect(page.json.errors).toBeUndefined();
    const facts = await h.gql<{ data: Record<string, unknown>; errors?: unknown }>(SCHEMA_QUERY);
    expect(facts.json.errors).toBeUndefined();
    expect(Object.keys(facts.json.data).length).toBeGreaterThan(10);
  });
});
