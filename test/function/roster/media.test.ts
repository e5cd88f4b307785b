// The roster rules judged by what was recorded: scripted rooms in the TRTC double, its room events sent (signed,
// retried, optionally duplicated and reordered) to the recorder's real /trtc-events, the recorder's
// ModifyCloudRecording calls honoured by the double's mixing, and the delivered MP4 decoded: tile colours per time
// window and which anchors' tones are heard.
import { createHmac } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver } from "../../../function/delivery/deliver";
import { MIX_CANVAS } from "../../../function/engine/trtc-adapter";
import { tileRects } from "../../../function/roster/layout";
import type { RosterReport } from "../../../function/state/status-record";
import { colorMatches, gridRects, TONE_PRESENT_DB, tileColor, toneLevelsDb, type EventChaos, type Rgb, type Room } from "../../../emulator/trtc";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

// Seven anchors (a7 is the one too many), each a colour and a tone of its own, and an audience member.
const ANCHORS = [
  { id: "a1", color: "red", hz: 300 },
  { id: "a2", color: "lime", hz: 500 },
  { id: "a3", color: "blue", hz: 700 },
  { id: "a4", color: "yellow", hz: 1100 },
  { id: "a5", color: "cyan", hz: 1300 },
  { id: "a6", color: "magenta", hz: 1700 },
  { id: "a7", color: "white", hz: 1900 },
] as const;
const VIEWER = { id: "viewer", color: "orange", hz: 2300 };
const PHASE_MS = 3_000;

interface Recorded {
  file: string;
  taskId: string;
  /** Every ModifyCloudRecording the recorder made. */
  modifies: Array<Record<string, unknown>>;
  /** The status record's roster report. */
  roster: RosterReport | undefined;
  h: RecorderHarness;
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/**
 * Records one scripted class (Mode 12, AV MP4) with TRTC's events going to /trtc-events. `script` runs with the
 * room and a `phase()` that lets every event be handled (and every Modify land) before room time moves on.
 */
async function recordClass(
  id: string,
  opts: { isReserve: boolean; chaos?: EventChaos; events?: boolean },
  script: (room: Room, phase: () => Promise<void>, h: RecorderHarness) => Promise<void>,
): Promise<Recorded> {
  const h = await startRecorderHarness({ deliver, trtcEvents: opts.events ?? true, trtcEventChaos: opts.chaos });
  const room = h.trtc.room(HARNESS.sdkAppId, 1234);
  await h.recorder(h.apigwPost("/record", h.recordRequest({ Mode: "12", IsReserve: opts.isReserve })), { requestId: id });
  // Room time starts ahead of the function's clock, so every scripted event is after the recording's start.
  await h.trtc.advance(Math.max(0, Date.now() - h.trtc.clock.now()) + 1_000);
  await h.trtc.events.idle();
  const phase = async () => {
    await h.trtc.events.idle();
    await h.trtc.advance(PHASE_MS);
  };
  await script(room, phase, h);
  const stop = await h.recorderApi(h.apigwRequest("DELETE", `/recordings/${id}`));
  expect(stop.statusCode).toBeLessThan(300);
  await h.settleTrtc();
  await h.recorder(h.timerEvent());
  await h.runQueued();
  const record = await h.record(id);
  expect(record?.status, JSON.stringify(record?.failure)).toBe("FINISHED");
  const body = h.cos.getObjectDirect(HARNESS.buckets.caller, record?.target?.key ?? "");
  if (!body) throw new Error(`no delivered object for ${id}`);
  const dir = await mkdtemp(join(tmpdir(), "roster-media-"));
  dirs.push(dir);
  const file = join(dir, `${id}.mp4`);
  await writeFile(file, body);
  const modifies = h.trtc.calls.filter((c) => c.action === "ModifyCloudRecording").map((c) => c.params as Record<string, unknown>);
  return { file, taskId: record?.engine?.taskId ?? "", modifies, h, roster: record?.roster };
}

const SIX = tileRects(6, MIX_CANVAS);

function hex(c: Rgb): string {
  return `rgb(${c.r},${c.g},${c.b})`;
}

/** The colour of each of the six tiles at `t` seconds. */
async function sixColours(file: string, t: number): Promise<Rgb[]> {
  return Promise.all(SIX.map((rect) => tileColor(file, t, rect)));
}

function expectColours(actual: Rgb[], expected: readonly string[]): void {
  const ok = actual.map((c, i) => colorMatches(c, expected[i]));
  expect(ok, `tiles were ${actual.map(hex).join(" ")}; expected ${expected.join(" ")}`).toEqual(expected.map(() => true));
}

const A8 = { id: "a8", color: "#808080", hz: 2700 };

async function levels(file: string, fromS: number, toS: number): Promise<Map<number, number>> {
  return toneLevelsDb(file, [...ANCHORS.map((a) => a.hz), VIEWER.hz, A8.hz], { fromS, toS });
}

function heard(l: Map<number, number>): number[] {
  return [...l.entries()].filter(([, db]) => db > TONE_PRESENT_DB).map(([hz]) => hz);
}

function joinAll(room: Room): void {
  for (const a of ANCHORS) room.join(a.id, { color: a.color, toneHz: a.hz });
  room.join(VIEWER.id, { role: 21, color: VIEWER.color, toneHz: VIEWER.hz });
}

function forged(body: Record<string, unknown>): string {
  return JSON.stringify(body);
}

describe("7 anchors with IsReserve false", () => {
  let r: Recorded;
  const forgedReplies: number[] = [];
  let modifiesBeforeForgery = 0;
  const loggedEvents: number[] = [];
  beforeAll(async () => {
    r = await recordClass("roster-free", { isReserve: false }, async (room, phase, h) => {
      joinAll(room);
      await phase();
      // Forged events (signed with the wrong key, or not at all): a1 "leaves", an intruder "enters" as anchor.
      modifiesBeforeForgery = h.trtc.calls.filter((c) => c.action === "ModifyCloudRecording").length;
      loggedEvents.push((await h.stateKeys("events/")).length);
      const now = h.trtc.clock.now();
      for (const [body, key] of [
        [forged({ EventGroupId: 1, EventType: 104, CallbackTs: now, EventInfo: { RoomId: 1234, EventTs: Math.floor(now / 1000), EventMsTs: now, UserId: "a1", UniqueId: 1, Role: 20, Reason: 1 } }), "NotTheConsoleKey"],
        [forged({ EventGroupId: 1, EventType: 103, CallbackTs: now, EventInfo: { RoomId: 1234, EventTs: Math.floor(now / 1000), EventMsTs: now, UserId: "intruder", UniqueId: 2, Role: 20, Reason: 1 } }), undefined],
      ] as const) {
        const headers: Record<string, string> = { "Content-Type": "application/json", SdkAppId: String(HARNESS.sdkAppId) };
        if (key) headers.Sign = createHmac("sha256", key).update(body).digest("base64");
        const res = await fetch(`${h.apiUrl}/trtc-events`, { method: "POST", headers, body });
        forgedReplies.push(res.status);
      }
      loggedEvents.push((await h.stateKeys("events/")).length);
      room.leave("a3");
      await phase();
    });
  });
  afterAll(async () => {
    await r?.h.close();
  });

  it("mixes only the first six anchors, in entry order, in a 3x2 grid", async () => {
    expectColours(await sixColours(r.file, 1.5), ["red", "lime", "blue", "yellow", "cyan", "magenta"]);
    expect(heard(await levels(r.file, 0.3, 2.7))).toEqual([300, 500, 700, 1100, 1300, 1700]);
  });

  it("gives the freed tile to the 7th anchor when one leaves, in the same place, with their sound", async () => {
    expectColours(await sixColours(r.file, 4.5), ["red", "lime", "white", "yellow", "cyan", "magenta"]);
    expect(heard(await levels(r.file, 3.3, 5.7))).toEqual([300, 500, 1100, 1300, 1700, 1900]);
  });

  it("never shows or plays the audience member", async () => {
    for (const t of [1.5, 4.5]) for (const c of await sixColours(r.file, t)) expect(colorMatches(c, VIEWER.color)).toBe(false);
    expect((await levels(r.file, 0.3, 5.7)).get(VIEWER.hz)).toBeLessThan(TONE_PRESENT_DB);
  });

  it("refuses forged events with 401 and changes nothing (a1 stays, no intruder, no extra Modify)", async () => {
    expect(forgedReplies).toEqual([401, 401]);
    expect(loggedEvents[1]).toBe(loggedEvents[0]);
    // The only Modify after the forgeries is the one a3's departure caused.
    expect(r.modifies.length - modifiesBeforeForgery).toBe(1);
    expect(JSON.stringify(r.modifies)).not.toContain("intruder");
    expect(colorMatches(await tileColor(r.file, 4.5, SIX[0]), "red")).toBe(true);
  });

  it("told TRTC an explicit UserId per tile and subscribed audio and video of exactly those six", () => {
    const last = r.modifies[r.modifies.length - 1] as { MixLayoutParams: { MixLayoutMode: number; MixLayoutList: Array<{ UserId: string }> }; SubscribeStreamUserIds: Record<string, string[]> };
    const six = ["a1", "a2", "a7", "a4", "a5", "a6"];
    expect(last.MixLayoutParams.MixLayoutMode).toBe(4);
    expect(last.MixLayoutParams.MixLayoutList.map((e) => e.UserId)).toEqual(six);
    expect(last.SubscribeStreamUserIds).toEqual({ SubscribeAudioUserIds: six, SubscribeVideoUserIds: six });
    expect(r.roster).toMatchObject({ rulesApplied: true, note: expect.stringMatching(/^applied/), mixed: six, waiting: [] });
  });
});

describe("7 anchors with IsReserve true", () => {
  let r: Recorded;
  let modifiesAfterJoins = 0;
  beforeAll(async () => {
    r = await recordClass("roster-reserve", { isReserve: true }, async (room, phase, h) => {
      joinAll(room);
      await phase();
      modifiesAfterJoins = h.trtc.calls.filter((c) => c.action === "ModifyCloudRecording").length;
      room.leave("a3");
      await phase();
      room.join("a3", { color: "blue", toneHz: 700 });
      await phase();
    });
  });
  afterAll(async () => {
    await r?.h.close();
  });

  it("keeps the departed anchor's tile on its last frame, silent, and the 7th keeps waiting", async () => {
    expectColours(await sixColours(r.file, 1.5), ["red", "lime", "blue", "yellow", "cyan", "magenta"]);
    expectColours(await sixColours(r.file, 4.5), ["red", "lime", "blue", "yellow", "cyan", "magenta"]);
    expect(heard(await levels(r.file, 3.3, 5.7))).toEqual([300, 500, 1100, 1300, 1700]);
  });

  it("resumes the returning anchor in their own tile, with their sound", async () => {
    expectColours(await sixColours(r.file, 7.5), ["red", "lime", "blue", "yellow", "cyan", "magenta"]);
    expect(heard(await levels(r.file, 6.3, 8.7))).toEqual([300, 500, 700, 1100, 1300, 1700]);
  });

  it("needed no call for the departure or the return (the plan names a3 throughout)", () => {
    expect(modifiesAfterJoins).toBeGreaterThan(0);
    expect(r.modifies).toHaveLength(modifiesAfterJoins);
  });
});

describe("role changes (105)", () => {
  let r: Recorded;
  beforeAll(async () => {
    r = await recordClass("roster-roles", { isReserve: false }, async (room, phase) => {
      for (const a of ANCHORS.slice(0, 6)) room.join(a.id, { color: a.color, toneHz: a.hz });
      room.join(VIEWER.id, { role: 21, color: VIEWER.color, toneHz: VIEWER.hz });
      await phase();
      room.setRole(VIEWER.id, 20);
      await phase();
      room.setRole("a2", 21);
      await phase();
    });
  });
  afterAll(async () => {
    await r?.h.close();
  });

  it("an audience member who becomes an anchor while six are mixed waits: neither seen nor heard", async () => {
    for (const t of [1.5, 4.5]) expectColours(await sixColours(r.file, t), ["red", "lime", "blue", "yellow", "cyan", "magenta"]);
    expect(heard(await levels(r.file, 0.3, 2.7))).toEqual([300, 500, 700, 1100, 1300, 1700]);
    expect(heard(await levels(r.file, 3.3, 5.7))).toEqual([300, 500, 700, 1100, 1300, 1700]);
  });

  it("an anchor who becomes audience (IsReserve false) frees the tile for the one waiting", async () => {
    expectColours(await sixColours(r.file, 7.5), ["red", VIEWER.color, "blue", "yellow", "cyan", "magenta"]);
    expect(heard(await levels(r.file, 6.3, 8.7))).toEqual([300, 700, 1100, 1300, 1700, VIEWER.hz]);
  });
});

describe("duplicated and reordered events", () => {
  const runs: Recorded[] = [];
  beforeAll(async () => {
    for (const [id, chaos] of [
      ["roster-calm", undefined],
      ["roster-chaos", { duplicate: 2, reorder: { windowMs: 150 }, seed: 7 }],
    ] as const) {
      runs.push(
        await recordClass(id, { isReserve: false, chaos }, async (room, phase) => {
          joinAll(room);
          await phase();
          room.leave("a2");
          room.leave("a7");
          room.join(A8.id, { color: A8.color, toneHz: A8.hz });
          await phase();
        }),
      );
    }
  });
  afterAll(async () => {
    for (const r of runs) await r.h.close();
  });

  it("the chaos run really had duplicates and reordering", () => {
    const deliveries = runs[1].h.trtc.events.deliveries;
    expect(deliveries.some((d) => d.duplicate && d.outcome === 200)).toBe(true);
    const roomBodies = deliveries.filter((d) => !d.duplicate && d.attempt === 1 && d.eventType >= 101 && d.eventType <= 105).map((d) => JSON.parse(d.body) as { EventInfo: { EventMsTs: number; UniqueId: number } });
    const order = roomBodies.map((b) => b.EventInfo.UniqueId);
    expect(order).not.toEqual([...order].sort((a, b) => a - b));
  });

  it("gives the same picture and sound as without them", async () => {
    const [calm, chaos] = runs;
    for (const t of [1.5, 4.5]) {
      const [a, b] = [await sixColours(calm.file, t), await sixColours(chaos.file, t)];
      b.forEach((c, i) => expect(colorMatches(c, a[i], 12), `tile ${i} at ${t}s: ${hex(c)} vs ${hex(a[i])}`).toBe(true));
    }
    expectColours(await sixColours(chaos.file, 4.5), ["red", A8.color, "blue", "yellow", "cyan", "magenta"]);
    expect(heard(await levels(chaos.file, 3.3, 5.7))).toEqual([300, 700, 1100, 1300, 1700, A8.hz]);
    for (const [from, to] of [[0.3, 2.7], [3.3, 5.7]]) {
      expect(heard(await levels(chaos.file, from, to))).toEqual(heard(await levels(calm.file, from, to)));
    }
  });
});

describe("without room events (callback URL not configured)", () => {
  let r: Recorded;
  beforeAll(async () => {
    r = await recordClass("roster-none", { isReserve: false, events: false }, async (room, phase) => {
      joinAll(room);
      await phase();
    });
  });
  afterAll(async () => {
    await r?.h.close();
  });

  it("still records and delivers, with TRTC's own grid (all 7 anchors, 3x3), and says the rules were not applied", async () => {
    const nine = gridRects(7, MIX_CANVAS.width, MIX_CANVAS.height);
    const colours = await Promise.all(nine.map((rect) => tileColor(r.file, 1.5, rect)));
    expectColours(colours, ANCHORS.map((a) => a.color));
    expect(r.modifies).toEqual([]);
    expect(r.roster).toMatchObject({ rulesApplied: false, note: expect.stringMatching(/^not-applied: no room events received/) });
  });
});
