// SCF timer triggers use a 7-field cron: second minute hour day-of-month month day-of-week year. Fields take `*`,
// `?` (any), numbers, `a-b` ranges, `a,b` lists, `*/n` and `a-b/n` steps; months and weekdays also as JAN..DEC /
// SUN..SAT (Sunday = 0). An expression the parser does not understand is an error naming the field.

interface Field {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const FIELDS: Field[] = [
  { name: "second", min: 0, max: 59 },
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day-of-week", min: 0, max: 6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
  { name: "year", min: 1970, max: 2199 },
];

export interface CronSchedule {
  expression: string;
  /** Allowed values per field, in FIELDS order. */
  sets: Array<Set<number>>;
}

export class CronError extends Error {
  override name = "CronError";
}

function value(text: string, f: Field, expr: string): number {
  const upper = text.toUpperCase();
  const named = f.names?.indexOf(upper) ?? -1;
  const n = named >= 0 ? named + (f.name === "month" ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  // Some crons write Sunday as 7.
  const v = f.name === "day-of-week" && n === 7 ? 0 : n;
  if (!Number.isInteger(v) || v < f.min || v > f.max) throw new CronError(`cron "${expr}": ${f.name} must be ${f.min}..${f.max} (got "${text}")`);
  return v;
}

function parseField(text: string, f: Field, expr: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const [range, stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new CronError(`cron "${expr}": ${f.name} step must be a positive integer (got "${stepText}")`);
    let lo: number;
    let hi: number;
    if (range === "*" || range === "?") [lo, hi] = [f.min, f.max];
    else if (range.includes("-")) {
      const [a, b] = range.split("-");
      [lo, hi] = [value(a, f, expr), value(b, f, expr)];
    } else {
      lo = value(range, f, expr);
      hi = stepText === undefined ? lo : f.max;
    }
    if (lo > hi) throw new CronError(`cron "${expr}": ${f.name} range ${range} is empty`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 7) throw new CronError(`cron "${expression}": SCF timers take 7 fields (second minute hour day month weekday year), got ${parts.length}`);
  return { expression, sets: parts.map((p, i) => parseField(p, FIELDS[i], expression)) };
}

/** The first time strictly after `afterMs` that the schedule fires, evaluated in UTC+`offsetMinutes`. */
export function nextFire(s: CronSchedule, afterMs: number, offsetMinutes = 0): number | undefined {
  const [sec, min, hour, dom, mon, dow, year] = s.sets;
  const shift = offsetMinutes * 60_000;
  // Work on a Date whose UTC fields are the wall-clock fields of the offset zone.
  const d = new Date(Math.floor((afterMs + shift) / 1000) * 1000 + 1000);
  const limit = d.getTime() + 5 * 366 * 86_400_000;
  while (d.getTime() < limit) {
    if (!year.has(d.getUTCFullYear())) {
      d.setUTCFullYear(d.getUTCFullYear() + 1, 0, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!mon.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!dom.has(d.getUTCDate()) || !dow.has(d.getUTCDay())) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
      continue;
    }
    if (!hour.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!min.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    if (!sec.has(d.getUTCSeconds())) {
      d.setUTCSeconds(d.getUTCSeconds() + 1, 0);
      continue;
    }
    return d.getTime() - shift;
  }
  return undefined;
}
