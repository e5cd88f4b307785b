// Modes 11/12 when the sources cannot be joined byte for byte (mp4-join.ts): the sources through ffmpeg's concat
// demuxer (stream copy, or a re-encode when the sources cannot be joined as they are) into fragmented MP4 on stdout. Sources whose moov comes first are streamed from COS into
// pipes fds 3.. one after another, as the demuxer reaches them; others are downloaded to the work dir first.
// A resumed run starts at the key frame that began the checkpoint's next fragment (concat `inpoint`), and the
// splicer makes its fragments continue the uploaded ones.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type COS from "cos-nodejs-sdk-v5";
import { StageError } from "./cos-errors";
import type { RetryPolicy } from "./cos-retry";
import { concatList, mp4Args, type ConcatEntry } from "./ffmpeg-args";
import { describeExit, runFfmpeg, type FfmpegProcess } from "./ffmpeg-run";
import { ensureFreeSpace } from "./free-space";
import { Mp4FragmentReader } from "./mp4-fragment-reader";
import { firstTrack, isSyncSample, seekTimeForKeyFrame } from "./mp4-moov";
import { Mp4Splicer, SpliceMismatch } from "./mp4-splice";
import { FirstFailure, type Emit, type Production } from "./production";
import { downloadSource, streamSource } from "./source-read";
import type { ProbedSource } from "./source-probe";
import type { DeliveryLog, ResumePoint } from "./types";

type Mp4Resume = Extract<ResumePoint, { kind: "mp4" }>;

export interface Mp4ProductionOptions {
  sources: ProbedSource[];
  withAudio: boolean;
  reencode?: { width: number; height: number };
  resume?: Mp4Resume;
  cos: COS;
  ffmpegPath: string;
  jobDir: string;
  retry: RetryPolicy;
  log: DeliveryLog;
}

/** Pure: the source and in-point where a resumed run starts, from the count of video samples already uploaded. */
export function mp4Start(resume: Mp4Resume | undefined, sources: ProbedSource[]): { firstSource: number; inpoint?: number } {
  if (!resume) return { firstSource: 0 };
  let remaining = resume.videoSamplesDone;
  for (let i = 0; i < sources.length; i++) {
    const video = sources[i].moov ? firstTrack(sources[i].moov!, "vide") : undefined;
    if (!video || video.sampleCount === 0) throw new SpliceMismatch(`source ${i} has no indexed video track to resume in`);
    if (remaining < video.sampleCount) {
      if (!isSyncSample(video, remaining)) throw new SpliceMismatch(`video sample ${remaining} of source ${i} is not a key frame`);
      return { firstSource: i, inpoint: remaining === 0 ? undefined : seekTimeForKeyFrame(video, remaining) };
    }
    remaining -= video.sampleCount;
  }
  throw new SpliceMismatch(`checkpoint is ${resume.videoSamplesDone} video samples in, past the end of the sources`);
}

export function createMp4Production(opts: Mp4ProductionOptions): Production {
  const procs: FfmpegProcess[] = [];
  let splicer: Mp4Splicer | undefined;
  const abort = () => {
    for (const p of procs) p.kill();
  };
  return {
    abort,
    note: () => splicer?.spliceNote,
    async run(emit: Emit): Promise<"done" | "stopped"> {
      const start = mp4Start(opts.resume, opts.sources);
      const remaining = opts.sources.slice(start.firstSource);
      const readOpts = { retry: opts.retry, onRetry: (d: string) => opts.log.warn("source read interrupted, resuming", { detail: d }) };
      const toDownload = remaining.filter((s) => !s.streamable);
      if (toDownload.length > 0) {
        const bytes = toDownload.reduce((n, s) => n + s.size, 0);
        await ensureFreeSpace(opts.jobDir, bytes, `downloading ${toDownload.length} source(s) whose moov is at the end`);
      }
      const entries: ConcatEntry[] = [];
      const piped: ProbedSource[] = [];
      for (const src of remaining) {
        let url: string;
        if (src.streamable) {
          url = `pipe:${3 + piped.length}`;
          piped.push(src);
        } else {
          url = path.join(opts.jobDir, `source-${src.index}.mp4`);
          await downloadSource(opts.cos, src, url, readOpts);
        }
        entries.push({ url, inpoint: src === remaining[0] ? start.inpoint : undefined });
      }
      const listPath = path.join(opts.jobDir, `sources-${start.firstSource}.ffconcat`);
      await writeFile(listPath, concatList(entries));
      const ff = runFfmpeg(opts.ffmpegPath, mp4Args({ concatList: listPath, withAudio: opts.withAudio, reencode: opts.reencode }), {
        stdin: false,
        extraInputs: piped.length,
        cwd: opts.jobDir,
      });
      procs.push(ff);
      const failures = new FirstFailure();
      const feeding = (async () => {
        for (let k = 0; k < piped.length; k++) {
          await streamSource(opts.cos, piped[k], ff.extraInputs[k], readOpts);
          ff.extraInputs[k].end();
        }
      })().catch((err: unknown) => {
        failures.record(err);
        abort();
      });
      void ff.exited.then(() => {
        for (const w of ff.extraInputs) if (!w.destroyed) w.destroy();
      });
      splicer = new Mp4Splicer(opts.resume);
      const reader = new Mp4FragmentReader();
      let stopped = false;
      let units = 0;
      const deliver = async (u: ReturnType<Mp4FragmentReader["push"]>): Promise<boolean> => {
        for (const unit of u) {
          for (const out of splicer!.accept(unit)) {
            units += 1;
            if ((await emit({ bytes: out.bytes, cut: out.cut, mediaSeconds: out.mediaSeconds })) === "stop") return false;
          }
        }
        return true;
      };
      try {
        for await (const chunk of ff.stdout) {
          if (!(await deliver(reader.push(chunk as Buffer)))) {
            stopped = true;
            abort();
            break;
          }
        }
      } catch (err) {
        failures.record(err instanceof StageError || err instanceof SpliceMismatch ? err : new StageError("transcode failed", err instanceof Error ? err.message : String(err)));
        abort();
      }
      const exit = await ff.exited;
      await feeding;
      if (stopped) return "stopped";
      if (exit.code !== 0 && !exit.killed) failures.record(new StageError("transcode failed", describeExit("MP4 remux", exit)));
      const cause = failures.cause;
      if (cause instanceof SpliceMismatch) throw cause;
      const failure = failures.toStageError("transcode failed");
      if (failure) throw failure;
      try {
        await deliver(reader.end());
      } catch (err) {
        throw new StageError("transcode failed", err instanceof Error ? err.message : String(err));
      }
      if (units === 0) throw new StageError("transcode failed", "ffmpeg produced no MP4 output");
      return "done";
    },
  };
}
