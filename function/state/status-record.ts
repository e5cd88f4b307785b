// The status record of one recording: what SCF's status trace would show, kept for as long as the store keeps it,
// readable at GET /recordings/{id}. It never holds a secret: the request is kept without UserSig and COS keys.
import type { FieldError } from "../contract/errors";
import type { Mode, RoomRef } from "../contract/request";
import type { CosObjectRef, RecordingResult } from "../contract/result";
import type { DeliveryCheckpoint } from "../delivery/types";
import type { TaskState } from "../engine/port";

/**
 * STARTING (request accepted) → RUNNING (TRTC task created) → DELIVERING (task ended, transcoding/uploading)
 * → FINISHED | FAILED. Any non-final state may go to FAILED.
 */
export type RecordingStatus = "STARTING" | "RUNNING" | "DELIVERING" | "FINISHED" | "FAILED";

export function isFinal(status: RecordingStatus): boolean {
  return status === "FINISHED" || status === "FAILED";
}

const NEXT: Record<RecordingStatus, RecordingStatus[]> = {
  STARTING: ["RUNNING", "FAILED"],
  RUNNING: ["DELIVERING", "FAILED"],
  DELIVERING: ["FINISHED", "FAILED"],
  FINISHED: [],
  FAILED: [],
};

export function canMove(from: RecordingStatus, to: RecordingStatus): boolean {
  return NEXT[from].includes(to);
}

/** Why the recording stopped (or never started). */
export type StopReason =
  /** DELETE /recordings/{id} → DeleteCloudRecording. */
  | "explicit-stop"
  /** The recorder user was removed from the room (RemoveUser / RemoveUserByStrRoomId). */
  | "recorder-kicked"
  /** The room was dismissed (DismissRoom*, or TRTC's own dismissal of an empty room). */
  | "room-dismissed"
  /** No anchor for MaxIdleTime (300 s): the seed's "room destroyed" condition as TRTC's task sees it. */
  | "no-anchor-timeout"
  /** TRTC ended the task and no event told us why (room events not configured). */
  | "task-exited"
  | "invalid-request"
  | "start-failed"
  /** The start invocation never finished (crash or timeout between accepting and creating the task). */
  | "start-incomplete";

/** The request as kept: the seed's fields minus every secret. */
export interface RecordingSpec {
  sdkAppId: number;
  room: RoomRef;
  userId: string;
  mode: Mode;
  isReserve: boolean;
  callback?: string;
  cos: { region: string; bucket: string; path: string; keys: "caller" | "role" };
}

/** A file TRTC reported for the task (DescribeCloudRecording StorageFileList), "files so far". */
export interface SeenFile {
  fileName: string;
  trackType?: string;
  beginTimeMs?: number;
}

export interface DeliveryProgress {
  /** Delivery invocations so far (first + continuations + watchdog re-kicks). */
  invocations: number;
  startedAt: string;
  sources?: CosObjectRef[];
  checkpoint?: DeliveryCheckpoint;
  etag?: string;
  size?: number;
  url?: string;
  /** True when the source was copied as is (no transcode needed). */
  copied?: boolean;
  /** Staging sources are deleted by delivery only after the target's ETag was confirmed. */
  sourcesDeleted?: boolean;
  lastError?: string;
  /** Times the watchdog restarted a delivery whose invocation died. */
  rekicks?: number;
}

export interface CallbackReport {
  url: string;
  attempts: number;
  delivered: boolean;
  signed: boolean;
  lastStatus?: number;
  lastError?: string;
  at: string;
}

/** Whether the roster rules (first 6 anchors, IsReserve) were applied; they need TRTC room events. */
export interface RosterReport {
  roomEvents: number;
  rulesApplied: boolean;
  /** Starts with "applied", "partially-applied" or "not-applied: no room events received". */
  note: string;
  /** ModifyCloudRecording calls that succeeded. */
  modifyCalls?: number;
  /** At the last rebuild: tile owners present, tile owners away (IsReserve), anchors waiting for a tile. */
  mixed?: string[];
  away?: string[];
  waiting?: string[];
}

export interface StatusRecord {
  recordingId: string;
  status: RecordingStatus;
  createdAt: string;
  updatedAt: string;
  spec?: RecordingSpec;
  /** Field errors of a refused request. */
  errors?: FieldError[];
  engine?: { name: string; taskId: string; startedAt: string };
  /** Where TRTC writes its raw output before delivery. */
  staging?: { owner: "caller" | "deployment"; bucket: string; region: string; prefix: string };
  /** Where the delivered file goes. */
  target?: CosObjectRef;
  files: SeenFile[];
  /** `by: "events"`: TRTC's stop and upload events proved the output complete; no DescribeCloudRecording was made. */
  task?: { state: TaskState; observedAt: string; exitedAt?: string; by?: "events" };
  stop?: { reason: StopReason; at: string; detail?: string };
  delivery?: DeliveryProgress;
  /**
   * `retryable`: nothing was started and the same request may simply be sent again, after `retryAfterSeconds`
   * (TRTC's CreateCloudRecording frequency limit during a burst of starts).
   */
  failure?: { message: string; detail: string; retryable?: boolean; retryAfterSeconds?: number };
  result?: RecordingResult;
  /** Where the result JSON was stored next to the recording (absent if that write failed). */
  resultObject?: CosObjectRef;
  callback?: CallbackReport;
  roster?: RosterReport;
  /** Set on a duplicate start: the id of the recording already running for the same (SdkAppId, room, UserId). */
  sameAs?: string;
  /** Who started it (function/auth/authenticate.ts): only the same owner's repeat joins it, sees it through an alias. */
  owner?: { id: string; proof: "usersig" | "unverified"; client?: string };
  history: Array<{ at: string; status: RecordingStatus; note?: string }>;
}

export function newRecord(recordingId: string, nowIso: string): StatusRecord {
  return {
    recordingId,
    status: "STARTING",
    createdAt: nowIso,
    updatedAt: nowIso,
    files: [],
    history: [{ at: nowIso, status: "STARTING" }],
  };
}

/** Moves the record to `to` (recording the step in `history`); false when that move is not allowed. */
export function moveTo(record: StatusRecord, to: RecordingStatus, nowIso: string, note?: string): boolean {
  if (!canMove(record.status, to)) return false;
  record.status = to;
  record.history.push(note === undefined ? { at: nowIso, status: to } : { at: nowIso, status: to, note });
  return true;
}

/** Merges newly reported files into "files so far", keyed by name. */
export function mergeFiles(record: StatusRecord, files: SeenFile[]): void {
  const known = new Set(record.files.map((f) => f.fileName));
  for (const f of files) if (!known.has(f.fileName)) record.files.push(f);
}
