// Recordings as the console shows them: started through the real route (POST /record through the local ingress),
// found again in the invocation log whoever started them (the console, the scenario, curl), their status read
// through the real route (GET /recordings/{id}), the roster as TRTC applies it (the task's current composition),
// delivery progress, the delivered files, the callback the sink received and a contact sheet.
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { FieldError } from "../../function/contract/errors";
import { parseRecordRequest } from "../../function/contract/request";
import type { ReceivedCallback } from "../../emulator/callback-sink";
import { isActive } from "../../emulator/trtc/timeline";
import { mintUserSig } from "../../emulator/trtc/usersig-mint";
import type { LocalCloud } from "../cloud";
import { writeContactSheet } from "../contact-sheet";
import type { MediaTools } from "../media-tools";
import { IngressClient } from "../scenario/ingress-client";
import { DELIVERY_PATH, deliveryBucket, RECORDER_USER_ID } from "../scenario/record-request";
import { parseCosUrl } from "../scenario/run";
import { CONSOLE_READ_QUERY } from "./console-read";


/** What the console form sends: the seed's fields as typed, plus how to fill the two secrets it never shows. */
export interface RecordingForm {
  SdkAppId?: unknown;
  RoomId?: unknown;
  StrRoomId?: unknown;
  UserId?: unknown;
  /** Left empty: minted for UserId by the local TRTC application (the key never leaves the server). */
  UserSig?: unknown;
  CosConfig?: { Region?: unknown; Bucket?: unknown; Path?: unknown; SecretId?: unknown; SecretKey?: unknown };
  /** "local": the local customer's keys are filled in; "none": no keys (the role's); "custom": as typed. @default "local" */
  cosKeys?: unknown;
  Callback?: unknown;
  Mode?: unknown;
  IsReserve?: unknown;
}

/** The form's defaults: the scenario's recorder user, the caller's bucket, the callback sink, Mode 12. */
export function formDefaults(cloud: LocalCloud, room: { kind: "int" | "str"; id: number | string } = { kind: "int", id: 1234 }): Record<string, unknown> {
  return {
    SdkAppId: String(cloud.trtcApp.sdkAppId),
    RoomId: room.kind === "int" ? String(room.id) : "",
    StrRoomId: room.kind === "str" ? String(room.id) : "",
    UserId: RECORDER_USER_ID,
    CosConfig: { Region: cloud.deployment.region, Bucket: deliveryBucket(cloud), Path: DELIVERY_PATH },
    cosKeys: "local",
    Callback: cloud.callbackSink.url,
    Mode: "12",
    IsReserve: true,
  };
}

const blank = (v: unknown) => v === undefined || v === null || v === "";

/** The POST /record body the form stands for (with secrets filled in server-side). */
export function requestBody(cloud: LocalCloud, form: RecordingForm): Record<string, unknown> {
  const cos = form.CosConfig ?? {};
  const keys = blank(form.cosKeys) ? "local" : form.cosKeys;
  const cosConfig: Record<string, unknown> = { Region: cos.Region, Bucket: cos.Bucket, Path: cos.Path };
  if (keys === "local") Object.assign(cosConfig, { SecretId: cloud.account.customer.secretId, SecretKey: cloud.account.customer.secretKey });
  else if (keys === "custom") Object.assign(cosConfig, { SecretId: cos.SecretId, SecretKey: cos.SecretKey });
  const body: Record<string, unknown> = { SdkAppId: form.SdkAppId, UserId: form.UserId, UserSig: form.UserSig, CosConfig: cosConfig, Callback: form.Callback, Mode: form.Mode, IsReserve: form.IsReserve };
  if (!blank(form.RoomId)) body.RoomId = typeof form.RoomId === "string" && /^\d+$/.test(form.RoomId) ? Number(form.RoomId) : form.RoomId;
  if (!blank(form.StrRoomId)) body.StrRoomId = form.StrRoomId;
  // Only a UserSig of the local application can be minted; any other SdkAppId keeps what was typed (or nothing).
  if (blank(form.UserSig) && String(form.SdkAppId) === String(cloud.trtcApp.sdkAppId) && typeof form.UserId === "string" && /^[A-Za-z0-9_-]{1,32}$/.test(form.UserId)) {
    body.UserSig = mintUserSig(cloud.trtcApp.sdkAppId, cloud.trtcApp.key, form.UserId);
  }
  return body;
}

/**
 * The callback hosts the deployed recorder allows: its synthesized RECORDER_CALLBACK_HOSTS plus the local cloud's
 * own sink, which the local cloud allow-lists for its functions (local/cloud.ts).
 */
function callbackHosts(cloud: LocalCloud): string[] {
  const configured = cloud.deployment.functions.flatMap((f) => (f.environment.RECORDER_CALLBACK_HOSTS ?? "").split(/[\s,]+/));
  return [...new Set([new URL(cloud.callbackSink.url).host, ...configured].map((h) => h.trim().toLowerCase()).filter(Boolean))];
}

// The contract's deployment options (callback allow-list) are passed when its version takes them; a version
// without options ignores the extra argument.
const parseWithPolicy = parseRecordRequest as (input: unknown, opts?: { callbackHosts?: readonly string[] }) => ReturnType<typeof parseRecordRequest>;

/** The recorder's own validation (function/contract/request.ts): the errors POST /record would record, word for word. */
export function validateForm(cloud: LocalCloud, form: RecordingForm): FieldError[] {
  const verdict = parseWithPolicy(requestBody(cloud, form), { callbackHosts: callbackHosts(cloud) });
  return verdict.ok ? [] : verdict.errors;
}

export interface DeliveredFileView {
  url: string;
  bucket: string;
  key: string;
  bytes: number;
  kind: "video" | "audio";
  /** Served by the admin API (Range requests supported, so players can seek). */
  href: string;
}

export interface TileView {
  userId: string;
  color: string;
  /** False when the tile holds a departed anchor's last frame (IsReserve). */
  live: boolean;
  rect: { x: number; y: number; width: number; height: number };
}

export interface RecordingView {
  id: string;
  startedBy: "console" | "elsewhere";
  /** The status record as GET /recordings/{id} answers it (undefined until read). */
  status?: Record<string, unknown>;
  /** STARTING | RUNNING | DELIVERING | FINISHED | FAILED, or "UNKNOWN" until the first read. */
  state: string;
  /** HTTP status of the last GET /recordings/{id} (404 right after the start, before the record exists). */
  readStatus?: number;
  room?: string;
  task?: {
    taskId: string;
    /** recording → exiting (rendering/uploading) → finished. */
    phase: string;
    trtcStatus: string;
    canvas: { width: number; height: number };
    /** What TRTC mixes now (or last mixed): which anchor holds which tile. */
    tiles: TileView[];
    voices: Array<{ userId: string; toneHz: number }>;
    /** Seconds of media so far (from the first received anchor). */
    recordedSeconds: number;
    leaveCode?: number;
  };
  delivery?: { cosWrites: number; parts: number; invocations?: number; lastError?: string };
  files: DeliveredFileView[];
  callback?: { at: number; status: number; body: unknown };
  contactSheetHref?: string;
}

interface Tracked {
  id: string;
  startedBy: RecordingView["startedBy"];
  trackedAt: number;
  status?: Record<string, unknown>;
  readStatus?: number;
  /** Consecutive 404s: a start that never created its status record is given up on (see GIVE_UP). */
  misses: number;
}

// A recording whose status record still does not exist after this many reads and this long is not read again
// (its start failed before the record was written; its invocation's logs say why).
const GIVE_UP = { misses: 5, afterMs: 60_000 };

const COS_WRITES = new Set(["PutObject", "PutObjectCopy", "UploadPart", "UploadPartCopy", "CompleteMultipartUpload"]);

function parseJson(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function isFinalState(state: string): boolean {
  return state === "FINISHED" || state === "FAILED";
}

export class Recordings {
  private readonly tracked = new Map<string, Tracked>();
  private readonly client: IngressClient;
  private readonly sheets = new Map<string, Promise<string>>();
  private scanned = 0;

  constructor(
    private readonly cloud: LocalCloud,
    private readonly tools: MediaTools,
    private readonly workDir: string,
    /** Told every secret the console fills in (minted UserSigs), so the log view masks them too. */
    private readonly onSecret: (value: string) => void = () => {},
  ) {
    this.client = new IngressClient(cloud);
  }

  /** POST /record through the real route. Invalid forms are refused with the API's errors unless `force`. */
  async start(form: RecordingForm, force = false): Promise<{ ok: true; recordingId: string; httpStatus: number; reply: string } | { ok: false; errors: FieldError[]; httpStatus?: number; reply?: string }> {
    const errors = validateForm(this.cloud, form);
    if (errors.length && !force) return { ok: false, errors };
    const body = requestBody(this.cloud, form);
    if (typeof body.UserSig === "string") this.onSecret(body.UserSig);
    const { reply, recordingId } = await this.client.startRecording(body);
    if (!recordingId || reply.status >= 300) {
      const refused = (reply.json as { errors?: FieldError[] } | undefined)?.errors;
      return { ok: false, errors: refused ?? errors, httpStatus: reply.status, reply: reply.text.slice(0, 2000) };
    }
    this.tracked.set(recordingId, { id: recordingId, startedBy: "console", trackedAt: Date.now(), misses: 0 });
    return { ok: true, recordingId, httpStatus: reply.status, reply: reply.text.slice(0, 2000) };
  }

  /** DELETE /recordings/{id} through the real route. */
  async stop(id: string): Promise<{ httpStatus: number; body: unknown }> {
    const reply = await this.client.stop(id);
    return { httpStatus: reply.status, body: reply.json ?? reply.text };
  }

  /** Ids of recordings started anywhere: POST /record invocations (API Gateway) or recorder-api's 202 (function URL). */
  discover(): void {
    const records = this.cloud.runtime.log.records;
    for (; this.scanned < records.length; this.scanned++) {
      const r = records[this.scanned];
      const event = parseJson(r.event);
      if (r.trigger === "apigw" && event.httpMethod === "POST" && typeof event.path === "string" && /\/record\/?$/.test(event.path)) this.track(r.requestId);
    }
    for (const r of records) {
      if (r.trigger !== "function-url" || r.status !== 200) continue;
      const result = (r.result ?? {}) as { statusCode?: unknown; body?: unknown };
      const id = result.statusCode === 202 && typeof result.body === "string" ? parseJson(result.body).recordingId : undefined;
      if (typeof id === "string") this.track(id);
    }
  }

  ids(): string[] {
    this.discover();
    return [...this.tracked.keys()];
  }

  has(id: string): boolean {
    this.discover();
    return this.tracked.has(id);
  }

  /** Ids whose status may still change. */
  unfinished(): string[] {
    return this.ids().filter((id) => {
      const t = this.tracked.get(id) as Tracked;
      const abandoned = t.status === undefined && t.misses >= GIVE_UP.misses && Date.now() - t.trackedAt > GIVE_UP.afterMs;
      return !abandoned && !isFinalState(this.stateOf(t));
    });
  }

  /** Reads GET /recordings/{id} through the ingress (marked as the console's read). */
  async refresh(id: string): Promise<void> {
    const t = this.tracked.get(id);
    if (!t) return;
    const reply = await this.client.request("GET", `/recordings/${encodeURIComponent(id)}?${CONSOLE_READ_QUERY}`);
    t.readStatus = reply.status;
    t.misses = reply.status === 404 ? t.misses + 1 : 0;
    if (reply.status === 200 && reply.json && typeof reply.json === "object") t.status = reply.json as Record<string, unknown>;
  }

  view(id: string): RecordingView | undefined {
    const t = this.tracked.get(id);
    if (!t) return undefined;
    const s = t.status;
    const spec = (s?.spec ?? {}) as { room?: { kind: string; roomId?: number; strRoomId?: string } };
    const room = spec.room ? (spec.room.kind === "int" ? String(spec.room.roomId) : `str:${spec.room.strRoomId}`) : undefined;
    const files = this.files(t);
    const view: RecordingView = { id, startedBy: t.startedBy, status: s, state: this.stateOf(t), readStatus: t.readStatus, room, files };
    const taskId = (s?.engine as { taskId?: string } | undefined)?.taskId;
    const task = taskId ? this.cloud.trtc.task(taskId) : undefined;
    if (task && taskId) {
      const segments = task.timeline();
      // While recording: what is mixed now. Once stopped: the last stretch with media, because everyone leaving
      // at one instant (a dismissal) leaves only empty or zero-length segments after it.
      const pool = task.phase === "recording" ? segments : segments.filter((g) => isActive(g) && g.toMs > g.fromMs);
      const last = pool[pool.length - 1] ?? segments[segments.length - 1];
      const firstActive = segments.find(isActive);
      const end = task.stoppedAtMs ?? this.cloud.trtc.clock.now();
      view.task = {
        taskId,
        phase: task.phase,
        trtcStatus: task.status(),
        canvas: { width: task.request.video.width, height: task.request.video.height },
        tiles: (last?.tiles ?? []).map((x) => ({ userId: x.userId, color: x.color, live: x.live, rect: { x: x.rect.x, y: x.rect.y, width: x.rect.w, height: x.rect.h } })),
        voices: last?.voices ?? [],
        recordedSeconds: firstActive ? Math.max(0, (end - firstActive.fromMs) / 1000) : 0,
        leaveCode: task.leaveCode,
      };
    }
    const target = s?.target as { bucket?: string; key?: string } | undefined;
    if (target?.bucket && target.key) {
      const writes = this.cloud.cos.requests.filter((q) => q.host.startsWith(`${target.bucket}.`) && q.path === `/${target.key}` && q.operation !== undefined && COS_WRITES.has(q.operation) && q.status >= 200 && q.status < 300);
      const delivery = (s?.delivery ?? {}) as { invocations?: number; lastError?: string };
      view.delivery = { cosWrites: writes.length, parts: writes.filter((q) => q.operation === "UploadPart" || q.operation === "UploadPartCopy").length, invocations: delivery.invocations, lastError: delivery.lastError };
    }
    const callback = this.callbackOf(t);
    if (callback) view.callback = { at: callback.at, status: callback.status, body: callback.json ?? callback.body };
    if (files.length) view.contactSheetHref = `/api/recordings/${encodeURIComponent(id)}/contact-sheet.png`;
    return view;
  }

  views(): RecordingView[] {
    return this.ids()
      .map((id) => this.view(id))
      .filter((v): v is RecordingView => v !== undefined)
      .reverse();
  }

  /** The bytes of a delivered file, read straight from the COS double. */
  fileBytes(id: string, index: number): { data: Buffer; file: DeliveredFileView } | undefined {
    const t = this.tracked.get(id);
    const file = t ? this.files(t)[index] : undefined;
    const data = file ? this.cloud.cos.getObjectDirect(file.bucket, file.key) : undefined;
    return file && data ? { data, file } : undefined;
  }

  /** A PNG contact sheet of the first delivered file (frames, or a spectrogram for MP3), made once. */
  contactSheet(id: string): Promise<string> | undefined {
    const got = this.fileBytes(id, 0);
    if (!got) return undefined;
    let sheet = this.sheets.get(id);
    if (!sheet) {
      const dir = join(this.workDir, id.replace(/[^A-Za-z0-9_-]/g, "_"));
      mkdirSync(dir, { recursive: true });
      const media = join(dir, basename(got.file.key));
      writeFileSync(media, got.data);
      sheet = writeContactSheet(media, join(dir, "contact-sheet.png"), this.tools).then((c) => c.path);
      sheet.catch(() => this.sheets.delete(id));
      this.sheets.set(id, sheet);
    }
    return sheet;
  }

  private track(id: string): void {
    if (!this.tracked.has(id)) this.tracked.set(id, { id, startedBy: "elsewhere", trackedAt: Date.now(), misses: 0 });
  }

  private stateOf(t: Tracked): string {
    return typeof t.status?.status === "string" ? t.status.status : "UNKNOWN";
  }

  private files(t: Tracked): DeliveredFileView[] {
    const result = t.status?.result as { Files?: Array<{ RecordFile?: string; Status?: number }> } | undefined;
    const out: DeliveredFileView[] = [];
    for (const f of result?.Files ?? []) {
      if (f.Status !== 1 || !f.RecordFile) continue;
      const { bucket, key } = parseCosUrl(f.RecordFile);
      const stat = this.cloud.cos.statObjectDirect(bucket, key);
      if (!stat) continue;
      out.push({ url: f.RecordFile, bucket, key, bytes: stat.body.length, kind: key.endsWith(".mp3") ? "audio" : "video", href: `/api/recordings/${encodeURIComponent(t.id)}/files/${out.length}` });
    }
    return out;
  }

  /** The accepted callback carrying this recording's result (the sink keeps every attempt). */
  private callbackOf(t: Tracked): ReceivedCallback | undefined {
    const result = t.status?.result;
    if (!result) return undefined;
    const want = JSON.stringify(result);
    const accepted = this.cloud.callbackSink.received.filter((c) => c.status === 200);
    return accepted.find((c) => JSON.stringify(c.json) === want) ?? accepted.find((c) => {
      const files = (c.json as { Files?: Array<{ RecordFile?: string }> } | undefined)?.Files ?? [];
      const ours = (result as { Files?: Array<{ RecordFile?: string }> }).Files ?? [];
      return files.some((f) => f.RecordFile && ours.some((o) => o.RecordFile === f.RecordFile));
    });
  }
}
