// One scale scenario: N one-hour recordings, started evenly over a ramp, run through the real recorder code
// (start, TRTC's recording callbacks, delivery's control plane, the watchdog timer every minute) against the
// simulated cloud (sim-cloud.ts) on virtual time. A share of recordings loses all its end-of-recording callbacks,
// so the watchdog has to find them. Delivery's media work (ffmpeg, the upload) is replaced by an instant "delivered":
// it costs the same at any N and is measured by bench/delivery; here only the control plane is counted.
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordingEventBody } from "../../emulator/trtc/event-body";
import { DEFAULT_SECURITY } from "../../function/auth/policy";
import { createLogger } from "../../function/log/logger";
import { createMasker } from "../../function/log/mask";
import { DEFAULT_CONFIG, type InvocationContext, type RecorderConfig } from "../../function/recording/deps";
import { createRecorder } from "../../function/recording/recorder";
import type { RuntimeSecretName } from "../../function/secrets/runtime-secrets";
import { LATENCIES, MinuteCounter, SimTrtc, simBucketCos, simStateStore, type Latencies, type SimTask } from "./sim-cloud";
import { VirtualClock, type Invocation } from "./virtual-time";

export interface Scenario {
  recordings: number;
  /** Starts are spread evenly over this. */
  rampMs: number;
  durationMs: number;
  /** TRTC's upload after the stop, until Describe answers TaskNotExist. */
  uploadMs: number;
  /** Every Nth recording loses all of its end-of-recording callbacks (302, 305, 310). 0: none lost. */
  loseEndEventsEvery: number;
  /** Simulated time after the last recording should have ended. */
  tailMs: number;
  latencies: Latencies;
  watchdog?: RecorderConfig["watchdog"];
  /**
   * Each recording lasts `durationMs` plus up to this much more, spread by its room (0: all equally long). Lets a
   * scenario start classes together without also ending them together. @default 0
   */
  durationSpreadMs?: number;
  /**
   * How often the simulated caller starts again after a start that FAILED saying it may be retried (the
   * recorder's `failure.retryable`, after `retryAfterSeconds`). A generic failure is never retried. @default 3
   */
  callerRetries?: number;
}

export interface ScenarioResult {
  scenario: Scenario;
  /** Simulated minutes from the first start to the end of the run. */
  minutes: number;
  counter: MinuteCounter;
  invocations: Invocation[];
  finished: number;
  failed: number;
  notFinal: number;
  /** For recordings whose end callbacks were lost: from TRTC's upload done to FINISHED (ms). */
  safetyNetLatencyMs: number[];
  /** For the others: from TRTC's upload done to FINISHED (ms). */
  eventLatencyMs: number[];
  /** Per room that got a recording: from the caller's first request to RUNNING (ms), retries included. */
  startLatencyMs: number[];
  /** Recorded hours: the sum of the tasks' lengths (what the per-recording-hour figures divide by). */
  recordingHours: number;
  /** A few recordings that did not end FINISHED, with why (for the note under the table). */
  unfinished: Array<{ id: string; status: string; why: string }>;
  /** Rooms whose recording never started (every attempt FAILED). */
  roomsNeverStarted: number;
  /** Start requests the caller sent (first requests and retries). */
  startRequests: number;
  /** Starts that FAILED saying they may be retried. */
  startsRetryable: number;
  errors: number;
  wallMs: number;
}

const T0 = Date.parse("2026-12-07T08:00:00Z");
const APP = 1400000001;
const EVENT_KEY = "bench-trtc-event-key";
const TIMEOUT_MS = 900_000;

export const DEFAULT_SCENARIO: Omit<Scenario, "recordings"> = {
  rampMs: 10 * 60_000,
  durationMs: 60 * 60_000,
  uploadMs: 30_000,
  loseEndEventsEvery: 50,
  tailMs: 40 * 60_000,
  latencies: LATENCIES,
};

export async function simulate(scenario: Scenario): Promise<ScenarioResult> {
  const wallStart = performance.now();
  const clock = new VirtualClock(T0);
  const count = new MinuteCounter(clock);
  const lat = scenario.latencies;
  const state = simStateStore(clock, lat, count);
  const trtc = new SimTrtc(clock, lat, count);
  const bucketCos = simBucketCos(clock, lat, count, trtc);
  const workRoot = mkdtempSync(join(tmpdir(), "bench-scale-"));
  let errors = 0;
  const onError = (err: unknown) => {
    errors++;
    if (errors <= 3) console.error("  invocation error:", err instanceof Error ? err.message : err);
  };
  const secrets: Partial<Record<RuntimeSecretName, string>> = {
    "trtc-event-key": EVENT_KEY,
    "trtc-staging-cos-key": JSON.stringify({ SecretId: "AKIDbenchstaging000000000000000000000", SecretKey: "bench-staging-secret-key-000000000" }),
  };
  const config: RecorderConfig = {
    ...DEFAULT_CONFIG,
    kmsKeyId: "bench-kms-key",
    ffmpegPath: "/nonexistent/ffmpeg",
    workRoots: [workRoot],
    minFreeBytes: 0,
    staging: { bucket: "staging-1250000000", region: "ap-guangzhou" },
    security: { ...DEFAULT_SECURITY, userSig: "off", roleBuckets: ["caller-1250000000"] },
    watchdog: scenario.watchdog,
  };
  const ctx = (requestId: string): InvocationContext => ({ requestId, remainingMs: () => clock.remaining(TIMEOUT_MS) });
  let nextRequest = 0;
  const recorder = createRecorder({
    engine: trtc.engine(),
    state,
    secrets: { get: async (name) => secrets[name] },
    kms: {
      generateDataKey: async () => {
        throw new Error("bench: no KMS (no caller keys in this scenario)");
      },
      decrypt: async () => {
        throw new Error("bench: no KMS (no caller keys in this scenario)");
      },
    } as never,
    invoker: {
      async invokeRecorder(msg) {
        await clock.sleep(lat.invokeMs);
        if (msg.action !== "deliver") throw new Error(`bench: unexpected self-invocation ${msg.action}`);
        const id = `deliver-${nextRequest++}`;
        clock.invoke("deliver", clock.now(), () => recorder.deliver(msg, ctx(id)), onError);
      },
    },
    cosFactory: { forRole: () => bucketCos, forKeys: () => bucketCos },
    callback: { fetch: async () => new Response("", { status: 200 }) },
    deliver: async (job) => ({ kind: "delivered", etag: '"bench"', size: 1, url: `https://${job.target.bucket}.cos.${job.target.region}.myqcloud.com/${job.target.key}`, copied: false }),
    clock: { now: clock.now, sleep: clock.sleep },
    log: createLogger({ sink: () => undefined, masker: createMasker(), now: clock.now }),
    config,
  });

  // TRTC's callbacks for a task, as the double builds them; lost ones are simply never sent.
  const lost = new Set<string>();
  const sendEvent = (task: SimTask, type: 301 | 302 | 305 | 310, atMs: number, payload: Record<string, unknown>) => {
    clock.invoke(
      "event",
      atMs,
      async () => {
        const body = Buffer.from(JSON.stringify(recordingEventBody(type, { roomId: task.taskId, robotUserId: "rec", taskId: task.taskId, atMs, payload }, clock.now())));
        const sign = createHmac("sha256", EVENT_KEY).update(body).digest("base64");
        await recorder.trtcEvent(body, { sign, sdkappid: String(APP), "content-type": "application/json" });
      },
      onError,
    );
  };
  let created = 0;
  const spread = scenario.durationSpreadMs ?? 0;
  trtc.plan = (_id, at, input) => {
    // The room number orders the classes: spread their lengths evenly over `durationSpreadMs` by room.
    const room = input.room.kind === "int" ? input.room.roomId - 100_000 : 0;
    const duration = scenario.durationMs + (spread > 0 ? Math.floor((((room * 7919) % scenario.recordings) / scenario.recordings) * spread) : 0);
    return { endAt: at + duration, goneAt: at + duration + scenario.uploadMs };
  };
  trtc.onCreate = (task) => {
    const losesEnd = scenario.loseEndEventsEvery > 0 && created++ % scenario.loseEndEventsEvery === 0;
    if (losesEnd) lost.add(task.taskId);
    sendEvent(task, 301, task.startAt + 500, { Status: 0 });
    if (losesEnd) return;
    sendEvent(task, 302, task.endAt, { LeaveCode: 99 });
    sendEvent(task, 305, task.endAt + 3_000, { Status: 0 });
    const file = { FileName: task.fileName, UserId: "", TrackType: "audio_video", MediaId: "mix", StartTimeStamp: task.startAt, EndTimeStamp: task.endAt };
    sendEvent(task, 310, task.goneAt - 1_000, { Status: 0, FileList: [file.FileName], FileMessage: [file] });
  };

  // One room per recording; the caller's attempts for a room, in order (a retry is a new request, a new id).
  const attemptsOf: string[][] = [];
  const requestedAt: number[] = [];
  const retries = scenario.callerRetries ?? 3;
  let startRequests = 0;
  let startsRetryable = 0;
  const requestStart = (room: number, at: number) => {
    const id = `rec-${String(room).padStart(6, "0")}-${attemptsOf[room]!.length}`;
    attemptsOf[room]!.push(id);
    startRequests++;
    const request = { SdkAppId: APP, RoomId: 100_000 + room, UserId: `recorder_${room}`, UserSig: "bench-usersig-not-checked", CosConfig: { Region: "ap-guangzhou", Bucket: "caller-1250000000", Path: "/classes" }, Mode: "12" };
    clock.invoke(
      "start",
      at,
      async () => {
        await recorder.start(id, request);
        // What the caller reads back (GET /recordings/{id} or its callback): retried only when the recorder says so.
        const raw = state.peek(`recordings/${id}.json`);
        const failure = raw ? (JSON.parse(raw) as { status: string; failure?: { retryable?: boolean; retryAfterSeconds?: number } }) : undefined;
        if (failure?.status !== "FAILED" || failure.failure?.retryable !== true) return;
        startsRetryable++;
        if (attemptsOf[room]!.length <= retries) requestStart(room, clock.now() + 1000 * (failure.failure.retryAfterSeconds ?? 60));
      },
      onError,
    );
  };
  for (let i = 0; i < scenario.recordings; i++) {
    attemptsOf.push([]);
    requestedAt.push(T0 + Math.floor((i * scenario.rampMs) / scenario.recordings));
    requestStart(i, requestedAt[i]!);
  }
  const endMs = T0 + scenario.rampMs + scenario.durationMs + (scenario.durationSpreadMs ?? 0) + scenario.uploadMs + scenario.tailMs;
  for (let t = T0 + 60_000; t <= endMs; t += 60_000) clock.invoke("watchdog", t, () => recorder.watchdog(ctx(`timer-${t}`)), onError);

  await clock.run(endMs);
  rmSync(workRoot, { recursive: true, force: true });

  let finished = 0;
  let failed = 0;
  let notFinal = 0;
  const safetyNetLatencyMs: number[] = [];
  const eventLatencyMs: number[] = [];
  const taskOf = new Map<string, SimTask>();
  for (const t of trtc.tasks.values()) taskOf.set(t.taskId, t);
  const startLatencyMs: number[] = [];
  const unfinished: ScenarioResult["unfinished"] = [];
  let roomsNeverStarted = 0;
  for (let room = 0; room < scenario.recordings; room++) {
    // The room's recording: its last attempt (earlier ones FAILED before starting anything).
    const id = attemptsOf[room]![attemptsOf[room]!.length - 1]!;
    const raw = state.peek(`recordings/${id}.json`);
    const record = raw
      ? (JSON.parse(raw) as { status: string; engine?: { taskId: string }; history: Array<{ at: string; status: string }>; failure?: { detail: string }; task?: { state: string } })
      : undefined;
    if (record?.status !== "FINISHED" && unfinished.length < 5) unfinished.push({ id, status: record?.status ?? "none", why: record?.failure?.detail ?? `task ${record?.task?.state ?? "?"}` });
    if (record?.status === "FINISHED") finished++;
    else if (record?.status === "FAILED") failed++;
    else notFinal++;
    const task = record?.engine ? taskOf.get(record.engine.taskId) : undefined;
    const runningAt = record?.history.find((h) => h.status === "RUNNING")?.at;
    if (runningAt) startLatencyMs.push(Date.parse(runningAt) - requestedAt[room]!);
    else roomsNeverStarted++;
    const doneAt = record?.history.find((h) => h.status === "FINISHED")?.at;
    if (task && doneAt) (lost.has(task.taskId) ? safetyNetLatencyMs : eventLatencyMs).push(Date.parse(doneAt) - task.goneAt);
  }
  return {
    scenario,
    minutes: (endMs - T0) / 60_000,
    counter: count,
    invocations: clock.finished,
    finished,
    failed,
    notFinal,
    safetyNetLatencyMs,
    eventLatencyMs,
    startLatencyMs,
    recordingHours: [...trtc.tasks.values()].reduce((h, t) => h + (t.endAt - t.startAt) / 3_600_000, 0),
    roomsNeverStarted,
    unfinished,
    startRequests,
    startsRetryable,
    errors,
    wallMs: performance.now() - wallStart,
  };
}
