// Names the real service hands out: TaskIds, and the recording file names of mixed-stream recording
// ("<SdkAppId>_<RoomId>.mp4" observed in COS; "<SdkAppId>_<RoomId>_<Index>.mp4" documented for split files).
import type { RoomRef } from "./room";
import type { SeededRandom } from "./seeded-random";

/**
 * Real TaskIds are 84 characters of base64 over 62 opaque bytes with "/" written "-" and "=" written "."
 * ("D0e6x89Rsp-esui8b4iOs3gq...ZBAA."); "+" stays, so a TaskId inside a COS key needs URL encoding.
 */
export function newTaskId(random: SeededRandom): string {
  return trtcBase64(random.bytes(62));
}

/** TRTC's file-name base64: standard base64 with "/" → "-" and "=" → ".". */
export function trtcBase64(data: Buffer | string): string {
  return Buffer.from(data).toString("base64").replace(/\//g, "-").replace(/=/g, ".");
}

/** "<SdkAppId>_<RoomId>"; a string RoomId appears TRTC-base64 encoded. */
export function mixedFileBase(sdkAppId: number, room: RoomRef): string {
  return `${sdkAppId}_${room.kind === "int" ? String(room.id) : trtcBase64(room.id)}`;
}

/** UTC start time as it appears in TS segment names: YYYYMMDDHHmmssSSS. */
export function utcStamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:TZ.]/g, "");
}

/** "prefix1/prefix2/<TaskId>/<file>" — where every file of a task lands in the bucket. */
export function objectKey(prefix: string[], taskId: string, fileName: string): string {
  return [...prefix, taskId, fileName].join("/");
}
