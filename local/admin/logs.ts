// SCF's Log Query, locally: the functions' log lines per invocation, filterable by recording id and function, with
// every secret the local cloud knows masked again on the way out (the recorder masks its own lines; this second
// net covers anything else a function prints, e.g. an SDK's error text).
import { createMasker, type Masker } from "../../function/log/mask";
import type { InvocationRecord } from "../../emulator/scf/invocation-log";
import type { LocalCloud } from "../cloud";
import { describeInvocation } from "../scenario/watch";
import { isConsoleRead } from "./console-read";

export interface LogLine {
  requestId: string;
  functionName: string;
  /** What the invocation was about ("TRTC event 103 (user entered: anchor_1)", "POST /record", "timer watchdog"). */
  what: string;
  trigger: string;
  attempt: number;
  /** Index of the line within its invocation. */
  n: number;
  text: string;
}

export interface InvocationSummary {
  requestId: string;
  functionName: string;
  what: string;
  trigger: string;
  attempt: number;
  startedAt: number;
  durationMs?: number;
  status?: number;
  initMs?: number;
  error?: string;
}

export interface LogQuery {
  recordingId?: string;
  functionName?: string;
  /** Include the console's own status reads. @default false */
  consoleReads?: boolean;
  /** At most this many lines, the newest. @default 500 */
  limit?: number;
}

/** The console's masker: every secret the local cloud holds, plus what the recorder's masker catches by key name. */
export function cloudMasker(cloud: LocalCloud): Masker {
  const m = createMasker();
  const a = cloud.account;
  for (const s of [a.role.secretKey, a.role.token, a.customer.secretKey, a.stagingWriter.secretKey, a.apiKey.secretKey, a.clientApiKey, cloud.trtcApp.key, cloud.trtcApp.eventKey]) m.register(s, "secret");
  for (const id of [a.role.secretId, a.customer.secretId, a.stagingWriter.secretId, a.apiKey.secretId]) m.register(id, "id");
  return m;
}


/** Whether an invocation concerns a recording: its request id is the recording id, or it names it. */
export function concerns(r: InvocationRecord, recordingId: string): boolean {
  return r.requestId === recordingId || r.event.includes(recordingId) || r.logs.some((l) => l.includes(recordingId));
}

export class LogQueryService {
  readonly masker: Masker;

  constructor(private readonly cloud: LocalCloud) {
    this.masker = cloudMasker(cloud);
  }

  invocations(q: LogQuery = {}): InvocationSummary[] {
    return this.select(q).map((r) => ({
      requestId: r.requestId,
      functionName: r.functionName,
      what: this.masker.scrubText(describeInvocation(r)),
      trigger: r.trigger,
      attempt: r.attempt,
      startedAt: r.startedAt,
      durationMs: r.durationMs,
      status: r.status,
      initMs: r.initMs,
      error: r.error ? this.masker.scrubText(r.error.errorMessage) : undefined,
    }));
  }

  lines(q: LogQuery = {}): LogLine[] {
    const out: LogLine[] = [];
    for (const r of this.select(q)) {
      r.logs.forEach((text, n) => {
        if (q.recordingId && r.requestId !== q.recordingId && !r.event.includes(q.recordingId) && !text.includes(q.recordingId)) return;
        out.push(this.line(r, n, text));
      });
    }
    const limit = q.limit ?? 500;
    return out.slice(Math.max(0, out.length - limit));
  }

  line(r: InvocationRecord, n: number, text: string): LogLine {
    return { requestId: r.requestId, functionName: r.functionName, what: this.masker.scrubText(describeInvocation(r)), trigger: r.trigger, attempt: r.attempt, n, text: this.masker.scrubText(text) };
  }

  private select(q: LogQuery): InvocationRecord[] {
    return this.cloud.runtime.log.records.filter(
      (r) => (q.consoleReads || !isConsoleRead(r)) && (!q.functionName || r.functionName === q.functionName) && (!q.recordingId || concerns(r, q.recordingId)),
    );
  }
}
