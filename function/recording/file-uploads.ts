// Which of a task's MP4/AAC files TRTC has uploaded, read from the 310 events in the task's event log. TRTC sends
// one 310 per recorded file (files split at 2 GB or MaxMediaFileDuration arrive separately), with Payload.Status
// 0 = uploaded, 1 = still on TRTC's server and uploaded later (another 310 follows), 2 = the MP4 task failed
// (TRTC cloud-recording callbacks, https://trtc.io/document/54914). Read from the log — one object per distinct
// event, written once — so any arrival order, duplicates and concurrent deliveries give the same answer.
import { RECORDING_EVENT } from "../events/trtc-callback";
import { stateKeys } from "../state/keys";
import { getJson, type StateStore } from "../state/store";

export interface FileUploads {
  /** Any 310 was logged for the task. */
  reported: boolean;
  /** Files a 310 reported uploaded (Status 0), sorted. */
  uploaded: string[];
  /** The task told us it stopped: a 302 (recorder stopped) or a 305 (upload stopped) is in its log. */
  stopSeen: boolean;
  /** A 306 (the task was migrated after a failure) is in its log: TRTC may then name its files otherwise. */
  failedOver: boolean;
  /** Files reported as still on TRTC's server and not reported uploaded since. */
  pending: string[];
  /** A 310 said "still on TRTC's server" without naming a file, and no later 310 said "uploaded". */
  pendingUnnamed: boolean;
  /** A 310 with Status 2: TRTC's MP4 task failed. */
  failed: boolean;
  /**
   * COS's error code from a 308 (upload error) that no retry can fix (the bucket is gone, the keys are refused):
   * the file held on TRTC's server will never arrive.
   */
  uploadRefused?: string;
}

// COS answers that mean "never": retrying the same upload with the same keys gives the same answer.
const PERMANENT_UPLOAD_ERRORS = new Set(["NoSuchBucket", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidBucketName"]);

interface LoggedPayload {
  Status?: unknown;
  FileList?: unknown;
  Code?: unknown;
}

/** 308: TRTC's upload to cloud storage failed; Payload.Code is COS's error code. */
const UPLOAD_ERROR_EVENT = 308;
/** 306: the task was migrated after a failure (TRTC Cloud Recording Callback, https://trtc.io/document/54914). */
const FAILOVER_EVENT = 306;
const STOP_EVENTS = [RECORDING_EVENT.stop, RECORDING_EVENT.uploadStop];
interface LoggedEvent {
  EventInfo?: { EventMsTs?: unknown; Payload?: LoggedPayload };
  Payload?: LoggedPayload;
}

function namesOf(list: unknown): string[] {
  if (typeof list === "string") return list === "" ? [] : [list];
  return Array.isArray(list) ? list.filter((f): f is string => typeof f === "string" && f !== "") : [];
}

export async function fileUploads(state: StateStore, taskId: string): Promise<FileUploads> {
  const all = await state.list(stateKeys.taskEventsPrefix(taskId));
  const ofType = (type: number) => (k: string) => k.includes(`-${type}-`);
  const keys = all.filter(ofType(RECORDING_EVENT.filesUploaded));
  const events = await Promise.all(keys.map((k) => getJson<LoggedEvent>(state, k)));
  const uploadErrors = await Promise.all(all.filter((k) => k.includes(`-${UPLOAD_ERROR_EVENT}-`)).map((k) => getJson<LoggedEvent>(state, k)));
  let uploadRefused: string | undefined;
  for (const e of uploadErrors) {
    const code = (e?.EventInfo?.Payload ?? e?.Payload)?.Code;
    if (typeof code === "string" && PERMANENT_UPLOAD_ERRORS.has(code)) uploadRefused = code;
  }
  const uploaded = new Set<string>();
  const held = new Set<string>();
  let lastUnnamedHold = -1;
  let lastUploaded = -1;
  let failed = false;
  for (const e of events) {
    const payload = e?.EventInfo?.Payload ?? e?.Payload;
    const at = typeof e?.EventInfo?.EventMsTs === "number" ? e.EventInfo.EventMsTs : 0;
    const files = namesOf(payload?.FileList);
    if (payload?.Status === 0) {
      for (const f of files) uploaded.add(f);
      lastUploaded = Math.max(lastUploaded, at);
    } else if (payload?.Status === 1) {
      for (const f of files) held.add(f);
      if (files.length === 0) lastUnnamedHold = Math.max(lastUnnamedHold, at);
    } else if (payload?.Status === 2) {
      failed = true;
    }
  }
  return {
    reported: keys.length > 0,
    uploaded: [...uploaded].sort(),
    stopSeen: STOP_EVENTS.some((type) => all.some(ofType(type))),
    failedOver: all.some(ofType(FAILOVER_EVENT)),
    pending: [...held].filter((f) => !uploaded.has(f)).sort(),
    pendingUnnamed: lastUnnamedHold >= 0 && lastUploaded <= lastUnnamedHold,
    failed,
    ...(uploadRefused !== undefined ? { uploadRefused } : {}),
  };
}
