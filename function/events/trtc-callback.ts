// TRTC's console-configured event callbacks (trtc.md §2.5): room events (group 1, 101-106), media (2), cloud
// recording (3, 301-311). Signed with `Sign = base64(HMAC-SHA256(key, raw body))`; new fields may appear any time,
// so parsing keeps the raw body and reads only what it needs.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { RoomRef } from "../contract/request";

export const EVENT_GROUP = { room: 1, media: 2, cloudRecording: 3 } as const;
// 310 ("files produced and uploaded") follows 305 for mp4/aac outputs: TRTC uploads HLS, reports 305, then
// produces and uploads the mp4/aac and reports 310 with the file list.
export const RECORDING_EVENT = { start: 301, stop: 302, uploadStart: 303, uploadStop: 305, filesUploaded: 310 } as const;

export interface TrtcEvent {
  groupId: number;
  type: number;
  sdkAppId?: number;
  room?: RoomRef;
  userId?: string;
  /** Event time in ms (EventMsTs, else EventTs × 1000, else CallbackTs). */
  eventMsTs: number;
  taskId?: string;
  payload: Record<string, unknown>;
  /** The whole body as received, for the event log. */
  raw: Record<string, unknown>;
}

// Canonical base64 of a 32-byte HMAC-SHA256: 43 characters of the standard alphabet and one "=". Node's decoder
// accepts base64url, missing padding, whitespace and junk after "=", so each of those would be another valid Sign
// for the same body; a duplicated header arrives joined with ",". All of them are refused.
const CANONICAL_SIGN = /^[A-Za-z0-9+/]{43}=$/;

/** Largest event body accepted (TRTC's events are a few hundred bytes; 310 lists files). */
export const MAX_EVENT_BODY_BYTES = 64 * 1024;

/**
 * How old an event may be: TRTC retries for 1 min after the first send (trtc.md §2.5); 4 more minutes cover clock
 * skew and slow retries. Older signed bodies are replays.
 */
export const MAX_EVENT_AGE_MS = 5 * 60 * 1000;

/** Constant-time check of the `Sign` header (canonical base64 only) against the unmodified body. */
export function verifyTrtcSign(key: string, rawBody: Buffer, sign: string | undefined): boolean {
  if (sign === undefined || !CANONICAL_SIGN.test(sign)) return false;
  const expected = createHmac("sha256", key).update(rawBody).digest();
  const given = Buffer.from(sign, "base64");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

// The room is typed the way the room is: a number for integer rooms, a string for string rooms.
function roomOf(v: unknown): RoomRef | undefined {
  if (typeof v === "number" && Number.isInteger(v) && v > 0) return { kind: "int", roomId: v };
  if (typeof v === "string" && v !== "") return { kind: "str", strRoomId: v };
  return undefined;
}

/**
 * Parses a verified body; undefined when it is not a TRTC event at all. The SdkAppId comes from the signed body when
 * it carries one; the unsigned `SdkAppId` header is only a fallback (see `sdkAppIdConflict`).
 */
export function parseTrtcEvent(rawBody: Buffer, headerSdkAppId: string | undefined): TrtcEvent | undefined {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return undefined;
  }
  if (!isObject(body)) return undefined;
  const groupId = num(body.EventGroupId);
  const type = num(body.EventType);
  if (groupId === undefined || type === undefined) return undefined;
  const info = isObject(body.EventInfo) ? body.EventInfo : {};
  const payload = isObject(info.Payload) ? info.Payload : isObject(body.Payload) ? body.Payload : {};
  const taskId = typeof info.TaskId === "string" ? info.TaskId : typeof body.TaskId === "string" ? body.TaskId : undefined;
  const eventTs = num(info.EventTs);
  const event: TrtcEvent = {
    groupId,
    type,
    eventMsTs: num(info.EventMsTs) ?? (eventTs !== undefined ? eventTs * 1000 : undefined) ?? num(body.CallbackTs) ?? 0,
    payload,
    raw: body,
  };
  const sdkAppId = num(body.SdkAppId) ?? num(info.SdkAppId) ?? num(headerSdkAppId);
  if (sdkAppId !== undefined) event.sdkAppId = sdkAppId;
  const room = roomOf(info.RoomId);
  if (room) event.room = room;
  if (typeof info.UserId === "string" && info.UserId !== "") event.userId = info.UserId;
  if (taskId !== undefined) event.taskId = taskId;
  return event;
}

/** True when the unsigned header names another SdkAppId than the signed body (a replay re-addressed to another app). */
export function sdkAppIdConflict(event: TrtcEvent, headerSdkAppId: string | undefined): boolean {
  if (headerSdkAppId === undefined) return false;
  const info = isObject(event.raw.EventInfo) ? event.raw.EventInfo : {};
  const signed = num(event.raw.SdkAppId) ?? num(info.SdkAppId);
  if (signed === undefined) return false;
  return num(headerSdkAppId.trim()) !== signed;
}

/** The send time TRTC signed: CallbackTs (ms), else the event time. undefined when the body has neither. */
export function signedTimeMs(event: TrtcEvent): number | undefined {
  const callbackTs = num(event.raw.CallbackTs);
  if (callbackTs !== undefined) return callbackTs;
  return event.eventMsTs > 0 ? event.eventMsTs : undefined;
}

/** Why an event is too old to accept, or undefined when it is fresh enough. */
export function staleEvent(event: TrtcEvent, nowMs: number): string | undefined {
  const at = signedTimeMs(event);
  if (at === undefined) return "the event carries no CallbackTs or EventMsTs";
  if (nowMs - at > MAX_EVENT_AGE_MS) return `the event was sent ${Math.round((nowMs - at) / 1000)} s ago (limit ${MAX_EVENT_AGE_MS / 1000} s): a replay`;
  return undefined;
}

/**
 * What makes two deliveries "the same event": TRTC re-sends the same event on retries, but CallbackTs may differ
 * between sends, so the raw body is not a safe identity.
 */
export function eventIdentity(e: TrtcEvent): string {
  const info = isObject(e.raw.EventInfo) ? e.raw.EventInfo : {};
  const unique = typeof info.UniqueId === "string" || typeof info.UniqueId === "number" ? String(info.UniqueId) : "";
  // A task sends one 310 per file, possibly in the same millisecond: the file and its Status tell them apart.
  const files = e.groupId === EVENT_GROUP.cloudRecording ? JSON.stringify([e.payload.Status ?? null, e.payload.FileList ?? null]) : "";
  return [e.groupId, e.type, e.userId ?? "", e.eventMsTs, e.taskId ?? "", unique, files].join("|");
}
