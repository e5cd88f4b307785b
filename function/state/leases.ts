// Delivery lease: at most one delivery invocation works on a recording at a time, even when a 302 event, a 305
// event and the watchdog all ask for delivery. The holder hands the lease to its own continuation by token; an
// expired lease (its invocation died) may be taken over.
import { randomUUID } from "node:crypto";
import { stateKeys } from "./keys";
import { createJson, getJson, putJson, type StateStore } from "./store";

interface LeaseBody {
  token: string;
  expiresAt: number;
}

export interface Leases {
  /** The lease token when acquired (fresh, handed over with `token`, or taken over after expiry); undefined when busy. */
  acquire(recordingId: string, ttlMs: number, token?: string): Promise<string | undefined>;
  /** Extends a held lease (before handing it to a continuation). */
  extend(recordingId: string, token: string, ttlMs: number): Promise<void>;
  release(recordingId: string, token: string): Promise<void>;
  /** True when someone holds an unexpired lease. */
  isHeld(recordingId: string): Promise<boolean>;
}

export function createLeases(store: StateStore, now: () => number): Leases {
  const read = (id: string) => getJson<LeaseBody>(store, stateKeys.lease(id));
  return {
    async acquire(id, ttlMs, token) {
      const key = stateKeys.lease(id);
      const fresh: LeaseBody = { token: randomUUID(), expiresAt: now() + ttlMs };
      if (await createJson(store, key, fresh)) return fresh.token;
      const current = await read(id);
      if (current && token !== undefined && current.token === token) {
        await putJson(store, key, { token, expiresAt: now() + ttlMs } satisfies LeaseBody);
        return token;
      }
      if (current && current.expiresAt > now()) return undefined;
      // Expired (or vanished): remove and race for it with an exclusive create, so only one taker wins.
      await store.delete(key);
      return (await createJson(store, key, fresh)) ? fresh.token : undefined;
    },
    async extend(id, token, ttlMs) {
      const current = await read(id);
      if (current?.token === token) await putJson(store, stateKeys.lease(id), { token, expiresAt: now() + ttlMs } satisfies LeaseBody);
    },
    async release(id, token) {
      const current = await read(id);
      if (current?.token === token) await store.delete(stateKeys.lease(id));
    },
    async isHeld(id) {
      const current = await read(id);
      return current !== undefined && current.expiresAt > now();
    },
  };
}
