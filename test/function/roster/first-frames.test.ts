// The roster rules hold from a recording's first frame and first 100 ms of audio, not from the first Modify after
// creation: TRTC mixes from creation, and its double (like the service) applies a ModifyCloudRecording one round
// trip after the call. Seven anchors (a7 is the one too many), judged on the delivered MP4.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { deliver } from "../../../function/delivery/deliver";
import { MIX_CANVAS } from "../../../function/engine/trtc-adapter";
import { tileRects } from "../../../function/roster/layout";
import { colorMatches, TONE_PRESENT_DB, tileColor, toneLevelsDb, type Rgb, type Room } from "../../../emulator/trtc";
import { HARNESS, startRecorderHarness, type RecorderHarness } from "../harness";

const ANCHORS = [
  { id: "a1", color: "red", hz: 300 },
  { id: "a2", color: "lime", hz: 500 },
  { id: "a3", color: "blue", hz: 700 },
  { id: "a4", color: "yellow", hz: 1100 },
  { id: "a5", color: "cyan", hz: 1300 },
  { id: "a6", color: "magenta", hz: 1700 },
  { id: "a7", color: "white", hz: 1900 },
] as const;
const SIX = tileRects(6, MIX_CANVAS);
const FIRST_SIX = ANCHORS.slice(0, 6).map((a) => a.color);
const ROOM = 4242;

const dirs: string[] = [];
const harnesses: RecorderHarness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function joinAnchors(room: Room): void {
  for (const a of ANCHORS) room.join(a.id, { color: a.color, toneHz: a.hz });
}

/** Records ~3 s in a room prepared by `before` (and `duringCreate`), returns the delivered MP4 and TRTC's create call. */
async function record(id: string, before: (room: Room) => void, duringCreate?: (room: Room) => void) {
  const h = await startRecorderHarness({ deliver, trtcEvents: true, trtcOptions: duringCreate ? { duringCreate } : {} });
  harnesses.push(h);
  const room = h.trtc.room(HARNESS.sdkAppId, ROOM);
  before(room);
  await h.trtc.events.idle();
  await h.recorder(h.apigwPost("/record", h.recordRequest({ RoomId: ROOM, Mode: "12", IsReserve: false })), { requestId: id });
  await h.trtc.events.idle();
  await h.trtc.advance(3_000);
  await h.trtc.events.idle();
  expect((await h.recorderApi(h.apigwRequest("DELETE", `/recordings/${id}`))).statusCode).toBeLessThan(300);
  await h.settleTrtc();
  await h.recorder(h.timerEvent());
  await h.runQueued();
  const rec = await h.record(id);
  expect(rec?.status, JSON.stringify(rec?.failure)).toBe("FINISHED");
  const dir = await mkdtemp(join(tmpdir(), "first-frames-"));
  dirs.push(dir);
  const file = join(dir, `${id}.mp4`);
  await writeFile(file, h.cos.getObjectDirect(HARNESS.buckets.caller, rec?.target?.key ?? "") ?? Buffer.alloc(0));
  const create = h.trtc.calls.find((c) => c.action === "CreateCloudRecording")?.params as Record<string, unknown>;
  return { file, create };
}

async function expectRosterAtStart(file: string): Promise<void> {
  for (const t of [0, 0.05]) {
    const colours: Rgb[] = await Promise.all(SIX.map((rect) => tileColor(file, t, rect)));
    const ok = colours.map((c, i) => colorMatches(c, FIRST_SIX[i]));
    expect(ok, `tiles at ${t}s were ${colours.map((c) => `rgb(${c.r},${c.g},${c.b})`).join(" ")}`).toEqual(FIRST_SIX.map(() => true));
  }
  const levels = await toneLevelsDb(file, ANCHORS.map((a) => a.hz), { fromS: 0, toS: 0.1 });
  const heard = [...levels.entries()].filter(([, db]) => db > TONE_PRESENT_DB).map(([hz]) => hz);
  expect(heard).toEqual(ANCHORS.slice(0, 6).map((a) => a.hz));
}

describe("the roster from frame 0", () => {
  it("seven anchors already in the room: CreateCloudRecording carries the six tiles and allow lists; frame 0 and the first 100 ms follow them", async () => {
    const { file, create } = await record("ff-present", joinAnchors);
    const six = ANCHORS.slice(0, 6).map((a) => a.id);
    expect(create).toMatchObject({
      MixLayoutParams: { MixLayoutMode: 4, MixLayoutList: six.map((UserId) => expect.objectContaining({ UserId })) },
      RecordParams: { SubscribeStreamUserIds: { SubscribeAudioUserIds: six, SubscribeVideoUserIds: six } },
    });
    await expectRosterAtStart(file);
  });

  it("seven anchors joining while the task is being created: nobody is subscribed until the roster names the six", async () => {
    // An audience member's events prove the app's callbacks arrive; the anchors enter during CreateCloudRecording.
    const { file, create } = await record("ff-joining", (room) => room.join("viewer", { role: 21, color: "orange", toneHz: 2300 }), joinAnchors);
    expect(create).toMatchObject({ RecordParams: { SubscribeStreamUserIds: { SubscribeAudioUserIds: ["recorder_1"], SubscribeVideoUserIds: ["recorder_1"] } } });
    await expectRosterAtStart(file);
  });
});
