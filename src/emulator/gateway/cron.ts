/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week, GNU crontab form: `*`,
 * numbers, lists, ranges, `/` steps), as Tanium's `CronExpression` takes them, evaluated in UTC.
 */
type Field = Set<number>;

const RANGES: readonly [number, number][] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseField(text: string, [low, high]: [number, number]): Field {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let from = low;
    let to = high;
    if (range !== '*') {
      const [a, b] = range.split('-');
      from = Number(a);
      to = b === undefined ? (stepText === undefined ? from : high) : Number(b);
    }
    if (![from, to, step].every(Number.isInteger) || step < 1 || from < low || to > high || from > to)
      throw new Error(`"${part}" is not valid in a cron field (${low}-${high})`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

export interface Cron {
  next(afterMs: number): number | null;
}

/** Parses an expression; throws with a reason when it is not valid. */
export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new Error('a cron expression has five fields (minute hour day month weekday)');
  const [minutes, hours, days, months, weekdays] = parts.map((p, k) => parseField(p, RANGES[k]!)) as Field[];
  if (weekdays!.has(7)) weekdays!.add(0);
  const restrictedDay = parts[2] !== '*';
  const restrictedWeekday = parts[4] !== '*';
  const dayMatches = (d: Date) => {
    const dom = days!.has(d.getUTCDate());
    const dow = weekdays!.has(d.getUTCDay());
    // As in crontab: with both day fields restricted, either may match.
    if (restrictedDay && restrictedWeekday) return dom || dow;
    return dom && dow;
  };
  return {
    next(afterMs) {
      const d = new Date(Math.floor(afterMs / 60_000) * 60_000 + 60_000);
      const limit = afterMs + 5 * 366 * 86_400_000;
      while (d.getTime() <= limit) {
        if (!months!.has(d.getUTCMonth() + 1) || !dayMatches(d)) {
          d.setUTCDate(d.getUTCDate() + 1);
          d.setUTCHours(0, 0, 0, 0);
        } else if (!hours!.has(d.getUTCHours())) {
          d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
        } else if (!minutes!.has(d.getUTCMinutes())) {
          d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
        } else {
          return d.getTime();
        }
      }
      return null;
    },
  };
}
