// The attention index on its own: keys by due minute, one check entry moved (never duplicated) per look, nudges
// never due before their time, and the sweep's view of live recordings without a check entry.
import { describe, expect, it } from "vitest";
import { attentionKey, createAttention, minuteOf, parseAttentionKey, reconcileAttention } from "../../../function/state/attention";
import { memoryStore } from "../fakes/memory-store";

const T0 = Date.parse("2026-12-07T08:00:00Z");
const MIN = 60_000;

function setup() {
  let now = T0;
  const store = memoryStore();
  const attention = createAttention(store, () => now);
  return { store, attention, at: (ms: number) => (now = ms), keys: () => [...store.objects.keys()].filter((k) => k.startsWith("attention/")).sort() };
}

describe("attention index", () => {
  it("names entries by due minute and reads them back; anything else under the prefix is ignored", () => {
    expect(attentionKey("rec-1", "check", T0 + 90_000)).toBe(`attention/00${minuteOf(T0) + 1}/rec-1`);
    expect(parseAttentionKey(`attention/00${minuteOf(T0)}/rec-1.nudge`)).toEqual({ key: `attention/00${minuteOf(T0)}/rec-1.nudge`, recordingId: "rec-1", kind: "nudge", minute: minuteOf(T0) });
    expect(parseAttentionKey("attention/notaminute/rec-1")).toBeUndefined();
    expect(parseAttentionKey(`attention/00${minuteOf(T0)}/../x`)).toBeUndefined();
  });

  it("moves a check entry instead of adding one, and never schedules into the past", async () => {
    const w = setup();
    const first = await w.attention.schedule("rec-1", T0 + 5 * MIN);
    const [entry] = (await w.attention.due(minuteOf(T0), 10)).entries;
    expect(entry).toBeUndefined();
    w.at(T0 + 6 * MIN);
    const due = (await w.attention.due(minuteOf(T0), 10)).entries;
    expect(due.map((e) => e.key)).toEqual([first]);
    await w.attention.schedule("rec-1", T0 - MIN, due[0]);
    expect(w.keys()).toEqual([attentionKey("rec-1", "check", T0 + 6 * MIN)]);
  });

  it("puts a nudge in the minute at or after its time, so it is never due early", async () => {
    const w = setup();
    await w.attention.nudge("rec-1", T0 + 61_000);
    expect(w.keys()).toEqual([attentionKey("rec-1", "nudge", T0 + 2 * MIN)]);
    w.at(T0 + 61_000);
    expect((await w.attention.due(minuteOf(T0), 10)).entries).toEqual([]);
    w.at(T0 + 2 * MIN);
    expect((await w.attention.due(minuteOf(T0), 10)).entries.map((e) => e.recordingId)).toEqual(["rec-1"]);
  });

  it("lists at most maxMinutes minutes per call (catching up after an outage)", async () => {
    const w = setup();
    for (let m = 0; m < 5; m++) await w.attention.schedule(`rec-${m}`, T0 + m * MIN);
    w.at(T0 + 10 * MIN);
    const { entries, listedTo } = await w.attention.due(minuteOf(T0), 3);
    expect(entries.map((e) => e.recordingId)).toEqual(["rec-0", "rec-1", "rec-2"]);
    expect(listedTo).toBe(minuteOf(T0) + 2);
  });

  it("the sweep's view: live recordings with no check entry, and check entries beyond the first", async () => {
    const w = setup();
    for (const id of ["a", "b", "c"]) await w.store.put(`active/${id}`, id);
    await w.attention.schedule("a", T0 + MIN);
    await w.attention.schedule("a", T0 + 9 * MIN);
    await w.attention.nudge("b", T0);
    const { missing, duplicates } = await reconcileAttention(w.store, w.attention);
    expect(missing).toEqual(["b", "c"]);
    expect(duplicates.map((e) => e.key)).toEqual([attentionKey("a", "check", T0 + 9 * MIN)]);
  });
});
