// POST /trtc-events: TRTC's event callbacks. Verify `Sign` (401 otherwise), append the event to the state store
// once (idempotent: TRTC retries for a minute), hand room events to the roster rules, and start delivery at once
// when a known task stops (302), finishes uploading (305) or reports its files (310). The reply must leave within
// TRTC's 5 s: delivery itself runs in another invocation.
import {
  EVENT_GROUP,
  MAX_EVENT_BODY_BYTES,
  RECORDING_EVENT,
  eventIdentity,
  parseTrtcEvent,
  sdkAppIdConflict,
  staleEvent,
  verifyTrtcSign,
  type TrtcEvent,
} from "../events/trtc-callback";
import type { Logger } from "../log/logger";
import { applyRosterRules } from "../roster/on-room-event";
import { stateKeys } from "../state/keys";
import { getJson } from "../state/store";
import { mergeFiles, type SeenFile, type StatusRecord, type StopReason } from "../state/status-record";
import type { Kit } from "./kit";
import { roomAsTyped } from "./room-typing";
import { noteRoomEventsSeen } from "../roster/initial-plan";
import { nudgeWatchdog } from "./watchdog-tuning";

export interface EventReply {
  statusCode: 200 | 400 | 401 | 413 | 503;
  body: { code: number; message?: string };
}

function eventKey(e: TrtcEvent): string {
  const identity = eventIdentity(e);
  if (e.groupId === EVENT_GROUP.cloudRecording && e.taskId) return stateKeys.taskEvent(e.taskId, e.eventMsTs, e.type, identity);
  if (e.sdkAppId !== undefined && e.room) return stateKeys.roomEvent(e.sdkAppId, e.room, e.eventMsTs, e.type, identity);
  return stateKeys.otherEvent(e.eventMsTs, e.type, identity);
}

// 302's Payload.LeaveCode: why the robot left. 0 API stop, 1 removed, 2 room dismissed, 99 MaxIdleTime (codes as
// the TRTC double models them from TRTC's docs); anything else keeps the neutral "task-exited" with the code.
const LEAVE_REASONS: Record<number, StopReason> = { 0: "explicit-stop", 1: "recorder-kicked", 2: "room-dismissed", 99: "no-anchor-timeout" };

function stopOf(e: TrtcEvent, nowMs: number): { reason: StopReason; at: string; detail: string } | undefined {
  const code = e.payload.LeaveCode;
  if (typeof code !== "number") return undefined;
  return { reason: LEAVE_REASONS[code] ?? "task-exited", at: new Date(e.eventMsTs || nowMs).toISOString(), detail: `LeaveCode ${code}` };
}

// 310 lists the produced files with their start times: the order delivery needs once Describe no longer answers.
function filesOf(e: TrtcEvent): SeenFile[] {
  const list = e.payload.FileMessage;
  if (!Array.isArray(list)) return [];
  const files: SeenFile[] = [];
  for (const item of list) {
    if (typeof item !== "object" || item === null) continue;
    const f = item as Record<string, unknown>;
    if (typeof f.FileName !== "string") continue;
    const file: SeenFile = { fileName: f.FileName };
    if (typeof f.TrackType === "string") file.trackType = f.TrackType;
    if (typeof f.StartTimeStamp === "number") file.beginTimeMs = f.StartTimeStamp;
    files.push(file);
  }
  return files;
}

const DELIVERY_TRIGGERS: Record<number, string> = {
  [RECORDING_EVENT.stop]: "recording-stopped",
  [RECORDING_EVENT.uploadStop]: "recording-stopped",
  [RECORDING_EVENT.filesUploaded]: "upload-finished",
};

async function onRecordingEvent(kit: Kit, e: TrtcEvent, log: Logger): Promise<void> {
  const reason = DELIVERY_TRIGGERS[e.type];
  if (!e.taskId || reason === undefined) return;
  const task = await getJson<{ recordingId: string }>(kit.deps.state, stateKeys.task(e.taskId));
  if (!task) {
    log.info("recording event for a task we did not start", { eventType: e.type });
    return;
  }
  const id = task.recordingId;
  const stop = e.type === RECORDING_EVENT.stop ? stopOf(e, kit.deps.clock.now()) : undefined;
  const files = e.type === RECORDING_EVENT.filesUploaded ? filesOf(e) : [];
  if (stop || files.length > 0) {
    await kit.records.update(id, (r) => {
      if (stop) r.stop ??= stop;
      mergeFiles(r, files);
    });
  }
  // The task is ending: if the delivery invoked below does not get through, the watchdog looks in a minute.
  await nudgeWatchdog(kit, id);
  // Delivery re-checks readiness itself; asking early is harmless, asking late is what the watchdog is for.
  await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: id, reason });
  log.info("recording event: delivery invoked", { recordingId: id, eventType: e.type, reason });
}

async function roomRecordings(kit: Kit, e: TrtcEvent): Promise<StatusRecord[]> {
  if (e.sdkAppId === undefined || !e.room) return [];
  const prefix = stateKeys.roomRecordingsPrefix(e.sdkAppId, e.room);
  const ids = (await kit.deps.state.list(prefix)).map((k) => k.slice(prefix.length));
  const records = await Promise.all(ids.map((id) => kit.records.load(id)));
  return records.filter((r): r is StatusRecord => r !== undefined && r.status === "RUNNING");
}

export async function handleTrtcEvent(kit: Kit, rawBody: Buffer, headers: Record<string, string>): Promise<EventReply> {
  const log = kit.deps.log.child({ route: "trtc-events" });
  const key = await kit.deps.secrets.get("trtc-event-key");
  if (key === undefined) {
    log.error("trtc-event-key is not provisioned: events cannot be verified and are refused");
    return { statusCode: 503, body: { code: 503, message: "event key not provisioned" } };
  }
  if (rawBody.length > MAX_EVENT_BODY_BYTES) {
    log.warn("event refused: body too large", { bytes: rawBody.length });
    return { statusCode: 413, body: { code: 413, message: `event body over ${MAX_EVENT_BODY_BYTES} bytes` } };
  }
  if (!verifyTrtcSign(key, rawBody, headers["sign"])) {
    log.warn("event refused: bad or missing Sign", { hasSign: headers["sign"] !== undefined });
    return { statusCode: 401, body: { code: 401, message: "bad or missing Sign" } };
  }
  const event = parseTrtcEvent(rawBody, headers["sdkappid"]);
  if (!event) return { statusCode: 400, body: { code: 400, message: "not a TRTC event (EventGroupId/EventType missing)" } };
  if (sdkAppIdConflict(event, headers["sdkappid"])) {
    log.warn("event refused: SdkAppId header disagrees with the signed body");
    return { statusCode: 401, body: { code: 401, message: "SdkAppId header disagrees with the signed body" } };
  }
  const stale = staleEvent(event, kit.deps.clock.now());
  if (stale !== undefined) {
    log.warn("event refused: too old", { reason: stale, eventType: event.type });
    return { statusCode: 401, body: { code: 401, message: stale } };
  }
  // An integer room's 102 may carry its RoomId as a string (Tencent's examples): file it under the room recorded.
  event.room = await roomAsTyped(kit.deps.state, event);
  const fresh = await kit.deps.state.create(eventKey(event), rawBody);
  log.info("trtc event", { eventGroupId: event.groupId, eventType: event.type, taskId: event.taskId, duplicate: !fresh });
  // Side effects below are idempotent, so a retried event runs them again: a crash after logging loses nothing.
  if (event.groupId === EVENT_GROUP.room) {
    if (event.sdkAppId !== undefined) await noteRoomEventsSeen(kit.deps.state, event.sdkAppId, kit.deps.clock.now());
    const hook = kit.deps.onRoomEvent ?? applyRosterRules;
    const now = () => kit.deps.clock.now();
    await hook({ event, duplicate: !fresh, log, state: kit.deps.state, engine: kit.deps.engine, recordings: () => roomRecordings(kit, event), now });
  }
  if (event.groupId === EVENT_GROUP.cloudRecording) await onRecordingEvent(kit, event, log);
  return { statusCode: 200, body: { code: 0 } };
}
