// Terminal output of a scenario: one line per happening, prefixed with seconds since the scenario started.

export interface Printer {
  /** A timestamped progress line. */
  line(text: string): void;
  /** Text printed as is (headings, JSON, summaries). */
  raw(text: string): void;
  /** Milliseconds since the printer was made. */
  elapsedMs(): number;
}

export function consolePrinter(write: (text: string) => void = (t) => process.stdout.write(t), now: () => number = Date.now): Printer {
  const origin = now();
  return {
    line: (text) => write(`[${((now() - origin) / 1000).toFixed(1).padStart(6)}s] ${text}\n`),
    raw: (text) => write(`${text}\n`),
    elapsedMs: () => now() - origin,
  };
}

/** A printer that keeps the lines (tests). */
export function memoryPrinter(): Printer & { lines: string[] } {
  const lines: string[] = [];
  const p = consolePrinter((t) => lines.push(t.replace(/\n$/, "")));
  return Object.assign(p, { lines });
}
