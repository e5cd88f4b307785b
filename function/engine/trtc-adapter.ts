// RecordingEngine on TRTC cloud recording (CreateCloudRecording / DescribeCloudRecording / DeleteCloudRecording).
// Only the trtc service entry of the SDK is imported: bundle size is a product metric.
import { trtc } from "tencentcloud-sdk-nodejs/tencentcloud/services/trtc";
import type { ClientConfig } from "tencentcloud-sdk-nodejs/tencentcloud/common/interface";
import type { CreateCloudRecordingRequest, ModifyCloudRecordingRequest } from "tencentcloud-sdk-nodejs/tencentcloud/services/trtc/v20190722/trtc_models";
import type { Mode } from "../contract/request";
import type { Canvas } from "../roster/layout";
import type { MixPlan } from "../roster/plan";
import type { DescribeOutcome, EngineFailure, ModifyOutcome, RecordingEngine, StartInput, TaskState } from "./port";

type TrtcClient = InstanceType<typeof trtc.v20190722.Client>;

/** TRTC stops the task by itself after this many seconds without an anchor: the seed's room-dismissal rule. */
export const MAX_IDLE_SECONDS = 300;

// Mode → what TRTC records and in which container. AAC (4) is transcoded to MP3 by delivery; MP4 (3) is kept.
const MODE_OUTPUT: Record<Mode, { StreamType: number; OutputFormat: number }> = {
  "10": { StreamType: 1, OutputFormat: 4 },
  "11": { StreamType: 2, OutputFormat: 3 },
  "12": { StreamType: 0, OutputFormat: 3 },
};

/**
 * The mixed picture: 16:9 landscape, so the roster's 3x2 grid of six has tiles of a camera's shape (TRTC's default
 * canvas is 360x640 portrait). 15 fps and the audio settings are TRTC's defaults; if MixTranscodeParams is sent at
 * all, every field is required.
 */
export const MIX_CANVAS: Canvas = { width: 1280, height: 720 };
const MIX_TRANSCODE = {
  VideoParams: { Width: MIX_CANVAS.width, Height: MIX_CANVAS.height, Fps: 15, BitRate: 1_000_000, Gop: 10 },
  AudioParams: { SampleRate: 1, Channel: 2, BitRate: 64_000 },
};

// A prefix wildcard with an empty prefix: every UserId. Sent instead of an empty list so "everyone" never depends
// on how an empty allow list is read.
const EVERYONE = ".*$";

/**
 * ModifyCloudRecording for a roster plan. TRTC replaces the layout and the subscriptions together, so both are
 * always sent: a custom layout naming each tile's UserId, and allow lists holding exactly the tile owners. With no
 * tile owner, TRTC's grid and everyone: nobody to keep out, and the next anchor appears at once.
 */
export function modifyRecordingRequest(sdkAppId: number, taskId: string, plan: MixPlan): ModifyCloudRecordingRequest {
  if (plan.tiles.length === 0) {
    return { SdkAppId: sdkAppId, TaskId: taskId, MixLayoutParams: { MixLayoutMode: 3 }, SubscribeStreamUserIds: { SubscribeAudioUserIds: [EVERYONE], SubscribeVideoUserIds: [EVERYONE] } };
  }
  return {
    SdkAppId: sdkAppId,
    TaskId: taskId,
    MixLayoutParams: customLayout(plan),
    SubscribeStreamUserIds: { SubscribeAudioUserIds: [...plan.audioUserIds], SubscribeVideoUserIds: [...plan.videoUserIds] },
  };
}

/** The CreateCloudRecording request for a start (exported so tests can read the mapping without a server). */
export function createRecordingRequest(input: StartInput): CreateCloudRecordingRequest {
  const room = input.room;
  return {
    SdkAppId: input.sdkAppId,
    RoomId: room.kind === "int" ? String(room.roomId) : room.strRoomId,
    RoomIdType: room.kind === "int" ? 1 : 0,
    UserId: input.userId,
    UserSig: input.userSig,
    RecordParams: { RecordMode: 2, MaxIdleTime: MAX_IDLE_SECONDS, ...MODE_OUTPUT[input.mode], ...withSubscription(initialSubscription(input)) },
    StorageParams: {
      CloudStorage: {
        Vendor: 0,
        Region: input.storage.region,
        Bucket: input.storage.bucket,
        AccessKey: input.storage.accessKey,
        SecretKey: input.storage.secretKey,
        FileNamePrefix: input.storage.fileNamePrefix,
      },
    },
    MixTranscodeParams: MIX_TRANSCODE,
    MixLayoutParams: initialLayout(input),
  };
}

/**
 * The layout and subscriptions a task starts with (roster/initial-plan.ts), so the rules hold from the first frame:
 * the roster's tiles and allow lists; or "nobody", an allow list naming only the robot itself (it never publishes,
 * and TRTC's file starts with the first subscribed anchor); or TRTC's nine-grid of everyone.
 */
function initialLayout(input: StartInput): NonNullable<CreateCloudRecordingRequest["MixLayoutParams"]> {
  const mix = input.initialMix;
  return mix !== undefined && mix !== "nobody" && mix.tiles.length > 0 ? customLayout(mix) : { MixLayoutMode: 3 };
}

function initialSubscription(input: StartInput): NonNullable<CreateCloudRecordingRequest["RecordParams"]["SubscribeStreamUserIds"]> | undefined {
  const mix = input.initialMix;
  if (mix === undefined) return undefined;
  if (mix === "nobody") return { SubscribeAudioUserIds: [input.userId], SubscribeVideoUserIds: [input.userId] };
  if (mix.tiles.length === 0) return undefined;
  return { SubscribeAudioUserIds: [...mix.audioUserIds], SubscribeVideoUserIds: [...mix.videoUserIds] };
}

function withSubscription(sub: ReturnType<typeof initialSubscription>): { SubscribeStreamUserIds?: NonNullable<ReturnType<typeof initialSubscription>> } {
  return sub ? { SubscribeStreamUserIds: sub } : {};
}

function customLayout(plan: MixPlan): NonNullable<ModifyCloudRecordingRequest["MixLayoutParams"]> {
  return { MixLayoutMode: 4, MixLayoutList: plan.tiles.map((t) => ({ UserId: t.userId, Left: t.rect.x, Top: t.rect.y, Width: t.rect.w, Height: t.rect.h })) };
}

interface SdkErrorLike {
  code?: unknown;
  message?: unknown;
  httpCode?: unknown;
}

function failure(err: unknown): EngineFailure {
  const e: SdkErrorLike = typeof err === "object" && err !== null ? (err as SdkErrorLike) : {};
  const message = typeof e.message === "string" ? e.message : String(err);
  if (typeof e.code === "string" && e.code !== "") {
    const retryable = /^(InternalError|RequestLimitExceeded|ResourceUnavailable)/.test(e.code);
    return { ok: false, code: e.code, message, retryable };
  }
  if (typeof e.httpCode === "number") return { ok: false, code: "HttpError", message, retryable: e.httpCode >= 500 || e.httpCode === 429 };
  return { ok: false, code: "NetworkError", message, retryable: true };
}

// DescribeCloudRecording "works only while a task is in progress; after it ended an error is returned" (API doc).
// The codes seen for an unknown/ended task name the task; they mean "gone", not "failed".
function isTaskGone(f: EngineFailure): boolean {
  return /TaskNotExist|NotExist|NotFound|^InvalidParameter\.TaskId$/i.test(f.code);
}

// FailedOperation.TaskFinished: "task has ended when calling the interface" (TRTC error codes). For Delete and
// Modify that is success enough (the task is over; delivery follows); for Describe it means "ended", not "gone":
// the upload may still be running, so delivery keeps waiting for gone or the exit grace.
function isTaskFinished(f: EngineFailure): boolean {
  return f.code === "FailedOperation.TaskFinished";
}

function taskState(status: string | undefined): TaskState {
  if (status === "Idle") return "idle";
  if (status === "InProgress") return "in-progress";
  return "exited";
}

export function createTrtcEngine(config: ClientConfig): RecordingEngine {
  const client: TrtcClient = new trtc.v20190722.Client(config);
  return {
    name: "trtc-cloud-recording",
    async start(input) {
      try {
        const out = await client.CreateCloudRecording(createRecordingRequest(input));
        if (!out.TaskId) return { ok: false, code: "NoTaskId", message: "CreateCloudRecording returned no TaskId", retryable: false };
        return { ok: true, taskId: out.TaskId };
      } catch (err) {
        return failure(err);
      }
    },
    async describe(sdkAppId, taskId): Promise<DescribeOutcome> {
      try {
        const out = await client.DescribeCloudRecording({ SdkAppId: sdkAppId, TaskId: taskId });
        const files = (out.StorageFileList ?? [])
          .filter((f) => typeof f.FileName === "string" && f.FileName !== "")
          .map((f) => ({ fileName: f.FileName as string, trackType: f.TrackType, beginTimeMs: f.BeginTimeStamp }));
        return { ok: true, state: taskState(out.Status), files };
      } catch (err) {
        const f = failure(err);
        if (isTaskFinished(f)) return { ok: true, state: "exited", files: [] };
        return isTaskGone(f) ? { ok: true, state: "gone", files: [] } : f;
      }
    },
    async stop(sdkAppId, taskId) {
      try {
        await client.DeleteCloudRecording({ SdkAppId: sdkAppId, TaskId: taskId });
        return { ok: true, alreadyGone: false };
      } catch (err) {
        const f = failure(err);
        return isTaskGone(f) || isTaskFinished(f) ? { ok: true, alreadyGone: true } : f;
      }
    },
    mixCanvas: MIX_CANVAS,
    async modify(sdkAppId, taskId, plan): Promise<ModifyOutcome> {
      try {
        await client.ModifyCloudRecording(modifyRecordingRequest(sdkAppId, taskId, plan));
        return { ok: true, gone: false };
      } catch (err) {
        const f = failure(err);
        return isTaskGone(f) || isTaskFinished(f) ? { ok: true, gone: true } : f;
      }
    },
    outputPrefix(storage, taskId) {
      // CloudStorage: files land at <prefix1>/<prefix2>/.../<TaskId>/<file> (API reference).
      return [...storage.fileNamePrefix, taskId, ""].join("/");
    },
  };
}
