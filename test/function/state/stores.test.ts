import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createClaims } from "../../../function/state/claims";
import { createFsStore } from "../../../function/state/fs-store";
import { createLeases } from "../../../function/state/leases";
import type { StateStore } from "../../../function/state/store";

let dir: string;
let store: StateStore;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fs-store-"));
  store = createFsStore(dir);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const who = { sdkAppId: 1400000001, room: { kind: "int" as const, roomId: 5 }, userId: "rec" };

describe("fs store (CFS)", () => {
  it("puts, gets, lists by prefix and deletes", async () => {
    await store.put("recordings/a.json", "A");
    await store.put("recordings/b.json", "B");
    await store.put("events/1/i-5/000000000000001-103-ab.json", "E");
    expect((await store.get("recordings/a.json"))?.toString()).toBe("A");
    expect(await store.get("recordings/zzz.json")).toBeUndefined();
    expect(await store.list("recordings/")).toEqual(["recordings/a.json", "recordings/b.json"]);
    expect(await store.list("recordings/b")).toEqual(["recordings/b.json"]);
    expect(await store.list("events/1/")).toEqual(["events/1/i-5/000000000000001-103-ab.json"]);
    expect(await store.list("nothing/")).toEqual([]);
    await store.delete("recordings/a.json");
    await store.delete("recordings/a.json");
    expect(await store.list("recordings/")).toEqual(["recordings/b.json"]);
  });

  it("creates exclusively: exactly one of many concurrent creators wins and its content stays", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => store.create("claims/x.json", `writer-${i}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect((await store.get("claims/x.json"))?.toString()).toBe(`writer-${results.indexOf(true)}`);
    expect(await store.list("claims/")).toEqual(["claims/x.json"]);
  });

  it("refuses keys that would leave the root", async () => {
    await expect(store.put("../escape", "x")).rejects.toThrow(/invalid key/);
    await expect(store.get("/abs")).rejects.toThrow(/invalid key/);
  });
});

describe("claims", () => {
  const nowIso = () => new Date().toISOString();

  it("gives a second start the running holder instead of a new claim", async () => {
    const claims = createClaims(store, nowIso);
    expect(await claims.claim(who, "rec-1", async () => true)).toEqual({ won: true });
    expect(await claims.claim(who, "rec-2", async () => true)).toEqual({ won: false, holder: "rec-1" });
    expect(await claims.holder(who)).toBe("rec-1");
  });

  it("lets the same recording claim again (an SCF re-run of the same request id)", async () => {
    const claims = createClaims(store, nowIso);
    await claims.claim(who, "rec-1", async () => true);
    expect(await claims.claim(who, "rec-1", async () => true)).toEqual({ won: true });
  });

  it("takes over a claim whose holder is no longer live", async () => {
    const claims = createClaims(store, nowIso);
    await claims.claim(who, "rec-1", async () => true);
    expect(await claims.claim(who, "rec-2", async () => false)).toEqual({ won: true });
    expect(await claims.holder(who)).toBe("rec-2");
  });

  it("releases only its own claim", async () => {
    const claims = createClaims(store, nowIso);
    await claims.claim(who, "rec-1", async () => true);
    await claims.release(who, "rec-2");
    expect(await claims.holder(who)).toBe("rec-1");
    await claims.release(who, "rec-1");
    expect(await claims.holder(who)).toBeUndefined();
  });

  it("keeps different users, rooms and room kinds apart", async () => {
    const claims = createClaims(store, nowIso);
    await claims.claim(who, "rec-1", async () => true);
    expect(await claims.claim({ ...who, userId: "other" }, "rec-2", async () => true)).toEqual({ won: true });
    expect(await claims.claim({ ...who, room: { kind: "str", strRoomId: "5" } }, "rec-3", async () => true)).toEqual({ won: true });
  });
});

describe("delivery leases", () => {
  it("admits one holder, hands over by token, and can be taken over once expired", async () => {
    let now = 1_000_000;
    const leases = createLeases(store, () => now);
    const token = await leases.acquire("rec-1", 60_000);
    expect(token).toBeDefined();
    expect(await leases.acquire("rec-1", 60_000)).toBeUndefined();
    expect(await leases.acquire("rec-1", 60_000, token)).toBe(token);
    expect(await leases.isHeld("rec-1")).toBe(true);
    now += 61_000;
    expect(await leases.isHeld("rec-1")).toBe(false);
    const other = await leases.acquire("rec-1", 60_000);
    expect(other).toBeDefined();
    expect(other).not.toBe(token);
    await leases.release("rec-1", token as string);
    expect(await leases.isHeld("rec-1")).toBe(true);
    await leases.release("rec-1", other as string);
    expect(await leases.isHeld("rec-1")).toBe(false);
  });
});
