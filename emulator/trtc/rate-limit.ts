// TRTC's per-action request frequency limits ("默认接口请求频率限制"), answered like the real API: the common error
// RequestLimitExceeded in an HTTP 200 `{"Response":{"Error":…}}`. Counted on the double's clock, so a test with a
// ManualClock decides exactly which call is refused (no wall time involved).
//
// Limits, each from its action's API page: CreateCloudRecording 20/s (tencentcloud.com/document/api/647/46960),
// DescribeCloudRecording 20/s (cloud.tencent.com/document/api/647/73784, …/647/46958), ModifyCloudRecording 20/s
// (tencentcloud.com/document/product/647/46957), DeleteCloudRecording 20/s (cloud.tencent.com/document/api/647/73785,
// …/647/46959). The code and its meaning ("请求的次数超过了频率限制") are API 3.0's common error codes.
// How the window is measured is not documented: a sliding one-second window (no second holds more than the
// limit) is the strictest reading, so code that passes here also passes a fixed-window limiter. Refused calls do
// not count against the limit (assumed). One double plays one account: every SecretId shares the budget.
import { Tc3ApiError } from "../tc3/types";

/** Documented default limits, calls per second per action (see the header for the sources). */
export const TRTC_RATE_LIMITS: Readonly<Record<string, number>> = {
  CreateCloudRecording: 20,
  DescribeCloudRecording: 20,
  ModifyCloudRecording: 20,
  DeleteCloudRecording: 20,
};

export interface RateLimitOptions {
  /** Calls per window per action; an action not named here is not limited. @default TRTC_RATE_LIMITS */
  perWindow?: Readonly<Record<string, number>>;
  /** @default 1000 (the documented limits are per second) */
  windowMs?: number;
}

export interface ActionCount {
  admitted: number;
  refused: number;
}

export class RateLimiter {
  private readonly limits: Readonly<Record<string, number>>;
  private readonly windowMs: number;
  /** Admission times still inside the window, oldest first, per action. */
  private readonly recent = new Map<string, number[]>();
  /** Every call seen, per action (limited or not): what a benchmark reads. */
  readonly counts = new Map<string, ActionCount>();

  constructor(
    private readonly now: () => number,
    opts: RateLimitOptions = {},
  ) {
    this.limits = opts.perWindow ?? TRTC_RATE_LIMITS;
    this.windowMs = opts.windowMs ?? 1000;
    for (const [action, limit] of Object.entries(this.limits)) {
      if (!(Number.isInteger(limit) && limit > 0)) throw new Error(`RateLimiter: limit for ${action} must be a positive integer (got ${limit})`);
    }
    if (!(this.windowMs > 0)) throw new Error(`RateLimiter: windowMs must be > 0 (got ${this.windowMs})`);
  }

  /** The limit for `action` per window, or undefined when the action is not limited. */
  limitOf(action: string): number | undefined {
    return Object.hasOwn(this.limits, action) ? this.limits[action] : undefined;
  }

  /** True when the call may proceed (and counts it); false when it must be refused with RequestLimitExceeded. */
  admit(action: string): boolean {
    const count = this.countOf(action);
    const limit = this.limitOf(action);
    if (limit === undefined) {
      count.admitted++;
      return true;
    }
    const now = this.now();
    const times = this.recent.get(action) ?? [];
    // Keep only admissions within (now - window, now]: a call exactly one window later is in a new second.
    let drop = 0;
    while (drop < times.length && times[drop]! <= now - this.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    if (times.length >= limit) {
      this.recent.set(action, times);
      count.refused++;
      return false;
    }
    times.push(now);
    this.recent.set(action, times);
    count.admitted++;
    return true;
  }

  /** Throws the API's RequestLimitExceeded when `action` is over its limit. */
  check(action: string): void {
    if (this.admit(action)) return;
    throw new Tc3ApiError(
      "RequestLimitExceeded",
      `The number of requests exceeds the frequency limit: ${action} allows ${this.limitOf(action)} requests per ${this.windowMs} ms.`,
    );
  }

  private countOf(action: string): ActionCount {
    let c = this.counts.get(action);
    if (!c) {
      c = { admitted: 0, refused: 0 };
      this.counts.set(action, c);
    }
    return c;
  }
}
