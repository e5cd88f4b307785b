// Idempotent start: one running recording per (SdkAppId, room, UserId). The claim is a generation slot
// (generations.ts): taking it — fresh, or over a holder that is no longer live — is an exclusive create of the next
// generation, so of any number of concurrent starts exactly one wins, whichever runs first. Releasing writes a
// "released" generation the same way, so a release can never remove a successor's claim.
import type { RoomRef } from "../contract/request";
import { generations } from "./generations";
import { stateKeys } from "./keys";
import type { StateStore } from "./store";

export interface ClaimIdentity {
  sdkAppId: number;
  room: RoomRef;
  userId: string;
}

export type ClaimOutcome = { won: true } | { won: false; holder: string };

interface ClaimBody {
  recordingId: string;
  at: string;
  /** A release marker: the slot is free. */
  released?: boolean;
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

const ROUNDS = 5;

export function createClaims(store: StateStore, nowIso: () => string): Claims {
  const slotOf = (who: ClaimIdentity) => generations<ClaimBody>(store, stateKeys.claimPrefix(who.sdkAppId, who.room, who.userId));
  return {
    async holder(who) {
      const top = await slotOf(who).top();
      return top && !top.body.released ? top.body.recordingId : undefined;
    },
    async claim(who, recordingId, isLive) {
      const slot = slotOf(who);
      // A later round runs only when another taker created the generation we tried: read who won and decide again.
      for (let round = 0; round < ROUNDS; round++) {
        const top = await slot.top();
        const held = top && !top.body.released ? top.body.recordingId : undefined;
        if (held === recordingId) return { won: true };
        if (held !== undefined && (await isLive(held))) return { won: false, holder: held };
        if (await slot.next(top?.gen, { recordingId, at: nowIso() })) return { won: true };
      }
      throw new Error(`claim for ${stateKeys.claimPrefix(who.sdkAppId, who.room, who.userId)} kept changing hands; giving up`);
    },
    async release(who, recordingId) {
      const slot = slotOf(who);
      const top = await slot.top();
      if (top && !top.body.released && top.body.recordingId === recordingId) {
        // Losing this create means someone took the slot over meanwhile: nothing of ours is left to release.
        await slot.next(top.gen, { recordingId, at: nowIso(), released: true });
      }
    },
  };
}
