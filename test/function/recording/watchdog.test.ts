// The watchdog looks only at recordings the attention index says are due, paces its TRTC calls and backs off on
// RequestLimitExceeded, and stays inside its tick budget. Everything runs on a manual clock: "time" in these tests
// is what the code under test asked the clock for, never the wall clock.
import type COS from "cos-nodejs-sdk-v5";
import { describe, expect, it } from "vitest";
import type { DescribeOutcome, RecordingEngine } from "../../../function/engine/port";
import { createLogger } from "../../../function/log/logger";
import { createMasker } from "../../../function/log/mask";
import { DEFAULT_CONFIG, type RecorderConfig } from "../../../function/recording/deps";
import { ManualClock } from "../fakes/manual-clock";
import { makeKit, type Kit } from "../../../function/recording/kit";
import { runWatchdog, type WatchdogReport } from "../../../function/recording/watchdog";
import { nudgeWatchdog, periodFor, scheduleFirstLook } from "../../../function/recording/watchdog-tuning";
import { parseAttentionKey } from "../../../function/state/attention";
import { stateKeys } from "../../../function/state/keys";
import type { StatusRecord } from "../../../function/state/status-record";
import { fakeKms } from "../fakes/fake-kms";
import { memoryStore, type MemoryStore } from "../fakes/memory-store";

const T0 = Date.parse("2026-12-07T08:00:00Z");
const MIN = 60_000;

interface World {
  kit: Kit;
  clock: ManualClock;
  store: MemoryStore;
  /** Task state per TaskId as the fake TRTC answers Describe; absent = in progress. */
  tasks: Map<string, DescribeOutcome>;
  describes: Array<{ taskId: string; at: number }>;
  invoked: Array<{ recordingId: string; reason?: string }>;
  /** Keys TRTC "wrote" into staging (for listSources). */
  staged: string[];
  tick(remainingMs?: number): Promise<WatchdogReport>;
}

function world(opts: { watchdog?: RecorderConfig["watchdog"]; describe?: (taskId: string, w: World) => Promise<DescribeOutcome | undefined> } = {}): World {
  const clock = new ManualClock(T0);
  const store = memoryStore();
  const tasks = new Map<string, DescribeOutcome>();
  const describes: World["describes"] = [];
  const invoked: World["invoked"] = [];
  const staged: string[] = [];
  const cos = {
    getBucket: async (p: { Prefix: string }) => ({ Contents: staged.filter((k) => k.startsWith(p.Prefix)).map((Key) => ({ Key })), IsTruncated: "false" }),
    putObject: async () => ({}),
  } as unknown as COS;
  const w = { clock, store, tasks, describes, invoked, staged } as unknown as World;
  const engine: RecordingEngine = {
    name: "fake",
    mixCanvas: { width: 1280, height: 720 },
    start: async () => ({ ok: true, taskId: "t" }),
    stop: async () => ({ ok: true, alreadyGone: false }),
    modify: async () => ({ ok: true, gone: false }),
    outputPrefix: (s, taskId) => [...s.fileNamePrefix, taskId, ""].join("/"),
    async describe(_app, taskId) {
      describes.push({ taskId, at: clock.now() });
      const scripted = await opts.describe?.(taskId, w);
      if (scripted) return scripted;
      return tasks.get(taskId) ?? { ok: true, state: "in-progress", files: [] };
    },
  };
  const config: RecorderConfig = { ...DEFAULT_CONFIG, kmsKeyId: "kms-1", ffmpegPath: "ffmpeg", workRoots: [], watchdog: opts.watchdog };
  const kit = makeKit({
    engine,
    state: store,
    secrets: { get: async () => undefined },
    kms: fakeKms(),
    invoker: { invokeRecorder: async (m) => void invoked.push(m as { recordingId: string; reason?: string }) },
    cosFactory: { forRole: () => cos, forKeys: () => cos },
    callback: { fetch: async () => new Response("") },
    deliver: async () => ({ kind: "failed", message: "transcode failed", detail: "not used" }),
    clock,
    log: createLogger({ sink: () => undefined, masker: createMasker(), now: clock.now }),
    config,
  });
  Object.assign(w, { kit, tick: (remainingMs = 900_000) => runWatchdog(kit, { requestId: "tick", remainingMs: () => remainingMs }) });
  return w;
}

/** A RUNNING recording created at `at` (its task id is `task-<id>`), with its first look scheduled as start does. */
async function running(w: World, id: string, at = w.clock.now()): Promise<StatusRecord> {
  const iso = new Date(at).toISOString();
  const record: StatusRecord = {
    recordingId: id,
    status: "RUNNING",
    createdAt: iso,
    updatedAt: iso,
    spec: { sdkAppId: 1400000001, room: { kind: "int", roomId: 1 }, userId: `rec_${id}`, mode: "12", isReserve: false, cos: { region: "ap-guangzhou", bucket: "caller-1250000000", path: "", keys: "role" } },
    engine: { name: "fake", taskId: `task-${id}`, startedAt: iso },
    staging: { owner: "deployment", bucket: "staging-1250000000", region: "ap-guangzhou", prefix: `stage/task-${id}/` },
    target: { bucket: "caller-1250000000", region: "ap-guangzhou", key: `${id}.mp4` },
    files: [],
    history: [{ at: iso, status: "RUNNING" }],
  };
  await w.kit.records.save(record);
  await w.store.put(stateKeys.active(id), id);
  await scheduleFirstLook(w.kit, record);
  return record;
}

function entries(w: World) {
  return [...w.store.objects.keys()].map(parseAttentionKey).filter((e) => e !== undefined);
}

describe("which recordings the watchdog looks at", () => {
  it("looks at none of 200 healthy recordings between their checks, and at each once its check is due", async () => {
    const w = world();
    const created = new Map<string, number>();
    for (let i = 0; i < 200; i++) {
      await running(w, `r${i}`, T0 + (i % 20) * MIN);
      created.set(`r${i}`, T0 + (i % 20) * MIN);
    }
    w.clock.ms = T0 + 25 * MIN;
    // First looks (5 min after creation) only move the entry on: a young task is not described.
    const first = await w.tick();
    expect(first).toMatchObject({ checked: 200, described: 0 });
    // Then each recording is described once its periodic check (45 min ± 15 %, spread by id) is due — never before
    // the minute it falls due in (the index is kept by minute).
    for (let t = T0 + 26 * MIN; t <= T0 + 72 * MIN; t += MIN) {
      w.clock.ms = t;
      const seen = w.describes.length;
      await w.tick();
      for (const d of w.describes.slice(seen)) {
        const id = d.taskId.slice("task-".length);
        expect(Math.floor((created.get(id)! + periodFor(id, 45 * MIN)) / MIN)).toBeLessThanOrEqual(t / MIN);
      }
    }
    expect(new Set(w.describes.map((d) => d.taskId)).size).toBe(200);
    // …and no recording twice within one (shortest) interval.
    for (const id of created.keys()) {
      const at = w.describes.filter((d) => d.taskId === `task-${id}`).map((d) => d.at);
      for (let k = 1; k < at.length; k++) expect(at[k]! - at[k - 1]!).toBeGreaterThanOrEqual(0.85 * 45 * MIN - MIN);
    }
    // Every live recording still has exactly one check entry.
    const checks = entries(w).filter((e) => e.kind === "check");
    expect(checks).toHaveLength(200);
    expect(new Set(checks.map((e) => e.recordingId)).size).toBe(200);
  });

  it("a stop event's nudge brings a recording forward: the ended task is found and delivered within two ticks", async () => {
    const w = world();
    await running(w, "ended");
    await running(w, "other");
    w.clock.ms += 10 * MIN;
    await w.tick();
    w.describes.length = 0;
    // TRTC stopped the task; the event handler invoked delivery (lost here) and nudged the watchdog.
    w.tasks.set("task-ended", { ok: true, state: "gone", files: [] });
    w.staged.push("stage/task-ended/1400000001_1.mp4");
    await nudgeWatchdog(w.kit, "ended");
    w.clock.ms += MIN;
    const report = await w.tick();
    expect(w.describes.map((d) => d.taskId)).toEqual(["task-ended"]);
    expect(report.deliveriesStarted).toEqual(["ended"]);
    expect(w.invoked).toEqual([{ action: "deliver", recordingId: "ended", reason: "watchdog" }]);
  });

  it("drops the entries of a finished recording without describing it, and removes its active marker", async () => {
    const w = world();
    const r = await running(w, "done");
    await w.kit.records.save({ ...r, status: "FINISHED" });
    w.clock.ms += 5 * MIN;
    const report = await w.tick();
    expect(report).toMatchObject({ checked: 1, dropped: 1, described: 0 });
    expect(entries(w)).toEqual([]);
    expect(await w.store.get(stateKeys.active("done"))).toBeUndefined();
  });

  it("fails a start that never finished once it is stale, as before", async () => {
    const w = world();
    const iso = new Date(T0).toISOString();
    const record: StatusRecord = { recordingId: "stuck", status: "STARTING", createdAt: iso, updatedAt: iso, files: [], history: [{ at: iso, status: "STARTING" }] };
    await w.kit.records.save(record);
    await scheduleFirstLook(w.kit, record);
    w.clock.ms = T0 + 4 * MIN;
    expect((await w.tick()).failed).toEqual([]);
    w.clock.ms = T0 + 5 * MIN + 1;
    expect((await w.tick()).failed).toEqual(["stuck"]);
    expect((await w.kit.records.load("stuck"))?.stop?.reason).toBe("start-incomplete");
  });

  it("restarts a delivery whose lease is gone, and leaves one whose lease is held alone", async () => {
    const w = world();
    for (const id of ["held", "dead"]) {
      const r = await running(w, id);
      await w.kit.records.save({ ...r, status: "DELIVERING", delivery: { invocations: 1, startedAt: r.createdAt } });
    }
    expect(await w.kit.leases.acquire("held", 15 * MIN)).toEqual(expect.any(String));
    w.clock.ms += 5 * MIN;
    const report = await w.tick();
    expect(report.rekicked).toEqual(["dead"]);
    expect(w.invoked.map((m) => m.recordingId)).toEqual(["dead"]);
    expect(w.describes).toEqual([]);
  });

  it("the hourly sweep gives a live recording without any entry (a crash between writes) a check entry", async () => {
    const w = world();
    await running(w, "lost");
    for (const e of entries(w)) await w.store.delete(e.key);
    const first = await w.tick();
    expect(first.swept).toEqual({ missing: 1, duplicates: 0 });
    // Re-added as due now, so the same tick already looked at it and moved it to its next check.
    expect(first.checked).toBe(1);
    expect(entries(w).map((e) => [e.recordingId, e.kind, e.minute])).toEqual([["lost", "check", Math.floor((T0 + periodFor("lost", 45 * MIN)) / MIN)]]);
  });
});

describe("inside TRTC's limits and one invocation's time", () => {
  it("paces Describe at the configured rate per second, measured on the clock the calls were made at", async () => {
    // One worker: this test clock jumps on every sleep, so concurrent sleepers would not compose.
    const w = world({ watchdog: { checkIntervalMs: 0, concurrency: 1, pace: { perSecond: 5, burst: 1 } } });
    for (let i = 0; i < 30; i++) await running(w, `p${i}`);
    w.clock.ms += MIN;
    const report = await w.tick();
    expect(report.described).toBe(30);
    // Any one-second window of the clock holds at most rate + burst calls; 30 calls need ≥ 29 / 5 s.
    const times = w.describes.map((d) => d.at);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(6);
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(5800);
  });

  it("backs off on RequestLimitExceeded (1 s, then doubling) and retries; a look throttled twice stays due", async () => {
    let refusals = 3;
    const w = world({
      watchdog: { checkIntervalMs: 0, concurrency: 1 },
      describe: async () => (refusals-- > 0 ? { ok: false, code: "RequestLimitExceeded", message: "too many", retryable: true } : undefined),
    });
    await running(w, "a");
    await running(w, "b");
    w.clock.ms += MIN;
    const report = await w.tick();
    // a: refused, backoff 1 s, refused again, backoff 2 s → left due. b: refused, backoff 4 s, then served.
    expect(report.throttled).toBe(3);
    expect(w.clock.sleeps.filter((ms) => ms >= 1000)).toEqual([1000, 2000, 4000]);
    expect(report.described).toBe(2);
    expect(w.describes.filter((d) => d.taskId === "task-b")).toHaveLength(2);
    // "a" is still due: the next tick describes it.
    w.clock.ms += MIN;
    await w.tick();
    expect(w.describes.filter((d) => d.taskId === "task-a")).toHaveLength(3);
  });

  it("starts no new look after its tick budget and defers the rest to the next tick, oldest first", async () => {
    // Each Describe takes 1 s of the manual clock; a 10 s budget fits 10 sequential looks.
    const w = world({
      watchdog: { checkIntervalMs: 0, concurrency: 1, tickBudgetMs: 10_000 },
      describe: async () => {
        await w.clock.sleep(1000);
        return undefined;
      },
    });
    for (let i = 0; i < 25; i++) await running(w, `d${String(i).padStart(2, "0")}`);
    w.clock.ms += MIN;
    const first = await w.tick();
    expect(first).toMatchObject({ described: 10, deferred: 15 });
    // The 15 left over are older than the 10 just looked at (due again at once with interval 0): they go first.
    const second = await w.tick();
    expect(second).toMatchObject({ described: 10, deferred: 15 });
    expect(new Set(w.describes.map((d) => d.taskId)).size).toBe(20);
  });

  it("a second watchdog invocation while one is running does nothing", async () => {
    const w = world();
    await w.store.put("watchdog/lock.json", JSON.stringify({ expiresAt: T0 + 10 * MIN }));
    expect((await w.tick()).skipped).toMatch(/another watchdog/);
    w.clock.ms = T0 + 11 * MIN;
    expect((await w.tick()).skipped).toBeUndefined();
  });
});
