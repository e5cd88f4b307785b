// CreateCloudRecording under a burst of starts (classes starting on the hour). TRTC allows 20 CreateCloudRecording
// requests per second per account (https://www.tencentcloud.com/document/product/647/34260); above that it answers
// the API 3.0 common error RequestLimitExceeded, i.e. it refused the request before acting on it — so sending the same
// request again can never create a second task. Each start retries such a refusal after a growing wait, spread by
// its recording id (start invocations do not know of each other; equal waits would collide again), within a budget
// that ends well before the watchdog would call the start stale. If TRTC still refuses at the end of the budget,
// nothing was created and the start fails saying so, with a time after which a new start is worth trying.
//
// Other retryable failures (InternalError, ResourceUnavailable, network, 5xx) keep their short in-line retry: Tencent
// asks to retry InternalError with the same parameters (https://trtc.io/document/45169, "Best practices").
import type { EngineFailure, StartInput, StartOutcome } from "../engine/port";
import type { Logger } from "../log/logger";
import { stateKeys } from "../state/keys";
import { getJson, putJson } from "../state/store";
import { isThrottled } from "./api-pacer";
import type { Kit } from "./kit";

/** Attempts for failures other than TRTC's frequency limit (network, 5xx, InternalError). */
const OTHER_ATTEMPTS = 3;
const OTHER_BACKOFF_MS = 1000;
/** First wait after a RequestLimitExceeded; doubles per refusal up to the cap, each drawn in [½, 1] of it. */
const THROTTLE_FIRST_WAIT_MS = 2000;
const THROTTLE_MAX_WAIT_MS = 30_000;
/** Refusals after which a start gives up whatever its clock says (a clock that does not move must not loop forever). */
const MAX_REFUSALS = 30;
/** The start gives up this long before the watchdog would fail it as stale (`startStaleMs` after its creation). */
const STALE_MARGIN_MS = 60_000;
/** A caller told to try again waits between these, spread by recording id so the retries do not come back together. */
const RETRY_AFTER_MIN_S = 45;
const RETRY_AFTER_SPREAD_S = 30;

/** @default 120 s: how long a start keeps retrying CreateCloudRecording refused with RequestLimitExceeded. */
export const DEFAULT_START_THROTTLE_BUDGET_MS = 120_000;

/** A number in [0, 1) from `text`, the same every time (FNV-1a): jitter that tests can predict. */
export function spreadOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 0x100000000;
}

/** The wait after the `refusal`-th RequestLimitExceeded (1-based) of recording `recordingId`. */
export function throttleWaitMs(recordingId: string, refusal: number): number {
  const cap = Math.min(THROTTLE_MAX_WAIT_MS, THROTTLE_FIRST_WAIT_MS * 2 ** (refusal - 1));
  return Math.round(cap * (0.5 + 0.5 * spreadOf(`${recordingId}:${refusal}`)));
}

/** Seconds after which a new start of the same room is worth trying, for a start that gave up throttled. */
export function retryAfterSeconds(recordingId: string): number {
  return RETRY_AFTER_MIN_S + Math.floor(RETRY_AFTER_SPREAD_S * spreadOf(`${recordingId}:retry-after`));
}

export type CreateOutcome =
  | StartOutcome
  /** TRTC refused every attempt with RequestLimitExceeded until the budget ran out: no task exists. */
  | (EngineFailure & { throttled: { attempts: number; waitedMs: number; retryAfterSeconds: number } });

export interface CreateBudget {
  /** The start's record creation time: the watchdog calls the start stale `startStaleMs` after it. */
  createdAtMs: number;
}

/**
 * CreateCloudRecording with the retries described above. A RequestLimitExceeded retry cannot duplicate a task (the
 * request was refused); the short retry of other retryable failures is the pre-existing behaviour (see
 * docs/operations.md for the one ambiguous case, a network failure after the request was sent).
 */
export async function createWithRetries(kit: Kit, recordingId: string, input: StartInput, budget: CreateBudget, log: Logger): Promise<CreateOutcome> {
  const { clock, config } = kit.deps;
  const throttleBudget = config.startThrottleBudgetMs ?? DEFAULT_START_THROTTLE_BUDGET_MS;
  const staleDeadline = budget.createdAtMs + config.startStaleMs - STALE_MARGIN_MS;
  let refusals = 0;
  let others = 0;
  let firstRefusalAt: number | undefined;
  for (;;) {
    const out = await kit.deps.engine.start(input);
    if (out.ok) {
      if (refusals > 0) log.info("CreateCloudRecording admitted after TRTC's frequency limit", { refusals, waitedMs: clock.now() - (firstRefusalAt ?? clock.now()) });
      return out;
    }
    const now = clock.now();
    if (isThrottled(out.code)) {
      refusals++;
      firstRefusalAt ??= now;
      const wait = throttleWaitMs(recordingId, refusals);
      const deadline = Math.min(firstRefusalAt + throttleBudget, staleDeadline);
      if (now + wait > deadline || refusals >= MAX_REFUSALS) {
        const throttled = { attempts: refusals + others, waitedMs: now - firstRefusalAt, retryAfterSeconds: retryAfterSeconds(recordingId) };
        log.warn("CreateCloudRecording still refused by TRTC's frequency limit: giving up, nothing was created", throttled);
        return { ...out, throttled };
      }
      await clock.sleep(wait);
      continue;
    }
    others++;
    if (!out.retryable || others >= OTHER_ATTEMPTS) return out;
    log.warn("CreateCloudRecording failed, retrying", { attempt: others, code: out.code, message: out.message });
    await clock.sleep(OTHER_BACKOFF_MS * 2 ** (others - 1));
  }
}

/**
 * A start gave up refused: note until when new starts would meet the same limit, so the function-URL ingress can
 * answer 429 with Retry-After at once instead of accepting a start bound to fail. Best effort: losing it only means
 * new starts are accepted and retry themselves.
 */
export async function noteCreateThrottled(kit: Kit, untilMs: number, log: Logger): Promise<void> {
  try {
    const held = await getJson<{ untilMs?: number }>(kit.deps.state, stateKeys.createThrottled);
    if (typeof held?.untilMs === "number" && held.untilMs >= untilMs) return;
    await putJson(kit.deps.state, stateKeys.createThrottled, { untilMs });
  } catch (err) {
    log.warn("could not note the CreateCloudRecording throttle", { error: err });
  }
}

/** Seconds until starts are worth trying again, while a noted throttle lasts; undefined otherwise (or unreadable). */
export async function createThrottleRetryAfter(kit: Kit): Promise<number | undefined> {
  const held = await getJson<{ untilMs?: number }>(kit.deps.state, stateKeys.createThrottled).catch(() => undefined);
  const left = typeof held?.untilMs === "number" ? held.untilMs - kit.deps.clock.now() : 0;
  return left > 0 ? Math.ceil(left / 1000) : undefined;
}
