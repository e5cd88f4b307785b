// Delivers TRTC callbacks the way TRTC does: POST JSON with Sign = base64(HMAC-SHA256(key, raw body)) and an
// SdkAppId header; anything but HTTP 200 within the timeout is a failure, retried at once and then every 10 s
// until one minute after the first send. Intervals are options so tests run in milliseconds. Chaos options
// (drop, duplicate, reorder; seeded, so runs repeat) model what an at-least-once webhook can do to a receiver.
import { createHmac } from "node:crypto";
import type { CallbackBody } from "./event-body";
import { SeededRandom } from "./seeded-random";

export interface EventsTarget {
  url: string;
  /** The console's callback key (used as the HMAC key; never logged). */
  key: string;
}

export interface RetryPolicy {
  /** Retry once right after a failure. @default true */
  immediateRetry?: boolean;
  /** Then retry every this many ms. @default 10000 */
  intervalMs?: number;
  /** Stop retrying this long after the first send. @default 60000 */
  giveUpAfterMs?: number;
  /** A receiver slower than this failed. @default 5000 */
  timeoutMs?: number;
}

/** A number in (0, 1) is a probability; an integer N >= 1 means every Nth event. */
export type ChaosRate = number;

export interface EventChaos {
  /** Send some events twice (the copy right after the original's delivery ends). */
  duplicate?: ChaosRate;
  /** Never send some events. */
  drop?: ChaosRate;
  /** Hold an event up to `windowMs` (default 200); an event emitted meanwhile overtakes it. */
  reorder?: boolean | { windowMs: number };
  /** @default 1 */
  seed?: number;
}

export interface Delivery {
  eventType: number;
  body: string;
  /** 1 for the first try of this copy. */
  attempt: number;
  /** HTTP status, or what went wrong on the wire. */
  outcome: number | "timeout" | "network-error";
  /** True for the extra copy made by chaos.duplicate. */
  duplicate: boolean;
}

export interface EmittedEvent {
  sdkAppId: number;
  url: string;
  body: CallbackBody;
  dropped: boolean;
}

interface Job {
  target: EventsTarget;
  sdkAppId: number;
  body: string;
  eventType: number;
}

export class EventDispatcher {
  /** Every event the service produced, in order, whatever chaos then did to it. */
  readonly emitted: EmittedEvent[] = [];
  /** Every HTTP attempt, in the order it finished. */
  readonly deliveries: Delivery[] = [];
  private readonly random: SeededRandom;
  private readonly retry: Required<RetryPolicy>;
  private counter = 0;
  private queue: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private held: { job: Job; timer: NodeJS.Timeout; done: () => void } | undefined;
  private closed = false;

  constructor(private readonly opts: { retry?: RetryPolicy; chaos?: EventChaos } = {}) {
    this.random = new SeededRandom(opts.chaos?.seed ?? 1);
    this.retry = { immediateRetry: true, intervalMs: 10_000, giveUpAfterMs: 60_000, timeoutMs: 5_000, ...opts.retry };
  }

  emit(target: EventsTarget, sdkAppId: number, body: CallbackBody): void {
    if (this.closed) return;
    const n = ++this.counter;
    const chaos = this.opts.chaos ?? {};
    const dropped = this.hits(chaos.drop, n);
    this.emitted.push({ sdkAppId, url: target.url, body, dropped });
    if (dropped) return;
    const job: Job = { target, sdkAppId, body: JSON.stringify(body), eventType: body.EventType };
    const duplicate = this.hits(chaos.duplicate, n);
    const run = async () => {
      await this.deliver(job, false);
      if (duplicate) await this.deliver(job, true);
    };
    if (!chaos.reorder) return this.enqueue(run);
    const windowMs = typeof chaos.reorder === "object" ? chaos.reorder.windowMs : 200;
    if (this.held) {
      // The newer event overtakes the one being held back.
      const held = this.held;
      this.held = undefined;
      clearTimeout(held.timer);
      this.enqueue(run);
      this.enqueue(async () => held.done());
      return;
    }
    let release: () => void = () => {};
    const heldRun = new Promise<void>((resolve) => (release = resolve)).then(run);
    this.track(heldRun);
    const timer = setTimeout(() => {
      this.held = undefined;
      release();
    }, windowMs);
    this.held = { job, timer, done: release };
  }

  /** Resolves once nothing is queued, held or waiting for a retry. */
  async idle(): Promise<void> {
    for (;;) {
      const pending = [this.queue, ...this.inFlight];
      await Promise.all(pending);
      if (this.inFlight.size === 0 && !this.held) return;
    }
  }

  /** Stops all retries and held events (pending ones are abandoned). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.held) {
      clearTimeout(this.held.timer);
      this.held = undefined;
    }
    this.inFlight.clear();
  }

  private hits(rate: ChaosRate | undefined, n: number): boolean {
    if (rate === undefined || rate <= 0) return false;
    if (rate >= 1) return n % Math.round(rate) === 0;
    return this.random.next() < rate;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** First attempts go out one at a time, in emission order; retries run on their own timers. */
  private enqueue(run: () => Promise<void>): void {
    this.queue = this.queue.then(run, run);
  }

  private async deliver(job: Job, duplicate: boolean): Promise<void> {
    const firstAt = Date.now();
    if (await this.attempt(job, 1, duplicate)) return;
    let attempt = 1;
    if (this.retry.immediateRetry && (await this.attempt(job, ++attempt, duplicate))) return;
    const retryLater = (): Promise<void> =>
      new Promise<void>((resolve) => {
        if (this.closed || Date.now() + this.retry.intervalMs - firstAt > this.retry.giveUpAfterMs) return resolve();
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void this.attempt(job, ++attempt, duplicate).then((ok) => (ok ? resolve() : retryLater().then(resolve)));
        }, this.retry.intervalMs);
        this.timers.add(timer);
      });
    this.track(retryLater());
  }

  private async attempt(job: Job, attempt: number, duplicate: boolean): Promise<boolean> {
    if (this.closed) return true;
    const sign = createHmac("sha256", job.target.key).update(job.body).digest("base64");
    let outcome: Delivery["outcome"];
    try {
      const res = await fetch(job.target.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Sign: sign, SdkAppId: String(job.sdkAppId) },
        body: job.body,
        signal: AbortSignal.timeout(this.retry.timeoutMs),
      });
      await res.arrayBuffer();
      outcome = res.status;
    } catch (e) {
      outcome = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError") ? "timeout" : "network-error";
    }
    this.deliveries.push({ eventType: job.eventType, body: job.body, attempt, outcome, duplicate });
    return outcome === 200;
  }
}
