// Delivery of one recording: TRTC's output objects → the requested file at the caller's COS path. A thin
// orchestrator over the stage modules: probe the sources, plan (server-side copy, or an ffmpeg production), run it
// into a multipart upload that can stop at a part boundary before the deadline and continue in the next
// invocation, confirm the target with HEAD, and only then delete the sources (if asked).
import { mkdir, mkdtemp } from "node:fs/promises";
import path from "node:path";
import { deleteSources, removeJobDir } from "./cleanup";
import { StageError } from "./cos-errors";
import { objectUrl, sameObject } from "./cos-url";
import { createMp3Production } from "./mp3-production";
import { createMp4Production } from "./mp4-production";
import { SpliceMismatch } from "./mp4-splice";
import { abortUpload } from "./multipart-upload";
import { planDelivery, type Plan } from "./plan";
import type { Production } from "./production";
import { createLayoutProduction } from "./layout-production";
import { wholeObjectLayout } from "./mp4-join";
import { serverSideCopy } from "./server-side-copy";
import { probeSource, type ProbedSource } from "./source-probe";
import { DEFAULT_TUNING, type DeliveryTuning } from "./tuning";
import type { DeliveryCheckpoint, DeliveryDeps, DeliveryJob, DeliveryOutcome, DeliveryStrategy } from "./types";
import { RestartNeeded, runUpload } from "./upload-pipeline";
import { verifyTarget } from "./verify";

/** Sources probed concurrently. */
const PROBES_AT_ONCE = 4;

/** Resumes that failed verification before the delivery gives up instead of starting over yet again. */
const MAX_RESTARTS = 2;

function strategyOf(plan: Exclude<Plan, { kind: "impossible" }>): DeliveryStrategy {
  if (plan.kind === "copy") return "copy";
  if (plan.kind === "mp3") return "mp3";
  if (plan.kind === "join") return "mp4-join";
  return plan.reencode ? "mp4-reencode" : "mp4-copy";
}

function freshCheckpoint(job: DeliveryJob, strategy: DeliveryStrategy, sources: ProbedSource[], previous?: DeliveryCheckpoint): DeliveryCheckpoint {
  return {
    version: 1,
    recordingId: job.recordingId,
    phase: "upload",
    strategy,
    target: job.target,
    sourceEtags: sources.map((s) => s.etag),
    restarts: previous?.restarts ?? 0,
    invocations: previous?.invocations ?? 1,
  };
}

/** A checkpoint is only used for the job it was made for. */
function usableCheckpoint(job: DeliveryJob, deps: DeliveryDeps): DeliveryCheckpoint | undefined {
  const cp = job.checkpoint;
  if (!cp) return undefined;
  const t = job.target;
  if (cp.version !== 1 || cp.recordingId !== job.recordingId || cp.target.bucket !== t.bucket || cp.target.region !== t.region || cp.target.key !== t.key) {
    deps.log.warn("ignoring a checkpoint made for another delivery", { recordingId: cp.recordingId, key: cp.target?.key });
    return undefined;
  }
  return { ...cp, invocations: cp.invocations + 1 };
}

async function finish(job: DeliveryJob, deps: DeliveryDeps, cp: DeliveryCheckpoint, tuning: DeliveryTuning): Promise<DeliveryOutcome> {
  const completed = cp.completed;
  if (!completed) throw new StageError("COS write failed", "checkpoint says completed but has no ETag/size");
  // Sources are deleted only after COS confirms the target (again, for a checkpoint from an earlier invocation).
  const confirmed = await verifyTarget(deps.targetCos, job.target, completed, tuning.retry);
  if (job.deleteSourcesAfter) {
    const { deleted, kept } = await deleteSources(deps.sourceCos, job.sources, job.target, tuning.retry, deps.log);
    deps.log.info("sources deleted after delivery", { deleted: deleted.length, kept });
  }
  const outcome: DeliveryOutcome = { kind: "delivered", etag: confirmed.etag, size: confirmed.size, url: objectUrl(job.target), copied: cp.strategy === "copy" };
  deps.log.info("delivered", { url: outcome.url, size: outcome.size, copied: outcome.copied, invocations: cp.invocations });
  return outcome;
}

function contentTypeFor(job: DeliveryJob): string {
  return job.mode === "10" ? "audio/mpeg" : "video/mp4";
}

/** One attempt with the current checkpoint: "completed" → finish; "stopped" → continue. */
async function execute(job: DeliveryJob, deps: DeliveryDeps, tuning: DeliveryTuning, jobDir: string, sources: ProbedSource[], plan: Exclude<Plan, { kind: "impossible" }>, start: DeliveryCheckpoint): Promise<DeliveryOutcome> {
  let cp = start;
  if (plan.kind === "copy" && cp.strategy === "copy" && sameObject(plan.source.location, job.target)) {
    // TRTC already wrote the requested file at the requested path: nothing to move (and nothing to delete).
    cp = { ...cp, phase: "completed", completed: { etag: plan.source.etag, size: plan.source.size } };
    await deps.saveCheckpoint(cp);
    return finish(job, deps, cp, tuning);
  }
  if (plan.kind === "copy" && cp.strategy === "copy") {
    const copied = await serverSideCopy(deps.targetCos, plan.source, job.target, tuning.retry);
    if (copied.kind === "copied") {
      cp = { ...cp, phase: "completed", completed: { etag: copied.etag ?? plan.source.etag, size: plan.source.size } };
      const confirmed = await verifyTarget(deps.targetCos, job.target, { etag: copied.etag, size: plan.source.size }, tuning.retry);
      cp.completed = { etag: confirmed.etag, size: confirmed.size };
      await deps.saveCheckpoint(cp);
      return finish(job, deps, cp, tuning);
    }
    deps.log.warn("server-side copy refused; relaying the bytes instead", { detail: copied.detail });
    cp = { ...cp, strategy: "relay" };
  }
  let production: Production;
  let resumable = true;
  const common = { cos: deps.sourceCos, ffmpegPath: deps.ffmpegPath, jobDir, retry: tuning.retry, log: deps.log };
  const bytesResume = cp.resume?.kind === "bytes" ? cp.resume : undefined;
  if (cp.strategy === "relay") {
    const source = plan.kind === "copy" ? plan.source : sources[0];
    production = createLayoutProduction({ layout: wholeObjectLayout(source.size, source.etag), sources: [source], resume: bytesResume, cos: deps.sourceCos, retry: tuning.retry, log: deps.log });
  } else if (plan.kind === "join") {
    production = createLayoutProduction({ layout: plan.layout, sources, resume: bytesResume, cos: deps.sourceCos, retry: tuning.retry, log: deps.log });
  } else if (plan.kind === "mp3") {
    production = createMp3Production({ ...common, sources, resume: cp.resume?.kind === "mp3" ? cp.resume : undefined });
  } else if (plan.kind === "mp4") {
    resumable = plan.resumable;
    production = createMp4Production({ ...common, sources, withAudio: plan.withAudio, reencode: plan.reencode, resume: cp.resume?.kind === "mp4" ? cp.resume : undefined });
  } else {
    throw new RestartNeeded(`checkpoint strategy ${cp.strategy} does not fit the plan ${plan.kind}`);
  }
  deps.log.info(cp.upload ? "resuming delivery" : "starting delivery", {
    strategy: cp.strategy,
    sources: sources.length,
    partsDone: cp.upload?.parts.length ?? 0,
    mediaSecondsDone: cp.mediaSecondsDone,
  });
  const partTuning = cp.strategy === "mp3" ? { ...tuning, partSize: tuning.audioPartSize } : tuning;
  const result = await runUpload({ cos: deps.targetCos, target: job.target, deps, tuning: partTuning, checkpoint: cp, production, contentType: contentTypeFor(job), resumable });
  if (result.kind === "stopped") {
    deps.log.info("deadline near: continuing in a new invocation", { parts: result.checkpoint.upload?.parts.length, mediaSecondsDone: result.checkpoint.mediaSecondsDone });
    return { kind: "continue", checkpoint: result.checkpoint };
  }
  return finish(job, deps, result.checkpoint, tuning);
}

async function deliverIn(job: DeliveryJob, deps: DeliveryDeps, tuning: DeliveryTuning, jobDir: string): Promise<DeliveryOutcome> {
  let cp = usableCheckpoint(job, deps);
  if (cp?.phase === "completed") return finish(job, deps, cp, tuning);
  if (job.sources.length === 0) throw new StageError("record failed", "TRTC produced no media files for this recording", true);

  // A few probes at once: each is a HEAD and small ranged GETs, so latency, not bandwidth, is what they cost.
  const probed: Array<PromiseSettledResult<ProbedSource>> = new Array(job.sources.length);
  let nextProbe = 0;
  const prober = async () => {
    for (let i = nextProbe++; i < job.sources.length; i = nextProbe++) {
      probed[i] = await probeSource(deps.sourceCos, job.sources[i], i, tuning.retry).then(
        (value) => ({ status: "fulfilled" as const, value }),
        (reason: unknown) => ({ status: "rejected" as const, reason }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROBES_AT_ONCE, job.sources.length) }, prober));
  // The first source in order that failed is the one reported, whichever probe finished first.
  const failedProbe = probed.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failedProbe) throw failedProbe.reason;
  const sources = probed.map((r) => (r as PromiseFulfilledResult<ProbedSource>).value);
  const plan = planDelivery(job.mode, sources);
  if (plan.kind === "impossible") throw new StageError("transcode failed", plan.detail, true);
  for (const w of plan.warnings) deps.log.warn(w);
  if (plan.kind === "mp4" && plan.note) deps.log.info("joining the MP4 sources with ffmpeg", { reason: plan.note });
  const strategy = strategyOf(plan);

  const sameSources = cp !== undefined && cp.sourceEtags.length === sources.length && cp.sourceEtags.every((e, i) => e === sources[i].etag);
  const fits = cp !== undefined && (cp.strategy === strategy || (cp.strategy === "relay" && strategy === "copy"));
  if (cp && (!sameSources || !fits)) {
    deps.log.warn("checkpoint does not match the sources or plan any more; starting over", { strategy: cp.strategy, planned: strategy });
    if (cp.upload) await abortUpload(deps.targetCos, job.target, cp.upload.uploadId, tuning.retry, deps.log);
    cp = freshCheckpoint(job, strategy, sources, cp);
  }
  cp ??= freshCheckpoint(job, strategy, sources);

  for (;;) {
    try {
      return await execute(job, deps, tuning, jobDir, sources, plan, cp);
    } catch (err) {
      if (!(err instanceof RestartNeeded || err instanceof SpliceMismatch)) throw err;
      if (cp.restarts >= MAX_RESTARTS) throw new StageError("transcode failed", `could not continue the delivery (${err.message}) after ${cp.restarts} restarts`);
      deps.log.warn("cannot continue where the checkpoint says; starting the upload over", { reason: err.message });
      if (cp.upload) await abortUpload(deps.targetCos, job.target, cp.upload.uploadId, tuning.retry, deps.log);
      cp = { ...freshCheckpoint(job, strategy, sources, cp), restarts: cp.restarts + 1, strategy: cp.strategy === "relay" ? "relay" : strategy };
    }
  }
}

/**
 * Delivers `job`. Never deletes a source unless `deleteSourcesAfter` and the target's ETag and size are confirmed;
 * never returns "delivered" without that confirmation. `tuning` is for tests and benchmarks.
 */
export async function deliver(job: DeliveryJob, deps: DeliveryDeps, tuning: Partial<DeliveryTuning> = {}): Promise<DeliveryOutcome> {
  const t: DeliveryTuning = { ...DEFAULT_TUNING, ...tuning };
  let jobDir: string | undefined;
  try {
    // Own directory per invocation: an overlapping retry of the same recording must not share (or delete) our files.
    await mkdir(deps.workDir, { recursive: true });
    jobDir = await mkdtemp(path.join(deps.workDir, `delivery-${job.recordingId.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 64)}-`));
    return await deliverIn(job, deps, t, jobDir);
  } catch (err) {
    if (err instanceof StageError) {
      deps.log.error("delivery failed", { message: err.outcome, detail: err.detail });
      return { kind: "failed", message: err.outcome, detail: err.detail };
    }
    const detail = err instanceof Error ? err.message : String(err);
    deps.log.error("delivery failed unexpectedly", { detail });
    return { kind: "failed", message: "transcode failed", detail: `unexpected: ${detail}` };
  } finally {
    if (jobDir) await removeJobDir(jobDir, deps.log);
  }
}
