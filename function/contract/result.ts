// The seed's result (trtc.md §1.3): the function's return value and the Callback body. Its field names and types are
// the contract; the doc types every identity field as String, so numbers are rendered as decimal strings.
import type { FieldError } from "./errors";
import { roomLabel, type Mode, type RequestEcho, type RoomRef } from "./request";

/** What a result and a file name need to know about a recording (a RecordRequest or a stored spec). */
export interface RecordingIdentity {
  sdkAppId: number;
  room: RoomRef;
  userId: string;
}

export interface ResultFile {
  /** The recorded user; for a mixed recording, the recorder's own UserId (the mix has no single owner). */
  UserId: string;
  /** COS URL of the delivered file, `https://<bucket>.cos.<region>.myqcloud.com/<key>`; "" when nothing was delivered. */
  RecordFile: string;
  /** 1 success, 0 failure. */
  Status: 0 | 1;
  /** "success", or why it failed: "record failed" | "transcode failed" | "COS write failed" | "COS read failed" | "invalid request". */
  Message: string;
}

export interface RecordingResult {
  SdkAppId: string;
  /** The integer room as text, "" for a string room. */
  RoomId: string;
  /** The string room, "" for an integer room. */
  StrRoomId: string;
  /** The recorder's UserId from the request. */
  UserId: string;
  Files: ResultFile[];
  /** Only for a request refused as invalid: what was wrong (our addition; seed callers ignore unknown fields). */
  Errors?: FieldError[];
}

export interface CosObjectRef {
  bucket: string;
  region: string;
  key: string;
}

/** The public URL of an object, each key segment percent-encoded (string rooms may contain `#`, `?`, spaces). */
export function cosObjectUrl(loc: CosObjectRef): string {
  const key = loc.key.split("/").map(encodeURIComponent).join("/");
  return `https://${loc.bucket}.cos.${loc.region}.myqcloud.com/${key}`;
}

/** `20240131T080910Z` — UTC, second precision, sortable, no characters that need escaping in a key. */
export function compactUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-:]/g, "");
}

/** The delivered file's key: `<Path>/<room>_<UserId>_<start>.<mp3|mp4>` (Path already normalised; "" = root). */
export function targetKey(request: RecordingIdentity & { mode: Mode; cos: { path: string } }, startMs: number): string {
  const ext = request.mode === "10" ? "mp3" : "mp4";
  const name = `${roomLabel(request.room)}_${request.userId}_${compactUtc(startMs)}.${ext}`;
  return request.cos.path === "" ? name : `${request.cos.path}/${name}`;
}

/** The result is stored next to the recording so a dead callback loses nothing. */
export function resultKey(target: string): string {
  return `${target}.result.json`;
}

export function outputExtension(mode: Mode): "mp3" | "mp4" {
  return mode === "10" ? "mp3" : "mp4";
}

function identity(request: RecordingIdentity): Omit<RecordingResult, "Files"> {
  return {
    SdkAppId: String(request.sdkAppId),
    RoomId: request.room.kind === "int" ? String(request.room.roomId) : "",
    StrRoomId: request.room.kind === "str" ? request.room.strRoomId : "",
    UserId: request.userId,
  };
}

export function deliveredResult(request: RecordingIdentity, url: string): RecordingResult {
  return { ...identity(request), Files: [{ UserId: request.userId, RecordFile: url, Status: 1, Message: "success" }] };
}

export function failedResult(request: RecordingIdentity, message: string): RecordingResult {
  return { ...identity(request), Files: [{ UserId: request.userId, RecordFile: "", Status: 0, Message: message }] };
}

/** The result for a request we refused: identity echoed as given, one failed file, and the field errors. */
export function invalidRequestResult(echo: RequestEcho, errors: FieldError[]): RecordingResult {
  return {
    SdkAppId: echo.SdkAppId,
    RoomId: echo.RoomId,
    StrRoomId: echo.StrRoomId,
    UserId: echo.UserId,
    Files: [{ UserId: echo.UserId, RecordFile: "", Status: 0, Message: "invalid request" }],
    Errors: errors,
  };
}
