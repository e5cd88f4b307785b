// Has the TRTC task ended, and is its output complete in staging? Shared by the watchdog (to decide whether to
// start delivery) and by delivery itself (which re-checks: events and timers can be early). "Exited" only means
// the task is stopping: TRTC keeps uploading after it, so we wait for "gone", a 305 upload-stopped event, or a
// grace period.
import type COS from "cos-nodejs-sdk-v5";
import type { CosObjectRef } from "../contract/result";
import type { Mode } from "../contract/request";
import { mergeFiles, type StatusRecord } from "../state/status-record";
import { fileUploads, type FileUploads } from "./file-uploads";
import type { Kit } from "./kit";

export type Readiness =
  | { kind: "not-ended" }
  | { kind: "failed"; detail: string }
  | { kind: "waiting"; why: string }
  | { kind: "ready"; sources: CosObjectRef[] }
  | { kind: "no-media"; detail: string }
  | { kind: "unknown"; detail: string };

/** Why delivery was asked for; an upload-finished event is proof enough that the output is complete. */
export type DeliveryHint = "upload-finished" | "recording-stopped" | "explicit-stop" | "watchdog" | "continue" | undefined;

const MEDIA_EXTENSIONS: Record<Mode, string[]> = {
  "10": [".aac", ".m4a", ".mp3"],
  "11": [".mp4"],
  "12": [".mp4"],
};

/** TRTC's media objects under the task's staging prefix, in time order (TRTC's BeginTimeStamp, else key order). */
export async function listSources(cos: COS, record: StatusRecord): Promise<CosObjectRef[]> {
  const staging = record.staging;
  const mode = record.spec?.mode;
  if (!staging || !mode) return [];
  const keys: string[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await cos.getBucket({ Bucket: staging.bucket, Region: staging.region, Prefix: staging.prefix, Marker: marker, MaxKeys: 1000 });
    for (const item of page.Contents ?? []) keys.push(item.Key);
    if (String(page.IsTruncated) !== "true" || keys.length === 0) break;
    marker = page.NextMarker || keys[keys.length - 1];
  }
  const wanted = MEDIA_EXTENSIONS[mode];
  const media = keys.filter((k) => wanted.some((ext) => k.toLowerCase().endsWith(ext)));
  const begin = new Map(record.files.map((f) => [f.fileName, f.beginTimeMs]));
  const beginOf = (key: string) => begin.get(key.slice(key.lastIndexOf("/") + 1)) ?? Number.MAX_SAFE_INTEGER;
  // Split files are "<base>_1.mp4", "<base>_2.mp4", …: compare numerically so _10 follows _9.
  media.sort((a, b) => beginOf(a) - beginOf(b) || a.localeCompare(b, "en", { numeric: true }));
  return media.map((key) => ({ bucket: staging.bucket, region: staging.region, key }));
}

/** TRTC's base64 for names: standard base64 with "/" written "-" and "=" written "." (On-Cloud Recording, file names). */
function trtcNameBase64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64").replace(/\//g, "-").replace(/=/g, ".");
}

/**
 * The one name TRTC gives a mixed recording's MP4/AAC when it does not split it: "<SdkAppId>_<RoomId>.<ext>" (a string
 * room TRTC-base64 encoded). A split recording's files are "<SdkAppId>_<RoomId>_<Index>.<ext>", Index from 1, and
 * TRTC splits only past 24 h or 2 GB (On-Cloud Recording, "Recording file naming rules", https://trtc.io/document/45169).
 */
function unsplitNames(record: StatusRecord): string[] {
  const spec = record.spec;
  if (!spec) return [];
  const room = spec.room.kind === "int" ? String(spec.room.roomId) : trtcNameBase64(spec.room.strRoomId);
  return MEDIA_EXTENSIONS[spec.mode].map((ext) => `${spec.sdkAppId}_${room}${ext}`);
}

/**
 * Whether TRTC's own events already prove the output complete, so no DescribeCloudRecording is needed: the task
 * stopped (302 or 305 logged), exactly one file was reported uploaded (310, Status 0) and it carries the unsplit
 * name — so it is the whole recording, no later part can follow — and nothing is held back (310 Status 1), failed
 * (310 Status 2, 308) or failed over (306: TRTC may rename files then). Anything else leaves a question the events
 * cannot answer, and Describe (or the exit grace) decides as before.
 */
export function completeByEvents(record: StatusRecord, uploads: FileUploads): boolean {
  if (!uploads.stopSeen || uploads.failedOver || uploads.failed || uploads.uploadRefused !== undefined) return false;
  if (uploads.pending.length > 0 || uploads.pendingUnnamed || uploads.uploaded.length !== 1) return false;
  return unsplitNames(record).includes(uploads.uploaded[0]!);
}

/**
 * Updates `record.task`/`record.files` (the caller saves) and says whether delivery can begin. When an end is hinted
 * (a stop or upload event, or an exit seen before) the task's event log is read first: if it proves the output
 * complete, no DescribeCloudRecording is made — when classes end together, those Describes are what meets TRTC's
 * 20/s first (bench/scale). Otherwise the engine is asked, as the safety net does for recordings with no news.
 */
export async function assessTask(
  kit: Kit,
  record: StatusRecord,
  sourceCos: () => Promise<COS>,
  hint: DeliveryHint,
  /** The task's event log when the caller has just read it (it is not read again). */
  known?: FileUploads,
): Promise<Readiness> {
  const { engine, clock, config } = kit.deps;
  if (!record.spec || !record.engine) return { kind: "unknown", detail: "record has no task" };
  const now = clock.now();
  const exitedAt = record.task?.exitedAt;
  const endHinted = hint === "upload-finished" || record.stop !== undefined || exitedAt !== undefined;
  const logged = known ?? (endHinted ? await fileUploads(kit.deps.state, record.engine.taskId) : undefined);
  if (logged && completeByEvents(record, logged)) {
    const at = new Date(now).toISOString();
    record.task = { state: "exited", observedAt: at, exitedAt: exitedAt ?? at, by: "events" };
  } else {
    const described = await engine.describe(record.spec.sdkAppId, record.engine.taskId);
    if (!described.ok) return { kind: "unknown", detail: `DescribeCloudRecording: ${described.code}: ${described.message}` };
    mergeFiles(record, described.files);
    record.task = { state: described.state, observedAt: new Date(now).toISOString() };
    const ended = described.state === "exited" || described.state === "gone";
    // The exit clock starts when we first see the task ending (or hear that its upload finished) and never restarts.
    if (ended || exitedAt || hint === "upload-finished") record.task.exitedAt = exitedAt ?? new Date(now).toISOString();
    if (!ended && hint !== "upload-finished") return { kind: "not-ended" };
    const exitedFor = now - Date.parse(record.task.exitedAt ?? new Date(now).toISOString());
    // One 310 is one file, not the whole set (split files arrive separately): unless the events proved it above, the
    // set is complete once the task is gone (or the exit grace passed) and no file is still on TRTC's server.
    const uploadDone = described.state === "gone" || exitedFor >= config.exitGraceMs;
    if (!uploadDone) return { kind: "waiting", why: `task ${described.state}; waiting for TRTC's upload (up to ${config.exitGraceMs} ms)` };
  }
  const exitedFor = now - Date.parse(record.task.exitedAt ?? new Date(now).toISOString());
  const uploads = logged ?? (await fileUploads(kit.deps.state, record.engine.taskId));
  if (uploads.failed) return { kind: "failed", detail: "TRTC reported its MP4 task failed (event 310, Status 2); staging is kept" };
  // A refusal that no retry can fix concerns every file of the task (same bucket, same keys).
  if (uploads.uploadRefused !== undefined) {
    return { kind: "failed", detail: `TRTC could not upload to ${record.staging?.bucket ?? "the staging bucket"}: COS answered ${uploads.uploadRefused} (event 308); staging is kept` };
  }
  if (uploads.pending.length > 0 || uploads.pendingUnnamed) {
    const which = uploads.pending.length > 0 ? uploads.pending.join(", ") : "a file";
    if (exitedFor < config.lateUploadGraceMs) return { kind: "waiting", why: `${which} still on TRTC's server (event 310, Status 1); waiting for the late upload` };
    return { kind: "failed", detail: `${which} never arrived from TRTC's server within ${config.lateUploadGraceMs} ms (event 310, Status 1); staging is kept` };
  }
  const sources = await listSources(await sourceCos(), record);
  if (sources.length > 0) return { kind: "ready", sources };
  if (exitedFor < config.noMediaGraceMs) return { kind: "waiting", why: "no media in staging yet" };
  return { kind: "no-media", detail: `TRTC wrote no media under ${record.staging?.prefix ?? "?"} (did any anchor publish?)` };
}
