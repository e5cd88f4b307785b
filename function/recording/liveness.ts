// Whether a recording still holds its (SdkAppId, room, UserId): only while its TRTC robot may still be in the room.
// A recording whose task has ended (a stop was recorded: DELETE, 302, kick, dismissal; or Describe saw it exit) is
// only delivering: a new request for the same recorder must start a new recording, not become its alias.
import type { StatusRecord } from "../state/status-record";

export function holdsRecorder(record: StatusRecord | undefined): boolean {
  if (!record || record.sameAs !== undefined) return false;
  if (record.status === "STARTING") return true;
  if (record.status !== "RUNNING") return false;
  const state = record.task?.state;
  return record.stop === undefined && state !== "exited" && state !== "gone";
}
