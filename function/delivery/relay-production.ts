// A byte relay of one source into the target's multipart upload: the fallback when a server-side copy is refused
// (the target's credentials may not read the source, e.g. the deployment's staging bucket). Every chunk boundary is
// a possible cut, and a resume is a ranged GET from the next byte.
import { Writable } from "node:stream";
import type COS from "cos-nodejs-sdk-v5";
import type { RetryPolicy } from "./cos-retry";
import { FirstFailure, type Emit, type Production } from "./production";
import { streamSource } from "./source-read";
import type { ProbedSource } from "./source-probe";
import type { DeliveryLog } from "./types";

export interface RelayOptions {
  source: ProbedSource;
  startByte: number;
  cos: COS;
  retry: RetryPolicy;
  log: DeliveryLog;
}

class Stopped extends Error {}

export function createRelayProduction(opts: RelayOptions): Production {
  let target: Writable | undefined;
  return {
    abort: () => target?.destroy(new Stopped("relay aborted")),
    async run(emit: Emit): Promise<"done" | "stopped"> {
      let offset = opts.startByte;
      let stopped = false;
      const failures = new FirstFailure();
      target = new Writable({
        highWaterMark: 1024 * 1024,
        write(chunk: Buffer, _enc, done) {
          const at = offset;
          offset += chunk.length;
          emit({ bytes: chunk, cut: { kind: "bytes", offset: at } }).then(
            (r) => {
              if (r === "stop") {
                stopped = true;
                done(new Stopped("stop requested"));
              } else done();
            },
            (err: unknown) => {
              failures.record(err);
              done(err instanceof Error ? err : new Error(String(err)));
            },
          );
        },
      });
      target.on("error", () => undefined);
      try {
        await streamSource(opts.cos, opts.source, target, { retry: opts.retry, startByte: opts.startByte, onRetry: (d) => opts.log.warn("source read interrupted, resuming", { detail: d }) });
      } catch (err) {
        if (!stopped) failures.record(err);
      }
      if (stopped) return "stopped";
      const failure = failures.toStageError("COS read failed");
      if (failure) throw failure;
      await new Promise<void>((resolve) => target!.end(() => resolve()));
      return "done";
    },
  };
}
