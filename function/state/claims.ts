// Idempotent start: one running recording per (SdkAppId, room, UserId). The claim is an exclusive create in the
// state store, so two concurrent starts cannot both win; a claim left by a recording that is no longer live (it
// ended but the release was lost) is taken over.
import type { RoomRef } from "../contract/request";
import { stateKeys } from "./keys";
import { createJson, getJson, type StateStore } from "./store";

export interface ClaimIdentity {
  sdkAppId: number;
  room: RoomRef;
  userId: string;
}

export type ClaimOutcome = { won: true } | { won: false; holder: string };

interface ClaimBody {
  recordingId: string;
  at: string;
}

export interface Claims {
  /**
   * Claims the identity for `recordingId`. Winning again with the same id is allowed (SCF may re-run an async
   * invocation with the same request id). `isLive(holder)` decides whether an existing holder still counts.
   */
  claim(who: ClaimIdentity, recordingId: string, isLive: (holder: string) => Promise<boolean>): Promise<ClaimOutcome>;
  /** The current holder, if any (for a read-only duplicate check). */
  holder(who: ClaimIdentity): Promise<string | undefined>;
  /** Releases the claim if `recordingId` still holds it. */
  release(who: ClaimIdentity, recordingId: string): Promise<void>;
}

export function createClaims(store: StateStore, nowIso: () => string): Claims {
  const keyOf = (who: ClaimIdentity) => stateKeys.claim(who.sdkAppId, who.room, who.userId);
  const holder = async (who: ClaimIdentity) => (await getJson<ClaimBody>(store, keyOf(who)))?.recordingId;

  return {
    holder,
    async claim(who, recordingId, isLive) {
      const key = keyOf(who);
      // A few rounds: a later round runs only after a stale claim was removed or a holder released meanwhile.
      for (let round = 0; round < 3; round++) {
        if (await createJson(store, key, { recordingId, at: nowIso() } satisfies ClaimBody)) return { won: true };
        const current = await holder(who);
        if (current === undefined) continue; // released between our create and our read: try again
        if (current === recordingId) return { won: true };
        if (await isLive(current)) return { won: false, holder: current };
        await store.delete(key);
      }
      throw new Error(`claim for ${key} kept changing hands; giving up`);
    },
    async release(who, recordingId) {
      if ((await holder(who)) === recordingId) await store.delete(keyOf(who));
    },
  };
}
