// The flags of `npm start`: defaults are the default scenario, every flag lands in the scenario, and bad
// values are refused with a message naming the flag.
import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO, parseCliArgs } from "../../local/scenario/options";

describe("npm start flags", () => {
  it("default to a 3-anchor, 10-second, Mode 12 room with IsReserve, ended by dismissing the room", () => {
    const r = parseCliArgs([]);
    expect(r.ok && r.options.scenario).toEqual(DEFAULT_SCENARIO);
    expect(DEFAULT_SCENARIO).toMatchObject({ anchors: 3, seconds: 10, mode: "12", isReserve: true, stop: "dismiss" });
    expect(r.ok && r.options).toMatchObject({ keep: false, resynth: false, speed: 1 });
  });

  it("carry every scenario flag, with join/leave events sorted by time", () => {
    const r = parseCliArgs(["--anchors", "5", "--seconds", "7.5", "--mode", "10", "--str-room-id", "math 101", "--no-reserve", "--leave", "anchor_2@4", "--join", "anchor_6@2", "--stop", "delete", "--keep", "--speed", "30", "--out", "/tmp/x"]);
    if (!r.ok) throw new Error(r.errors.join("; "));
    expect(r.options.scenario).toMatchObject({ anchors: 5, seconds: 7.5, mode: "10", strRoomId: "math 101", isReserve: false, stop: "delete", outDir: "/tmp/x" });
    expect(r.options.scenario.events).toEqual([
      { action: "join", userId: "anchor_6", atSeconds: 2 },
      { action: "leave", userId: "anchor_2", atSeconds: 4 },
    ]);
    expect(r.options).toMatchObject({ keep: true, speed: 30 });
  });

  it("refuse bad values naming the flag", () => {
    const r = parseCliArgs(["--anchors", "9", "--mode", "13", "--leave", "anchor_2", "--stop", "never"]);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([
      '--mode: expected 10, 11 or 12, got "13"',
      '--stop: expected dismiss, delete or idle, got "never"',
      '--leave "anchor_2": expected USER@SECONDS like anchor_2@4',
      '--anchors: expected an integer 1..8, got "9"',
    ]);
    expect(parseCliArgs(["--bogus"]).ok).toBe(false);
  });
});
