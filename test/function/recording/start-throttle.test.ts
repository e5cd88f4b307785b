// A burst of starts meets TRTC's CreateCloudRecording limit (20/s): RequestLimitExceeded is retried after growing,
// per-recording waits within a budget that ends before the watchdog would call the start stale; a start that is still
// refused at the end fails as retryable with nothing created (no task, claim released); other failures keep their
// short retry. Unit tests run createWithRetries on a manual clock; integration tests run the whole start against the
// TRTC double with an injected RequestLimitExceeded (its sleeps are instant and recorded, its clock is the wall clock).
import { afterEach, describe, expect, it } from "vitest";
import { FaultInjector } from "../../../emulator/faults";
import type { EngineFailure, RecordingEngine, StartInput, StartOutcome } from "../../../function/engine/port";
import { createLogger } from "../../../function/log/logger";
import { createMasker } from "../../../function/log/mask";
import { DEFAULT_CONFIG, type RecorderConfig } from "../../../function/recording/deps";
import { ManualClock } from "../fakes/manual-clock";
import { makeKit, type Kit } from "../../../function/recording/kit";
import { createWithRetries, retryAfterSeconds, throttleWaitMs } from "../../../function/recording/start-throttle";
import { stateKeys } from "../../../function/state/keys";
import { scriptedDeliver } from "../copy-deliver";
import { fakeKms } from "../fakes/fake-kms";
import { memoryStore } from "../fakes/memory-store";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

const T0 = Date.parse("2026-12-07T09:00:00Z");
const THROTTLED: EngineFailure = { ok: false, code: "RequestLimitExceeded", message: "frequency limit", retryable: true };

/** A kit whose engine answers CreateCloudRecording from `answers` (the last one repeats). */
function kitWith(answers: StartOutcome[], config: Partial<RecorderConfig> = {}): { kit: Kit; clock: ManualClock; creates: number[] } {
  const clock = new ManualClock(T0);
  const creates: number[] = [];
  const engine: RecordingEngine = {
    name: "fake",
    mixCanvas: { width: 1280, height: 720 },
    start: async () => {
      creates.push(clock.now());
      return answers.length > 1 ? answers.shift()! : answers[0]!;
    },
    stop: async () => ({ ok: true, alreadyGone: false }),
    modify: async () => ({ ok: true, gone: false }),
    describe: async () => ({ ok: true, state: "in-progress", files: [] }),
    outputPrefix: (s, taskId) => [...s.fileNamePrefix, taskId, ""].join("/"),
  };
  const kit = makeKit({
    engine,
    state: memoryStore(),
    secrets: { get: async () => undefined },
    kms: fakeKms(),
    invoker: { invokeRecorder: async () => undefined },
    cosFactory: { forRole: () => ({}) as never, forKeys: () => ({}) as never },
    callback: { fetch: async () => new Response("") },
    deliver: async () => ({ kind: "failed", message: "transcode failed", detail: "not used" }),
    clock,
    log: createLogger({ sink: () => undefined, masker: createMasker(), now: clock.now }),
    config: { ...DEFAULT_CONFIG, kmsKeyId: "kms-1", ffmpegPath: "ffmpeg", workRoots: [], ...config },
  });
  return { kit, clock, creates };
}

const INPUT = { sdkAppId: 1400000001, room: { kind: "int", roomId: 1 }, userId: "recorder_1", userSig: "sig", mode: "12" } as unknown as StartInput;
const log = createLogger({ sink: () => undefined, masker: createMasker(), now: () => T0 });

describe("throttleWaitMs / retryAfterSeconds", () => {
  it("grows per refusal from 2 s to a 30 s cap, each wait in [½, 1] of its step, the same for the same recording", () => {
    const steps = [2000, 4000, 8000, 16_000, 30_000, 30_000];
    steps.forEach((cap, i) => {
      const wait = throttleWaitMs("rec-a", i + 1);
      expect(wait).toBeGreaterThanOrEqual(cap / 2);
      expect(wait).toBeLessThanOrEqual(cap);
      expect(throttleWaitMs("rec-a", i + 1)).toBe(wait);
    });
  });

  it("spreads recordings refused together over the step instead of sending them back together", () => {
    const waits = new Set(Array.from({ length: 50 }, (_, i) => throttleWaitMs(`rec-${i}`, 3)));
    expect(waits.size).toBeGreaterThan(40);
    const after = Array.from({ length: 50 }, (_, i) => retryAfterSeconds(`rec-${i}`));
    expect(Math.min(...after)).toBeGreaterThanOrEqual(45);
    expect(Math.max(...after)).toBeLessThan(75);
  });
});

describe("createWithRetries", () => {
  it("retries RequestLimitExceeded after the recording's own growing waits until TRTC admits it: one task", async () => {
    const w = kitWith([THROTTLED, THROTTLED, THROTTLED, { ok: true, taskId: "task-1" }]);
    const out = await createWithRetries(w.kit, "rec-a", INPUT, { createdAtMs: T0 }, log);
    expect(out).toEqual({ ok: true, taskId: "task-1" });
    expect(w.clock.sleeps).toEqual([1, 2, 3].map((n) => throttleWaitMs("rec-a", n)));
    expect(w.creates).toHaveLength(4);
  });

  it("gives up when the next wait would pass the budget (default 120 s): retryable, nothing created", async () => {
    const w = kitWith([THROTTLED]);
    const out = await createWithRetries(w.kit, "rec-b", INPUT, { createdAtMs: T0 }, log);
    expect(out).toMatchObject({ ok: false, code: "RequestLimitExceeded", throttled: { retryAfterSeconds: retryAfterSeconds("rec-b") } });
    const waited = w.clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(120_000);
    // One more wait would have passed the budget.
    expect(waited + throttleWaitMs("rec-b", w.clock.sleeps.length + 1)).toBeGreaterThan(120_000);
    expect(w.creates).toHaveLength(w.clock.sleeps.length + 1);
  });

  it("never waits past the point where the watchdog would call the start stale (startStaleMs − 60 s after its creation)", async () => {
    const w = kitWith([THROTTLED], { startThrottleBudgetMs: 3_600_000 });
    const createdAtMs = T0 - 100_000; // the start invocation began late (SCF's async queue)
    await createWithRetries(w.kit, "rec-c", INPUT, { createdAtMs }, log);
    expect(w.clock.now()).toBeLessThanOrEqual(createdAtMs + DEFAULT_CONFIG.startStaleMs - 60_000);
  });

  it("keeps the short retry for other retryable failures: three attempts, then the failure as it is", async () => {
    const internal: EngineFailure = { ok: false, code: "InternalError", message: "oops", retryable: true };
    const w = kitWith([internal]);
    const out = await createWithRetries(w.kit, "rec-d", INPUT, { createdAtMs: T0 }, log);
    expect(out).toEqual(internal);
    expect(w.creates).toHaveLength(3);
    expect(w.clock.sleeps).toEqual([1000, 2000]);
  });

  it("does not retry an answer (a refused UserSig): one call", async () => {
    const refused: EngineFailure = { ok: false, code: "InvalidParameter.UserSig", message: "bad", retryable: false };
    const w = kitWith([refused]);
    expect(await createWithRetries(w.kit, "rec-e", INPUT, { createdAtMs: T0 }, log)).toEqual(refused);
    expect(w.creates).toHaveLength(1);
  });
});

describe("a start refused by TRTC's frequency limit, against the TRTC double", () => {
  let h: RecorderHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const createCalls = (harness: RecorderHarness) => harness.trtc.calls.filter((c) => c.action === "CreateCloudRecording");
  const limitExceeded = (times: number) => ({ match: "CreateCloudRecording", times, fault: { kind: "status" as const, status: 200, code: "RequestLimitExceeded" } });

  it("is absorbed: refused twice, admitted on the third try, RUNNING with exactly one task", async () => {
    const faults = new FaultInjector();
    faults.add(limitExceeded(2));
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, trtcOptions: { faults } });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("alice");
    const report = await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 1234 })), { requestId: "rec-burst" });
    expect(report).toMatchObject({ recordingId: "rec-burst", status: "RUNNING" });
    // Two refused (answered by the injected fault), the third reached TRTC.
    expect(faults.applied.map((a) => a.info.action)).toEqual(["CreateCloudRecording", "CreateCloudRecording"]);
    expect(createCalls(h)).toHaveLength(1);
    expect(h.trtc.tasks()).toHaveLength(1);
    expect(h.sleeps.slice(0, 2)).toEqual([throttleWaitMs("rec-burst", 1), throttleWaitMs("rec-burst", 2)]);
  });

  it("still refused: FAILED as retryable with a Retry-After, no task, the claim free for the caller's retry", async () => {
    const faults = new FaultInjector();
    faults.add(limitExceeded(Number.POSITIVE_INFINITY));
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, trtcOptions: { faults } });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("alice");
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 1234 })), { requestId: "rec-refused" });
    const record = await h.record("rec-refused");
    expect(record).toMatchObject({ status: "FAILED", stop: { reason: "start-failed" }, failure: { message: "record failed", retryable: true, retryAfterSeconds: retryAfterSeconds("rec-refused") } });
    expect(record?.failure?.detail).toMatch(/RequestLimitExceeded.*no recording task was created; start again after \d+ s/);
    expect(record?.engine).toBeUndefined();
    expect(h.trtc.tasks()).toHaveLength(0);
    // The caller reads the same through GET /recordings/{id}.
    const res = await h.recorderApi(h.apigwRequest("GET", "/recordings/rec-refused"));
    expect(JSON.parse(res.body)).toMatchObject({ status: "FAILED", failure: { retryable: true } });

    // TRTC has room again: the retry (a new request, a new id) claims the same recorder identity and starts.
    faults.clear();
    const again = await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: 1234 })), { requestId: "rec-retry" });
    expect(again).toMatchObject({ recordingId: "rec-retry", status: "RUNNING" });
    expect(h.trtc.tasks()).toHaveLength(1);
  });
});

describe("the function-URL ingress while TRTC's limit turns starts away", () => {
  let h: RecorderHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  // Tencent's function-URL event (https://cloud.tencent.com/document/product/583/96099).
  const urlPost = (body: unknown) => ({ body: JSON.stringify(body), headers: { "content-type": "application/json" }, httpMethod: "POST", path: "/record", queryString: {} });

  it("answers 429 with Retry-After once a start gave up, creating nothing; 202 again after the time given", async () => {
    const faults = new FaultInjector();
    faults.add({ match: "CreateCloudRecording", times: Number.POSITIVE_INFINITY, fault: { kind: "status", status: 200, code: "RequestLimitExceeded" } });
    h = await startRecorderHarness({ deliver: scriptedDeliver().deliver, ingress: "function-url", trtcOptions: { faults } });
    h.trtc.room(HARNESS.sdkAppId, 1234).join("alice");
    h.trtc.room(HARNESS.sdkAppId, 5678).join("bob");
    const first = await h.recorderApi(urlPost(h.recordRequest({ RoomId: 1234 })), { requestId: "api-first" });
    expect(first.statusCode).toBe(202);
    await h.runQueued();
    expect((await h.record("api-first"))?.failure).toMatchObject({ retryable: true });

    const second = await h.recorderApi(urlPost(h.recordRequest({ RoomId: 5678 })), { requestId: "api-second" });
    expect(second.statusCode).toBe(429);
    const retryAfter = Number(second.headers?.["retry-after"]);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(retryAfterSeconds("api-first"));
    expect(JSON.parse(second.body)).toMatchObject({ error: "RequestLimitExceeded", retryAfterSeconds: retryAfter });
    expect(await h.record("api-second")).toBeUndefined();

    // A bad request is still told what is wrong (400), not to come back later.
    expect((await h.recorderApi(urlPost(h.recordRequest({ Mode: "99" })), { requestId: "api-bad" })).statusCode).toBe(400);

    // The noted time passed (the marker says until when; the wall clock cannot be moved here, so it is rewritten).
    const wiring = h.wire();
    await wiring.deps.state.put(stateKeys.createThrottled, JSON.stringify({ untilMs: Date.now() - 1 }));
    faults.clear();
    const third = await h.recorderApi(urlPost(h.recordRequest({ RoomId: 5678 })), { requestId: "api-third" });
    expect(third.statusCode).toBe(202);
  });
});
