// The room timeline and MaxIdleTime run on an injectable clock so tests can script a 10-minute class in
// milliseconds of wall time: a ManualClock only moves when the test calls advance(), and timers fire in order.

/** Milliseconds since the epoch, plus one-shot timers at absolute clock times. */
export interface Clock {
  now(): number;
  /** Calls `fn` once the clock reaches `atMs`; returns a cancel function. */
  setTimer(atMs: number, fn: () => void): () => void;
}

/** Wall time: Date.now and setTimeout. Timers are unref'd so a forgotten task never keeps a test process alive. */
export function systemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(atMs, fn) {
      const t = setTimeout(fn, Math.max(0, atMs - Date.now()));
      t.unref();
      return () => clearTimeout(t);
    },
  };
}

interface PendingTimer {
  atMs: number;
  seq: number;
  fn: () => void;
}

/** A clock that stands still until advance(); due timers fire in (time, creation) order. */
export class ManualClock implements Clock {
  private current: number;
  private seq = 0;
  private timers: PendingTimer[] = [];

  // Starts at wall time by default: UserSigs and signatures minted by real SDKs stay valid on it.
  constructor(startMs = Date.now()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimer(atMs: number, fn: () => void): () => void {
    const timer = { atMs, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /**
   * Moves the clock forward by `ms`, stopping at each due timer so the timer sees its own time as now().
   * Yields to the event loop after each timer so work it starts (HTTP callbacks, renders) can begin.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new Error(`ManualClock.advance: ms must be >= 0 (got ${ms})`);
    const target = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.atMs <= target).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = Math.max(this.current, due.atMs);
      due.fn();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.current = target;
  }
}
