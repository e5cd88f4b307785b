// A retry layer above the SDK's own: cos-nodejs-sdk-v5 3.0.0 makes 4 attempts back to back (no back-off) on 5xx and
// network errors, which a brief COS hiccup outlasts. We add a few rounds with growing pauses, for transient
// failures only.
import { asCosFailure, isPermanent, type CosFailure } from "./cos-errors";

export interface RetryPolicy {
  /** Rounds after the first (each round is itself up to 4 SDK attempts). @default 3 */
  rounds: number;
  /** Pause before round n is baseDelayMs * 2^(n-1). @default 500 */
  baseDelayMs: number;
  sleep(ms: number): Promise<void>;
}

export const defaultRetryPolicy: RetryPolicy = {
  rounds: 3,
  baseDelayMs: 500,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type Attempt<T> = { ok: true; value: T; rounds: number } | { ok: false; failure: CosFailure; rounds: number };

export async function withCosRetry<T>(call: () => Promise<T>, policy: RetryPolicy, onRetry?: (f: CosFailure, round: number) => void): Promise<Attempt<T>> {
  let round = 0;
  for (;;) {
    try {
      return { ok: true, value: await call(), rounds: round + 1 };
    } catch (err) {
      const failure = asCosFailure(err);
      if (isPermanent(failure) || round >= policy.rounds) return { ok: false, failure, rounds: round + 1 };
      round += 1;
      onRetry?.(failure, round);
      await policy.sleep(policy.baseDelayMs * 2 ** (round - 1));
    }
  }
}
