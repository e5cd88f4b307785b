// Mode 10: every source's AAC, as one ADTS byte stream (ADTS concatenates byte-wise; MP4/M4A sources go through a
// stream-copy extractor first), into one libmp3lame encoder whose MP3 frames go to the sink. Counting AAC frames on
// the way in and MP3 frames on the way out gives exact positions, so a resumed run skips straight to the sample
// where the uploaded part ended (whole sources unread, then whole AAC frames, then samples via atrim).
import { rm } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import type COS from "cos-nodejs-sdk-v5";
import { AdtsFramer } from "./adts";
import { StageError } from "./cos-errors";
import type { RetryPolicy } from "./cos-retry";
import { extractAdtsArgs, mp3Args, MP3_ENCODER_DELAY_SAMPLES } from "./ffmpeg-args";
import { describeExit, runFfmpeg, type FfmpegProcess } from "./ffmpeg-run";
import { ensureFreeSpace } from "./free-space";
import { Mp3FrameReader } from "./mp3-frame-reader";
import { FirstFailure, settleStages, type Emit, type Production } from "./production";
import { ConsumerGone, downloadSource, streamSource } from "./source-read";
import type { ProbedSource } from "./source-probe";
import type { DeliveryLog, ResumePoint } from "./types";

type Mp3Resume = Extract<ResumePoint, { kind: "mp3" }>;

export interface Mp3ProductionOptions {
  sources: ProbedSource[];
  resume?: Mp3Resume;
  cos: COS;
  ffmpegPath: string;
  jobDir: string;
  retry: RetryPolicy;
  log: DeliveryLog;
}

/** Where a run starts: which source, how many of its AAC frames to skip, how many decoded samples to trim after. */
export interface Mp3Start {
  firstSource: number;
  skipAacFrames: number;
  trimSamples: number;
  startSample: number;
  framesDone: number;
}

/**
 * Pure: the start of a run from a checkpoint. One AAC frame before the target is decoded and trimmed, because an
 * AAC decoder needs the previous frame's overlap to produce the first frame correctly.
 */
export function mp3Start(resume: Mp3Resume | undefined, sourceCount: number): Mp3Start {
  if (!resume) return { firstSource: 0, skipAacFrames: 0, trimSamples: 0, startSample: 0, framesDone: 0 };
  const spa = resume.samplesPerAacFrame;
  const target = Math.max(0, resume.nextInputSample);
  const feedFrom = Math.max(0, Math.floor(target / spa) - 1);
  let skip = feedFrom;
  let first = 0;
  while (first < sourceCount && resume.sourceAacFrames[first] !== undefined && resume.sourceAacFrames[first] <= skip) {
    skip -= resume.sourceAacFrames[first];
    first += 1;
  }
  return { firstSource: first, skipAacFrames: skip, trimSamples: target - feedFrom * spa, startSample: target, framesDone: resume.framesDone };
}

/** Resolves when the framer has passed everything on; a framer destroyed by abort() counts as a closed consumer. */
function waitEnd(stream: AdtsFramer, key: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once("end", () => resolve());
    stream.once("error", reject);
    stream.once("close", () => (stream.readableEnded ? resolve() : reject(new ConsumerGone(key))));
  });
}

export function createMp3Production(opts: Mp3ProductionOptions): Production {
  const procs: FfmpegProcess[] = [];
  const framers: AdtsFramer[] = [];
  let aborted = false;
  const abort = () => {
    aborted = true;
    for (const p of procs) p.kill();
    for (const f of framers) f.destroy();
  };
  const start = mp3Start(opts.resume, opts.sources.length);
  const sourceAacFrames = [...(opts.resume?.sourceAacFrames ?? [])];
  let adtsRate: number | undefined;

  async function feed(stdin: Writable): Promise<void> {
    for (let i = start.firstSource; i < opts.sources.length && !aborted; i++) {
      const src = opts.sources[i];
      const framer = new AdtsFramer(i === start.firstSource ? start.skipAacFrames : 0);
      framers.push(framer);
      framer.pipe(stdin, { end: false });
      const done = waitEnd(framer, src.location.key).catch((err: unknown) => {
        if (err instanceof ConsumerGone) throw err;
        throw new StageError("transcode failed", `${src.location.key}: ${err instanceof Error ? err.message : String(err)}`);
      });
      const readOpts = { retry: opts.retry, onRetry: (d: string) => opts.log.warn("source read interrupted, resuming", { detail: d }) };
      if (src.format === "adts") {
        const read = streamSource(opts.cos, src, framer, readOpts).then(() => framer.end());
        await settleStages([read, done]);
      } else {
        let input = "pipe:0";
        let local: string | undefined;
        if (!src.streamable) {
          local = path.join(opts.jobDir, `source-${i}.mp4`);
          await ensureFreeSpace(opts.jobDir, src.size, `downloading ${src.location.key} (its moov is at the end)`);
          await downloadSource(opts.cos, src, local, readOpts);
          input = local;
        }
        const ex = runFfmpeg(opts.ffmpegPath, extractAdtsArgs(input), { stdin: src.streamable });
        procs.push(ex);
        ex.stdout.pipe(framer);
        const stdin = ex.stdin;
        const read = src.streamable && stdin ? streamSource(opts.cos, src, stdin, readOpts).then(() => stdin.end()) : Promise.resolve();
        const extracted = ex.exited.then((exit) => {
          if (exit.code !== 0 && !exit.killed) throw new StageError("transcode failed", describeExit(`extracting AAC from ${src.location.key}`, exit));
          if (exit.killed) throw new ConsumerGone(src.location.key);
        });
        try {
          await settleStages([read, extracted, done]);
        } finally {
          if (local) await rm(local, { force: true });
        }
      }
      sourceAacFrames[i] = framer.aacFrames;
      adtsRate ??= framer.sampleRate;
      if (framer.droppedTailBytes > 0) opts.log.warn("source ends inside an AAC frame; the partial frame was dropped", { key: src.location.key, bytes: framer.droppedTailBytes });
    }
    stdin.end();
  }

  return {
    abort,
    async run(emit: Emit): Promise<"done" | "stopped"> {
      const failures = new FirstFailure();
      const encoder = runFfmpeg(opts.ffmpegPath, mp3Args({ trimStartSamples: start.trimSamples }), { stdin: true });
      procs.push(encoder);
      if (!encoder.stdin) throw new StageError("transcode failed", "encoder has no stdin");
      const feeding = feed(encoder.stdin).catch((err: unknown) => {
        failures.record(err);
        abort();
      });
      // An encoder that exits while the feeder still writes would leave the feeder waiting for 'drain' forever.
      void encoder.exited.then(() => {
        for (const f of framers) if (!f.readableEnded) f.destroy();
      });
      let stopped = false;
      const reader = new Mp3FrameReader();
      let framesThisRun = 0;
      try {
        for await (const chunk of encoder.stdout) {
          const { bytes, frames } = reader.push(chunk as Buffer);
          if (bytes.length === 0) continue;
          const spf = reader.samplesPerFrame ?? 1152;
          const rate = reader.sampleRate ?? 48000;
          const spa = adtsRate ? Math.round((1024 * rate) / adtsRate) : (opts.resume?.samplesPerAacFrame ?? 1024);
          const cut: ResumePoint | undefined =
            framesThisRun > 0
              ? {
                  kind: "mp3",
                  framesDone: start.framesDone + framesThisRun,
                  samplesPerFrame: spf,
                  sampleRate: rate,
                  nextInputSample: start.startSample + framesThisRun * spf - MP3_ENCODER_DELAY_SAMPLES,
                  samplesPerAacFrame: spa,
                  sourceAacFrames: [...sourceAacFrames],
                }
              : undefined;
          const mediaSeconds = ((start.framesDone + framesThisRun) * spf) / rate;
          framesThisRun += frames;
          if ((await emit({ bytes, cut, mediaSeconds })) === "stop") {
            stopped = true;
            abort();
            break;
          }
        }
      } catch (err) {
        failures.record(err instanceof StageError ? err : new StageError("transcode failed", err instanceof Error ? err.message : String(err)));
        abort();
      }
      const exit = await encoder.exited;
      await feeding;
      if (stopped) return "stopped";
      if (exit.code !== 0 && !exit.killed) failures.record(new StageError("transcode failed", describeExit("MP3 encoding", exit)));
      const failure = failures.toStageError("transcode failed");
      if (failure) throw failure;
      try {
        reader.end();
      } catch (err) {
        throw new StageError("transcode failed", err instanceof Error ? err.message : String(err));
      }
      if (start.framesDone + framesThisRun === 0) throw new StageError("transcode failed", "the encoder produced no audio");
      return "done";
    },
  };
}
