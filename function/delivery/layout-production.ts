// Output that is a fixed byte layout (literal bytes, then byte ranges of COS objects) streamed into the target's
// multipart upload with no ffmpeg: a relay of one object (server-side copy refused) or a join of MP4 files
// (mp4-join.ts). Every chunk boundary is a possible cut, and a resume is ranged GETs from the next output byte.
import { Writable } from "node:stream";
import type COS from "cos-nodejs-sdk-v5";
import type { RetryPolicy } from "./cos-retry";
import type { ByteLayout } from "./mp4-join";
import { FirstFailure, type Emit, type Production } from "./production";
import { streamSource } from "./source-read";
import type { ProbedSource } from "./source-probe";
import type { DeliveryLog, ResumePoint } from "./types";
import { RestartNeeded } from "./upload-pipeline";

type BytesResume = Extract<ResumePoint, { kind: "bytes" }>;

export interface LayoutOptions {
  layout: ByteLayout;
  /** The objects the layout's ranges refer to, by index. */
  sources: ProbedSource[];
  resume?: BytesResume;
  cos: COS;
  retry: RetryPolicy;
  log: DeliveryLog;
}

/** Literal bytes go out in units of at most this, so a part can end inside them. */
const LITERAL_UNIT = 1024 * 1024;

class Stopped extends Error {}

export function createLayoutProduction(opts: LayoutOptions): Production {
  let target: Writable | undefined;
  let aborted = false;
  const { layout } = opts;
  return {
    abort: () => {
      aborted = true;
      target?.destroy(new Stopped("aborted"));
    },
    async run(emit: Emit): Promise<"done" | "stopped"> {
      const startAt = opts.resume?.offset ?? 0;
      // A checkpoint from another layout (other code, other sources) would splice two different files.
      if (opts.resume?.layout !== undefined && opts.resume.layout !== layout.digest) throw new RestartNeeded("the checkpoint was made for another byte layout");
      if (startAt > layout.totalBytes) throw new RestartNeeded(`the checkpoint is ${startAt} bytes into a ${layout.totalBytes}-byte output`);
      let offset = 0;
      const unit = (bytes: Buffer) => {
        const at = offset;
        offset += bytes.length;
        const mediaSeconds = layout.durationSeconds > 0 ? (layout.durationSeconds * at) / layout.totalBytes : undefined;
        return emit({ bytes, cut: { kind: "bytes", offset: at, layout: layout.digest }, mediaSeconds });
      };
      for (const seg of layout.segments) {
        if (aborted) return "stopped";
        const length = seg.kind === "bytes" ? seg.bytes.length : seg.end - seg.start;
        if (offset + length <= startAt) {
          offset += length;
          continue;
        }
        const skip = Math.max(0, startAt - offset);
        offset += skip;
        if (seg.kind === "bytes") {
          for (let at = skip; at < seg.bytes.length; at += LITERAL_UNIT) {
            if ((await unit(seg.bytes.subarray(at, Math.min(seg.bytes.length, at + LITERAL_UNIT)))) === "stop") return "stopped";
          }
          continue;
        }
        const source = opts.sources[seg.source];
        let stopped = false;
        const failures = new FirstFailure();
        target = new Writable({
          highWaterMark: 1024 * 1024,
          write(chunk: Buffer, _enc, done) {
            unit(chunk).then(
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
          await streamSource(opts.cos, source, target, {
            retry: opts.retry,
            startByte: seg.start + skip,
            endByte: seg.end,
            onRetry: (d) => opts.log.warn("source read interrupted, resuming", { detail: d }),
          });
        } catch (err) {
          if (!stopped && !aborted) failures.record(err);
        }
        if (stopped || aborted) return "stopped";
        const failure = failures.toStageError("COS read failed");
        if (failure) throw failure;
        await new Promise<void>((resolve) => target!.end(() => resolve()));
      }
      return "done";
    },
  };
}
