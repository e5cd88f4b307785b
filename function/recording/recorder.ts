// The recorder: every operation the two entries dispatch to, over injected dependencies.
import type { FieldError } from "../contract/errors";
import type { DeliverReport } from "./deliver-step";
import { deliverStep } from "./deliver-step";
import type { InvocationContext, RecorderDeps } from "./deps";
import { acceptStart, type AcceptResult } from "./accept";
import { makeKit } from "./kit";
import { startRecording, type StartReport } from "./start";
import { readStatus, type StatusView } from "./status";
import { stopRecording, type StopResult } from "./stop";
import { handleTrtcEvent, type EventReply } from "./trtc-events";
import { runWatchdog, type WatchdogReport } from "./watchdog";

export interface Recorder {
  /** Start from a raw request (API Gateway async, direct invoke, or recorder-api's hand-over). */
  start(recordingId: string, raw: unknown, bodyErrors?: FieldError[]): Promise<StartReport>;
  /** Function-URL ingress: validate now, start asynchronously. */
  accept(raw: unknown, recordingId: string): Promise<AcceptResult>;
  deliver(msg: { recordingId: string; lease?: string; reason?: string }, ctx: InvocationContext): Promise<DeliverReport>;
  watchdog(ctx: InvocationContext): Promise<WatchdogReport>;
  stop(recordingId: string): Promise<StopResult>;
  status(recordingId: string): Promise<StatusView | undefined>;
  trtcEvent(rawBody: Buffer, headers: Record<string, string>): Promise<EventReply>;
}

export function createRecorder(deps: RecorderDeps): Recorder {
  const kit = makeKit(deps);
  return {
    start: (id, raw, bodyErrors) => startRecording(kit, id, raw, bodyErrors),
    accept: (raw, id) => acceptStart(kit, raw, id),
    deliver: (msg, ctx) => deliverStep(kit, msg, ctx),
    watchdog: (ctx) => runWatchdog(kit, ctx),
    stop: (id) => stopRecording(kit, id),
    status: (id) => readStatus(kit, id),
    trtcEvent: (body, headers) => handleTrtcEvent(kit, body, headers),
  };
}
