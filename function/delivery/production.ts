// The contract between the upload pipeline and whatever produces the output bytes (an ffmpeg pipeline, or a byte
// relay), plus the rule for which of several concurrent failures is reported.
import { StageError } from "./cos-errors";
import { ConsumerGone } from "./source-read";
import type { SinkUnit } from "./multipart-sink";

export type Emit = (unit: SinkUnit) => Promise<"more" | "stop">;

export interface Production {
  /** Produces every unit in order. "stopped" when `emit` asked to stop. Throws StageError on failure. */
  run(emit: Emit): Promise<"done" | "stopped">;
  /** Stops everything (kills processes, ends readers); safe to call at any time, more than once. */
  abort(): void;
  /** A line for the log about anything unusual the production did (e.g. samples trimmed at a splice). */
  note?(): string | undefined;
}

/**
 * Several stages fail together when one does (ffmpeg dies → its reader sees a closed pipe). The first real failure
 * is the cause; closed-consumer errors are consequences and only reported if nothing else was.
 */
export class FirstFailure {
  private firstCause?: unknown;
  private consequence?: unknown;

  record(err: unknown): void {
    if (err instanceof ConsumerGone) {
      this.consequence ??= err;
      return;
    }
    this.firstCause ??= err;
  }

  /** The first real failure (not a closed-consumer consequence). */
  get cause(): unknown {
    return this.firstCause;
  }

  /** The error to report, as a StageError. */
  toStageError(fallback: StageError["outcome"]): StageError | undefined {
    const e = this.firstCause ?? this.consequence;
    if (e === undefined) return undefined;
    if (e instanceof StageError) return e;
    return new StageError(fallback, e instanceof Error ? e.message : String(e));
  }
}

/**
 * Waits for all of them; rejects with the first real failure among them (a closed-consumer error only if there is
 * nothing else). A stage's reader and its consumer fail together, and the consumer knows why.
 */
export async function settleStages(stages: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(stages);
  const failures = new FirstFailure();
  for (const r of results) if (r.status === "rejected") failures.record(r.reason);
  const err = failures.cause ?? results.find((r): r is PromiseRejectedResult => r.status === "rejected")?.reason;
  if (err !== undefined) throw err;
}
