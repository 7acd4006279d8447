/**
 * Reporting reports: a few seeded, plus those imported with `reportImport`; `reportDelete` removes
 * one. `reportExport` answers a definition that `reportImport` accepts (our own format: Tanium's is
 * opaque, a string "that must originate from running the reportExport query").
 */
export interface ReportRecord {
  id: string;
  name: string;
  description: string;
  labels: string[];
  moduleName: string | null;
  contentSet: { id: string; name: string };
  author: { id: string; name: string };
  createdMs: number;
  modifiedMs: number;
  columns: { name: string; sourceColumnName: string; sourceName: string }[];
  sources: { name: string; flatten: boolean }[];
}

/** The marker a definition exported by the emulator starts with. */
export const REPORT_DEFINITION_PREFIX = 'tanium-report-definition:';

export class ReportBook {
  readonly reports: ReportRecord[];
  #nextId = 100;

  constructor(epochMs: number) {
    const author = { id: '1', name: 'tanium-admin' };
    const seeded = (
      id: string,
      name: string,
      description: string,
      moduleName: string,
      source: string,
      columns: string[],
    ): ReportRecord => ({
      id,
      name,
      description,
      labels: [moduleName],
      moduleName,
      contentSet: { id: '2', name: 'Reporting' },
      author,
      createdMs: epochMs,
      modifiedMs: epochMs,
      columns: columns.map((c) => ({ name: c, sourceColumnName: c, sourceName: source })),
      sources: [{ name: source, flatten: false }],
    });
    this.reports = [
      seeded(
        '1',
        'Endpoints by Operating System',
        'Endpoints grouped by operating system',
        'Interact',
        'Endpoints',
        ['Computer Name', 'Operating System'],
      ),
      seeded(
        '2',
        'Critical Vulnerabilities',
        'Endpoints with critical CVE findings',
        'Comply',
        'Comply Findings',
        ['Computer Name', 'CVE', 'Severity'],
      ),
    ];
  }

  find(id: string): ReportRecord | undefined {
    return this.reports.find((r) => r.id === id);
  }

  add(record: Omit<ReportRecord, 'id'>): ReportRecord {
    const created = { ...record, id: String(this.#nextId++) };
    this.reports.push(created);
    return created;
  }

  delete(id: string): boolean {
    const index = this.reports.findIndex((r) => r.id === id);
    if (index < 0) return false;
    this.reports.splice(index, 1);
    return true;
  }
}
