// When TRTC's own events prove a recording's output complete — the task stopped (302/305) and its one file, under the
// name TRTC gives an unsplit recording, was reported uploaded (310 Status 0) with nothing held back, failed or failed
// over — delivery goes ahead without a DescribeCloudRecording. Wherever the events leave a question open, Describe
// (and the exit grace) decides as before. Unit tests run on a manual clock with a fake engine that counts Describes;
// the integration test runs the real recorder against the TRTC double and its callbacks.
import type COS from "cos-nodejs-sdk-v5";
import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import type { DescribeOutcome, RecordingEngine } from "../../../function/engine/port";
import { createLogger } from "../../../function/log/logger";
import { createMasker } from "../../../function/log/mask";
import { assessTask, completeByEvents } from "../../../function/recording/assess";
import { deliverStep } from "../../../function/recording/deliver-step";
import { DEFAULT_CONFIG, type RecorderConfig } from "../../../function/recording/deps";
import { ManualClock } from "../fakes/manual-clock";
import { fileUploads } from "../../../function/recording/file-uploads";
import { makeKit, type Kit } from "../../../function/recording/kit";
import { stateKeys } from "../../../function/state/keys";
import type { StatusRecord } from "../../../function/state/status-record";
import { scriptedDeliver } from "../copy-deliver";
import { fakeKms } from "../fakes/fake-kms";
import { memoryStore, type MemoryStore } from "../fakes/memory-store";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

const T0 = Date.parse("2026-12-07T09:00:00Z");
const APP = 1400000001;
const ROOM = 4242;
const TASK = "task-1";
const FILE = `${APP}_${ROOM}.mp4`;

interface World {
  kit: Kit;
  clock: ManualClock;
  store: MemoryStore;
  describes: string[];
  /** What the fake TRTC answers to Describe. */
  describeAnswer: DescribeOutcome;
  staged: string[];
  delivered: string[];
}

function world(): World {
  const clock = new ManualClock(T0);
  const store = memoryStore();
  const w = { clock, store, describes: [], staged: [], delivered: [], describeAnswer: { ok: true, state: "exited", files: [] } } as unknown as World;
  const cos = {
    getBucket: async (p: { Prefix: string }) => ({ Contents: w.staged.filter((k) => k.startsWith(p.Prefix)).map((Key) => ({ Key })), IsTruncated: "false" }),
    putObject: async () => ({}),
  } as unknown as COS;
  const engine: RecordingEngine = {
    name: "fake",
    mixCanvas: { width: 1280, height: 720 },
    start: async () => ({ ok: true, taskId: TASK }),
    stop: async () => ({ ok: true, alreadyGone: false }),
    modify: async () => ({ ok: true, gone: false }),
    outputPrefix: (s, taskId) => [...s.fileNamePrefix, taskId, ""].join("/"),
    describe: async (_app, taskId) => {
      w.describes.push(taskId);
      return w.describeAnswer;
    },
  };
  // Delivery picks a work dir even when the (fake) stage does no media work.
  const config: RecorderConfig = { ...DEFAULT_CONFIG, kmsKeyId: "kms-1", ffmpegPath: "ffmpeg", workRoots: [tmpdir()], minFreeBytes: 0 };
  w.kit = makeKit({
    engine,
    state: store,
    secrets: { get: async () => undefined },
    kms: fakeKms(),
    invoker: { invokeRecorder: async () => undefined },
    cosFactory: { forRole: () => cos, forKeys: () => cos },
    callback: { fetch: async () => new Response("") },
    deliver: async (job) => {
      w.delivered.push(job.recordingId);
      return { kind: "delivered", etag: '"e"', size: 1, url: "https://caller-1250000000.cos.ap-guangzhou.myqcloud.com/x.mp4", copied: false };
    },
    clock,
    log: createLogger({ sink: () => undefined, masker: createMasker(), now: clock.now }),
    config,
  });
  return w;
}

function runningRecord(room: StatusRecord["spec"] extends infer S ? (S extends { room: infer R } ? R : never) : never = { kind: "int", roomId: ROOM }): StatusRecord {
  const iso = new Date(T0 - 3_600_000).toISOString();
  return {
    recordingId: "rec-1",
    status: "RUNNING",
    createdAt: iso,
    updatedAt: iso,
    spec: { sdkAppId: APP, room, userId: "recorder_1", mode: "12", isReserve: false, cos: { region: "ap-guangzhou", bucket: "caller-1250000000", path: "", keys: "role" } },
    engine: { name: "fake", taskId: TASK, startedAt: iso },
    staging: { owner: "deployment", bucket: "staging-1250000000", region: "ap-guangzhou", prefix: `stage/${TASK}/` },
    target: { bucket: "caller-1250000000", region: "ap-guangzhou", key: "rec-1.mp4" },
    files: [],
    history: [{ at: iso, status: "RUNNING" }],
  };
}

let seq = 0;
/** Logs a cloud-recording event for the task the way handleTrtcEvent does (one object per distinct event). */
async function logEvent(store: MemoryStore, type: number, payload: Record<string, unknown>, at = T0 + seq++): Promise<void> {
  const body = { EventGroupId: 3, EventType: type, EventInfo: { EventMsTs: at, TaskId: TASK, Payload: payload } };
  await store.put(stateKeys.taskEvent(TASK, at, type, `${type}-${at}`), JSON.stringify(body));
}

const uploaded = (...files: string[]) => ({ Status: 0, FileList: files, FileMessage: files.map((FileName) => ({ FileName, TrackType: "audio_video" })) });

describe("completeByEvents: what the events alone can prove", () => {
  it("a stop event and the unsplit file reported uploaded prove the set complete; 305 counts as the stop too", async () => {
    for (const stop of [302, 305]) {
      const w = world();
      await logEvent(w.store, stop, stop === 302 ? { LeaveCode: 99 } : { Status: 0 });
      await logEvent(w.store, 310, uploaded(FILE));
      expect(completeByEvents(runningRecord(), await fileUploads(w.store, TASK))).toBe(true);
    }
  });

  it("a string room's file carries the room TRTC-base64 encoded ('/' as '-', '=' as '.')", async () => {
    const w = world();
    const room = { kind: "str" as const, strRoomId: "class?a" };
    const encoded = Buffer.from("class?a").toString("base64").replace(/\//g, "-").replace(/=/g, ".");
    await logEvent(w.store, 302, { LeaveCode: 0 });
    await logEvent(w.store, 310, uploaded(`${APP}_${encoded}.mp4`));
    expect(encoded).toContain("-");
    expect(completeByEvents(runningRecord(room), await fileUploads(w.store, TASK))).toBe(true);
    expect(completeByEvents(runningRecord({ kind: "int", roomId: ROOM }), await fileUploads(w.store, TASK))).toBe(false);
  });

  it.each([
    ["no stop event yet (310 may come before 302)", [[310, uploaded(FILE)]]],
    ["a split recording's part (more parts may follow)", [[302, { LeaveCode: 0 }], [310, uploaded(`${APP}_${ROOM}_1.mp4`)]]],
    ["two files reported", [[302, { LeaveCode: 0 }], [310, uploaded(FILE, `${APP}_${ROOM}_2.mp4`)]]],
    ["a file still on TRTC's server (310 Status 1)", [[302, { LeaveCode: 0 }], [310, uploaded(FILE)], [310, { Status: 1, FileList: ["other.mp4"] }]]],
    ["TRTC's MP4 task failed (310 Status 2)", [[302, { LeaveCode: 0 }], [310, uploaded(FILE)], [310, { Status: 2, FileList: [] }]]],
    ["the task failed over (306)", [[302, { LeaveCode: 0 }], [306, { Status: 0 }], [310, uploaded(FILE)]]],
    ["COS refused TRTC's upload for good (308)", [[302, { LeaveCode: 0 }], [308, { Code: "AccessDenied" }], [310, uploaded(FILE)]]],
    ["a name for another mode's output", [[302, { LeaveCode: 0 }], [310, uploaded(`${APP}_${ROOM}.m4a`)]]],
  ] as Array<[string, Array<[number, Record<string, unknown>]>]>)("leaves the question open with %s", async (_why, events) => {
    const w = world();
    for (const [type, payload] of events) await logEvent(w.store, type, payload);
    expect(completeByEvents(runningRecord(), await fileUploads(w.store, TASK))).toBe(false);
  });
});

describe("assessTask and delivery without a Describe", () => {
  it("is ready from the events alone: no Describe, the task marked as known from events", async () => {
    const w = world();
    await logEvent(w.store, 302, { LeaveCode: 99 });
    await logEvent(w.store, 310, uploaded(FILE));
    w.staged.push(`stage/${TASK}/${FILE}`);
    const record = runningRecord();
    const readiness = await assessTask(w.kit, record, async () => w.kit.deps.cosFactory.forRole(), "upload-finished");
    expect(readiness).toMatchObject({ kind: "ready", sources: [{ key: `stage/${TASK}/${FILE}` }] });
    expect(w.describes).toEqual([]);
    expect(record.task).toMatchObject({ state: "exited", by: "events", exitedAt: new Date(T0).toISOString() });
  });

  it("asks Describe where the events leave a question: a split part waits for the task to be gone or the grace", async () => {
    const w = world();
    await logEvent(w.store, 302, { LeaveCode: 99 });
    await logEvent(w.store, 310, uploaded(`${APP}_${ROOM}_1.mp4`));
    w.staged.push(`stage/${TASK}/${APP}_${ROOM}_1.mp4`);
    const record = runningRecord();
    expect(await assessTask(w.kit, record, async () => w.kit.deps.cosFactory.forRole(), "upload-finished")).toMatchObject({ kind: "waiting" });
    expect(w.describes).toEqual([TASK]);
    w.describeAnswer = { ok: true, state: "gone", files: [] };
    expect(await assessTask(w.kit, record, async () => w.kit.deps.cosFactory.forRole(), "watchdog")).toMatchObject({ kind: "ready" });
    expect(w.describes).toEqual([TASK, TASK]);
  });

  it("a recording with no end hinted is described (the lost-callback safety net), events not read", async () => {
    const w = world();
    w.describeAnswer = { ok: true, state: "in-progress", files: [] };
    expect(await assessTask(w.kit, runningRecord(), async () => w.kit.deps.cosFactory.forRole(), "watchdog")).toEqual({ kind: "not-ended" });
    expect(w.describes).toEqual([TASK]);
  });

  it("a stop event arriving after the 310 (callbacks out of order) delivers at once, without a Describe", async () => {
    const w = world();
    const record = runningRecord();
    record.stop = { reason: "no-anchor-timeout", at: new Date(T0).toISOString(), detail: "LeaveCode 99" };
    await w.kit.records.save(record);
    await logEvent(w.store, 310, uploaded(FILE));
    await logEvent(w.store, 302, { LeaveCode: 99 });
    w.staged.push(`stage/${TASK}/${FILE}`);
    const report = await deliverStep(w.kit, { recordingId: "rec-1", reason: "recording-stopped" }, { requestId: "inv-1", remainingMs: () => 900_000 });
    expect(report).toMatchObject({ outcome: "delivered", status: "FINISHED" });
    expect(w.delivered).toEqual(["rec-1"]);
    expect(w.describes).toEqual([]);
  });

  it("a stop event while the 310 has not come yet still waits, without a Describe (as before)", async () => {
    const w = world();
    const record = runningRecord();
    record.stop = { reason: "no-anchor-timeout", at: new Date(T0).toISOString(), detail: "LeaveCode 99" };
    await w.kit.records.save(record);
    await logEvent(w.store, 302, { LeaveCode: 99 });
    const report = await deliverStep(w.kit, { recordingId: "rec-1", reason: "recording-stopped" }, { requestId: "inv-1", remainingMs: () => 900_000 });
    expect(report).toMatchObject({ outcome: "waiting", status: "RUNNING" });
    expect(w.describes).toEqual([]);
    expect(w.delivered).toEqual([]);
  });
});

describe("against the TRTC double and its callbacks", () => {
  let h: RecorderHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const describesOf = (harness: RecorderHarness) => harness.trtc.calls.filter((c) => c.action === "DescribeCloudRecording").length;

  it("an ended class is delivered from its 302/305/310 alone: FINISHED with no DescribeCloudRecording", async () => {
    const d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver, trtcEvents: true });
    h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher", { color: "red", toneHz: 440 });
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM, Mode: "12" })), { requestId: "rec-ev" });
    await h.trtc.advance(3_000);
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-ev"));
    await h.settleTrtc();
    await h.runQueued();
    const record = await h.record("rec-ev");
    expect(record?.status).toBe("FINISHED");
    expect(record?.task).toMatchObject({ by: "events" });
    expect(d.calls.map((c) => c.job.sources.map((s) => s.key.slice(s.key.lastIndexOf("/") + 1)))).toEqual([[`${HARNESS.sdkAppId}_${ROOM}.mp4`]]);
    expect(describesOf(h)).toBe(0);
  });

  it("a split recording still asks Describe before delivering all its parts", async () => {
    const d = scriptedDeliver();
    h = await startRecorderHarness({ deliver: d.deliver, trtcEvents: true, trtcOptions: { splitEverySeconds: 2 } });
    h.trtc.room(HARNESS.sdkAppId, ROOM).join("teacher", { color: "red", toneHz: 440 });
    await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM, Mode: "12" })), { requestId: "rec-split" });
    await h.trtc.advance(5_000);
    await h.recorderApi(h.apigwRequest("DELETE", "/recordings/rec-split"));
    await h.settleTrtc();
    await h.runQueued();
    await h.recorder(h.timerEvent());
    await h.runQueued();
    expect((await h.record("rec-split"))?.status).toBe("FINISHED");
    expect(d.calls[0]?.job.sources).toHaveLength(3);
    expect(describesOf(h)).toBeGreaterThan(0);
  });
});
