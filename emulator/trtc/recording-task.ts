// One CreateCloudRecording task: its robot in the room, its configuration history, how it stops (API, kick,
// dismissal, MaxIdleTime, same-UserId re-entry) and what it leaves behind. Nothing is mixed live: when the task
// stops, the whole timeline is rendered once and uploaded, with the recording callbacks a real task sends.
import { join } from "node:path";
import type { Clock } from "./clock";
import type { RecordingEventType } from "./event-body";
import type { Mixer } from "./mixer";
import { objectKey } from "./naming";
import { renderOutputs, type OutputFile } from "./recording-output";
import type { LayoutConfig, RecordingRequest } from "./recording-params";
import type { ExitCause, Room } from "./room";
import type { StorageWriter } from "./storage-writer";
import type { SubscribeLists } from "./subscription";
import { composeSegments, isActive, recordedSpan, type ConfigSnapshot, type Segment } from "./timeline";

export type TaskStatus = "Idle" | "InProgress" | "Exited";
export type TaskPhase = "recording" | "exiting" | "finished";

/** Payload.LeaveCode of event 302. */
export const LEAVE_CODE = { api: 0, removed: 1, dismissed: 2, idle: 99, replaced: 101 } as const;

const LEAVE_CODE_BY_CAUSE: Record<ExitCause, number> = { left: LEAVE_CODE.api, timeout: 3, removed: LEAVE_CODE.removed, dismissed: LEAVE_CODE.dismissed, replaced: LEAVE_CODE.replaced };

export interface UploadedFile {
  fileName: string;
  key: string;
  trackType: OutputFile["trackType"];
  kind: OutputFile["kind"];
  startMs: number;
  endMs: number;
}

export interface TaskDeps {
  clock: Clock;
  room: Room;
  mixer: Mixer;
  ffmpegPath: string;
  storage: StorageWriter;
  /** Parent of the task's scratch directory. */
  workRoot: string;
  /** Publishes a recording callback for this task (the simulator adds routing and the body's common fields). */
  emit(type: RecordingEventType, atMs: number, payload: Record<string, unknown>): void;
  /** Test override for MaxMediaFileDuration, in seconds. */
  splitEverySeconds?: number;
  /** Files TRTC keeps on its own server at first and uploads later (see TrtcSimulatorOptions.lateUploads). */
  lateUploads?: (fileName: string) => boolean;
  /** How long after a ModifyCloudRecording call its layout and subscriptions reach the mix. @default 0 */
  modifyLatencyMs?: number;
}

export class RecordingTask {
  readonly createdAtMs: number;
  /** Layout and subscription in force from each moment on: creation, then every ModifyCloudRecording. */
  readonly configs: ConfigSnapshot[];
  phase: TaskPhase = "recording";
  stoppedAtMs: number | undefined;
  leaveCode: number | undefined;
  finishedAtMs: number | undefined;
  /** Files written to the bucket, in upload order. */
  readonly uploaded: UploadedFile[] = [];
  /** Set when rendering or an upload failed. */
  error: string | undefined;
  /** Resolves when the task has rendered, uploaded and sent its last callback (never rejects). */
  readonly finished: Promise<void>;
  private resolveFinished: () => void = () => {};
  private cancelIdle: (() => void) | undefined;
  /** MP4/AAC files still on "TRTC's server": reported with a 310 Status 1, uploaded by releaseLateUploads(). */
  private readonly held: OutputFile[] = [];
  private begun = false;
  private started = false;

  constructor(
    readonly taskId: string,
    readonly request: RecordingRequest,
    private readonly deps: TaskDeps,
  ) {
    this.createdAtMs = deps.clock.now();
    this.configs = [{ atMs: this.createdAtMs, layout: request.layout, subscribe: request.subscribe }];
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  /** The robot enters the room and the recorder module reports itself started (301). */
  start(): void {
    this.deps.room.joinRobot(this.request.robotUserId);
    this.started = true;
    this.deps.emit(301, this.deps.clock.now(), { Status: 0 });
    this.onRoomChange();
  }

  /** Its robot is in the room and it records (room changes concern it). */
  get live(): boolean {
    return this.started && this.phase === "recording";
  }

  get robotUserId(): string {
    return this.request.robotUserId;
  }

  /** Describe's Status: Idle while no anchor is in the room (MaxIdleTime counting), InProgress otherwise. */
  status(): TaskStatus {
    if (this.phase !== "recording") return "Exited";
    return this.deps.room.anchorIds().length > 0 ? "InProgress" : "Idle";
  }

  /** The composition over the task's life so far (or until it stopped). */
  timeline(): Segment[] {
    return this.compose(this.stoppedAtMs ?? this.deps.clock.now());
  }

  /**
   * A Modify reaches the mix one round trip after the call (`modifyLatencyMs`): until then TRTC keeps mixing with
   * what was in force. What a task is created with is in force from its first frame.
   */
  modify(layout: LayoutConfig, subscribe: SubscribeLists): void {
    const last = this.configs[this.configs.length - 1];
    const atMs = Math.max(this.deps.clock.now() + (this.deps.modifyLatencyMs ?? 0), last.atMs);
    this.configs.push({ atMs, layout, subscribe });
    if (atMs > this.deps.clock.now()) this.deps.clock.setTimer(atMs, () => this.onRoomChange());
    this.onRoomChange();
  }

  /** Room membership changed: (re)arm or cancel the MaxIdleTime countdown, note the first received stream. */
  onRoomChange(): void {
    if (this.phase !== "recording") return;
    const now = this.deps.clock.now();
    if (!this.begun && this.compose(now + 1).some(isActive)) {
      this.begun = true;
      this.deps.emit(303, now, { Status: 0 });
    }
    const anchors = this.deps.room.anchorIds().length;
    if (anchors > 0) {
      this.cancelIdle?.();
      this.cancelIdle = undefined;
    } else if (!this.cancelIdle) {
      this.cancelIdle = this.deps.clock.setTimer(now + this.request.maxIdleSeconds * 1000, () => {
        this.cancelIdle = undefined;
        this.stop(LEAVE_CODE.idle);
      });
    }
  }

  /** The robot's presence ended for `cause` (kicked, room dismissed, replaced by a same-UserId login). */
  onRobotGone(cause: ExitCause): void {
    this.stop(LEAVE_CODE_BY_CAUSE[cause]);
  }

  /** Stops recording (idempotent): the robot leaves, 302 is sent, rendering and upload start. */
  stop(leaveCode: number): void {
    if (this.phase !== "recording") return;
    const now = this.deps.clock.now();
    this.phase = "exiting";
    this.stoppedAtMs = now;
    this.leaveCode = leaveCode;
    this.cancelIdle?.();
    this.cancelIdle = undefined;
    if (this.deps.room.has(this.robotUserId) && this.deps.room.isRobot(this.robotUserId)) this.deps.room.leave(this.robotUserId);
    this.deps.emit(302, now, { LeaveCode: leaveCode });
    void this.finish().finally(() => {
      this.phase = "finished";
      this.finishedAtMs = this.deps.clock.now();
      this.resolveFinished();
    });
  }

  private compose(untilMs: number): Segment[] {
    const req = this.request;
    return composeSegments({
      presence: this.deps.room.history(),
      configs: this.configs,
      streamType: req.streamType,
      fillType: req.fillType,
      canvas: { width: req.video.width, height: req.video.height },
      fromMs: this.createdAtMs,
      toMs: Math.max(untilMs, this.createdAtMs + 1),
    });
  }

  private async upload(file: OutputFile): Promise<boolean> {
    const key = objectKey(this.request.storage.prefix, this.taskId, file.fileName);
    try {
      await this.deps.storage.put(this.request.storage, key, file.localPath);
      this.uploaded.push({ fileName: file.fileName, key, trackType: file.trackType, kind: file.kind, startMs: file.startMs, endMs: file.endMs });
      return true;
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      this.error = `upload of ${key} failed: ${String(err.code ?? "")} ${String(err.message ?? e)}`;
      this.deps.emit(308, this.deps.clock.now(), { Code: String(err.code ?? "UploadFailed"), Message: String(err.message ?? e) });
      return false;
    }
  }

  /**
   * Order as observed on the real service: 302 (stop) → HLS uploaded → 305 (upload stopped) → MP4/AAC produced
   * and uploaded → 310. So at 305 an mp4-only recording's file may not be in the bucket yet; 310 lists it.
   */
  private async finish(): Promise<void> {
    const span = recordedSpan(this.compose(this.stoppedAtMs ?? this.deps.clock.now()));
    if (!span) {
      this.deps.emit(305, this.deps.clock.now(), { Status: 0 });
      return;
    }
    let outputs;
    try {
      outputs = await renderOutputs(this.request, span, {
        mixer: this.deps.mixer,
        ffmpegPath: this.deps.ffmpegPath,
        workDir: join(this.deps.workRoot, this.taskId.replace(/[^A-Za-z0-9_-]/g, "_")),
        splitEverySeconds: this.deps.splitEverySeconds,
      });
    } catch (e) {
      this.error = `render failed: ${e instanceof Error ? e.message : String(e)}`;
      this.deps.emit(305, this.deps.clock.now(), { Status: 1 });
      // 310 Status 2: "the MP4 task failed" (formats that produce mp4/aac files).
      if (this.request.outputFormat !== 0) this.deps.emit(310, this.deps.clock.now(), { Status: 2, FileList: [], FileMessage: [] });
      return;
    }
    let hlsOk = true;
    for (const f of outputs.hls) hlsOk = (await this.upload(f)) && hlsOk;
    const index = outputs.hls.find((f) => f.kind === "hls-index");
    if (index && hlsOk) {
      this.deps.emit(307, this.deps.clock.now(), { FileName: index.fileName, UserId: "", TrackType: index.trackType, BeginTimeStamp: span.beginMs });
      this.deps.emit(304, this.deps.clock.now(), { FileList: index.fileName });
    }
    this.deps.emit(305, this.deps.clock.now(), { Status: hlsOk ? 0 : 1 });
    // One 310 per file ("a recording task may call back multiple 310 events, each corresponding to a recorded
    // file"): Status 0 uploaded; 1 still on TRTC's server, uploaded later (another 310, Status 0, follows then).
    for (const f of outputs.files) {
      if (this.deps.lateUploads?.(f.fileName)) {
        this.held.push(f);
        this.emitFile(1, f);
      } else {
        this.emitFile((await this.upload(f)) ? 0 : 1, f);
      }
    }
  }

  /** Uploads the files held back by `lateUploads` (the task may be long gone), each followed by its 310 Status 0. */
  async releaseLateUploads(): Promise<void> {
    for (const f of this.held.splice(0)) if (await this.upload(f)) this.emitFile(0, f);
  }

  private emitFile(status: 0 | 1, f: OutputFile): void {
    this.deps.emit(310, this.deps.clock.now(), {
      Status: status,
      FileList: [f.fileName],
      FileMessage: [{ FileName: f.fileName, UserId: "", TrackType: f.trackType, MediaId: "main", StartTimeStamp: f.startMs, EndTimeStamp: f.endMs }],
    });
  }
}
