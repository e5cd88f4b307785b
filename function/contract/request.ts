// The seed's `POST /record` contract (trtc.md §1.3), parsed into a normalised request or a list of field errors.
// Nothing is started from an invalid request, so every rule lives here, before any side effect.
import * as v from "valibot";
import { checkCallbackTarget } from "../callback/callback-target";
import { fieldError, type FieldError } from "./errors";

/** "10" mixed audio → MP3 (default), "11" mixed video → MP4, "12" mixed audio+video → MP4. */
export type Mode = "10" | "11" | "12";

/** The room, as the caller typed it: RoomId (32-bit integer) or StrRoomId (string). RoomId wins when both are given. */
export type RoomRef = { kind: "int"; roomId: number } | { kind: "str"; strRoomId: string };

/** Where the caller wants the recording, with its optional keys. `path` is normalised: no leading/trailing "/", "" = root. */
export interface CosTarget {
  region: string;
  bucket: string;
  path: string;
  secretId?: string;
  secretKey?: string;
}

/** A valid `POST /record` request. */
export interface RecordRequest {
  sdkAppId: number;
  room: RoomRef;
  userId: string;
  userSig: string;
  cos: CosTarget;
  callback?: string;
  mode: Mode;
  isReserve: boolean;
}

export type ParseResult = { ok: true; request: RecordRequest } | { ok: false; errors: FieldError[] };

/** Deployment settings the contract depends on. */
export interface ParseOptions {
  /** RECORDER_CALLBACK_HOSTS: when non-empty, the only hosts a Callback may name. @default [] (any public host) */
  callbackHosts?: readonly string[];
}

// TRTC: integer rooms are 1..4294967294; string rooms ≤ 64 bytes of this character set (TRTC client docs).
const MAX_INT_ROOM = 4294967294;
const STR_ROOM_CHARS = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]+$/;
// COS regions look like ap-guangzhou, na-siliconvalley, ap-shanghai-fsi, ap-beijing-1.
const REGION = /^[a-z]{2,}-[a-z]+(?:-[a-z]+)?(?:-\d+)?$/;
// COS buckets are `<name>-<appid>`: name of lowercase letters, digits and hyphens (≤ 50), appid digits.
const BUCKET = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?-\d+$/;
const USER_ID = /^[A-Za-z0-9_-]+$/;
const MAX_PATH_BYTES = 700; // COS keys are ≤ 850 bytes; leave room for "<room>_<UserId>_<time>.mp4(.result.json)".
const MAX_URL_CHARS = 2048;

const EXPECTED = {
  body: "a JSON object with the seed's fields (SdkAppId, RoomId or StrRoomId, UserId, UserSig, CosConfig, …)",
  sdkAppId: "an integer TRTC SdkAppId like 1400000001",
  roomId: "an integer room id 1..4294967294 (use StrRoomId for string rooms)",
  strRoomId: "a string room id of 1..64 bytes (letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~,)",
  room: "RoomId (integer) or StrRoomId (string)",
  userId: "a TRTC UserId of 1..32 bytes: letters, digits, _ or -",
  userSig: "the UserSig (a non-empty string) for UserId",
  cosConfig: "an object {Region, Bucket, Path, SecretId?, SecretKey?}",
  region: "a COS region like ap-guangzhou",
  bucket: "a COS bucket named <name>-<appid>, like recordings-1250000000",
  path: "a COS path like /recordings (use / for the bucket root), without '..' segments",
  secretId: "a non-empty SecretId string, given together with SecretKey",
  secretKey: "a non-empty SecretKey string, given together with SecretId",
  callback: "a public http(s) URL like https://example.com/recording-done",
  mode: 'one of "10" (audio → MP3), "11" (video → MP4), "12" (audio+video → MP4)',
  isReserve: "true or false",
} as const;

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const digits = v.pipe(v.string(), v.regex(/^\d{1,10}$/));
const userIdSchema = v.pipe(v.string(), v.minLength(1), v.maxBytes(32), v.regex(USER_ID));
const strRoomSchema = v.pipe(v.string(), v.minLength(1), v.maxBytes(64), v.regex(STR_ROOM_CHARS));
const nonEmpty = v.pipe(v.string(), v.minLength(1));

function passes<T extends v.GenericSchema>(schema: T, value: unknown): value is v.InferOutput<T> {
  return v.safeParse(schema, value).success;
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}

/** Integer fields may arrive as numbers or digit strings (the seed's doc types results as strings); both are fine. */
function asInteger(value: unknown, max: number): number | undefined {
  let n: number | undefined;
  if (passes(positiveInt, value)) n = value;
  else if (passes(digits, value)) n = Number(value);
  return n !== undefined && n >= 1 && n <= max ? n : undefined;
}

function parseRoom(body: Record<string, unknown>, errors: FieldError[]): RoomRef | undefined {
  // Clients that fill every field send RoomId 0 next to a StrRoomId; 0 is no valid room, so read it as "not given".
  const zeroWithString = (body.RoomId === 0 || body.RoomId === "0") && !isAbsent(body.StrRoomId);
  if (!isAbsent(body.RoomId) && !zeroWithString) {
    const roomId = asInteger(body.RoomId, MAX_INT_ROOM);
    if (roomId === undefined) errors.push(fieldError("RoomId", EXPECTED.roomId, body.RoomId));
    return roomId === undefined ? undefined : { kind: "int", roomId };
  }
  if (!isAbsent(body.StrRoomId)) {
    if (!passes(strRoomSchema, body.StrRoomId)) {
      errors.push(fieldError("StrRoomId", EXPECTED.strRoomId, body.StrRoomId));
      return undefined;
    }
    return { kind: "str", strRoomId: body.StrRoomId };
  }
  errors.push({ field: "RoomId", expected: EXPECTED.room, got: "neither RoomId nor StrRoomId" });
  return undefined;
}

/**
 * Normalises a COS path to a key prefix: "/test/" → "test", "/" → "", "a//b" → "a/b". Returns undefined for paths
 * that could escape or confuse the prefix ("..", backslashes, control characters) or that are too long.
 */
export function normalizeCosPath(raw: string): string | undefined {
  if (/[\\\u0000-\u001f\u007f]/.test(raw)) return undefined;
  const segments = raw.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s === "..")) return undefined;
  const path = segments.join("/");
  return Buffer.byteLength(path) <= MAX_PATH_BYTES ? path : undefined;
}

function parseCos(body: Record<string, unknown>, errors: FieldError[]): CosTarget | undefined {
  const cos = body.CosConfig;
  if (typeof cos !== "object" || cos === null || Array.isArray(cos)) {
    // A CosConfig sent as a string is typically the whole object JSON-encoded, keys included: never shown.
    errors.push(fieldError("CosConfig", EXPECTED.cosConfig, cos, { secret: true }));
    return undefined;
  }
  const c = cos as Record<string, unknown>;
  const before = errors.length;
  if (!(typeof c.Region === "string" && REGION.test(c.Region))) errors.push(fieldError("CosConfig.Region", EXPECTED.region, c.Region));
  if (!(typeof c.Bucket === "string" && BUCKET.test(c.Bucket))) errors.push(fieldError("CosConfig.Bucket", EXPECTED.bucket, c.Bucket));
  const path = typeof c.Path === "string" && c.Path !== "" ? normalizeCosPath(c.Path) : undefined;
  if (path === undefined) errors.push(fieldError("CosConfig.Path", EXPECTED.path, c.Path));
  // Keys come as a pair: with one missing we could neither let TRTC write nor deliver, so say which half is absent.
  const hasId = !isAbsent(c.SecretId);
  const hasKey = !isAbsent(c.SecretKey);
  if (hasId || hasKey) {
    if (!passes(nonEmpty, c.SecretId)) errors.push(fieldError("CosConfig.SecretId", EXPECTED.secretId, c.SecretId, { secret: true }));
    if (!passes(nonEmpty, c.SecretKey)) errors.push(fieldError("CosConfig.SecretKey", EXPECTED.secretKey, c.SecretKey, { secret: true }));
  }
  if (errors.length > before) return undefined;
  const target: CosTarget = { region: c.Region as string, bucket: c.Bucket as string, path: path as string };
  if (hasId && hasKey) {
    target.secretId = c.SecretId as string;
    target.secretKey = c.SecretKey as string;
  }
  return target;
}

// A callback URL may carry the receiver's token in its query: errors show it without query or fragment.
function callbackGot(raw: unknown): unknown {
  return typeof raw === "string" ? raw.replace(/[?#].*$/s, "?…") : raw;
}

/**
 * Checks a Callback URL against the deployment's policy (callback/callback-target.ts); the seed's own sample
 * `https:xxxxxxxx.com/post/xxx` is caught with a precise hint.
 */
export function checkCallbackUrl(raw: unknown, callbackHosts: readonly string[] = []): FieldError | undefined {
  if (typeof raw !== "string" || raw.length > MAX_URL_CHARS) return fieldError("Callback", EXPECTED.callback, callbackGot(raw));
  const missingSlashes = /^(https?):(?!\/\/)/i.exec(raw);
  if (missingSlashes) {
    // WHATWG URL parsing would silently repair this; we refuse so the caller fixes the source of the typo.
    return fieldError("Callback", `${EXPECTED.callback} ("//" is missing after "${missingSlashes[1]}:")`, callbackGot(raw));
  }
  const verdict = checkCallbackTarget(raw, callbackHosts);
  if (!verdict.ok) return fieldError("Callback", `${EXPECTED.callback}; ${verdict.reason}`, callbackGot(raw));
  return undefined;
}

function parseMode(raw: unknown, errors: FieldError[]): Mode {
  if (isAbsent(raw)) return "10";
  const text = typeof raw === "number" ? String(raw) : raw;
  if (text === "10" || text === "11" || text === "12") return text;
  errors.push(fieldError("Mode", EXPECTED.mode, raw));
  return "10";
}

function parseIsReserve(raw: unknown, errors: FieldError[]): boolean {
  if (raw === undefined || raw === null) return true;
  if (raw === true || raw === "true") return true;
  if (raw === false || raw === "false") return false;
  errors.push(fieldError("IsReserve", EXPECTED.isReserve, raw));
  return true;
}

/** Parses the seed's request body (already JSON-decoded). Unknown fields are ignored, as the seed did. */
export function parseRecordRequest(input: unknown, opts: ParseOptions = {}): ParseResult {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    // A body that is a string is usually the request JSON-encoded twice, UserSig and keys included: never shown.
    return { ok: false, errors: [fieldError("(body)", EXPECTED.body, input, { secret: true })] };
  }
  const body = input as Record<string, unknown>;
  const errors: FieldError[] = [];
  const sdkAppId = asInteger(body.SdkAppId, 0xffffffff);
  if (sdkAppId === undefined) errors.push(fieldError("SdkAppId", EXPECTED.sdkAppId, body.SdkAppId));
  const room = parseRoom(body, errors);
  if (!passes(userIdSchema, body.UserId)) errors.push(fieldError("UserId", EXPECTED.userId, body.UserId));
  if (!passes(nonEmpty, body.UserSig)) errors.push(fieldError("UserSig", EXPECTED.userSig, body.UserSig, { secret: true }));
  const cos = parseCos(body, errors);
  // An empty Callback means "no callback" (templates often ship the field blank).
  const callbackError = isAbsent(body.Callback) ? undefined : checkCallbackUrl(body.Callback, opts.callbackHosts);
  if (callbackError) errors.push(callbackError);
  const mode = parseMode(body.Mode, errors);
  const isReserve = parseIsReserve(body.IsReserve, errors);
  if (errors.length > 0 || sdkAppId === undefined || room === undefined || cos === undefined) return { ok: false, errors };
  const request: RecordRequest = {
    sdkAppId,
    room,
    userId: body.UserId as string,
    userSig: body.UserSig as string,
    cos,
    mode,
    isReserve,
  };
  if (!isAbsent(body.Callback)) request.callback = body.Callback as string;
  return { ok: true, request };
}

/**
 * The identity fields of a request, echoed into a result even when the request was invalid (best effort, never
 * secrets), plus a Callback we may still call to report the errors.
 */
export interface RequestEcho {
  SdkAppId: string;
  RoomId: string;
  StrRoomId: string;
  UserId: string;
  callback?: string;
}

function echoText(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" ? value.slice(0, 128) : "";
}

export function echoRequest(input: unknown, opts: ParseOptions = {}): RequestEcho {
  const body = typeof input === "object" && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : {};
  const echo: RequestEcho = {
    SdkAppId: echoText(body.SdkAppId),
    RoomId: echoText(body.RoomId),
    StrRoomId: echoText(body.StrRoomId),
    UserId: echoText(body.UserId),
  };
  if (!isAbsent(body.Callback) && checkCallbackUrl(body.Callback, opts.callbackHosts) === undefined) echo.callback = body.Callback as string;
  return echo;
}

/** A stable text form of a room, for keys and file names: "123" or the string room id. */
export function roomLabel(room: RoomRef): string {
  return room.kind === "int" ? String(room.roomId) : room.strRoomId;
}

/** The default cap on a POST /record body: the seed's request is well under 1 KiB. */
export const MAX_RECORD_BODY_BYTES = 16 * 1024;

/**
 * Decodes a request body; a body that is not JSON, or larger than `maxBytes`, becomes a field error that shows
 * nothing of its (secret-bearing) text.
 */
export function decodeJsonBody(bytes: Buffer, maxBytes = MAX_RECORD_BODY_BYTES): { ok: true; value: unknown } | { ok: false; error: FieldError } {
  if (bytes.length > maxBytes) {
    return { ok: false, error: { field: "(body)", expected: `${EXPECTED.body}, at most ${maxBytes} bytes`, got: `a body of ${bytes.length} bytes (not read)` } };
  }
  const text = bytes.toString("utf8");
  if (text.trim() === "") return { ok: false, error: { field: "(body)", expected: EXPECTED.body, got: "an empty body" } };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: { field: "(body)", expected: EXPECTED.body, got: `text that is not JSON (${bytes.length} bytes)` } };
  }
}
