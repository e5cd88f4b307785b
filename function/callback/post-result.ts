// POSTs the result to the caller's Callback: signed (X-Signature = hex HMAC-SHA256 of the exact body bytes with the
// deployment's runtime secret `callback-signing-key`), idempotent for the receiver (Idempotency-Key = recording id),
// retried a bounded number of times with exponential backoff. The result is also stored elsewhere, so giving up
// here loses nothing.
import { createHmac } from "node:crypto";
import type { Logger } from "../log/logger";

/** The part of `fetch` we use, injectable for tests. */
export type FetchLike = (url: string, init: { method: "POST"; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ status: number }>;

export interface CallbackPolicy {
  /** Total attempts, including the first. @default 5 */
  attempts: number;
  /** Delay before the second attempt; doubles each time. @default 1000 */
  baseDelayMs: number;
  /** Per-attempt timeout. @default 10000 */
  timeoutMs: number;
}

export const DEFAULT_CALLBACK_POLICY: CallbackPolicy = { attempts: 5, baseDelayMs: 1000, timeoutMs: 10_000 };

export interface PostResultInput {
  url: string;
  body: string;
  recordingId: string;
  /** undefined when the operator provisioned no key: the callback is sent unsigned and the report says so. */
  signingKey: string | undefined;
}

export interface PostResultDeps {
  fetch: FetchLike;
  sleep: (ms: number) => Promise<void>;
  log: Logger;
  policy?: CallbackPolicy;
}

export interface PostResultReport {
  delivered: boolean;
  attempts: number;
  signed: boolean;
  lastStatus?: number;
  lastError?: string;
}

export function signBody(key: string, body: string): string {
  return createHmac("sha256", key).update(body, "utf8").digest("hex");
}

// 4xx means the receiver understood and refused; asking again will not change its mind (except for these).
function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

export async function postResult(input: PostResultInput, deps: PostResultDeps): Promise<PostResultReport> {
  const policy = deps.policy ?? DEFAULT_CALLBACK_POLICY;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "idempotency-key": input.recordingId,
  };
  if (input.signingKey !== undefined) headers["x-signature"] = signBody(input.signingKey, input.body);
  const report: PostResultReport = { delivered: false, attempts: 0, signed: input.signingKey !== undefined };
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) await deps.sleep(policy.baseDelayMs * 2 ** (attempt - 2));
    report.attempts = attempt;
    try {
      const res = await deps.fetch(input.url, { method: "POST", headers, body: input.body, signal: AbortSignal.timeout(policy.timeoutMs) });
      report.lastStatus = res.status;
      delete report.lastError;
      if (res.status >= 200 && res.status < 300) {
        report.delivered = true;
        deps.log.info("callback delivered", { attempt, status: res.status });
        return report;
      }
      deps.log.warn("callback refused", { attempt, status: res.status });
      if (!isRetryableStatus(res.status)) return report;
    } catch (err) {
      report.lastError = err instanceof Error ? err.message : String(err);
      deps.log.warn("callback failed", { attempt, error: report.lastError });
    }
  }
  return report;
}
