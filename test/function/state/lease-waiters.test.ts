// A taker refused by the delivery lease is not forgotten: it leaves its name, and the holder's release wakes it.
// The interleavings that could lose a wake-up are forced with store hooks (no timing involved).
import { describe, expect, it } from "vitest";
import { createLeases, leaseWaitersPrefix } from "../../../function/state/leases";
import type { StateStore } from "../../../function/state/store";
import { memoryStore } from "../fakes/memory-store";

const TTL = 60_000;

function wakeLog() {
  const woken: string[] = [];
  return { woken, wakeWaiters: async (id: string) => void woken.push(id) };
}

describe("delivery lease waiters", () => {
  it("a refused taker leaves its name; the holder's release wakes once for all names and forgets them", async () => {
    const store = memoryStore();
    const w = wakeLog();
    const leases = createLeases(store, () => 1_000_000, w);
    expect(await leases.acquire("rec-1", TTL, "invocation:302")).toBe("invocation:302");
    expect(await leases.acquire("rec-1", TTL, "invocation:310")).toBeUndefined();
    expect(await leases.acquire("rec-1", TTL, "invocation:watchdog")).toBeUndefined();
    expect(await store.list(leaseWaitersPrefix("rec-1"))).toHaveLength(2);
    expect(w.woken).toEqual([]);

    await leases.release("rec-1", "invocation:302");
    expect(w.woken).toEqual(["rec-1"]);
    expect(await store.list(leaseWaitersPrefix("rec-1"))).toEqual([]);
    // The woken invocation takes the lease; its own release finds no one waiting.
    const again = await leases.acquire("rec-1", TTL, "invocation:woken");
    expect(again).toBe("invocation:woken");
    await leases.release("rec-1", again as string);
    expect(w.woken).toEqual(["rec-1"]);
  });

  it("names never count as generations: the lease is still free after a refused taker wrote one", async () => {
    const store = memoryStore();
    const leases = createLeases(store, () => 1_000_000, wakeLog());
    await leases.acquire("rec-2", TTL, "a");
    await leases.acquire("rec-2", TTL, "b");
    await leases.release("rec-2", "a");
    expect(await leases.isHeld("rec-2")).toBe(false);
    expect(await leases.acquire("rec-2", TTL, "c")).toBe("c");
  });

  it("a release that lists the waiters just before a refused taker's name lands: the taker's second look takes the lease", async () => {
    const base = memoryStore();
    const w = wakeLog();
    let releaseNow: (() => Promise<void>) | undefined;
    // The holder releases (and lists waiters: none yet) between the taker's refusal and its name being written.
    const store: StateStore = {
      ...base,
      put: async (key, body) => {
        if (key.startsWith(leaseWaitersPrefix("rec-3")) && releaseNow) {
          const run = releaseNow;
          releaseNow = undefined;
          await run();
        }
        await base.put(key, body);
      },
    };
    const leases = createLeases(store, () => 1_000_000, w);
    expect(await leases.acquire("rec-3", TTL, "holder")).toBe("holder");
    releaseNow = () => leases.release("rec-3", "holder");
    expect(await leases.acquire("rec-3", TTL, "taker")).toBe("taker");
    expect(w.woken).toEqual([]);
    // It holds the lease now, so its name was withdrawn: its own release wakes no one.
    expect(await base.list(leaseWaitersPrefix("rec-3"))).toEqual([]);
  });

  it("a name written after the release listed the waiters is kept for the next release (never deleted unseen)", async () => {
    const base = memoryStore();
    const w = wakeLog();
    let during: (() => Promise<void>) | undefined;
    // While the first release wakes its waiters, a second taker is refused by the woken holder and writes its name.
    const leases = createLeases(base, () => 1_000_000, {
      wakeWaiters: async (id) => {
        await w.wakeWaiters(id);
        const run = during;
        during = undefined;
        await run?.();
      },
    });
    await leases.acquire("rec-4", TTL, "first");
    await leases.acquire("rec-4", TTL, "refused-1");
    during = async () => {
      expect(await leases.acquire("rec-4", TTL, "woken")).toBe("woken");
      expect(await leases.acquire("rec-4", TTL, "refused-2")).toBeUndefined();
    };
    await leases.release("rec-4", "first");
    expect(w.woken).toEqual(["rec-4"]);
    expect(await base.list(leaseWaitersPrefix("rec-4"))).toHaveLength(1);
    await leases.release("rec-4", "woken");
    expect(w.woken).toEqual(["rec-4", "rec-4"]);
    expect(await base.list(leaseWaitersPrefix("rec-4"))).toEqual([]);
  });

  it("a wake that fails keeps the names for the next release, and the error reaches the releaser", async () => {
    const store = memoryStore();
    let fail = true;
    const woken: string[] = [];
    const leases = createLeases(store, () => 1_000_000, {
      wakeWaiters: async (id) => {
        if (fail) throw new Error("Invoke refused");
        woken.push(id);
      },
    });
    await leases.acquire("rec-5", TTL, "holder");
    await leases.acquire("rec-5", TTL, "refused");
    await expect(leases.release("rec-5", "holder")).rejects.toThrow("Invoke refused");
    expect(await store.list(leaseWaitersPrefix("rec-5"))).toHaveLength(1);
    fail = false;
    // SCF re-runs the failed invocation: it takes the lease again (same token) and releases it.
    expect(await leases.acquire("rec-5", TTL, "holder")).toBe("holder");
    await leases.release("rec-5", "holder");
    expect(woken).toEqual(["rec-5"]);
  });

  it("without a wake hook nothing is written for refused takers", async () => {
    const store = memoryStore();
    const leases = createLeases(store, () => 1_000_000);
    await leases.acquire("rec-6", TTL, "a");
    expect(await leases.acquire("rec-6", TTL, "b")).toBeUndefined();
    expect(await store.list(leaseWaitersPrefix("rec-6"))).toEqual([]);
  });
});
