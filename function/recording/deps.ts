// Everything the recorder needs from the outside world, passed in. Production builds it in function/wiring.ts;
// tests build it with doubles (integration) or small fakes of these ports (unit).
import type COS from "cos-nodejs-sdk-v5";
import type { SecurityPolicy } from "../auth/policy";
import type { CallbackPolicy, FetchLike } from "../callback/post-result";
import type { DeliveryDeps, DeliveryJob, DeliveryOutcome } from "../delivery/types";
import type { RecordingEngine } from "../engine/port";
import type { InternalMessage } from "../events/internal";
import type { Logger } from "../log/logger";
import type { RoomEventHook } from "../roster/on-room-event";
import type { KmsPort } from "../secrets/envelope";
import type { RuntimeSecrets } from "../secrets/runtime-secrets";
import type { StateStore } from "../state/store";
import type { PaceTuning } from "./api-pacer";
import type { WatchdogTuning } from "./watchdog-tuning";

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Asynchronous self-invocation of the `recorder` function (SCF Invoke, InvocationType "Event"). */
export interface Invoker {
  invokeRecorder(message: InternalMessage): Promise<void>;
}

/** Builds COS clients: the role's temporary credentials, or explicit keys (the caller's). */
export interface CosFactory {
  forRole(): COS;
  forKeys(secretId: string, secretKey: string): COS;
}

/** The delivery stage (function/delivery/deliver.ts), injected so tests can script its outcomes. */
export type DeliverFn = (job: DeliveryJob, deps: DeliveryDeps) => Promise<DeliveryOutcome>;

/** Per-invocation facts from the SCF context. */
export interface InvocationContext {
  /** SCF request id: for a start through API Gateway, the recording id. */
  requestId: string;
  /** Milliseconds left before the platform kills this invocation. */
  remainingMs(): number;
}

export interface RecorderConfig {
  /** Envelope key for the caller's COS keys (RECORDER_KMS_KEY_ID). */
  kmsKeyId: string;
  /** Deployment-owned staging bucket for callers without COS keys (RECORDER_STAGING_BUCKET/REGION). */
  staging?: { bucket: string; region: string };
  ffmpegPath: string;
  /** Work-dir candidates in order of preference (CFS_PATH/work, then /tmp/recorder-work). */
  workRoots: string[];
  /** A work root needs at least this much free space. @default 256 MiB */
  minFreeBytes: number;
  /** After TRTC reports the task exiting, wait this long for its upload before delivering. @default 120 s */
  exitGraceMs: number;
  /** With no media in staging after the exit, keep waiting this long before failing "record failed". @default 600 s */
  noMediaGraceMs: number;
  /**
   * A file TRTC reported as still on its own server (310 Status 1) is waited for this long after the exit before
   * the recording fails "record failed" with staging kept (never delivered without it). @default 3600 s
   */
  lateUploadGraceMs: number;
  /** A STARTING record older than this lost its start invocation. @default 300 s */
  startStaleMs: number;
  /**
   * How long a start keeps retrying CreateCloudRecording while TRTC answers RequestLimitExceeded (a burst of starts
   * over its 20/s), never past `startStaleMs` − 60 s; then the start fails as retryable (start-throttle.ts). @default 120 s
   */
  startThrottleBudgetMs?: number;
  /** Leave this much of an invocation's time unused by delivery (callback, saves). @default 20 % clamped to 15..120 s */
  safetyMarginMs?: number;
  /** Watchdog re-kicks of a stalled delivery before it is failed. @default 5 */
  maxDeliveryRekicks: number;
  /** Who may start what, where callbacks and deliveries may go (function/auth/policy.ts). @default DEFAULT_SECURITY */
  security?: SecurityPolicy;
  /** Watchdog schedule and TRTC pacing (watchdog-tuning.ts). @default DEFAULT_WATCHDOG */
  watchdog?: Partial<Omit<WatchdogTuning, "pace">> & { pace?: Partial<PaceTuning> };
}

export const DEFAULT_CONFIG: Omit<RecorderConfig, "kmsKeyId" | "ffmpegPath" | "workRoots"> = {
  minFreeBytes: 256 * 1024 * 1024,
  exitGraceMs: 120_000,
  noMediaGraceMs: 600_000,
  lateUploadGraceMs: 3_600_000,
  startStaleMs: 300_000,
  maxDeliveryRekicks: 5,
};

export interface RecorderDeps {
  engine: RecordingEngine;
  state: StateStore;
  secrets: RuntimeSecrets;
  kms: KmsPort;
  invoker: Invoker;
  cosFactory: CosFactory;
  callback: { fetch: FetchLike; policy?: CallbackPolicy };
  deliver: DeliverFn;
  clock: Clock;
  log: Logger;
  config: RecorderConfig;
  /** What happens with a room event (101-106) besides being logged. @default record only */
  onRoomEvent?: RoomEventHook;
}
