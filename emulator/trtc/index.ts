// The TRTC double: a TC3 API server playing trtc.tencentcloudapi.com (plus any extra services, e.g. KMS) over
// a room/recording simulator whose finished recordings are rendered with ffmpeg and written to COS.
import type { FaultInjector } from "../faults";
import { startTc3Server } from "../tc3/service";
import type { Tc3Call, Tc3Credential, Tc3ServiceDef } from "../tc3/types";
import { trtcService } from "./api";
import { ManualClock, type Clock } from "./clock";
import type { EventDispatcher } from "./events";
import { RateLimiter, type RateLimitOptions } from "./rate-limit";
import type { RecordingTask } from "./recording-task";
import type { Room } from "./room";
import { TrtcSimulator, type TrtcSimulatorOptions } from "./simulator";
import { cosStorageWriter, type StorageWriter } from "./storage-writer";

export interface TrtcDoubleOptions extends Omit<TrtcSimulatorOptions, "storage"> {
  /** TC3 key pairs the API accepts. */
  credentials: Tc3Credential[];
  /** The COS double recordings are written to (with the AccessKey/SecretKey of each CreateCloudRecording). */
  cos?: { hostPort: string };
  /** Any other writer (e.g. MemoryStorageWriter); wins over `cos`. One of the two is required. */
  storage?: StorageWriter;
  /** More services on the same server (dispatched by Host), e.g. the KMS double. */
  extraServices?: Tc3ServiceDef[];
  faults?: FaultInjector;
  /** TRTC's per-action frequency limits on the double's clock (RequestLimitExceeded). @default the documented limits; false: none */
  rateLimits?: RateLimitOptions | false;
}

export interface TrtcDouble {
  port: number;
  /** "127.0.0.1:<port>": give it to tc3AgentFor() or RECORDER_API_ENDPOINT_OVERRIDE. */
  hostPort: string;
  sim: TrtcSimulator;
  clock: Clock;
  events: EventDispatcher;
  /** Every authenticated API call, in arrival order (all services on this server). */
  calls: Tc3Call[];
  /** The frequency limiter (admitted/refused counts per action); undefined with `rateLimits: false`. */
  rateLimiter: RateLimiter | undefined;
  room(sdkAppId: number, roomId: number | string): Room;
  task(taskId: string): RecordingTask | undefined;
  tasks(): RecordingTask[];
  /** Moves a ManualClock forward (throws with any other clock). */
  advance(ms: number): Promise<void>;
  /** Waits until stopped tasks have uploaded and callbacks are delivered (or given up). */
  idle(): Promise<void>;
  /** Uploads files held back by `lateUploads` (each with a 310 Status 0) and delivers those callbacks. */
  releaseLateUploads(): Promise<void>;
  close(): Promise<void>;
}

export async function startTrtcDouble(opts: TrtcDoubleOptions): Promise<TrtcDouble> {
  const storage = opts.storage ?? (opts.cos ? cosStorageWriter(opts.cos) : undefined);
  if (!storage) throw new Error("startTrtcDouble: give `cos: { hostPort }` (the COS double) or `storage` (a StorageWriter)");
  const sim = new TrtcSimulator({ ...opts, storage });
  const rateLimiter = opts.rateLimits === false ? undefined : new RateLimiter(() => sim.clock.now(), opts.rateLimits);
  // Signatures are checked against wall time (the SDKs sign with it), whatever clock the rooms run on.
  const server = await startTc3Server({ credentials: opts.credentials, services: [trtcService(sim, rateLimiter), ...(opts.extraServices ?? [])], faults: opts.faults });
  return {
    port: server.port,
    hostPort: server.hostPort,
    sim,
    clock: sim.clock,
    events: sim.events,
    calls: server.calls,
    rateLimiter,
    room: (sdkAppId, roomId) => sim.room(sdkAppId, roomId),
    task: (taskId) => sim.task(taskId),
    tasks: () => [...sim.tasks.values()],
    async advance(ms) {
      if (!(sim.clock instanceof ManualClock)) throw new Error("TrtcDouble.advance: the double was not given a ManualClock (`clock: new ManualClock()`)");
      await sim.clock.advance(ms);
    },
    idle: () => sim.idle(),
    releaseLateUploads: () => sim.releaseLateUploads(),
    async close() {
      await server.close();
      await sim.close();
    },
  };
}

export { trtcService, TRTC_SERVICE, TRTC_VERSION } from "./api";
export { ManualClock, systemClock, type Clock } from "./clock";
export { EventDispatcher, type Delivery, type EmittedEvent, type EventChaos, type EventsTarget, type RetryPolicy } from "./events";
export { RateLimiter, TRTC_RATE_LIMITS, type ActionCount, type RateLimitOptions } from "./rate-limit";
export { gridRects, floatingRects, screenShareRects, type Rect } from "./layout";
export { mixedFileBase, objectKey, trtcBase64 } from "./naming";
export { LEAVE_CODE, RecordingTask, type TaskStatus, type UploadedFile } from "./recording-task";
export { ANCHOR, AUDIENCE, Room, type JoinOptions, type Role } from "./room";
export { TrtcSimulator, type TrtcApp, type TrtcSimulatorOptions } from "./simulator";
export { cosStorageWriter, MemoryStorageWriter, type StorageWriter, type StoredFile } from "./storage-writer";
export { verifyUserSig, USERSIG_ERROR_CODE, type UserSigVerdict } from "./usersig";
export { mintPrivateMapKey, mintUserSig } from "./usersig-mint";
export * from "./media-probe";
