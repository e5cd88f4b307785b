// Discrete-event time for the scale simulation: every latency the simulated cloud charges is a sleep on this clock,
// and the clock jumps to the next wake-up only once every running invocation is parked in such a sleep. So an hour
// of 10,000 recordings runs in seconds, concurrency between invocations is real (they interleave at each await),
// and TRTC's per-second limits see the times the calls were really made at.
import { AsyncLocalStorage } from "node:async_hooks";

interface Wake {
  at: number;
  seq: number;
  run: () => void;
}

/** A binary min-heap on (at, seq). */
class WakeQueue {
  private items: Wake[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Wake | undefined {
    return this.items[0];
  }
  push(w: Wake): void {
    const a = this.items;
    a.push(w);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): Wake | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function before(a: Wake, b: Wake): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** One function invocation as the platform bills it. */
export interface Invocation {
  kind: string;
  startedAt: number;
  endedAt?: number;
  /** Sleeps this invocation is parked in right now. */
  parked: number;
}

export class VirtualClock {
  private current: number;
  private seq = 0;
  private readonly queue = new WakeQueue();
  private readonly als = new AsyncLocalStorage<Invocation>();
  private readonly running = new Set<Invocation>();
  /** Running invocations not parked in a sleep (doing CPU work or real I/O): the clock may not move while > 0. */
  private unparked = 0;
  readonly finished: Invocation[] = [];

  constructor(startMs: number) {
    this.current = startMs;
  }

  now = (): number => this.current;

  /** Parks the calling invocation for `ms` of simulated time. */
  sleep = (ms: number): Promise<void> => {
    const inv = this.als.getStore();
    if (inv && inv.endedAt === undefined && inv.parked++ === 0) this.unparked--;
    return new Promise((resolve) =>
      this.at(this.current + Math.max(0, ms), () => {
        if (inv && inv.endedAt === undefined && --inv.parked === 0) this.unparked++;
        resolve();
      }),
    );
  };

  /** Runs `fn` at simulated time `atMs`. */
  at(atMs: number, fn: () => void): void {
    this.queue.push({ at: Math.max(atMs, this.current), seq: this.seq++, run: fn });
  }

  /** Starts an invocation of `kind` at `atMs`; its duration is the simulated time its awaits took. */
  invoke(kind: string, atMs: number, body: () => Promise<unknown>, onError: (err: unknown) => void): void {
    this.at(atMs, () => {
      const inv: Invocation = { kind, startedAt: this.current, parked: 0 };
      this.running.add(inv);
      this.unparked++;
      void this.als
        .run(inv, body)
        .catch(onError)
        .finally(() => {
          if (inv.parked === 0) this.unparked--;
          inv.endedAt = this.current;
          this.running.delete(inv);
          this.finished.push(inv);
        });
    });
  }

  /** The kind of the calling invocation ("start", "event", "deliver", "watchdog"), if any. */
  kind(): string | undefined {
    return this.als.getStore()?.kind;
  }

  /** Remaining time of the calling invocation given its timeout. */
  remaining(timeoutMs: number): number {
    const inv = this.als.getStore();
    return inv ? timeoutMs - (this.current - inv.startedAt) : timeoutMs;
  }

  /** Runs until nothing is scheduled before `untilMs`. */
  async run(untilMs: number): Promise<void> {
    for (;;) {
      await this.settle();
      const next = this.queue.peek();
      if (!next || next.at > untilMs) break;
      this.current = next.at;
      // Wake everything due at this instant, then let it all run up to its next sleep.
      while (this.queue.peek()?.at === this.current) this.queue.pop()!.run();
    }
    this.current = Math.max(this.current, untilMs);
  }

  /** Until every running invocation is parked (or done): microtasks, then any real I/O (a work dir, a temp file). */
  private async settle(): Promise<void> {
    for (let spins = 0; ; spins++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.unparked <= 0) return;
      if (spins > 10_000) throw new Error("VirtualClock: an invocation neither finishes nor sleeps (real I/O hanging?)");
      if (spins > 50) await new Promise<void>((resolve) => setTimeout(resolve, 1));
    }
  }
}
