// Explicit stop (DELETE /recordings/{id}): DeleteCloudRecording, then delivery follows as for every other stop
// condition. TRTC keeps uploading after the stop, so delivery waits for the task to be gone (or the grace period).
import { resolveRecording, type Viewer } from "./status";
import type { RecordingStatus } from "../state/status-record";
import type { Kit } from "./kit";
import { nudgeWatchdog } from "./watchdog-tuning";

export type StopResult =
  | { outcome: "stopping"; recordingId: string; status: RecordingStatus; alreadyGone: boolean }
  | { outcome: "not-found"; recordingId: string }
  | { outcome: "not-running"; recordingId: string; status: RecordingStatus }
  | { outcome: "engine-error"; recordingId: string; code: string; message: string };

export async function stopRecording(kit: Kit, requestedId: string, viewer?: Viewer): Promise<StopResult> {
  // A duplicate's id stands for the recording it joined, only when the same owner started both (status.ts).
  const resolved = await resolveRecording(kit, requestedId, viewer);
  if (!resolved) return { outcome: "not-found", recordingId: requestedId };
  const record = { ...resolved };
  delete record.requestedId; // a view-only marker, never stored
  const id = record.recordingId;
  const log = kit.deps.log.child({ recordingId: id });
  if (record.status !== "RUNNING" || !record.engine || !record.spec) return { outcome: "not-running", recordingId: id, status: record.status };
  const out = await kit.deps.engine.stop(record.spec.sdkAppId, record.engine.taskId);
  if (!out.ok) {
    log.warn("DeleteCloudRecording failed", { code: out.code, message: out.message });
    return { outcome: "engine-error", recordingId: id, code: out.code, message: out.message };
  }
  record.stop ??= { reason: "explicit-stop", at: kit.nowIso() };
  record.history.push({ at: kit.nowIso(), status: record.status, note: "stop requested" });
  await kit.records.save(record);
  log.info("recording stopped on request", { alreadyGone: out.alreadyGone });
  await nudgeWatchdog(kit, id);
  try {
    await kit.deps.invoker.invokeRecorder({ action: "deliver", recordingId: id, reason: "explicit-stop" });
  } catch (err) {
    // The watchdog starts delivery within a minute anyway.
    log.warn("could not invoke delivery; the watchdog will", { error: err });
  }
  return { outcome: "stopping", recordingId: id, status: record.status, alreadyGone: out.alreadyGone };
}
