// The state store's layout in one place (docs/recorder.md describes it). Keys are plain ASCII so they work the
// same on COS and on a file system: ids are checked, and values that are not (TRTC TaskIds, string rooms, claim
// identities) are hashed or base64url-encoded.
import { createHash } from "node:crypto";
import type { RoomRef } from "../contract/request";

const RECORDING_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** SCF request ids (uuids) and ours; anything else from a URL path is refused before it reaches a key. */
export function isRecordingId(id: string): boolean {
  return RECORDING_ID.test(id);
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** `i-<n>` for an integer room, `s-<base64url>` for a string room: the two kinds never collide. */
export function roomKey(room: RoomRef): string {
  return room.kind === "int" ? `i-${room.roomId}` : `s-${Buffer.from(room.strRoomId, "utf8").toString("base64url")}`;
}

export const stateKeys = {
  /** The status record. */
  record: (id: string): string => `recordings/${id}.json`,
  /** Marker of a recording that is not final yet; the watchdog lists this prefix, not every record ever kept. */
  active: (id: string): string => `active/${id}`,
  activePrefix: "active/",
  /** Idempotency claim for (SdkAppId, room, UserId): one object per generation under this prefix (generations.ts). */
  claimPrefix: (sdkAppId: number, room: RoomRef, userId: string): string =>
    `claims/${sha256Hex(`${sdkAppId}|${roomKey(room)}|${userId}`).slice(0, 40)}/`,
  /** Recordings of a room (marker per recording, from RUNNING until final): how room events find their recordings. */
  roomRecordingsPrefix: (sdkAppId: number, room: RoomRef): string => `rooms/${sdkAppId}/${roomKey(room)}/`,
  roomRecording: (sdkAppId: number, room: RoomRef, id: string): string => `rooms/${sdkAppId}/${roomKey(room)}/${id}`,
  /** TRTC TaskId → recording id, for recording events that only name the task. */
  task: (taskId: string): string => `tasks/${sha256Hex(taskId).slice(0, 40)}.json`,
  /** Delivery lease: one delivery invocation chain per recording at a time; one object per generation. */
  leasePrefix: (id: string): string => `leases/${id}/`,
  /** The caller's COS keys, KMS-envelope-encrypted, kept only until the recording is final. */
  sealedCosKeys: (id: string): string => `sealed/${id}/cos-keys.json`,
  /** Room event log: one object per distinct event, named so a time range can be listed without reading. */
  roomEventsPrefix: (sdkAppId: number, room: RoomRef): string => `events/${sdkAppId}/${roomKey(room)}/`,
  roomEvent: (sdkAppId: number, room: RoomRef, eventMsTs: number, eventType: number, identity: string): string =>
    `events/${sdkAppId}/${roomKey(room)}/${String(eventMsTs).padStart(15, "0")}-${eventType}-${sha256Hex(identity).slice(0, 16)}.json`,
  /** When this app's TRTC room events last reached us (the console's callback URL is set): see roster/initial-plan.ts. */
  appRoomEventsSeen: (sdkAppId: number): string => `apps/${sdkAppId}/room-events-seen.json`,
  /**
   * Until when TRTC's CreateCloudRecording limit turned starts away (a start gave up after its retry budget): the
   * function-URL ingress answers 429 with Retry-After until then (recording/start-throttle.ts).
   */
  createThrottled: "throttle/create-cloud-recording.json",
  /** What the roster last told the engine for a recording (plan key, calls, failures): written only by the roster. */
  rosterState: (id: string): string => `roster/${id}.json`,
  /** Cloud-recording events (group 3) are logged per task: their RoomId is always a string, even for integer rooms. */
  taskEvent: (taskId: string, eventMsTs: number, eventType: number, identity: string): string =>
    `task-events/${sha256Hex(taskId).slice(0, 40)}/${String(eventMsTs).padStart(15, "0")}-${eventType}-${sha256Hex(identity).slice(0, 16)}.json`,
  /** Every logged cloud-recording event of a task (the upload state of its files is read from the 310s here). */
  taskEventsPrefix: (taskId: string): string => `task-events/${sha256Hex(taskId).slice(0, 40)}/`,
  /** Events naming neither a room nor a task (kept for operators; nothing reads them). */
  otherEvent: (eventMsTs: number, eventType: number, identity: string): string =>
    `events/unrouted/${String(eventMsTs).padStart(15, "0")}-${eventType}-${sha256Hex(identity).slice(0, 16)}.json`,
  /** A runtime secret (operator-provisioned, KMS-envelope-encrypted): `<prefix><name>`. */
  secret: (prefix: string, name: string): string => `${prefix}${name}`,
};

/** The event time encoded in a room-event key (see `stateKeys.roomEvent`), or undefined for other keys. */
export function eventTimeOfKey(key: string): number | undefined {
  const m = /\/(\d{15})-\d+-[0-9a-f]+\.json$/.exec(key);
  return m ? Number(m[1]) : undefined;
}
