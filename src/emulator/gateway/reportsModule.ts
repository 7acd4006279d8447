import { taniumTime } from '../clock.js';
import { REPORT_DEFINITION_PREFIX, type ReportRecord } from '../objects/reports.js';
import { payloadError } from './actions/actionTargets.js';
import type { GatewayModule } from './gatewayModule.js';
import { listConnection, type PageArgs } from './listConnection.js';

/** Reporting over the Gateway: `report`, `reports`, `reportExport`, `reportImport`, `reportDelete`. */
export const reportsModule: GatewayModule = {
  typeDefs: /* GraphQL */ `
    type ReportViewColumn { name: String! sourceColumnName: String! sourceName: String! }
    type ReportViewColumnSort { descending: Boolean! index: Int! name: String! }
    type ReportViewSource { flatten: Boolean! name: String! }
    type ReportView { columns: [ReportViewColumn!]! sort: [ReportViewColumnSort!]! sources: [ReportViewSource!]! }
    type Report {
      author: Principal!
      contentSet: NamedRef!
      createdTime: Time!
      description: String!
      favorite: Boolean!
      id: ID!
      labels: [String!]
      lastModifiedBy: Principal!
      modifiedTime: Time!
      moduleName: String
      name: String!
      viewDetails: ReportView!
    }
    type ReportEdge implements Edge { cursor: Cursor! node: Report! }
    type ReportConnection implements Connection { edges: [ReportEdge!]! pageInfo: PageInfo! totalRecords: Int! }
    input ReportFieldFilter {
      authorNames: [String!]
      contentSetNames: [String!]
      createdAfter: Time
      createdBefore: Time
      labels: [String!]
      moduleNames: [String!]
      text: String
    }
    type ReportExportPayload { reportDefinition: String! }
    input ReportImportInput { allowDuplicate: Boolean! = false reportDefinition: String! }
    type ReportImportPayload { error: SystemError report: Report }
    type ReportDeletePayload { error: SystemError id: ID! }
    extend type Query {
      report(ref: IdRefInput!): Report
      reportExport(ref: IdRefInput!): ReportExportPayload!
      reports(after: Cursor, before: Cursor, filter: ReportFieldFilter, first: Int = 20, last: Int): ReportConnection
    }
    extend type Mutation {
      reportDelete(ref: IdRefInput!): ReportDeletePayload!
      reportImport(input: ReportImportInput!): ReportImportPayload!
    }
  `,
  query: {
    report: (args, { state }) => {
      const found = state.objects.reports.find((args['ref'] as { id: string }).id);
      return found ? reportNode(found) : null;
    },
    reports: (rawArgs, { state }) => {
      const args = rawArgs as PageArgs & { filter?: ReportFilter | null };
      const reports = state.objects.reports.reports.filter(reportMatches(args.filter)).map(reportNode);
      return listConnection(reports, args, { max: 5_000, defaultFirst: 20 });
    },
    reportExport: (args, { state }) => {
      const id = (args['ref'] as { id: string }).id;
      const found = state.objects.reports.find(id);
      if (!found) throw new Error(`no report with id ${id}`);
      const { id: _id, createdMs: _c, modifiedMs: _m, ...definition } = found;
      return {
        reportDefinition:
          REPORT_DEFINITION_PREFIX + Buffer.from(JSON.stringify(definition)).toString('base64'),
      };
    },
  },
  mutation: {
    reportImport: (args, { state, principal }) => {
      const input = args['input'] as { allowDuplicate: boolean; reportDefinition: string };
      const definition = parseDefinition(input.reportDefinition);
      if (!definition)
        return {
          report: null,
          error: payloadError('the report definition is not one reportExport produced'),
        };
      if (!input.allowDuplicate && state.objects.reports.reports.some((r) => r.name === definition.name))
        return {
          report: null,
          error: payloadError(
            `a report named "${definition.name}" exists: set allowDuplicate to import it again`,
          ),
        };
      const now = state.now();
      const report = state.objects.reports.add({
        ...definition,
        author: { id: String(principal.user.id), name: principal.user.name },
        createdMs: now,
        modifiedMs: now,
      });
      return { report: reportNode(report), error: null };
    },
    reportDelete: (args, { state }) => {
      const id = (args['ref'] as { id: string }).id;
      if (!state.objects.reports.delete(id)) return { id, error: payloadError(`no report with id ${id}`) };
      return { id, error: null };
    },
  },
};

interface ReportFilter {
  authorNames?: string[] | null;
  contentSetNames?: string[] | null;
  createdAfter?: string | null;
  createdBefore?: string | null;
  labels?: string[] | null;
  moduleNames?: string[] | null;
  text?: string | null;
}

function reportMatches(f: ReportFilter | null | undefined) {
  const text = f?.text?.toLowerCase();
  return (r: ReportRecord) =>
    (!f?.authorNames || f.authorNames.includes(r.author.name)) &&
    (!f?.contentSetNames || f.contentSetNames.includes(r.contentSet.name)) &&
    (!f?.createdAfter || r.createdMs > Date.parse(f.createdAfter)) &&
    (!f?.createdBefore || r.createdMs < Date.parse(f.createdBefore)) &&
    (!f?.labels || r.labels.some((l) => f.labels!.includes(l))) &&
    (!f?.moduleNames || (r.moduleName !== null && f.moduleNames.includes(r.moduleName))) &&
    (!text || r.name.toLowerCase().includes(text) || r.description.toLowerCase().includes(text));
}

function parseDefinition(
  text: string,
): Omit<ReportRecord, 'id' | 'author' | 'createdMs' | 'modifiedMs'> | undefined {
  if (!text.startsWith(REPORT_DEFINITION_PREFIX)) return undefined;
  try {
    const value = JSON.parse(
      Buffer.from(text.slice(REPORT_DEFINITION_PREFIX.length), 'base64').toString('utf8'),
    );
    if (typeof value?.name !== 'string' || !Array.isArray(value.columns) || !Array.isArray(value.sources))
      return undefined;
    return value;
  } catch {
    return undefined;
  }
}

function reportNode(r: ReportRecord) {
  const person = { user: { id: r.author.id, name: r.author.name }, persona: null };
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    labels: r.labels,
    moduleName: r.moduleName,
    favorite: false,
    contentSet: r.contentSet,
    author: person,
    lastModifiedBy: person,
    createdTime: taniumTime(r.createdMs),
    modifiedTime: taniumTime(r.modifiedMs),
    viewDetails: {
      columns: r.columns,
      sources: r.sources,
      sort: r.columns.length ? [{ index: 0, name: r.columns[0]!.name, descending: false }] : [],
    },
  };
}
