// Applying the roster outside a room event: right after a task is created (anchors may already be in the room, and
// TRTC starts with its own grid of all of them) and from the watchdog (a Modify that kept failing after TRTC gave
// up retrying its callback). Best effort: a failure is logged and left for the next event or watchdog tick.
import type { RoomRef } from "../contract/request";
import { stateKeys } from "../state/keys";
import type { StatusRecord } from "../state/status-record";
import type { StateStore } from "../state/store";
import { reconcileRoster, type ReconcileDeps, type ReconcileOutcome } from "./reconcile";

/** The recordings running in a room: each one's robot must never take a tile in any of them. */
export async function runningRecordingsOfRoom(
  state: StateStore,
  load: (id: string) => Promise<StatusRecord | undefined>,
  sdkAppId: number,
  room: RoomRef,
): Promise<StatusRecord[]> {
  const prefix = stateKeys.roomRecordingsPrefix(sdkAppId, room);
  const ids = (await state.list(prefix)).map((k) => k.slice(prefix.length));
  const records = await Promise.all(ids.map(load));
  return records.filter((r): r is StatusRecord => r !== undefined && r.status === "RUNNING");
}

export function robotIds(records: readonly StatusRecord[]): string[] {
  return records.flatMap((r) => (r.spec ? [r.spec.userId] : []));
}

export async function reconcileRecording(
  deps: ReconcileDeps & { load(id: string): Promise<StatusRecord | undefined> },
  record: StatusRecord,
  why: string,
): Promise<ReconcileOutcome | undefined> {
  if (!record.spec) return undefined;
  try {
    const running = await runningRecordingsOfRoom(deps.state, deps.load, record.spec.sdkAppId, record.spec.room);
    return await reconcileRoster(deps, record, robotIds([record, ...running]), why);
  } catch (err) {
    deps.log.warn("roster not applied; the next room event or watchdog tick tries again", { recordingId: record.recordingId, why, error: err });
    return undefined;
  }
}
