// Every invocation the local cloud ran, in start order, with what triggered it, each attempt's outcome, the
// function's log lines and its peak memory: what SCF's console shows per request, and what tests assert on.
import { EventEmitter } from "node:events";
import type { ScfErrorResult } from "./scf-errors";

export type Trigger = "apigw" | "function-url" | "invoke-sync" | "invoke-event" | "timer";

export interface InvocationRecord {
  requestId: string;
  functionName: string;
  namespace: string;
  qualifier: string;
  trigger: Trigger;
  /** 1 for the first try, 2.. for platform retries of an asynchronous invocation. */
  attempt: number;
  /** The event as JSON text. */
  event: string;
  startedAt: number;
  pid?: number;
  endedAt?: number;
  durationMs?: number;
  initMs?: number;
  maxRssBytes?: number;
  /** 200, or the SCF status of the failure (430, 433, 434, 437, 439). */
  status?: number;
  /** The return value (parsed JSON) when status is 200. */
  result?: unknown;
  error?: ScfErrorResult;
  logs: string[];
}

/** Log lines kept per invocation (the rest is in the function's log file). */
const MAX_LINES = 500;
/** Characters kept per log line and per event text: a burst of huge bodies must not grow the local cloud's heap. */
const MAX_TEXT = 16 * 1024;
/** Invocations kept in memory (oldest dropped first); the function log files keep everything on disk. */
export const MAX_RECORDS = 2000;

function capped(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length} characters)` : text;
}

export interface InvocationEvents {
  start: [InvocationRecord];
  end: [InvocationRecord];
  log: [InvocationRecord, string];
}

export class InvocationLog extends EventEmitter<InvocationEvents> {
  readonly records: InvocationRecord[] = [];

  begin(record: InvocationRecord): InvocationRecord {
    record.event = capped(record.event);
    this.records.push(record);
    // In place: callers hold this array (LocalCloud.invocations).
    if (this.records.length > MAX_RECORDS) this.records.splice(0, this.records.length - MAX_RECORDS);
    this.emit("start", record);
    return record;
  }

  line(record: InvocationRecord, line: string): void {
    if (record.logs.length < MAX_LINES) record.logs.push(capped(line));
    this.emit("log", record, line);
  }

  finish(record: InvocationRecord): void {
    this.emit("end", record);
  }

  /** Records of one function, optionally only finished ones. */
  of(functionName: string): InvocationRecord[] {
    return this.records.filter((r) => r.functionName === functionName);
  }
}
