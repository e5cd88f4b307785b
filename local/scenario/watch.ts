// What the scenario shows while it runs, read from the local cloud without touching the recorder: every function
// invocation (TRTC events reaching recorder-api, delivery invocations, watchdog ticks), and every write to the
// caller's COS bucket (TRTC's upload, the recorder's delivery).
import type { LocalCloud } from "../cloud";
import type { InvocationRecord } from "../../emulator/scf/invocation-log";
import type { Printer } from "./printer";
import { isConsoleRead } from "../admin/console-read";

const TRTC_EVENTS: Record<number, string> = {
  101: "room created",
  102: "room dismissed",
  103: "user entered",
  104: "user exited",
  105: "role switched",
  301: "recorder joined the room",
  302: "recorder left the room",
  303: "recording began",
  304: "file list generated",
  305: "upload finished",
  307: "file info",
  308: "upload error",
  309: "recording file ready",
  310: "recording uploaded",
  311: "mp4 uploaded",
};

const COS_WRITES = new Set(["PutObject", "PutObjectCopy", "InitiateMultipartUpload", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload", "AbortMultipartUpload", "DeleteObject"]);

function parse(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** One phrase for what an invocation is about. */
export function describeInvocation(r: InvocationRecord): string {
  const e = parse(r.event);
  if (e.Type === "Timer") return `timer ${String(e.TriggerName)}`;
  if (typeof e.action === "string") return `${e.action}${typeof e.reason === "string" ? ` (${e.reason})` : ""}`;
  if (typeof e.httpMethod === "string" && typeof e.path === "string") {
    const body = typeof e.body === "string" ? parse(e.body) : {};
    const type = typeof body.EventType === "number" ? body.EventType : undefined;
    const info = (body.EventInfo ?? {}) as Record<string, unknown>;
    if (type !== undefined) return `TRTC event ${type} (${TRTC_EVENTS[type] ?? "?"}${typeof info.UserId === "string" && type < 300 ? `: ${info.UserId}` : ""})`;
    return `${e.httpMethod} ${e.path}`;
  }
  return r.trigger;
}

export interface WatchOptions {
  /** Bucket whose writes are shown (the caller's). */
  bucket: string;
  /** Print function log lines too. */
  verbose: boolean;
  /** Show every watchdog tick, not only those that started a delivery. @default false */
  showTimers?: boolean;
}

/** Starts printing; returns a stop function. */
export function watchCloud(cloud: LocalCloud, printer: Printer, opts: WatchOptions): () => void {
  const log = cloud.runtime.log;
  const onStart = (r: InvocationRecord) => {
    if ((r.trigger === "timer" && !opts.showTimers) || isConsoleRead(r)) return;
    printer.line(`→ ${r.functionName} ${describeInvocation(r)}${r.attempt > 1 ? ` — retry ${r.attempt - 1}` : ""}`);
  };
  const start = (r: InvocationRecord) => (r.initMs === undefined ? "warm" : `cold start ${r.initMs} ms`);
  const onEnd = (r: InvocationRecord) => {
    if (isConsoleRead(r)) return;
    const what = describeInvocation(r);
    if (r.status !== 200) {
      printer.line(`✗ ${r.functionName} ${what}: ${r.status} ${r.error?.errorMessage ?? ""} (${r.durationMs} ms)`);
      return;
    }
    const result = (r.result ?? {}) as Record<string, unknown>;
    if (r.trigger === "timer") {
      const started = Array.isArray(result.deliveriesStarted) ? result.deliveriesStarted.length : 0;
      if (started || opts.showTimers) printer.line(`← ${r.functionName} ${what}: ${JSON.stringify(result)}`);
      return;
    }
    if (typeof result.statusCode === "number") {
      printer.line(`← ${r.functionName} ${what}: HTTP ${result.statusCode} (${r.durationMs} ms, ${start(r)})`);
      return;
    }
    const status = typeof result.status === "string" ? ` ${result.status}` : "";
    const outcome = typeof result.outcome === "string" ? ` ${result.outcome}` : "";
    printer.line(`← ${r.functionName} ${what}:${outcome}${status} (${r.durationMs} ms, ${start(r)}, peak ${Math.round((r.maxRssBytes ?? 0) / 1048576)} MB)`);
  };
  const onLog = (r: InvocationRecord, line: string) => {
    if (opts.verbose && !isConsoleRead(r)) printer.line(`  ${r.functionName}: ${line}`);
  };
  log.on("start", onStart);
  log.on("end", onEnd);
  log.on("log", onLog);

  // Requests are recorded on arrival and get their status when answered; print each once it has one.
  let next = cloud.cos.requests.length;
  const waiting = new Set<number>();
  const poll = setInterval(() => {
    for (; next < cloud.cos.requests.length; next++) waiting.add(next);
    for (const i of [...waiting]) {
      const req = cloud.cos.requests[i];
      if (!req.host.startsWith(`${opts.bucket}.`) || !req.operation || !COS_WRITES.has(req.operation)) {
        waiting.delete(i);
        continue;
      }
      if (req.status === 0) continue;
      waiting.delete(i);
      const part = req.query.partNumber ? ` part ${req.query.partNumber}` : "";
      printer.line(`  COS ${req.operation}${part} ${req.path.replace(/^\//, "")} → ${req.status}`);
    }
  }, 200);
  return () => {
    clearInterval(poll);
    log.off("start", onStart);
    log.off("end", onEnd);
    log.off("log", onLog);
  };
}
