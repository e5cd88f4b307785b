// Delivery lease: at most one delivery invocation works on a recording at a time, even when 302, 305, 310 events
// and the watchdog all ask for delivery at once. The lease is a generation slot (generations.ts): a fresh lease or
// the takeover of an expired one is an exclusive create of the next generation, so exactly one of concurrent takers
// wins. The holder extends its own generation and hands it to its continuation by token.
import { randomUUID } from "node:crypto";
import { generations, type Generation } from "./generations";
import { stateKeys } from "./keys";
import type { StateStore } from "./store";

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

export function createLeases(store: StateStore, now: () => number): Leases {
  const slotOf = (id: string) => generations<LeaseBody>(store, stateKeys.leasePrefix(id));
  const live = (top: Generation<LeaseBody> | undefined): boolean =>
    top !== undefined && !top.body.released && top.body.expiresAt > now();
  return {
    async acquire(id, ttlMs, token) {
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
    },
    async isHeld(id) {
      return live(await slotOf(id).top());
    },
  };
}
