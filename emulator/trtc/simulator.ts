// The TRTC world the API talks to: applications, rooms, recording tasks and the callbacks they produce.
// Tests script rooms through it; api.ts maps the server API onto it. No HTTP here.
import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tc3ApiError } from "../tc3/types";
import { systemClock, type Clock } from "./clock";
import { recordingEventBody, roomEventBody } from "./event-body";
import { EventDispatcher, type EventChaos, type EventsTarget, type RetryPolicy } from "./events";
import { DEFAULT_FFMPEG } from "./ffmpeg-run";
import { Mixer } from "./mixer";
import { newTaskId } from "./naming";
import type { LayoutConfig, RecordingRequest } from "./recording-params";
import { RecordingTask, type TaskStatus } from "./recording-task";
import { Room, roomKey, roomRef, type RoomObserver, type RoomRef } from "./room";
import { SeededRandom } from "./seeded-random";
import type { StorageWriter } from "./storage-writer";
import type { SubscribeLists } from "./subscription";
import { verifyUserSig } from "./usersig";

export interface TrtcApp {
  sdkAppId: number;
  /** The application's UserSig secret key. */
  key: string;
  /** TC3 SecretIds allowed to manage this application. @default any SecretId the server accepts */
  secretIds?: string[];
  /** This application's callback URL and key. @default TrtcSimulatorOptions.events */
  events?: EventsTarget;
}

export interface TrtcSimulatorOptions {
  apps: TrtcApp[];
  /** Where recording files are written. */
  storage: StorageWriter;
  /** @default systemClock() */
  clock?: Clock;
  /** @default node_modules/@ffmpeg-installer/linux-x64/ffmpeg */
  ffmpegPath?: string;
  /** Scratch space for renders. @default a fresh directory under os.tmpdir(), removed by close() */
  workDir?: string;
  /** Callback target for applications without their own. @default none (no callbacks) */
  events?: EventsTarget;
  eventRetry?: RetryPolicy;
  eventChaos?: EventChaos;
  /** Publish room events (103/104) for recording robots too. @default false */
  robotRoomEvents?: boolean;
  /** Split mp4/aac output every N seconds instead of MaxMediaFileDuration minutes. */
  splitEverySeconds?: number;
  /**
   * MP4/AAC files TRTC keeps on its own server at first (310 Status 1) and uploads later, when the test calls
   * `releaseLateUploads()` (then a 310 with Status 0 for that file). @default none
   */
  lateUploads?: (fileName: string) => boolean;
  /**
   * How long after a ModifyCloudRecording call the new layout and subscriptions reach the mix (the real service
   * applies them asynchronously; an independent media probe saw 50-200 ms). Creation parameters apply from the
   * task's first frame. @default 100
   */
  modifyLatencyMs?: number;
  /** Test hook: runs inside CreateCloudRecording after validation, before the task starts (e.g. anchors joining meanwhile). */
  duringCreate?: (room: Room) => void;
  /** TRTC keeps knowing a finished task this long after its upload (answering TaskFinished), then TaskNotExist. @default 0 */
  keepFinishedTasksMs?: number;
  /** Seed for TaskIds. @default 1 */
  seed?: number;
  /** Concurrent recording tasks per application before FailedOperation.RestrictedConcurrency. @default 100 */
  maxConcurrentTasks?: number;
}

export interface DescribeResult {
  TaskId: string;
  Status: TaskStatus;
  StorageFileList: Array<{ UserId: string; FileName: string; TrackType: string; BeginTimeStamp: number }>;
}

export class TrtcSimulator {
  readonly clock: Clock;
  readonly events: EventDispatcher;
  readonly tasks = new Map<string, RecordingTask>();
  private readonly rooms = new Map<string, Room>();
  private readonly random: SeededRandom;
  private readonly mixer: Mixer;
  private readonly ffmpegPath: string;
  private workDir: string | undefined;
  private roomEventCounter = 0;
  private readonly observer: RoomObserver;

  constructor(private readonly opts: TrtcSimulatorOptions) {
    this.clock = opts.clock ?? systemClock();
    this.events = new EventDispatcher({ retry: opts.eventRetry, chaos: opts.eventChaos });
    this.random = new SeededRandom(opts.seed ?? 1);
    this.ffmpegPath = opts.ffmpegPath ?? DEFAULT_FFMPEG;
    this.mixer = new Mixer({ ffmpegPath: this.ffmpegPath });
    this.workDir = opts.workDir;
    this.observer = {
      onRoomEvent: (room, event) => {
        if (event.robot && !this.opts.robotRoomEvents) return;
        const target = this.eventsTarget(room.sdkAppId);
        const uniqueId = event.atMs * 1000 + (++this.roomEventCounter % 1000);
        if (target) this.events.emit(target, room.sdkAppId, roomEventBody(room.roomId, event, uniqueId, this.clock.now()));
      },
      onMembershipChange: (room) => {
        for (const t of this.activeTasks(room)) t.onRoomChange();
      },
      onMemberGone: (room, userId, cause) => {
        for (const t of this.activeTasks(room)) if (t.robotUserId === userId) t.onRobotGone(cause);
      },
    };
  }

  /** The room (created on first use). A number is an integer room, a string a string room. */
  room(sdkAppId: number, roomId: number | string): Room {
    this.appOf(sdkAppId);
    return this.roomFor(sdkAppId, roomRef(roomId));
  }

  task(taskId: string): RecordingTask | undefined {
    return this.tasks.get(taskId);
  }

  /** Resolves when every stopped task has uploaded and every callback has been delivered or given up. */
  async idle(): Promise<void> {
    await Promise.all([...this.tasks.values()].filter((t) => t.phase !== "recording").map((t) => t.finished));
    await this.events.idle();
  }

  /** Uploads every file held back by `lateUploads`, with its 310 (Status 0), and waits for the callbacks. */
  async releaseLateUploads(): Promise<void> {
    for (const t of this.tasks.values()) await t.releaseLateUploads();
    await this.events.idle();
  }

  async close(): Promise<void> {
    this.events.close();
    await Promise.all([...this.tasks.values()].filter((t) => t.phase === "exiting").map((t) => t.finished));
    if (this.workDir && !this.opts.workDir) await rm(this.workDir, { recursive: true, force: true });
  }

  // ---- server API (called by api.ts with parsed parameters) ----

  createCloudRecording(req: RecordingRequest, secretId: string): { TaskId: string } {
    const app = this.appOf(req.sdkAppId, secretId);
    const verdict = verifyUserSig(req.userSig, { sdkAppId: req.sdkAppId, userId: req.robotUserId, key: app.key, now: this.clock.now() });
    if (!verdict.ok) throw new Tc3ApiError(verdict.code, `UserSig is expired or wrong: ${verdict.reason}`);
    const room = this.roomFor(req.sdkAppId, req.room);
    if (room.has(req.robotUserId) && !room.isRobot(req.robotUserId)) {
      throw new Tc3ApiError("InvalidParameter.UserId", `UserId "${req.robotUserId}" is already in the room; the recording robot needs a UserId of its own`);
    }
    const running = [...this.tasks.values()].filter((t) => t.request.sdkAppId === req.sdkAppId && t.phase === "recording");
    if (running.length >= (this.opts.maxConcurrentTasks ?? 100)) {
      throw new Tc3ApiError("FailedOperation.RestrictedConcurrency", `at most ${this.opts.maxConcurrentTasks ?? 100} concurrent recording tasks per application`);
    }
    const taskId = newTaskId(this.random);
    const task = new RecordingTask(taskId, req, {
      clock: this.clock,
      room,
      mixer: this.mixer,
      ffmpegPath: this.ffmpegPath,
      storage: this.opts.storage,
      workRoot: this.scratch(),
      splitEverySeconds: this.opts.splitEverySeconds,
      lateUploads: this.opts.lateUploads,
      modifyLatencyMs: this.opts.modifyLatencyMs ?? 100,
      emit: (type, atMs, payload) => {
        const target = this.eventsTarget(req.sdkAppId);
        if (!target) return;
        const body = recordingEventBody(type, { roomId: room.roomId, robotUserId: req.robotUserId, taskId, atMs, payload }, this.clock.now());
        this.events.emit(target, req.sdkAppId, body);
      },
    });
    this.opts.duringCreate?.(room);
    this.tasks.set(taskId, task);
    // A robot already in the room under this UserId belongs to another task: the new login replaces it
    // (the API reference: a duplicate robot UserId interrupts the earlier task).
    task.start();
    return { TaskId: taskId };
  }

  describeCloudRecording(sdkAppId: number, taskId: string, secretId: string): DescribeResult {
    const task = this.lookup(sdkAppId, taskId, secretId, true);
    const files = task.uploaded.filter((f) => f.kind !== "hls-segment");
    return {
      TaskId: taskId,
      Status: task.status(),
      StorageFileList: files.map((f) => ({ UserId: "", FileName: f.fileName, TrackType: f.trackType, BeginTimeStamp: f.startMs })),
    };
  }

  modifyCloudRecording(sdkAppId: number, taskId: string, secretId: string, change: { layout: LayoutConfig; subscribe: SubscribeLists }): { TaskId: string } {
    this.lookup(sdkAppId, taskId, secretId, false).modify(change.layout, change.subscribe);
    return { TaskId: taskId };
  }

  deleteCloudRecording(sdkAppId: number, taskId: string, secretId: string): { TaskId: string } {
    this.lookup(sdkAppId, taskId, secretId, false).stop(0);
    return { TaskId: taskId };
  }

  removeUsers(sdkAppId: number, ref: RoomRef, userIds: string[], secretId: string): Record<string, never> {
    this.appOf(sdkAppId, secretId);
    const room = this.existingRoom(sdkAppId, ref);
    for (const u of userIds) room.remove(u);
    return {};
  }

  dismissRoom(sdkAppId: number, ref: RoomRef, secretId: string): Record<string, never> {
    this.appOf(sdkAppId, secretId);
    this.existingRoom(sdkAppId, ref).dismiss();
    return {};
  }

  // ---- internals ----

  private appOf(sdkAppId: number, secretId?: string): TrtcApp {
    const app = this.opts.apps.find((a) => a.sdkAppId === sdkAppId);
    if (!app) throw new Tc3ApiError("FailedOperation.SdkAppIdNotExist", `SdkAppId ${sdkAppId} does not exist`);
    if (secretId !== undefined && app.secretIds && !app.secretIds.includes(secretId)) {
      throw new Tc3ApiError("UnauthorizedOperation.SdkAppId", `this SecretId may not manage SdkAppId ${sdkAppId}`);
    }
    return app;
  }

  private eventsTarget(sdkAppId: number): EventsTarget | undefined {
    return this.opts.apps.find((a) => a.sdkAppId === sdkAppId)?.events ?? this.opts.events;
  }

  private roomFor(sdkAppId: number, ref: RoomRef): Room {
    const key = roomKey(sdkAppId, ref);
    let room = this.rooms.get(key);
    if (!room) {
      room = new Room(sdkAppId, ref, this.clock, this.observer);
      this.rooms.set(key, room);
    }
    return room;
  }

  private existingRoom(sdkAppId: number, ref: RoomRef): Room {
    const room = this.rooms.get(roomKey(sdkAppId, ref));
    if (!room || !room.exists) throw new Tc3ApiError("FailedOperation.RoomNotExist", `room ${JSON.stringify(ref.id)} does not exist (nobody is in it)`);
    return room;
  }

  private activeTasks(room: Room): RecordingTask[] {
    return [...this.tasks.values()].filter(
      (t) => t.live && t.request.sdkAppId === room.sdkAppId && roomKey(t.request.sdkAppId, t.request.room) === roomKey(room.sdkAppId, room.ref),
    );
  }

  /**
   * Follow-up calls find a task while it records; Describe also while it is exiting (Status "Exited") and for
   * keepFinishedTasksMs after. Past ResourceExpiredHour, or under another SdkAppId, the task does not exist.
   */
  private lookup(sdkAppId: number, taskId: string, secretId: string, forDescribe: boolean): RecordingTask {
    this.appOf(sdkAppId, secretId);
    if (!/^[A-Za-z0-9+\-.]{16,128}$/.test(taskId)) throw new Tc3ApiError("InvalidParameter.TaskId", `TaskId ${JSON.stringify(taskId)} is malformed`);
    const task = this.tasks.get(taskId);
    const now = this.clock.now();
    const gone = () => new Tc3ApiError("FailedOperation.TaskNotExist", `task ${taskId} does not exist or has stopped`);
    if (!task || task.request.sdkAppId !== sdkAppId) throw gone();
    if (now > task.createdAtMs + task.request.resourceExpiredHours * 3_600_000) throw gone();
    if (task.phase === "recording") return task;
    // A stopped task TRTC still knows answers FailedOperation.TaskFinished ("task has ended when calling the
    // interface", TRTC error codes) to Modify and Delete while it uploads, and to Describe once its upload is done;
    // Describe shows it Exited while it uploads. Once forgotten, everything is TaskNotExist.
    const finished = () => new Tc3ApiError("FailedOperation.TaskFinished", `task ${taskId} has ended`);
    const known = task.phase === "exiting" || (task.finishedAtMs !== undefined && now <= task.finishedAtMs + (this.opts.keepFinishedTasksMs ?? 0));
    if (!known) throw gone();
    if (forDescribe && task.phase === "exiting") return task;
    throw finished();
  }

  private scratch(): string {
    if (!this.workDir) this.workDir = join(tmpdir(), `trtc-double-${randomBytes(6).toString("hex")}`);
    return this.workDir;
  }
}
