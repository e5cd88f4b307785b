// The recorder: every operation the two entries dispatch to, over injected dependencies.
import type { FieldError } from "../contract/errors";
import type { DeliverReport } from "./deliver-step";
import { deliverStep } from "./deliver-step";
import type { InvocationContext, RecorderDeps } from "./deps";
import { acceptStart, type AcceptResult } from "./accept";
import { makeKit } from "./kit";
import { startRecording, type StartReport } from "./start";
import { readStatus, type StatusView, type Viewer } from "./status";
import { stopRecording, type StopResult } from "./stop";
import { handleTrtcEvent, type EventReply } from "./trtc-events";
import { runWatchdog, type WatchdogReport } from "./watchdog";

export interface Recorder {
  /** Start from a raw request (API Gateway async, direct invoke, or recorder-api's hand-over). */
  start(recordingId: string, raw: unknown, bodyErrors?: FieldError[], client?: string): Promise<StartReport>;
  /** Function-URL ingress: validate now, start asynchronously. `client`: fingerprint of the authenticated client. */
  accept(raw: unknown, recordingId: string, client?: string): Promise<AcceptResult>;
  deliver(msg: { recordingId: string; lease?: string; reason?: string }, ctx: InvocationContext): Promise<DeliverReport>;
  watchdog(ctx: InvocationContext): Promise<WatchdogReport>;
  stop(recordingId: string, viewer?: Viewer): Promise<StopResult>;
  status(recordingId: string, viewer?: Viewer): Promise<StatusView | undefined>;
  trtcEvent(rawBody: Buffer, headers: Record<string, string>): Promise<EventReply>;
}

export function createRecorder(deps: RecorderDeps): Recorder {
  const kit = makeKit(deps);
  return {
    start: (id, raw, bodyErrors, client) => startRecording(kit, id, raw, bodyErrors, client),
    accept: (raw, id, client) => acceptStart(kit, raw, id, client),
    deliver: (msg, ctx) => deliverStep(kit, msg, ctx),
    watchdog: (ctx) => runWatchdog(kit, ctx),
    stop: (id, viewer) => stopRecording(kit, id, viewer),
    status: (id, viewer) => readStatus(kit, id, viewer),
    trtcEvent: (body, headers) => handleTrtcEvent(kit, body, headers),
  };
}
