// SCF's concurrency quota, per function: at most `limit` invocations run at once. Beyond it SCF answers a synchronous
// invocation (API Gateway, function URL, Invoke RequestResponse) with 432 ResourceLimitReached and does not retry;
// an asynchronous one (Invoke Event, timers, async-run functions) is retried by the platform until capacity frees up
// (doc 583/39848 "Concurrency Overrun"). Locally the retry is a FIFO wait for a slot, so a burst never starts more
// processes than the quota, and waiting events are bounded too.

export interface QuotaOptions {
  /** Concurrent invocations per function. */
  limit: number;
  /** Asynchronous invocations allowed to wait for a slot; beyond this they fail with 432 like a sync one. */
  maxWaiting: number;
}

export class ConcurrencyQuota {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly opts: QuotaOptions) {}

  /** A slot now, or false (the caller answers 432). */
  tryAcquire(): boolean {
    if (this.running >= this.opts.limit) return false;
    this.running++;
    return true;
  }

  /** A slot when one frees up (FIFO); false when too many are already waiting. */
  async acquire(): Promise<boolean> {
    if (this.tryAcquire()) return true;
    if (this.waiting.length >= this.opts.maxWaiting) return false;
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    return true;
  }

  release(): void {
    const next = this.waiting.shift();
    // The slot passes straight to the next waiter: `running` stays the same.
    if (next) next();
    else this.running = Math.max(0, this.running - 1);
  }

  /** Wakes every waiter (shutdown): each then finds the runtime stopping. */
  drain(): void {
    for (const wake of this.waiting.splice(0)) {
      this.running++;
      wake();
    }
  }

  get inUse(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }
}

/** SCF's words for a concurrency overrun (status 432, doc 583/35311). */
export function resourceLimitMessage(functionName: string, limit: number): string {
  return `ResourceLimitReached: the concurrency quota of function ${functionName} (${limit} concurrent invocations) is exhausted; retry later or raise its reserved concurrency`;
}
