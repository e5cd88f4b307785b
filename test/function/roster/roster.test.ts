import { describe, expect, it } from "vitest";
import { buildRoster, mixedOwners, type Roster, type RosterOptions } from "../../../function/roster/roster";
import { Script, shuffled } from "./facts";

const ROBOT = "recorder_1";
const FREE: RosterOptions = { isReserve: false, excludedUserIds: [ROBOT] };
const RESERVE: RosterOptions = { isReserve: true, excludedUserIds: [ROBOT] };

/** "a" present, "b?" away (reserved), "-" free. */
function tiles(r: Roster): string[] {
  return r.tiles.map((t) => (t === null ? "-" : t.present ? t.userId : `${t.userId}?`));
}

function sevenAnchors(): Script {
  const s = new Script().create();
  for (const u of ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]) s.enter(u);
  return s;
}

describe("entry order and the six-tile limit", () => {
  it("gives the first six anchors the tiles in order of entry and makes the seventh wait", () => {
    const r = buildRoster(sevenAnchors().facts, FREE);
    expect(tiles(r)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
    expect(r.waiting).toEqual(["a7"]);
    expect(mixedOwners(r).map((o) => o.userId)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
  });

  it("keeps later anchors waiting in their own order of entry", () => {
    const s = sevenAnchors().enter("a8").enter("a9");
    expect(buildRoster(s.facts, FREE).waiting).toEqual(["a7", "a8", "a9"]);
  });

  it("orders anchors entering in the same millisecond by UniqueId", () => {
    const s = new Script();
    for (const u of ["z", "y", "x"]) s.enter(u, { atMs: 5_000 });
    expect(tiles(buildRoster(s.facts, FREE)).slice(0, 3)).toEqual(["z", "y", "x"]);
  });
});

describe("IsReserve false", () => {
  it("frees a departed anchor's tile and the earliest waiting anchor takes that same tile", () => {
    const s = sevenAnchors().enter("a8").exit("a3");
    const r = buildRoster(s.facts, FREE);
    expect(tiles(r)).toEqual(["a1", "a2", "a7", "a4", "a5", "a6"]);
    expect(r.waiting).toEqual(["a8"]);
  });

  it("leaves the tile free when nobody waits, and the next newcomer takes the lowest free tile", () => {
    const s = new Script().enter("a").enter("b").enter("c").exit("b");
    expect(tiles(buildRoster(s.facts, FREE))).toEqual(["a", "-", "c", "-", "-", "-"]);
    s.enter("d");
    expect(tiles(buildRoster(s.facts, FREE))).toEqual(["a", "d", "c", "-", "-", "-"]);
  });

  it("treats a returning anchor as a newcomer: they wait if the tiles are full", () => {
    const s = sevenAnchors().exit("a1").enter("a1");
    const r = buildRoster(s.facts, FREE);
    expect(tiles(r)).toEqual(["a7", "a2", "a3", "a4", "a5", "a6"]);
    expect(r.waiting).toEqual(["a1"]);
  });

  it("drops a waiting anchor who leaves from the queue", () => {
    const s = sevenAnchors().enter("a8").exit("a7").exit("a1");
    const r = buildRoster(s.facts, FREE);
    expect(tiles(r)[0]).toBe("a8");
    expect(r.waiting).toEqual([]);
  });
});

describe("IsReserve true", () => {
  it("keeps a departed anchor's tile theirs (away) and the seventh keeps waiting", () => {
    const s = sevenAnchors().exit("a3");
    const r = buildRoster(s.facts, RESERVE);
    expect(tiles(r)).toEqual(["a1", "a2", "a3?", "a4", "a5", "a6"]);
    expect(r.waiting).toEqual(["a7"]);
  });

  it("resumes a returning anchor in their own tile", () => {
    const s = sevenAnchors().exit("a3").enter("a8").enter("a3");
    const r = buildRoster(s.facts, RESERVE);
    expect(tiles(r)).toEqual(["a1", "a2", "a3", "a4", "a5", "a6"]);
    expect(r.waiting).toEqual(["a7", "a8"]);
  });

  it("does not keep tiles for anchors who left before the recording started", () => {
    const s = new Script().enter("a", { atMs: 1_000 }).exit("a", { atMs: 2_000 }).enter("b", { atMs: 3_000 }).exit("b", { atMs: 6_000 });
    const r = buildRoster(s.facts, { ...RESERVE, startedAtMs: 5_000 });
    expect(tiles(r)).toEqual(["b?", "-", "-", "-", "-", "-"]);
  });
});

describe("who never takes a tile", () => {
  it("never gives an audience member a tile, nor a place in the queue", () => {
    const s = new Script().enter("teacher").enter("viewer", { role: 21 }).enter("s1");
    const r = buildRoster(s.facts, FREE);
    expect(tiles(r)).toEqual(["teacher", "s1", "-", "-", "-", "-"]);
    expect(r.audience).toEqual(["viewer"]);
    expect(r.waiting).toEqual([]);
  });

  it("never gives the recording robot a tile, even if it is reported as an anchor", () => {
    const s = new Script().enter(ROBOT, { role: 20 }).enter("a").role(ROBOT, 20);
    expect(tiles(buildRoster(s.facts, FREE))).toEqual(["a", "-", "-", "-", "-", "-"]);
  });

  it("ignores events without a user and event types it does not know", () => {
    const s = new Script().enter("a");
    s.facts.push({ type: 103, atMs: 9_000 }, { type: 201, userId: "b", atMs: 9_100 }, { type: 106, userId: "c", atMs: 9_200 });
    expect(tiles(buildRoster(s.facts, FREE))).toEqual(["a", "-", "-", "-", "-", "-"]);
  });
});

describe("role changes (105)", () => {
  it("an audience member who becomes an anchor takes a tile, in the order they became one", () => {
    const s = new Script().enter("v", { role: 21 }).enter("a").role("v", 20).enter("b");
    expect(tiles(buildRoster(s.facts, FREE)).slice(0, 3)).toEqual(["a", "v", "b"]);
  });

  it("an anchor who becomes audience frees the tile (IsReserve false) for the earliest waiting anchor", () => {
    const s = sevenAnchors().role("a2", 21);
    const r = buildRoster(s.facts, FREE);
    expect(tiles(r)[1]).toBe("a7");
    expect(r.audience).toEqual(["a2"]);
  });

  it("an anchor who becomes audience keeps the tile away (IsReserve true) and resumes on switching back", () => {
    const s = new Script().enter("a").enter("b").role("a", 21);
    expect(tiles(buildRoster(s.facts, RESERVE)).slice(0, 2)).toEqual(["a?", "b"]);
    s.role("a", 20);
    expect(tiles(buildRoster(s.facts, RESERVE)).slice(0, 2)).toEqual(["a", "b"]);
  });

  it("a role change for a user whose entry was never seen counts as being in the room in that role", () => {
    const s = new Script().role("late", 20).role("quiet", 21);
    const r = buildRoster(s.facts, FREE);
    expect(tiles(r)[0]).toBe("late");
    expect(r.audience).toEqual(["quiet"]);
  });
});

describe("retries, duplicates and reordering", () => {
  const scripts: Array<[string, Script, RosterOptions]> = [
    ["7 anchors, one leaves (free)", sevenAnchors().enter("v", { role: 21 }).exit("a2").enter("a8").role("a4", 21), FREE],
    ["7 anchors, leave and return (reserve)", sevenAnchors().exit("a2").enter("a8").enter("a2").role("a5", 21).exit("a1"), RESERVE],
  ];

  for (const [name, script, opts] of scripts) {
    it(`gives the same roster for any arrival order and any duplicates: ${name}`, () => {
      const expected = buildRoster(script.facts, opts);
      for (let seed = 1; seed <= 25; seed++) {
        const withDuplicates = [...script.facts, ...shuffled(script.facts, seed).slice(0, seed % 7)];
        expect(buildRoster(shuffled(withDuplicates, seed * 31), opts)).toEqual(expected);
      }
    });
  }

  it("counts each distinct event once", () => {
    const s = sevenAnchors();
    expect(buildRoster([...s.facts, ...s.facts], FREE).eventsUsed).toBe(s.facts.length);
  });

  it("applies a leave that arrived before its enter in event-time order (the anchor is gone)", () => {
    const s = new Script().enter("a").enter("b").exit("a");
    const [enterA, enterB, exitA] = s.facts;
    const arrival = [exitA, enterB, enterA];
    expect(tiles(buildRoster(arrival, FREE))).toEqual(["-", "b", "-", "-", "-", "-"]);
  });

  it("orders a same-millisecond exit and re-entry (a user replacing their own session) as exit first", () => {
    const s = new Script().enter("a", { atMs: 1_000 });
    s.facts.push({ type: 103, userId: "a", role: 20, atMs: 2_000 }, { type: 104, userId: "a", role: 20, atMs: 2_000 });
    expect(tiles(buildRoster(s.facts, FREE))[0]).toBe("a");
  });
});

describe("room sessions", () => {
  it("forgets a previous session of the same room that ended before the recording started", () => {
    const s = new Script().create(1_000).enter("old", { atMs: 1_100 }).exit("old", { atMs: 1_200 }).dismiss(1_200);
    s.create(9_000).enter("new", { atMs: 9_100 });
    expect(tiles(buildRoster(s.facts, { ...RESERVE, startedAtMs: 8_000 }))).toEqual(["new", "-", "-", "-", "-", "-"]);
  });

  it("treats a dismissal during the recording as everyone leaving (reserved tiles stay)", () => {
    const s = new Script().enter("a", { atMs: 1_000 }).enter("b", { atMs: 1_100 }).dismiss(5_000);
    expect(tiles(buildRoster(s.facts, { ...RESERVE, startedAtMs: 500 })).slice(0, 2)).toEqual(["a?", "b?"]);
    expect(tiles(buildRoster(s.facts, { ...FREE, startedAtMs: 500 })).slice(0, 2)).toEqual(["-", "-"]);
  });
});
