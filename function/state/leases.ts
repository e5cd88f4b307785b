// Delivery lease: at most one delivery invocation works on a recording at a time, even when 302, 305, 310 events
// and the watchdog all ask for delivery at once. The lease is a generation slot (generations.ts): a fresh lease or
// the takeover of an expired one is an exclusive create of the next generation, so exactly one of concurrent takers
// wins. The holder extends its own generation and hands it to its continuation by token.
//
// A taker that is refused leaves its name (a waiter object) before it gives up, and the holder looks for names when
// it releases: a request refused because another invocation held the lease for a moment (a 302 noting "not yet"
// while the 310 that makes delivery possible arrives) is asked for again at once, instead of waiting a minute or
// two for the watchdog. The refused taker looks once more after writing its name, so a release that listed the
// waiters just before the name appeared cannot be missed: that release is visible to the second look.
import { createHash, randomUUID } from "node:crypto";
import { generations, type Generation } from "./generations";
import { stateKeys } from "./keys";
import { putJson, type StateStore } from "./store";

interface LeaseBody {
  token: string;
  expiresAt: number;
  released?: boolean;
}

export interface Leases {
  /**
   * The lease token when acquired (fresh, handed over with `token`, or taken over after expiry); undefined when busy.
   * A caller that holds `token` re-enters: a continuation handed the lease, or SCF re-running an invocation that died
   * holding it (pass the invocation's request id: the retry has the same one).
   */
  acquire(recordingId: string, ttlMs: number, token?: string): Promise<string | undefined>;
  /** Extends a held lease (before handing it to a continuation). */
  extend(recordingId: string, token: string, ttlMs: number): Promise<void>;
  release(recordingId: string, token: string): Promise<void>;
  /** True when someone holds an unexpired lease. */
  isHeld(recordingId: string): Promise<boolean>;
}

export interface LeaseOptions {
  /**
   * Called by `release` when takers were refused while the lease was held: what they came for must be asked for
   * again now (one call for all of them). An error propagates to the releaser, and the names stay for the next
   * release. @default none (refused takers are left to the watchdog)
   */
  wakeWaiters?: (recordingId: string) => Promise<void>;
}

/**
 * Waiter names live beside the lease's generations, not under them (`leases/<id>.waiters/`): a generation listing
 * never sees them, and they go to the same store as the lease (the `leases/` prefix).
 */
export const leaseWaitersPrefix = (id: string): string => `${stateKeys.leasePrefix(id).replace(/\/$/, "")}.waiters/`;

function waiterKey(id: string, token: string): string {
  return `${leaseWaitersPrefix(id)}${createHash("sha256").update(token).digest("hex").slice(0, 32)}`;
}

export function createLeases(store: StateStore, now: () => number, opts: LeaseOptions = {}): Leases {
  const slotOf = (id: string) => generations<LeaseBody>(store, stateKeys.leasePrefix(id));
  const live = (top: Generation<LeaseBody> | undefined): boolean =>
    top !== undefined && !top.body.released && top.body.expiresAt > now();
  const take = async (id: string, ttlMs: number, token: string | undefined): Promise<string | undefined> => {
    const slot = slotOf(id);
    const top = await slot.top();
    if (top && token !== undefined && top.body.token === token && !top.body.released) {
      await slot.rewrite(top, { token, expiresAt: now() + ttlMs });
      return token;
    }
    if (live(top)) return undefined;
    const fresh: LeaseBody = { token: token ?? randomUUID(), expiresAt: now() + ttlMs };
    // Losing this create means another taker won this very generation: it holds the lease now.
    return (await slot.next(top?.gen, fresh)) ? fresh.token : undefined;
  };
  return {
    async acquire(id, ttlMs, token) {
      const first = await take(id, ttlMs, token);
      if (first !== undefined || !opts.wakeWaiters) return first;
      // Refused: leave our name, then look once more. Either the holder has released meanwhile (we see it now and
      // try again), or its release comes after our name was written and sees it.
      const waiter = waiterKey(id, token ?? randomUUID());
      await putJson(store, waiter, { at: now() });
      const second = await take(id, ttlMs, token);
      if (second !== undefined) await store.delete(waiter);
      return second;
    },
    async extend(id, token, ttlMs) {
      const slot = slotOf(id);
      const top = await slot.top();
      if (top?.body.token === token && !top.body.released) await slot.rewrite(top, { token, expiresAt: now() + ttlMs });
    },
    async release(id, token) {
      const slot = slotOf(id);
      const top = await slot.top();
      // Rewriting our own generation is safe: if someone took over, theirs is a newer generation and stays.
      if (top?.body.token === token && !top.body.released) await slot.rewrite(top, { token, expiresAt: 0, released: true });
      if (!opts.wakeWaiters) return;
      // Listed after the release is written: a name written later belongs to a taker whose second look sees it.
      const waiters = await store.list(leaseWaitersPrefix(id));
      if (waiters.length === 0) return;
      // Wake first, then forget exactly the names listed: dying in between wakes them twice, never not at all.
      await opts.wakeWaiters(id);
      for (const key of waiters) await store.delete(key);
    },
    async isHeld(id) {
      return live(await slotOf(id).top());
    },
  };
}
