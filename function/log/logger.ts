// JSON-lines logger: one object per line, `recordingId` on every line of a recording's work, everything passed
// through the masker. The sink is injected so tests capture every line and production writes to stdout (SCF → CLS).
import type { Masker } from "./mask";

export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;
/** Receives finished lines (no trailing newline). */
export type LogSink = (line: string) => void;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` (e.g. `{ recordingId }`) to every line. Shares the masker, so later registrations apply. */
  child(fields: LogFields): Logger;
  /** The masker behind this logger: register secrets learned at runtime (a request's UserSig, a fetched key). */
  readonly masker: Masker;
}

export interface LoggerOptions {
  sink: LogSink;
  masker: Masker;
  now: () => number;
  /** Fields on every line, e.g. `{ fn: "recorder", requestId }`. */
  base?: LogFields;
}

export function createLogger(opts: LoggerOptions): Logger {
  const base = opts.base ?? {};
  function write(level: LogLevel, msg: string, fields: LogFields | undefined): void {
    const line = { ts: new Date(opts.now()).toISOString(), level, msg, ...base, ...fields };
    let text: string;
    try {
      text = JSON.stringify(opts.masker.scrub(line));
    } catch {
      // A value JSON cannot render (BigInt) must not take the recorder down; the message alone still helps.
      text = JSON.stringify({ ts: line.ts, level, msg: opts.masker.scrubText(msg), note: "fields not serialisable" });
    }
    opts.sink(text);
  }
  return {
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    child: (fields) => createLogger({ ...opts, base: { ...base, ...fields } }),
    masker: opts.masker,
  };
}
