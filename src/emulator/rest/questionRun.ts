import type { FleetView } from '../fleet/index.js';
import type { ParsedQuestion, QuestionCondition, QuestionSelect } from './questionText.js';

/** Polls over which answers arrive: each poll of result_info or result_data lets another share respond. */
export const POLLS_TO_COMPLETE = 3;

export interface ResultRow {
  cid: number;
  id: number;
  data: { text: string }[][];
}

/**
 * A question asked of the fleet as it was at ask time. Endpoints online then answer, a share per
 * poll, so clients see `mr_tested` climb to `estimated_total`'s online part over several polls.
 */
export class QuestionRun {
  polls = 0;
  readonly estimatedTotal: number;
  readonly responders: Int32Array;
  #rows: ResultRow[] = [];
  #answered = 0;

  constructor(
    readonly id: number,
    readonly question: ParsedQuestion,
    readonly queryText: string,
    readonly askedMs: number,
    readonly expireSeconds: number,
    readonly view: FleetView,
  ) {
    const live = view.live();
    this.estimatedTotal = live.length;
    this.responders = live.filter((i) => view.isOnline(i));
  }

  /** Records a poll and returns how many endpoints have answered so far. */
  poll(): number {
    this.polls = Math.min(POLLS_TO_COMPLETE, this.polls + 1);
    return this.tested();
  }

  tested(): number {
    return Math.ceil((this.responders.length * this.polls) / POLLS_TO_COMPLETE);
  }

  columns(): { name: string; hash: number; type: number }[] {
    const names = this.question.selects.flatMap((s) => this.#columnsOf(s));
    return [
      ...names.map((name) => ({ name, hash: hashOf(name), type: 1 })),
      { name: 'Count', hash: 0, type: 3 },
    ];
  }

  /** Rows from the endpoints that have answered, identical answers merged with a Count. */
  rows(): ResultRow[] {
    const upTo = this.tested();
    const grouped = new Map<string, ResultRow>();
    for (const row of this.#rows) grouped.set(JSON.stringify(row.data.slice(0, -1)), row);
    for (; this.#answered < upTo; this.#answered++) {
      const i = this.responders[this.#answered]!;
      if (this.question.condition && !this.#passes(i, this.question.condition)) continue;
      const cells = this.question.selects.flatMap((s) =>
        this.#read(i, s).columns.map((c) => c.values.map((text) => ({ text }))),
      );
      const key = JSON.stringify(cells);
      const existing = grouped.get(key);
      if (existing) {
        const count = existing.data.at(-1)!;
        count[0] = { text: String(Number(count[0]?.text ?? '0') + 1) };
        existing.cid = 0;
      } else {
        const row: ResultRow = {
          cid: Number(this.view.endpoint(i).computerID),
          id: hashOf(key),
          data: [...cells, [{ text: '1' }]],
        };
        grouped.set(key, row);
        this.#rows.push(row);
      }
    }
    return this.#rows;
  }

  #columnsOf(select: QuestionSelect): string[] {
    const first = this.responders[0];
    if (first === undefined) return [select.sensor];
    return this.#read(first, select).columns.map((c) => c.name);
  }

  #read(i: number, select: QuestionSelect) {
    return this.view.sensorReading(i, select.sensor, select.params);
  }

  #passes(i: number, condition: QuestionCondition): boolean {
    const values = this.view.sensorReading(i, condition.sensor).columns[0]?.values ?? [];
    const wanted = condition.value.toLowerCase();
    const test = (raw: string) => {
      const v = raw.toLowerCase();
      switch (condition.operator) {
        case 'contains':
          return v.includes(wanted);
        case 'does not contain':
          return !v.includes(wanted);
        case 'equals':
          return v === wanted;
        case 'not equals':
          return v !== wanted;
        case 'starts with':
          return v.startsWith(wanted);
        case 'ends with':
          return v.endsWith(wanted);
        case 'matches':
          return new RegExp(`^(?:${condition.value})$`, 'i').test(raw);
      }
    };
    return values.some(test);
  }
}

/** A stable 31-bit hash, standing in for Tanium's sensor and row hashes. */
export function hashOf(text: string): number {
  let h = 2166136261;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 16777619);
  return (h >>> 1) % 2_147_483_647;
}
