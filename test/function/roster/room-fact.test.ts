import { describe, expect, it } from "vitest";
import { factIdentity, orderedFacts, type RoomFact } from "../../../function/roster/room-fact";

describe("the event order the rules read", () => {
  it("sorts by event time, then UniqueId (numerically, also when sent as text)", () => {
    const facts: RoomFact[] = [
      { type: 103, userId: "c", atMs: 2_000, uniqueId: 1 },
      { type: 103, userId: "b", atMs: 1_000, uniqueId: "10" },
      { type: 103, userId: "a", atMs: 1_000, uniqueId: "9" },
    ];
    expect(orderedFacts(facts).map((f) => f.userId)).toEqual(["a", "b", "c"]);
  });

  it("without UniqueIds, puts a same-millisecond exit before an entry and dismissal before creation", () => {
    const facts: RoomFact[] = [
      { type: 101, atMs: 1_000 },
      { type: 103, userId: "a", role: 20, atMs: 1_000 },
      { type: 102, atMs: 1_000 },
      { type: 104, userId: "a", role: 20, atMs: 1_000 },
    ];
    expect(orderedFacts(facts).map((f) => f.type)).toEqual([104, 102, 101, 103]);
  });

  it("keeps one copy of a repeated event; the same user's distinct events stay distinct", () => {
    const enter: RoomFact = { type: 103, userId: "a", role: 20, atMs: 1_000, uniqueId: 7 };
    const exit: RoomFact = { ...enter, type: 104, atMs: 2_000 };
    expect(orderedFacts([enter, { ...enter }, exit, enter])).toEqual([enter, exit]);
    expect(factIdentity(enter)).not.toBe(factIdentity(exit));
  });
});
