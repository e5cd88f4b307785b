// Keeps the watchdog's TRTC calls inside TRTC's per-action frequency limits (20 requests/s for each cloud-recording
// action, see emulator/trtc/rate-limit.ts for the sources) and backs off when TRTC answers RequestLimitExceeded
// anyway (other invocations share the same per-account budget). A token bucket per action on the injected clock:
// a few calls never wait, a long run is spread at `perSecond`; after a throttle the rate is halved and the caller
// waits 1 s, 2 s, 4 s… (capped), then the rate creeps back up with each success.
import type { DescribeOutcome, ModifyOutcome, RecordingEngine } from "../engine/port";
import type { Clock } from "./deps";

export interface PaceTuning {
  /**
   * Calls per second the watchdog allows itself per action, counting the Describe of each delivery it starts. TRTC
   * allows 20 per account; the other 5 are for deliveries started by TRTC's events and for DELETE /recordings.
   */
  perSecond: number;
  /** Calls allowed back to back before pacing starts. */
  burst: number;
  /** First wait after a RequestLimitExceeded; doubles on each further one, up to `maxBackoffMs`. */
  backoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_PACE: PaceTuning = { perSecond: 15, burst: 2, backoffMs: 1000, maxBackoffMs: 8000 };

const THROTTLED = /^RequestLimitExceeded/;

export function isThrottled(code: string): boolean {
  return THROTTLED.test(code);
}

/**
 * GCRA (a token bucket written as "theoretical arrival time"): each call reserves its slot synchronously before
 * waiting, so concurrent workers sharing one pacer never exceed the rate together.
 */
export class ActionPacer {
  /** When the next call would be due at exactly `rate`. */
  private tat: number;
  private rate: number;
  private backoff: number;
  throttles = 0;
  waitedMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly tuning: PaceTuning,
  ) {
    this.tat = clock.now();
    this.rate = tuning.perSecond;
    this.backoff = tuning.backoffMs;
  }

  /**
   * Waits (on the injected clock) until a call may go out. False, without waiting or taking a slot, when that
   * would be after `deadline`: the caller gives the call up (the watchdog leaves the look for its next tick).
   */
  async take(deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    const now = this.clock.now();
    const interval = 1000 / this.rate;
    const tolerance = (this.tuning.burst - 1) * interval;
    const tat = Math.max(this.tat, now);
    const sendAt = tat - tolerance;
    if (sendAt > deadline) return false;
    this.tat = tat + interval;
    if (sendAt > now) {
      const wait = Math.ceil(sendAt - now);
      this.waitedMs += wait;
      await this.clock.sleep(wait);
    }
    return true;
  }

  /**
   * TRTC said RequestLimitExceeded: halve the rate, push every later slot back, wait out the backoff (but not past
   * `deadline`: then false, and the caller gives up).
   */
  async throttled(deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    this.throttles++;
    this.rate = Math.max(1, this.rate / 2);
    const wait = this.backoff;
    this.backoff = Math.min(this.tuning.maxBackoffMs, this.backoff * 2);
    this.tat = Math.max(this.tat, this.clock.now()) + wait;
    if (this.clock.now() + wait > deadline) return false;
    this.waitedMs += wait;
    await this.clock.sleep(wait);
    return true;
  }

  /** A call went through: recover the rate additively and reset the backoff. */
  succeeded(): void {
    this.rate = Math.min(this.tuning.perSecond, this.rate + 1);
    this.backoff = this.tuning.backoffMs;
  }
}

/** What a call given up by the pacer answers: like TRTC's throttle, so callers treat both the same way. */
const PACED_OUT = { ok: false as const, code: "RequestLimitExceeded.PacedOut", message: "not sent: no slot within this tick's budget", retryable: true };

/**
 * The engine as the watchdog uses it: Describe and Modify paced per action, one retry after a throttle's backoff,
 * and no call that would have to wait past `deadline()` (the tick's budget).
 */
export function pacedEngine(
  engine: RecordingEngine,
  clock: Clock,
  tuning: PaceTuning = DEFAULT_PACE,
  deadline: () => number = () => Number.POSITIVE_INFINITY,
): { engine: RecordingEngine; pacers: Record<"describe" | "modify", ActionPacer> } {
  const pacers = { describe: new ActionPacer(clock, tuning), modify: new ActionPacer(clock, tuning) };
  async function paced<T extends DescribeOutcome | ModifyOutcome>(pacer: ActionPacer, call: () => Promise<T>): Promise<T | typeof PACED_OUT> {
    if (!(await pacer.take(deadline()))) return PACED_OUT;
    let out = await call();
    if (!out.ok && isThrottled(out.code)) {
      if (!(await pacer.throttled(deadline())) || !(await pacer.take(deadline()))) return out;
      out = await call();
    }
    if (out.ok) pacer.succeeded();
    else if (isThrottled(out.code)) await pacer.throttled(deadline());
    return out;
  }
  const wrapped: RecordingEngine = {
    name: engine.name,
    mixCanvas: engine.mixCanvas,
    start: (input) => engine.start(input),
    stop: (sdkAppId, taskId) => engine.stop(sdkAppId, taskId),
    outputPrefix: (storage, taskId) => engine.outputPrefix(storage, taskId),
    describe: (sdkAppId, taskId) => paced(pacers.describe, () => engine.describe(sdkAppId, taskId)),
    modify: (sdkAppId, taskId, plan) => paced(pacers.modify, () => engine.modify(sdkAppId, taskId, plan)),
  };
  return { engine: wrapped, pacers };
}
