// CreateCloudRecording / ModifyCloudRecording parameters: checked the way the real API checks them (required
// fields, documented ranges, its error codes) and turned into the typed configuration the simulator runs on.
import { Tc3ApiError } from "../tc3/types";
import type { Rect } from "./layout";
import { roomRef, type RoomRef } from "./room";
import { SUBSCRIBE_ALL, type SubscribeLists } from "./subscription";

export type MixLayoutMode = 1 | 2 | 3 | 4;

export interface LayoutEntry {
  rect: Rect;
  /** Absent: the slot takes the next anchor (in entry order) that no other entry names. */
  userId?: string;
  /** ImageLayer: lower values are drawn first (further back). */
  layer: number;
}

export interface LayoutConfig {
  mode: MixLayoutMode;
  entries: LayoutEntry[];
  /** "#RRGGBB". */
  background: string;
  maxResolutionUserId?: string;
}

export interface VideoEncode {
  width: number;
  height: number;
  fps: number;
  bitrate: number;
  gopSeconds: number;
}

export interface AudioEncode {
  sampleRate: number;
  channels: 1 | 2;
  bitrate: number;
}

export interface CloudStorageConfig {
  vendor: 0;
  region: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  prefix: string[];
}

export interface RecordingRequest {
  sdkAppId: number;
  room: RoomRef;
  robotUserId: string;
  userSig: string;
  maxIdleSeconds: number;
  /** 0 audio+video, 1 audio only, 2 video only. */
  streamType: 0 | 1 | 2;
  /** 0 hls, 1 hls+mp4, 2 hls+aac, 3 mp4, 4 aac. */
  outputFormat: 0 | 1 | 2 | 3 | 4;
  maxFileMinutes: number;
  /** What a custom-layout tile shows once its user stops publishing: 0 last frame, 1 black. */
  fillType: 0 | 1;
  subscribe: SubscribeLists;
  layout: LayoutConfig;
  video: VideoEncode;
  audio: AudioEncode;
  storage: CloudStorageConfig;
  resourceExpiredHours: number;
}

export const DEFAULT_LAYOUT: LayoutConfig = { mode: 3, entries: [], background: "#000000" };
// MixTranscodeParams defaults from the API reference: 360x640, 15 fps, 550 kbps, GOP 10 s; 48 kHz stereo 64 kbps.
export const DEFAULT_VIDEO: VideoEncode = { width: 360, height: 640, fps: 15, bitrate: 550_000, gopSeconds: 10 };
export const DEFAULT_AUDIO: AudioEncode = { sampleRate: 48_000, channels: 2, bitrate: 64_000 };

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function missing(code: string, field: string): Tc3ApiError {
  return new Tc3ApiError(code, `${field} is required`);
}

function invalid(code: string, field: string, expected: string, got: unknown): Tc3ApiError {
  return new Tc3ApiError(code, `${field} must be ${expected} (got ${JSON.stringify(got)})`);
}

function optInt(obj: Json, key: string, field: string, min: number, max: number, code = "InvalidParameter.OutOfRange"): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) throw invalid(code, field, `an integer ${min}..${max}`, v);
  return v;
}

function reqInt(obj: Json, key: string, field: string, min: number, max: number, missingCode: string, invalidCode: string): number {
  if (obj[key] === undefined) throw missing(missingCode, field);
  return optInt(obj, key, field, min, max, invalidCode) as number;
}

function reqString(obj: Json, key: string, field: string, missingCode: string): string {
  const v = obj[key];
  if (v === undefined || v === "") throw missing(missingCode, field);
  if (typeof v !== "string") throw invalid("InvalidParameter", field, "a string", v);
  return v;
}

function optObject(obj: Json, key: string, field: string): Json | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (!isObject(v)) throw invalid("InvalidParameter", field, "an object", v);
  return v;
}

function stringList(obj: Json, key: string, field: string, max: number): string[] {
  const v = obj[key];
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === "string")) throw invalid("InvalidParameter", field, "an array of strings", v);
  if (v.length > max) throw invalid("InvalidParameter.OutOfRange", field, `at most ${max} entries`, v.length);
  return v;
}

const USER_ID = /^[A-Za-z0-9_-]{1,32}$/;
const STR_ROOM_ID = /^[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]{1,64}$/;

function parseRoom(p: Json): RoomRef {
  const roomIdType = optInt(p, "RoomIdType", "RoomIdType", 0, 1, "InvalidParameter") ?? 1;
  const raw = p.RoomId;
  if (raw === undefined || raw === "") throw missing("MissingParameter.RoomId", "RoomId");
  if (typeof raw !== "string") throw invalid("InvalidParameter.RoomId", "RoomId", "a string (RoomIdType says how to read it)", raw);
  if (roomIdType === 1) {
    const n = /^\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 1 && n <= 4294967294)) throw invalid("InvalidParameter.RoomId", "RoomId", "a decimal integer 1..4294967294 when RoomIdType is 1", raw);
    return roomRef(n);
  }
  if (!STR_ROOM_ID.test(raw)) throw invalid("InvalidParameter.RoomId", "RoomId", "a string room id of 1-64 allowed characters", raw);
  return roomRef(raw);
}

function parseColor(v: unknown, field: string): string {
  if (typeof v !== "string" || !/^#[0-9A-Fa-f]{6}$/.test(v)) throw invalid("InvalidParameter", field, '"#RRGGBB"', v);
  return v;
}

export function parseLayout(v: Json | undefined): LayoutConfig {
  if (!v) return DEFAULT_LAYOUT;
  const mode = (optInt(v, "MixLayoutMode", "MixLayoutParams.MixLayoutMode", 1, 4) ?? 3) as MixLayoutMode;
  const list = v.MixLayoutList;
  if (list !== undefined && !Array.isArray(list)) throw invalid("InvalidParameter", "MixLayoutParams.MixLayoutList", "an array", list);
  if (list && list.length > 25) throw invalid("InvalidParameter.OutOfRange", "MixLayoutParams.MixLayoutList", "at most 25 entries", list.length);
  const entries = (list ?? []).map((e: unknown, i): LayoutEntry => {
    const f = `MixLayoutParams.MixLayoutList[${i}]`;
    if (!isObject(e)) throw invalid("InvalidParameter", f, "an object", e);
    const num = (k: string) => reqInt(e, k, `${f}.${k}`, 0, 1920, "MissingParameter", "InvalidParameter.OutOfRange");
    const userId = e.UserId;
    if (userId !== undefined && typeof userId !== "string") throw invalid("InvalidParameter", `${f}.UserId`, "a string", userId);
    return {
      rect: { x: num("Left"), y: num("Top"), w: num("Width"), h: num("Height") },
      userId: userId === "" ? undefined : userId,
      layer: optInt(e, "ImageLayer", `${f}.ImageLayer`, 0, 1000) ?? 0,
    };
  });
  const background = v.BackGroundColor === undefined ? "#000000" : parseColor(v.BackGroundColor, "MixLayoutParams.BackGroundColor");
  const big = v.MaxResolutionUserId;
  if (big !== undefined && typeof big !== "string") throw invalid("InvalidParameter", "MixLayoutParams.MaxResolutionUserId", "a string", big);
  return { mode, entries, background, maxResolutionUserId: big || undefined };
}

export function parseSubscribe(v: Json | undefined, field: string): SubscribeLists {
  if (!v) return SUBSCRIBE_ALL;
  return {
    audioAllow: stringList(v, "SubscribeAudioUserIds", `${field}.SubscribeAudioUserIds`, 32),
    audioDeny: stringList(v, "UnSubscribeAudioUserIds", `${field}.UnSubscribeAudioUserIds`, 32),
    videoAllow: stringList(v, "SubscribeVideoUserIds", `${field}.SubscribeVideoUserIds`, 32),
    videoDeny: stringList(v, "UnSubscribeVideoUserIds", `${field}.UnSubscribeVideoUserIds`, 32),
  };
}

function parseVideo(v: Json | undefined): VideoEncode {
  if (!v) return DEFAULT_VIDEO;
  const f = "MixTranscodeParams.VideoParams";
  // "If set, every field is required; there are no defaults" (API reference).
  const num = (k: string, min: number, max: number) => reqInt(v, k, `${f}.${k}`, min, max, "MissingParameter", "InvalidParameter.EncodeParams");
  const video = { width: num("Width", 2, 1920), height: num("Height", 2, 1920), fps: num("Fps", 1, 60), bitrate: num("BitRate", 64_000, 8_192_000), gopSeconds: num("Gop", 1, 60) };
  if (video.width * video.height > 1920 * 1080) throw invalid("InvalidParameter.EncodeParams", `${f}.Width x Height`, "at most 1920*1080 pixels", video.width * video.height);
  return video;
}

function parseAudio(v: Json | undefined): AudioEncode {
  if (!v) return DEFAULT_AUDIO;
  const f = "MixTranscodeParams.AudioParams";
  const num = (k: string, min: number, max: number) => reqInt(v, k, `${f}.${k}`, min, max, "MissingParameter", "InvalidParameter.EncodeParams");
  const rate = num("SampleRate", 1, 3);
  return { sampleRate: [48_000, 44_100, 16_000][rate - 1], channels: num("Channel", 1, 2) as 1 | 2, bitrate: num("BitRate", 32_000, 128_000) };
}

function parseStorage(p: Json): CloudStorageConfig {
  const sp = optObject(p, "StorageParams", "StorageParams");
  if (!sp) throw missing("MissingParameter.StorageParams", "StorageParams");
  const cs = optObject(sp, "CloudStorage", "StorageParams.CloudStorage");
  const vod = optObject(sp, "CloudVod", "StorageParams.CloudVod");
  if (cs && vod) throw new Tc3ApiError("InvalidParameter", "StorageParams: CloudStorage and CloudVod cannot both be set");
  if (vod) throw new Tc3ApiError("UnsupportedOperation", "StorageParams.CloudVod: recording to VOD is not modelled by the TRTC double; use CloudStorage");
  if (!cs) throw missing("MissingParameter.CloudStorage", "StorageParams.CloudStorage");
  const f = "StorageParams.CloudStorage";
  const vendor = reqInt(cs, "Vendor", `${f}.Vendor`, 0, 1, "MissingParameter.Vendor", "InvalidParameter.OutOfRange");
  if (vendor !== 0) throw new Tc3ApiError("UnsupportedOperation", `${f}.Vendor 1 (AWS) is not modelled by the TRTC double; only 0 (COS)`);
  const prefix = stringList(cs, "FileNamePrefix", `${f}.FileNamePrefix`, 10);
  for (const part of prefix) {
    if (!/^[A-Za-z0-9_-]+$/.test(part)) throw invalid("InvalidParameter", `${f}.FileNamePrefix`, "strings of a-z, A-Z, 0-9, _ and -", part);
  }
  return {
    vendor: 0,
    region: reqString(cs, "Region", `${f}.Region`, "MissingParameter.Region"),
    bucket: reqString(cs, "Bucket", `${f}.Bucket`, "MissingParameter.Bucket"),
    accessKey: reqString(cs, "AccessKey", `${f}.AccessKey`, "MissingParameter.AccessKey"),
    secretKey: reqString(cs, "SecretKey", `${f}.SecretKey`, "MissingParameter.SecretKey"),
    prefix,
  };
}

export function parseCreateRecording(p: Json): RecordingRequest {
  const sdkAppId = reqInt(p, "SdkAppId", "SdkAppId", 1, 2 ** 32 - 1, "MissingParameter.SdkAppId", "InvalidParameter.SdkAppId");
  const room = parseRoom(p);
  const robotUserId = reqString(p, "UserId", "UserId", "MissingParameter.UserId");
  if (!USER_ID.test(robotUserId)) throw invalid("InvalidParameter.UserId", "UserId", "1-32 letters, digits, _ or -", robotUserId);
  const userSig = reqString(p, "UserSig", "UserSig", "MissingParameter.UserSig");

  const rp = optObject(p, "RecordParams", "RecordParams");
  if (!rp) throw missing("MissingParameter.RecordParams", "RecordParams");
  const mode = reqInt(rp, "RecordMode", "RecordParams.RecordMode", 1, 2, "MissingParameter.RecordMode", "InvalidParameter.OutOfRange");
  if (mode !== 2) throw new Tc3ApiError("FailedOperation.CRUnsupportMethod", "RecordParams.RecordMode 1 (single-stream) is not modelled by the TRTC double; use 2 (mixed)");
  const streamType = (optInt(rp, "StreamType", "RecordParams.StreamType", 0, 2) ?? 0) as 0 | 1 | 2;
  const outputFormat = (optInt(rp, "OutputFormat", "RecordParams.OutputFormat", 0, 4) ?? 0) as RecordingRequest["outputFormat"];
  if (streamType === 2 && (outputFormat === 2 || outputFormat === 4)) {
    throw new Tc3ApiError("InvalidParameter", `RecordParams.OutputFormat ${outputFormat} (aac) needs audio, but StreamType is 2 (video only)`);
  }
  const mtp = optObject(p, "MixTranscodeParams", "MixTranscodeParams");
  return {
    sdkAppId,
    room,
    robotUserId,
    userSig,
    maxIdleSeconds: optInt(rp, "MaxIdleTime", "RecordParams.MaxIdleTime", 5, 86_400) ?? 30,
    streamType,
    outputFormat,
    maxFileMinutes: optInt(rp, "MaxMediaFileDuration", "RecordParams.MaxMediaFileDuration", 1, 1440) ?? 1440,
    fillType: (optInt(rp, "FillType", "RecordParams.FillType", 0, 1) ?? 0) as 0 | 1,
    subscribe: parseSubscribe(optObject(rp, "SubscribeStreamUserIds", "RecordParams.SubscribeStreamUserIds"), "RecordParams.SubscribeStreamUserIds"),
    layout: parseLayout(optObject(p, "MixLayoutParams", "MixLayoutParams")),
    video: parseVideo(mtp && optObject(mtp, "VideoParams", "MixTranscodeParams.VideoParams")),
    audio: parseAudio(mtp && optObject(mtp, "AudioParams", "MixTranscodeParams.AudioParams")),
    storage: parseStorage(p),
    resourceExpiredHours: optInt(p, "ResourceExpiredHour", "ResourceExpiredHour", 6, 720) ?? 72,
  };
}

/** SdkAppId + TaskId, the key of every follow-up call (Describe/Modify/Delete). */
export function parseTaskRef(p: Json): { sdkAppId: number; taskId: string } {
  const sdkAppId = reqInt(p, "SdkAppId", "SdkAppId", 1, 2 ** 32 - 1, "MissingParameter.SdkAppId", "InvalidParameter.SdkAppId");
  const taskId = reqString(p, "TaskId", "TaskId", "MissingParameter.TaskId");
  return { sdkAppId, taskId };
}

/**
 * ModifyCloudRecording replaces both the layout and the subscription lists: the recording guide asks callers to
 * send all of them every time, so an omitted one goes back to its default (grid / subscribe everyone).
 */
export function parseModify(p: Json): { layout: LayoutConfig; subscribe: SubscribeLists } {
  return {
    layout: parseLayout(optObject(p, "MixLayoutParams", "MixLayoutParams")),
    subscribe: parseSubscribe(optObject(p, "SubscribeStreamUserIds", "SubscribeStreamUserIds"), "SubscribeStreamUserIds"),
  };
}

/** RemoveUser / RemoveUserByStrRoomId / DismissRoom* room addressing. */
export function parseRoomAction(p: Json, stringRoom: boolean, withUsers: boolean): { sdkAppId: number; room: RoomRef; userIds: string[] } {
  const sdkAppId = reqInt(p, "SdkAppId", "SdkAppId", 1, 2 ** 32 - 1, "MissingParameter.SdkAppId", "InvalidParameter.SdkAppId");
  const raw = p.RoomId;
  if (raw === undefined || raw === "") throw missing("MissingParameter.RoomId", "RoomId");
  let room: RoomRef;
  if (stringRoom) {
    if (typeof raw !== "string" || !STR_ROOM_ID.test(raw)) throw invalid("InvalidParameter.StrRoomId", "RoomId", "a string room id", raw);
    room = roomRef(raw);
  } else {
    if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 1 || raw > 4294967294) throw invalid("InvalidParameter.RoomId", "RoomId", "an integer 1..4294967294", raw);
    room = roomRef(raw);
  }
  let userIds: string[] = [];
  if (withUsers) {
    if (p.UserIds === undefined) throw missing("MissingParameter.UserIds", "UserIds");
    userIds = stringList(p, "UserIds", "UserIds", 10);
    if (userIds.length === 0) throw invalid("InvalidParameter.UserIds", "UserIds", "1-10 UserIds", userIds);
  }
  return { sdkAppId, room, userIds };
}
