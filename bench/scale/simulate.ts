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
  trtc.plan = (_id, at) => ({ endAt: at + scenario.durationMs, goneAt: at + scenario.durationMs + scenario.uploadMs });
  trtc.onCreate = (task) => {
    const losesEnd = scenario.loseEndEventsEvery > 0 && created++ % scenario.loseEndEventsEvery === 0;
    if (losesEnd) lost.add(task.taskId);
    sendEvent(task, 301, task.startAt + 500, { Status: 0 });
    if (losesEnd) return;
    sendEvent(task, 302, task.endAt, { LeaveCode: 99 });
    sendEvent(task, 305, task.endAt + 3_000, { Status: 0 });
    const file = { FileName: "1400000001_room.mp4", UserId: "", TrackType: "audio_video", MediaId: "main", StartTimeStamp: task.startAt, EndTimeStamp: task.endAt };
    sendEvent(task, 310, task.goneAt - 1_000, { Status: 0, FileList: [file.FileName], FileMessage: [file] });
  };

  const ids: string[] = [];
  for (let i = 0; i < scenario.recordings; i++) {
    const id = `rec-${String(i).padStart(6, "0")}`;
    ids.push(id);
    const at = T0 + Math.floor((i * scenario.rampMs) / scenario.recordings);
    const request = { SdkAppId: APP, RoomId: 100_000 + i, UserId: `recorder_${i}`, UserSig: "bench-usersig-not-checked", CosConfig: { Region: "ap-guangzhou", Bucket: "caller-1250000000", Path: "/classes" }, Mode: "12" };
    clock.invoke("start", at, () => recorder.start(id, request), onError);
  }
  const endMs = T0 + scenario.rampMs + scenario.durationMs + scenario.uploadMs + scenario.tailMs;
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
  for (const id of ids) {
    const raw = state.peek(`recordings/${id}.json`);
    const record = raw ? (JSON.parse(raw) as { status: string; engine?: { taskId: string }; history: Array<{ at: string; status: string }> }) : undefined;
    if (record?.status === "FINISHED") finished++;
    else if (record?.status === "FAILED") failed++;
    else notFinal++;
    const task = record?.engine ? taskOf.get(record.engine.taskId) : undefined;
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
    errors,
    wallMs: performance.now() - wallStart,
  };
}
