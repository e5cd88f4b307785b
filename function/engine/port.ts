// The recording engine port: the seam between "what the recorder decides" and "who joins the room and mixes".
// Today's adapter is TRTC cloud recording (trtc-adapter.ts); an engine on the native Linux SDK could be added
// without touching the rest. Failures are values, so callers decide (retry, fail the record) explicitly.
import type { Mode, RoomRef } from "../contract/request";
import type { Canvas } from "../roster/layout";
import type { MixPlan } from "../roster/plan";

/** Where the engine writes its raw output. Keys are long-lived (TRTC keeps them for the whole task). */
export interface StagingStorage {
  bucket: string;
  region: string;
  /** Path segments the output goes under; the engine appends its own per-task folder. */
  fileNamePrefix: string[];
  accessKey: string;
  secretKey: string;
}

export interface StartInput {
  sdkAppId: number;
  room: RoomRef;
  /** The recording robot's identity: the caller's UserId/UserSig, as the seed used them. */
  userId: string;
  userSig: string;
  mode: Mode;
  storage: StagingStorage;
  /**
   * The mix to start with (roster/initial-plan.ts): the roster's plan, "nobody" (subscribe no one until the roster
   * names the first anchor), or absent for the engine's own default layout of everyone.
   */
  initialMix?: MixPlan | "nobody";
}

export interface EngineFailure {
  ok: false;
  /** The service's error code (e.g. `InvalidParameter.UserSig`), or "NetworkError"/"HttpError". */
  code: string;
  message: string;
  /** True for failures worth trying again (network, 5xx, rate limits). */
  retryable: boolean;
}

/** idle: waiting for streams; in-progress: recording; exited: stopping/uploading; gone: the engine no longer knows the task. */
export type TaskState = "idle" | "in-progress" | "exited" | "gone";

export interface TaskFile {
  fileName: string;
  trackType?: string;
  beginTimeMs?: number;
}

export type StartOutcome = { ok: true; taskId: string } | EngineFailure;
export type DescribeOutcome = { ok: true; state: TaskState; files: TaskFile[] } | EngineFailure;
export type StopOutcome = { ok: true; alreadyGone: boolean } | EngineFailure;
/** `gone`: the task no longer exists (it ended), so there was nothing left to change. */
export type ModifyOutcome = { ok: true; gone: boolean } | EngineFailure;

export interface RecordingEngine {
  /** Shown in the status record. */
  readonly name: string;
  start(input: StartInput): Promise<StartOutcome>;
  describe(sdkAppId: number, taskId: string): Promise<DescribeOutcome>;
  stop(sdkAppId: number, taskId: string): Promise<StopOutcome>;
  /** The mixed picture's size: the roster lays its tiles out on it. */
  readonly mixCanvas: Canvas;
  /** Applies the roster's mix (who is seen and heard, and where) to a running task, from now on. */
  modify(sdkAppId: number, taskId: string, plan: MixPlan): Promise<ModifyOutcome>;
  /** The key prefix under which this task's output objects appear in the staging bucket (ends with "/"). */
  outputPrefix(storage: Pick<StagingStorage, "fileNamePrefix">, taskId: string): string;
}
