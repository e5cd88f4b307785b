import { describe, expect, it } from "vitest";
import { decideModify, planKey, planMix } from "../../../function/roster/plan";
import { buildRoster, type RosterOptions } from "../../../function/roster/roster";
import { Script } from "./facts";

const CANVAS = { width: 1280, height: 720 };
const FREE: RosterOptions = { isReserve: false, excludedUserIds: ["recorder_1"] };
const RESERVE: RosterOptions = { isReserve: true, excludedUserIds: ["recorder_1"] };

function seven(): Script {
  const s = new Script();
  for (const u of ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]) s.enter(u);
  return s;
}

describe("the mix plan", () => {
  it("names a UserId on every tile and subscribes audio and video of exactly the tile owners", () => {
    const plan = planMix(buildRoster(seven().enter("viewer", { role: 21 }).facts, FREE), CANVAS);
    expect(plan.tiles.map((t) => t.userId)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
    expect(plan.tiles.map((t) => t.rect)).toEqual([
      { x: 0, y: 0, w: 426, h: 360 },
      { x: 426, y: 0, w: 428, h: 360 },
      { x: 854, y: 0, w: 426, h: 360 },
      { x: 0, y: 360, w: 426, h: 360 },
      { x: 426, y: 360, w: 428, h: 360 },
      { x: 854, y: 360, w: 426, h: 360 },
    ]);
    expect(plan.audioUserIds).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
    expect(plan.videoUserIds).toEqual(plan.audioUserIds);
  });

  it("puts the waiting anchor in the freed tile's place when one leaves (IsReserve false)", () => {
    const plan = planMix(buildRoster(seven().exit("a2").facts, FREE), CANVAS);
    expect(plan.tiles[1]).toEqual({ userId: "a7", rect: { x: 426, y: 0, w: 428, h: 360 } });
    expect(plan.audioUserIds).not.toContain("a2");
    expect(plan.audioUserIds).toContain("a7");
  });

  it("keeps an away owner's tile and subscription (IsReserve true), so their return needs no new call", () => {
    const s = seven();
    const before = planMix(buildRoster(s.facts, RESERVE), CANVAS);
    s.exit("a2");
    const away = planMix(buildRoster(s.facts, RESERVE), CANVAS);
    s.enter("a2");
    const back = planMix(buildRoster(s.facts, RESERVE), CANVAS);
    expect(away.tiles[1].userId).toBe("a2");
    expect(away.audioUserIds).toContain("a2");
    expect(planKey(away)).toBe(planKey(before));
    expect(planKey(back)).toBe(planKey(before));
  });

  it("is empty when nobody owns a tile (the engine's own layout then takes the next anchor at once)", () => {
    const plan = planMix(buildRoster(new Script().enter("v", { role: 21 }).facts, FREE), CANVAS);
    expect(plan).toEqual({ canvas: CANVAS, tiles: [], audioUserIds: [], videoUserIds: [] });
  });

  it("re-flows the layout when the number of tiles changes", () => {
    const s = new Script().enter("a");
    expect(planMix(buildRoster(s.facts, FREE), CANVAS).tiles[0].rect).toEqual({ x: 0, y: 0, w: 1280, h: 720 });
    s.enter("b");
    expect(planMix(buildRoster(s.facts, FREE), CANVAS).tiles.map((t) => t.rect.w)).toEqual([640, 640]);
  });
});

describe("skipping calls that change nothing", () => {
  it("asks for a call the first time and whenever the plan changes, not for an audience member or a duplicate", () => {
    const s = new Script().enter("a");
    const first = decideModify(buildRoster(s.facts, FREE), CANVAS, undefined);
    expect(first.changed).toBe(true);
    s.enter("viewer", { role: 21 });
    expect(decideModify(buildRoster(s.facts, FREE), CANVAS, first.key).changed).toBe(false);
    expect(decideModify(buildRoster([...s.facts, ...s.facts], FREE), CANVAS, first.key).changed).toBe(false);
    s.enter("b");
    expect(decideModify(buildRoster(s.facts, FREE), CANVAS, first.key).changed).toBe(true);
  });

  it("asks for no call when a seventh anchor only joins the queue", () => {
    const s = new Script();
    for (const u of ["a1", "a2", "a3", "a4", "a5", "a6"]) s.enter(u);
    const six = decideModify(buildRoster(s.facts, FREE), CANVAS, undefined);
    s.enter("a7");
    expect(decideModify(buildRoster(s.facts, FREE), CANVAS, six.key).changed).toBe(false);
  });
});
