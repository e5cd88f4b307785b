import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../emulator/trtc/clock";
import { gridRects } from "../../../emulator/trtc/layout";
import { DEFAULT_LAYOUT, type LayoutConfig } from "../../../emulator/trtc/recording-params";
import { AUDIENCE, Room, roomRef, type RoomObserver } from "../../../emulator/trtc/room";
import { SUBSCRIBE_ALL } from "../../../emulator/trtc/subscription";
import { composeSegments, recordedSpan, type ConfigSnapshot, type Segment } from "../../../emulator/trtc/timeline";

const quiet: RoomObserver = { onRoomEvent: () => {}, onMembershipChange: () => {}, onMemberGone: () => {} };
const W = 640;
const H = 360;

function setup() {
  const clock = new ManualClock(1_000_000);
  const room = new Room(1400000001, roomRef(1234), clock, quiet);
  const t0 = clock.now();
  return { clock, room, t0 };
}

function compose(room: Room, configs: ConfigSnapshot[], from: number, to: number, opts: { streamType?: 0 | 1 | 2; fillType?: 0 | 1 } = {}): Segment[] {
  return composeSegments({ presence: room.history(), configs, streamType: opts.streamType ?? 0, fillType: opts.fillType ?? 0, canvas: { width: W, height: H }, fromMs: from, toMs: to });
}

const at = (segments: Segment[], t: number) => segments.find((s) => s.fromMs <= t && t < s.toMs);
const grid = (t: number): ConfigSnapshot => ({ atMs: t, layout: DEFAULT_LAYOUT, subscribe: SUBSCRIBE_ALL });

describe("composeSegments", () => {
  it("lays present anchors out in TRTC's grid in entry order; audience members and robots never appear", async () => {
    const { clock, room, t0 } = setup();
    room.joinRobot("robot");
    room.join("a", { color: "red", toneHz: 300 });
    room.join("viewer", { role: AUDIENCE });
    await clock.advance(1000);
    room.join("b", { color: "blue", toneHz: 500 });
    await clock.advance(1000);
    room.join("c", { color: "lime", toneHz: 700 });
    await clock.advance(1000);
    const segs = compose(room, [grid(t0)], t0, clock.now());
    expect(at(segs, t0 + 500)?.tiles).toEqual([{ userId: "a", rect: { x: 0, y: 0, w: W, h: H }, color: "red", live: true }]);
    expect(at(segs, t0 + 1500)?.tiles.map((t) => [t.userId, t.rect])).toEqual([["a", gridRects(2, W, H)[0]], ["b", gridRects(2, W, H)[1]]]);
    const three = at(segs, t0 + 2500);
    expect(three?.tiles.map((t) => [t.userId, t.rect])).toEqual(["a", "b", "c"].map((u, i) => [u, gridRects(3, W, H)[i]]));
    expect(three?.voices).toEqual([{ userId: "a", toneHz: 300 }, { userId: "b", toneHz: 500 }, { userId: "c", toneHz: 700 }]);
  });

  it("re-flows the grid when an anchor leaves or becomes audience, and counts a switch to anchor as entry", async () => {
    const { clock, room, t0 } = setup();
    room.join("a");
    room.join("b");
    room.join("c", { role: AUDIENCE });
    await clock.advance(1000);
    room.leave("a");
    room.setRole("c", 20);
    await clock.advance(1000);
    const segs = compose(room, [grid(t0)], t0, clock.now());
    expect(at(segs, t0 + 1500)?.tiles.map((t) => t.userId)).toEqual(["b", "c"]);
    expect(at(segs, t0 + 1500)?.voices.map((v) => v.userId)).toEqual(["b", "c"]);
  });

  it("custom layout: named slots follow their user, unnamed slots take the rest, a departed user keeps a silent last frame", async () => {
    const { clock, room, t0 } = setup();
    room.join("a", { color: "red" });
    room.join("b", { color: "blue" });
    room.join("c", { color: "lime" });
    const layout: LayoutConfig = {
      mode: 4,
      background: "#000000",
      entries: [
        { rect: { x: 0, y: 0, w: 320, h: 360 }, userId: "b", layer: 0 },
        { rect: { x: 320, y: 0, w: 320, h: 180 }, layer: 0 },
        { rect: { x: 320, y: 180, w: 320, h: 180 }, layer: 0 },
      ],
    };
    await clock.advance(1000);
    room.leave("b");
    await clock.advance(1000);
    const configs = [{ atMs: t0, layout, subscribe: SUBSCRIBE_ALL }];
    const before = at(compose(room, configs, t0, clock.now()), t0 + 500);
    expect(before?.tiles.map((t) => [t.userId, t.rect.x, t.rect.y, t.live])).toEqual([["b", 0, 0, true], ["a", 320, 0, true], ["c", 320, 180, true]]);
    const after = at(compose(room, configs, t0, clock.now()), t0 + 1500);
    expect(after?.tiles.find((t) => t.userId === "b")).toMatchObject({ color: "blue", live: false });
    expect(after?.voices.map((v) => v.userId)).toEqual(["a", "c"]);
    const black = at(compose(room, configs, t0, clock.now(), { fillType: 1 }), t0 + 1500);
    expect(black?.tiles.find((t) => t.userId === "b")).toMatchObject({ color: "black", live: false });
  });

  it("applies a configuration from the moment it was made", async () => {
    const { clock, room, t0 } = setup();
    room.join("a");
    room.join("b");
    await clock.advance(1000);
    const swap: LayoutConfig = { mode: 4, background: "#000000", entries: [{ rect: { x: 0, y: 0, w: 100, h: 100 }, userId: "b", layer: 0 }] };
    const configs = [grid(t0), { atMs: clock.now(), layout: swap, subscribe: SUBSCRIBE_ALL }];
    await clock.advance(1000);
    const segs = compose(room, configs, t0, clock.now());
    expect(at(segs, t0 + 500)?.tiles.map((t) => t.userId)).toEqual(["a", "b"]);
    expect(at(segs, t0 + 1500)?.tiles.map((t) => [t.userId, t.rect.w])).toEqual([["b", 100]]);
  });

  it("honours subscription lists (with the '.*$' prefix wildcard) and StreamType", async () => {
    const { clock, room, t0 } = setup();
    room.join("teacher_1");
    room.join("student_1");
    room.join("student_2");
    await clock.advance(1000);
    const subscribe = { audioAllow: ["student_.*$"], audioDeny: ["student_2"], videoAllow: [], videoDeny: ["teacher_1"] };
    const segs = compose(room, [{ atMs: t0, layout: DEFAULT_LAYOUT, subscribe }], t0, clock.now());
    expect(segs[0].voices.map((v) => v.userId)).toEqual(["student_1"]);
    expect(segs[0].tiles.map((t) => t.userId)).toEqual(["student_1", "student_2"]);
    expect(compose(room, [grid(t0)], t0, clock.now(), { streamType: 1 })[0].tiles).toEqual([]);
    expect(compose(room, [grid(t0)], t0, clock.now(), { streamType: 2 })[0].voices).toEqual([]);
  });
});

describe("recordedSpan", () => {
  it("starts at the first received anchor, ends at the last, and keeps gaps in between", async () => {
    const { clock, room, t0 } = setup();
    room.joinRobot("robot");
    await clock.advance(2000);
    room.join("a");
    await clock.advance(3000);
    room.leave("a");
    await clock.advance(1000);
    room.join("a");
    await clock.advance(1000);
    room.leave("a");
    await clock.advance(5000);
    const span = recordedSpan(compose(room, [grid(t0)], t0, clock.now()));
    expect(span).toMatchObject({ beginMs: t0 + 2000, endMs: t0 + 7000 });
    expect(span?.segments.map((s) => s.toMs - s.fromMs)).toEqual([3000, 1000, 1000]);
  });

  it("is null when no anchor was ever received", async () => {
    const { clock, room, t0 } = setup();
    room.join("viewer", { role: AUDIENCE });
    await clock.advance(5000);
    expect(recordedSpan(compose(room, [grid(t0)], t0, clock.now()))).toBeNull();
  });
});
