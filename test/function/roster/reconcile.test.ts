// The roster wired to the event log and the engine port: when a call is made, when it is not, what a failure
// does, and what the status record is told. A memory store and a scripted engine stand in for COS and TRTC.
import { describe, expect, it } from "vitest";
import type { ModifyOutcome, RecordingEngine } from "../../../function/engine/port";
import { modifyRecordingRequest } from "../../../function/engine/trtc-adapter";
import { eventIdentity, parseTrtcEvent } from "../../../function/events/trtc-callback";
import { createLogger } from "../../../function/log/logger";
import { createMasker } from "../../../function/log/mask";
import { applyRosterRules, rosterReport, RosterNotAppliedError, type RoomEventContext } from "../../../function/roster/on-room-event";
import type { MixPlan } from "../../../function/roster/plan";
import { loadRosterState, reconcileRoster } from "../../../function/roster/reconcile";
import { factOf, sessionKeys } from "../../../function/roster/room-log";
import { stateKeys } from "../../../function/state/keys";
import type { StatusRecord } from "../../../function/state/status-record";
import { memoryStore, type MemoryStore } from "../fakes/memory-store";

const APP = 1400000001;
const ROOM = { kind: "int" as const, roomId: 1234 };
const START = 1_700_000_000_000;
const log = createLogger({ sink: () => {}, masker: createMasker(), now: () => START });

function running(id = "rec-1", userId = "recorder_1", isReserve = false): StatusRecord {
  return {
    recordingId: id,
    status: "RUNNING",
    createdAt: new Date(START).toISOString(),
    updatedAt: new Date(START).toISOString(),
    spec: { sdkAppId: APP, room: ROOM, userId, mode: "12", isReserve, cos: { region: "ap-guangzhou", bucket: "b-1250000000", path: "/", keys: "role" } },
    engine: { name: "fake", taskId: `task-${id}`, startedAt: new Date(START).toISOString() },
    files: [],
    history: [],
  };
}

let unique = 0;
function body(type: number, userId: string | undefined, atMs: number, role?: number): Buffer {
  const info: Record<string, unknown> = { RoomId: 1234, EventTs: Math.floor(atMs / 1000), EventMsTs: atMs, UniqueId: ++unique };
  if (userId !== undefined) info.UserId = userId;
  if (role !== undefined) info.Role = role;
  return Buffer.from(JSON.stringify({ EventGroupId: 1, EventType: type, CallbackTs: atMs, EventInfo: info }));
}

/** Logs an event the way /trtc-events does (one object per distinct event) and returns it parsed. */
async function logEvent(store: MemoryStore, raw: Buffer) {
  const e = parseTrtcEvent(raw, String(APP));
  if (!e?.room) throw new Error("test event without a room");
  await store.create(stateKeys.roomEvent(APP, e.room, e.eventMsTs, e.type, eventIdentity(e)), raw);
  return e;
}

function scriptedEngine(outcomes: ModifyOutcome[] = [], onModify?: () => Promise<void>) {
  const calls: Array<{ taskId: string; plan: MixPlan }> = [];
  const engine: RecordingEngine = {
    name: "fake",
    mixCanvas: { width: 1280, height: 720 },
    start: async () => ({ ok: true, taskId: "t" }),
    describe: async () => ({ ok: true, state: "in-progress", files: [] }),
    stop: async () => ({ ok: true, alreadyGone: false }),
    outputPrefix: () => "p/",
    async modify(_app, taskId, plan) {
      calls.push({ taskId, plan });
      await onModify?.();
      return outcomes.shift() ?? { ok: true, gone: false };
    },
  };
  return { engine, calls, mixed: () => calls.map((c) => c.plan.tiles.map((t) => t.userId)) };
}

function deps(store: MemoryStore, engine: RecordingEngine) {
  return { state: store, engine, log, now: () => START };
}

async function hookFor(store: MemoryStore, engine: RecordingEngine, raw: Buffer, records: StatusRecord[] = [running()]): Promise<void> {
  const event = await logEvent(store, raw);
  const ctx: RoomEventContext = { event, duplicate: false, log, state: store, engine, recordings: async () => records, now: () => START };
  await applyRosterRules(ctx);
}

describe("applying the roster on room events", () => {
  it("calls ModifyCloudRecording when the plan changes and not for a retry of the same event", async () => {
    const store = memoryStore();
    const e = scriptedEngine();
    const enter = body(103, "a", START + 100, 20);
    await hookFor(store, e.engine, enter);
    await hookFor(store, e.engine, enter);
    await hookFor(store, e.engine, body(103, "b", START + 200, 20));
    expect(e.mixed()).toEqual([["a"], ["a", "b"]]);
    expect(e.calls[0].taskId).toBe("task-rec-1");
    expect(await loadRosterState(store, "rec-1")).toMatchObject({ calls: 2, mixed: ["a", "b"], waiting: [], roomEvents: 2 });
  });

  it("does not rebuild for an audience member, but their events still count in the next rebuild", async () => {
    const store = memoryStore();
    const e = scriptedEngine();
    await hookFor(store, e.engine, body(103, "viewer", START + 100, 21));
    expect(e.calls).toEqual([]);
    await hookFor(store, e.engine, body(105, "viewer", START + 200, 20));
    expect(e.mixed()).toEqual([["viewer"]]);
  });

  it("ignores events about a recording robot of any recording running in the room", async () => {
    const store = memoryStore();
    const e = scriptedEngine();
    const records = [running("rec-1", "recorder_1"), running("rec-2", "recorder_2")];
    await hookFor(store, e.engine, body(103, "recorder_2", START + 100, 20), records);
    expect(e.calls).toEqual([]);
    await hookFor(store, e.engine, body(103, "a", START + 200, 20), records);
    expect(e.mixed()).toEqual([["a"], ["a"]]);
    expect(e.calls.map((c) => c.taskId)).toEqual(["task-rec-1", "task-rec-2"]);
  });

  it("throws on a retryable failure so TRTC re-sends the event; the retry applies the plan", async () => {
    const store = memoryStore();
    const e = scriptedEngine([{ ok: false, code: "InternalError", message: "busy", retryable: true }]);
    const enter = body(103, "a", START + 100, 20);
    await expect(hookFor(store, e.engine, enter)).rejects.toBeInstanceOf(RosterNotAppliedError);
    expect(await loadRosterState(store, "rec-1")).toMatchObject({ failures: 1, lastError: "InternalError: busy", calls: 0 });
    await hookFor(store, e.engine, enter);
    const state = await loadRosterState(store, "rec-1");
    expect(state).toMatchObject({ calls: 1, failures: 1 });
    expect(state?.lastError).toBeUndefined();
  });

  it("does not throw for a task that is gone or a failure retrying cannot fix", async () => {
    const store = memoryStore();
    const gone = scriptedEngine([{ ok: true, gone: true }]);
    await hookFor(store, gone.engine, body(103, "a", START + 100, 20));
    const refused = scriptedEngine([{ ok: false, code: "InvalidParameter", message: "no", retryable: false }]);
    await hookFor(store, refused.engine, body(103, "b", START + 200, 20));
    expect(refused.calls).toHaveLength(1);
  });

  it("goes round again when an event was logged while its call was in flight (the last call follows the whole log)", async () => {
    const store = memoryStore();
    let once = false;
    const e = scriptedEngine([], async () => {
      if (once) return;
      once = true;
      await logEvent(store, body(103, "late", START + 300, 20));
    });
    await logEvent(store, body(103, "a", START + 100, 20));
    await reconcileRoster(deps(store, e.engine), running(), [], "test");
    expect(e.mixed()).toEqual([["a"], ["a", "late"]]);
  });

  it("makes no call for a room where nobody ever holds a tile (TRTC's starting layout already says so)", async () => {
    const store = memoryStore();
    const e = scriptedEngine();
    await logEvent(store, body(101, undefined, START + 10));
    expect(await reconcileRoster(deps(store, e.engine), running(), [], "test")).toMatchObject({ kind: "unchanged" });
    expect(e.calls).toEqual([]);
  });

  it("leaves TRTC's layout alone when the room has no logged event, and for records that are not running", async () => {
    const store = memoryStore();
    const e = scriptedEngine();
    expect(await reconcileRoster(deps(store, e.engine), running(), [], "test")).toEqual({ kind: "no-events" });
    await logEvent(store, body(103, "a", START + 100, 20));
    expect(await reconcileRoster(deps(store, e.engine), { ...running(), status: "DELIVERING" }, [], "test")).toEqual({ kind: "not-running" });
    expect(e.calls).toEqual([]);
  });
});

describe("reading the room's log", () => {
  it("reads only the session the recording started in", () => {
    const keys = [
      "events/1/i-1/000000000001000-101-aa.json",
      "events/1/i-1/000000000002000-103-bb.json",
      "events/1/i-1/000000000003000-102-cc.json",
      "events/1/i-1/000000000004000-101-dd.json",
      "events/1/i-1/000000000005000-103-ee.json",
      "events/1/i-1/000000000007000-102-ff.json",
    ];
    expect(sessionKeys(keys, 4_500)).toEqual(keys.slice(3));
    expect(sessionKeys(keys, 500)).toEqual(keys);
  });

  it("turns a logged body into a fact (Role and UniqueId from EventInfo, numbers sent as text accepted)", () => {
    const raw = Buffer.from(JSON.stringify({ EventGroupId: 1, EventType: 105, EventInfo: { RoomId: 1, EventTs: "1700000000", UserId: "u", Role: "21", UniqueId: "77" } }));
    expect(factOf(raw)).toEqual({ type: 105, atMs: 1_700_000_000_000, userId: "u", role: 21, uniqueId: "77" });
    expect(factOf(Buffer.from(JSON.stringify({ EventGroupId: 3, EventType: 301, EventInfo: {} })))).toBeUndefined();
  });
});

describe("what TRTC is sent", () => {
  const plan: MixPlan = {
    canvas: { width: 1280, height: 720 },
    tiles: [
      { userId: "a", rect: { x: 0, y: 0, w: 640, h: 720 } },
      { userId: "b", rect: { x: 640, y: 0, w: 640, h: 720 } },
    ],
    audioUserIds: ["a", "b"],
    videoUserIds: ["a", "b"],
  };

  it("a custom layout naming every tile's UserId, and allow lists for audio and video", () => {
    expect(modifyRecordingRequest(APP, "T", plan)).toEqual({
      SdkAppId: APP,
      TaskId: "T",
      MixLayoutParams: {
        MixLayoutMode: 4,
        MixLayoutList: [
          { UserId: "a", Left: 0, Top: 0, Width: 640, Height: 720 },
          { UserId: "b", Left: 640, Top: 0, Width: 640, Height: 720 },
        ],
      },
      SubscribeStreamUserIds: { SubscribeAudioUserIds: ["a", "b"], SubscribeVideoUserIds: ["a", "b"] },
    });
  });

  it("TRTC's grid and an explicit 'everyone' when nobody holds a tile", () => {
    expect(modifyRecordingRequest(APP, "T", { ...plan, tiles: [], audioUserIds: [], videoUserIds: [] })).toEqual({
      SdkAppId: APP,
      TaskId: "T",
      MixLayoutParams: { MixLayoutMode: 3 },
      SubscribeStreamUserIds: { SubscribeAudioUserIds: [".*$"], SubscribeVideoUserIds: [".*$"] },
    });
  });
});

describe("the status record's roster report", () => {
  const base = { calls: 2, unchanged: 0, failures: 0, roomEvents: 5, mixed: ["a"], away: [], waiting: ["g"], updatedAt: "" };

  it("says not applied when no room event arrived", () => {
    expect(rosterReport(0)).toMatchObject({ roomEvents: 0, rulesApplied: false, note: expect.stringMatching(/^not-applied: no room events received/) });
  });

  it("says applied, with who was mixed and who waited, when the roster ran", () => {
    expect(rosterReport(5, base)).toMatchObject({ rulesApplied: true, note: expect.stringMatching(/^applied/), modifyCalls: 2, mixed: ["a"], waiting: ["g"] });
  });

  it("says partially applied when the last call failed", () => {
    expect(rosterReport(5, { ...base, lastError: "InternalError: busy" })).toMatchObject({ rulesApplied: false, note: expect.stringMatching(/^partially-applied.*InternalError/) });
  });
});
