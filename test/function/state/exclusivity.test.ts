// Exclusivity of claims, leases and event de-duplication on both state backends, with the worst interleaving forced
// by a barrier (every contender has read the same state before any of them writes): the assertions hold whichever
// contender the scheduler lets through first.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import COS from "cos-nodejs-sdk-v5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCosDouble, type CosDouble } from "../../../emulator/cos";
import { cosOptionsFor } from "../../../emulator/endpoints";
import { createClaims } from "../../../function/state/claims";
import { createCosStore, ExclusiveCreateUnavailable } from "../../../function/state/cos-store";
import { routeExclusiveKeys } from "../../../function/state/exclusive-store";
import { createFsStore } from "../../../function/state/fs-store";
import { createLeases } from "../../../function/state/leases";
import type { StateStore } from "../../../function/state/store";

const KEY = { secretId: "AKIDexclusive0000000000000000000000001", secretKey: "exclusive-test-secret-key-000000001" };
const REGION = "ap-guangzhou";
const STATE = "state-1250000000";
const LOCKS = "locks-1250000000";
// The COS buckets are shared by the tests: each test works on its own room, recording and event.
let roomSeq = 100;
const freshWho = () => ({ sdkAppId: 1400000001, room: { kind: "int" as const, roomId: ++roomSeq }, userId: "robot" });
const N = 6;

let cos: CosDouble;
let dir: string;
beforeAll(async () => {
  cos = await startCosDouble({
    credentials: [KEY],
    buckets: [
      { name: STATE, region: REGION, versioning: "Enabled" },
      { name: LOCKS, region: REGION },
    ],
  });
  dir = await mkdtemp(join(tmpdir(), "exclusive-cfs-"));
});
afterAll(async () => {
  await cos.close();
  await rm(dir, { recursive: true, force: true });
});

let prefixSeq = 0;
function client(): COS {
  return new COS({ SecretId: KEY.secretId, SecretKey: KEY.secretKey, ...cosOptionsFor(cos.hostPort) });
}

/** The recorder's COS wiring: records in the versioned state bucket, exclusive keys in the lock bucket. */
function cosBackend(): StateStore {
  const c = client();
  return routeExclusiveKeys(
    createCosStore({ cos: c, bucket: STATE, region: REGION, bucketVariable: "RECORDER_STATE_BUCKET" }),
    createCosStore({ cos: c, bucket: LOCKS, region: REGION, bucketVariable: "RECORDER_LOCK_BUCKET" }),
  );
}

/** Holds every exclusive create until `n` of them are waiting, so all contenders decide on the same reads. */
function barrierOnCreate(store: StateStore, n: number): StateStore {
  const waiting: Array<() => void> = [];
  return {
    ...store,
    location: store.location,
    get: (k) => store.get(k),
    put: (k, b) => store.put(k, b),
    delete: (k) => store.delete(k),
    list: (p) => store.list(p),
    async create(key, body) {
      if (waiting.length < n - 1) await new Promise<void>((release) => waiting.push(release));
      else for (const release of waiting.splice(0)) release();
      return store.create(key, body);
    },
  };
}

const backends: Array<[string, () => StateStore]> = [
  ["COS (unversioned lock bucket)", cosBackend],
  ["CFS", () => createFsStore(join(dir, `run-${++prefixSeq}`))],
];

describe.each(backends)("exclusivity on %s", (_name, makeStore) => {
  it("concurrent claims for one recorder: exactly one wins, every other names that winner", async () => {
    const who = freshWho();
    const store = makeStore();
    const claims = createClaims(barrierOnCreate(store, N), () => new Date().toISOString());
    const ids = Array.from({ length: N }, (_, i) => `rec-${i}`);
    const outcomes = await Promise.all(ids.map((id) => claims.claim(who, id, async () => true)));
    const winners = ids.filter((_, i) => outcomes[i].won);
    expect(winners).toHaveLength(1);
    for (const o of outcomes) if (!o.won) expect(o.holder).toBe(winners[0]);
    expect(await createClaims(store, () => "").holder(who)).toBe(winners[0]);
  });

  it("concurrent takeovers of a claim whose holder is dead: exactly one wins", async () => {
    const who = freshWho();
    const store = makeStore();
    const plain = createClaims(store, () => new Date().toISOString());
    expect(await plain.claim(who, "dead", async () => true)).toEqual({ won: true });
    const claims = createClaims(barrierOnCreate(store, N), () => new Date().toISOString());
    const ids = Array.from({ length: N }, (_, i) => `new-${i}`);
    const isLive = async (holder: string) => holder !== "dead";
    const outcomes = await Promise.all(ids.map((id) => claims.claim(who, id, isLive)));
    expect(outcomes.filter((o) => o.won)).toHaveLength(1);
    const winner = ids[outcomes.findIndex((o) => o.won)];
    expect(await plain.holder(who)).toBe(winner);
  });

  it("a late release never frees a successor's claim", async () => {
    const who = freshWho();
    const store = makeStore();
    const claims = createClaims(store, () => new Date().toISOString());
    await claims.claim(who, "first", async () => true);
    expect(await claims.claim(who, "second", async () => false)).toEqual({ won: true });
    await claims.release(who, "first");
    expect(await claims.holder(who)).toBe("second");
  });

  it("concurrent delivery leases: one token; concurrent takeovers of an expired lease: one token", async () => {
    const store = makeStore();
    let now = 1_000_000;
    const leases = createLeases(barrierOnCreate(store, N), () => now);
    const id = `rec-${++roomSeq}`;
    const fresh = await Promise.all(Array.from({ length: N }, () => leases.acquire(id, 60_000)));
    expect(fresh.filter((t) => t !== undefined)).toHaveLength(1);
    now += 120_000;
    const takeovers = await Promise.all(Array.from({ length: N }, () => leases.acquire(id, 60_000)));
    const won = takeovers.filter((t) => t !== undefined);
    expect(won).toHaveLength(1);
    expect(won[0]).not.toBe(fresh.find((t) => t !== undefined));
    expect(await createLeases(store, () => now).isHeld(id)).toBe(true);
  });

  it("a retried invocation re-enters the lease it died holding; another invocation stays out", async () => {
    const store = makeStore();
    const leases = createLeases(store, () => 1_000_000);
    const id = `rec-${++roomSeq}`;
    expect(await leases.acquire(id, 60_000, "invocation:req-1")).toBe("invocation:req-1");
    // SCF re-runs the killed invocation under the same request id: it may go on at once.
    expect(await leases.acquire(id, 60_000, "invocation:req-1")).toBe("invocation:req-1");
    expect(await leases.acquire(id, 60_000, "invocation:req-2")).toBeUndefined();
    await leases.release(id, "invocation:req-1");
    expect(await leases.acquire(id, 60_000, "invocation:req-2")).toBe("invocation:req-2");
  });

  it("the same event logged concurrently is new exactly once", async () => {
    const store = barrierOnCreate(makeStore(), N);
    const key = `events/1400000001/i-${++roomSeq}/000001700000000-103-0123456789abcdef.json`;
    const fresh = await Promise.all(Array.from({ length: N }, () => store.create(key, "{}")));
    expect(fresh.filter(Boolean)).toHaveLength(1);
  });
});

describe("COS state without a lock bucket", () => {
  it("refuses exclusive creates in a versioned state bucket, naming the bucket and the fix", async () => {
    const store = createCosStore({ cos: client(), bucket: STATE, region: REGION, bucketVariable: "RECORDER_STATE_BUCKET" });
    const err = await store.create("claims/x/0000000001.json", "{}").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExclusiveCreateUnavailable);
    expect(String((err as Error).message)).toMatch(/state-1250000000 \(RECORDER_STATE_BUCKET\) has versioning Enabled.*RECORDER_LOCK_BUCKET/);
    expect(cos.listKeys(STATE, "claims/")).toEqual([]);
  });

  it("refuses exclusive creates outside the exclusive prefixes (they would be plain overwrites in the state bucket)", async () => {
    const store = cosBackend();
    await expect(store.create("recordings/x.json", "{}")).rejects.toThrow(/only claims\/, leases\/, events\/, task-events\/, watchdog\/ keys/);
  });
});
