// Runs a production into the target's multipart upload within one invocation: opens (or re-validates) the upload,
// streams parts, watches the deadline, and ends in one of three ways: completed (target assembled), stopped (a
// checkpoint at the last confirmed part), or a StageError (after saving what can be resumed, or aborting the upload
// when nothing can).
import type COS from "cos-nodejs-sdk-v5";
import { StageError } from "./cos-errors";
import { SpliceMismatch } from "./mp4-splice";
import { abortUpload, completeUpload, initUpload, listUploadedParts } from "./multipart-upload";
import { MultipartSink, type SinkProgress } from "./multipart-sink";
import type { Production } from "./production";
import type { DeliveryTuning } from "./tuning";
import type { CosLocation, DeliveryCheckpoint, DeliveryDeps } from "./types";
import { verifyTarget } from "./verify";

/** The open upload cannot be continued (gone, or its parts differ from the checkpoint): start it again. */
export class RestartNeeded extends Error {}

export type UploadResult = { kind: "completed"; checkpoint: DeliveryCheckpoint } | { kind: "stopped"; checkpoint: DeliveryCheckpoint };

export interface UploadRun {
  cos: COS;
  target: CosLocation;
  deps: DeliveryDeps;
  tuning: DeliveryTuning;
  checkpoint: DeliveryCheckpoint;
  production: Production;
  contentType: string;
  /** False when the production cannot resume mid-stream (re-encoding): no soft stop; the hard deadline fails it. */
  resumable: boolean;
}

async function openUpload(run: UploadRun, save: (cp: DeliveryCheckpoint) => Promise<void>): Promise<DeliveryCheckpoint> {
  const cp = run.checkpoint;
  if (!cp.upload) {
    const uploadId = await initUpload(run.cos, run.target, run.contentType, run.tuning.retry);
    const next: DeliveryCheckpoint = { ...cp, upload: { uploadId, parts: [], bytes: 0 }, resume: undefined };
    // Saved at once: a crash before the first part still leaves the upload id findable (to resume or abort).
    await save(next);
    return next;
  }
  const listed = await listUploadedParts(run.cos, run.target, cp.upload.uploadId, run.tuning.retry);
  if (listed === "gone") throw new RestartNeeded(`multipart upload ${cp.upload.uploadId} no longer exists`);
  const byNumber = new Map(listed.map((p) => [p.PartNumber, p]));
  for (const p of cp.upload.parts) {
    const got = byNumber.get(p.PartNumber);
    if (!got || got.ETag !== p.ETag || got.size !== p.size) throw new RestartNeeded(`part ${p.PartNumber} in COS differs from the checkpoint`);
  }
  return cp;
}

export async function runUpload(run: UploadRun): Promise<UploadResult> {
  const { deps, tuning } = run;
  let saving: Promise<void> = Promise.resolve();
  const save = (cp: DeliveryCheckpoint): Promise<void> => {
    saving = saving.then(() =>
      deps.saveCheckpoint(cp).catch((err: unknown) => deps.log.warn("checkpoint save failed", { error: err instanceof Error ? err.message : String(err) })),
    );
    return saving;
  };
  let cp = await openUpload(run, save);
  const upload = cp.upload!;
  const withProgress = (p: SinkProgress): DeliveryCheckpoint => ({
    ...cp,
    upload: { uploadId: upload.uploadId, parts: p.parts, bytes: p.bytes },
    resume: p.resume,
    mediaSecondsDone: p.mediaSeconds,
  });

  const { clock } = deps;
  const startedAt = clock.now();
  const softStopAt = deps.deadlineMs - tuning.stopMarginMs;
  const hardStopAt = deps.deadlineMs - tuning.hardMarginMs;
  let lastSave = startedAt;
  const sink = new MultipartSink({
    cos: run.cos,
    target: run.target,
    uploadId: upload.uploadId,
    partSize: tuning.partSize,
    concurrency: tuning.concurrency,
    retry: tuning.retry,
    log: deps.log,
    start: { parts: upload.parts, bytes: upload.bytes, resume: cp.resume, mediaSeconds: cp.mediaSecondsDone },
    shouldStop: () => run.resumable && clock.now() >= softStopAt,
    onConfirmed: (p) => {
      if (clock.now() - lastSave < tuning.checkpointEveryMs) return;
      lastSave = clock.now();
      void save(withProgress(p));
    },
  });

  // The hard stop abandons the part in progress; armed only if it lies ahead (a late start still makes progress).
  let hardStopped = false;
  const cancelHardStop =
    hardStopAt > startedAt
      ? clock.setTimer(hardStopAt, () => {
          hardStopped = true;
          deps.log.warn("hard deadline reached: abandoning the part in progress", { deadlineMs: deps.deadlineMs });
          run.production.abort();
        })
      : undefined;

  let outcome: "done" | "stopped" | undefined;
  let failure: unknown;
  try {
    outcome = await run.production.run((u) => sink.write(u));
  } catch (err) {
    failure = err;
    run.production.abort();
  } finally {
    cancelHardStop?.();
  }
  const note = run.production.note?.();
  if (note) deps.log.info("resumed mid-stream", { note });

  if (failure instanceof RestartNeeded || failure instanceof SpliceMismatch) throw failure;

  if (outcome === "stopped" || (hardStopped && !(failure instanceof StageError && failure.outcome === "COS write failed"))) {
    const progress = await sink.settle();
    if (!run.resumable) {
      await abortUpload(run.cos, run.target, upload.uploadId, tuning.retry, deps.log);
      throw new StageError("transcode failed", "re-encoding did not finish within one invocation and cannot be resumed", true);
    }
    const sinkError = sink.error;
    if (sinkError?.permanent) {
      await abortUpload(run.cos, run.target, upload.uploadId, tuning.retry, deps.log);
      throw sinkError;
    }
    cp = withProgress(progress);
    await save(cp);
    return { kind: "stopped", checkpoint: cp };
  }

  if (failure !== undefined) {
    const progress = await sink.settle();
    const stageError = failure instanceof StageError ? failure : new StageError("transcode failed", failure instanceof Error ? failure.message : String(failure));
    // Only COS trouble may clear up by itself; a source ffmpeg cannot read will not read next time either.
    const worthKeeping = !stageError.permanent && run.resumable && (stageError.outcome === "COS write failed" || stageError.outcome === "COS read failed");
    if (!worthKeeping) {
      await abortUpload(run.cos, run.target, upload.uploadId, tuning.retry, deps.log);
    } else {
      // Keep the upload and what it has: a later attempt can continue from here instead of starting over.
      await save(withProgress(progress));
    }
    throw stageError;
  }

  const progress = await sink.end().catch(async (err: unknown) => {
    const stageError = err instanceof StageError ? err : new StageError("COS write failed", String(err));
    if (stageError.permanent) await abortUpload(run.cos, run.target, upload.uploadId, tuning.retry, deps.log);
    else await save(withProgress(await sink.settle()));
    throw stageError;
  });
  const completed = await completeUpload(run.cos, run.target, upload.uploadId, progress.parts, tuning.retry);
  const confirmed = await verifyTarget(run.cos, run.target, { etag: completed.kind === "completed" ? completed.etag : undefined, size: progress.bytes }, tuning.retry);
  cp = { ...withProgress(progress), phase: "completed", completed: { etag: confirmed.etag, size: confirmed.size } };
  await save(cp);
  return { kind: "completed", checkpoint: cp };
}
